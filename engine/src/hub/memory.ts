/**
 * How much memory a model needs before we load it, from its config.json alone, so a model that
 * cannot fit is refused with a sentence instead of an out-of-memory crash. A config that names an
 * architecture the engine builds is measured from the same parsed configuration the model is built
 * from (parseConfig), so no key the builder ignores can shrink the estimate; other configs (the Hub
 * checks a model before knowing whether it can run it) from their usual keys.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { HubError } from './errors';
import { ModelConfig, parseConfig, readConfig, SUPPORTED_ARCHITECTURES } from '../model/config';
import { forwardRunBytes, IG_MEMORY_BUDGET, igPlan, igRunBytes } from '../model/memory';
import { MIN_STEPS } from '../quadrature';
import { STORAGE_BYTES } from '../model/weights';
import { WEIGHT_STORAGES, type WeightStorage } from '../types';

export interface MemoryEstimate {
  weightsBytes: number;
  activationBytes: number;
  totalBytes: number;
  /** Parameter count the estimate is based on. */
  params: number;
  /** ONNX Runtime and process overhead included in totalBytes. */
  overheadBytes: number;
}

export interface MemoryEstimateOptions {
  /** Bytes per weight. Default 4: the engine runs in float32 whatever the checkpoint's dtype. */
  dtypeBytes?: number;
  /** Rows evaluated together (e.g. integrated-gradient steps per batch). */
  batchRows: number;
  /** Tokens per row. */
  seqLen: number;
}

/** Decoder families with rotary positions, RMSNorm and a gated (SwiGLU) MLP. */
const LLAMA_LIKE = new Set([
  'llama',
  'mistral',
  'mixtral',
  'qwen2',
  'qwen2_moe',
  'qwen3',
  'qwen3_moe',
  'gemma',
  'gemma2',
  'gemma3_text',
  'phi3',
  'olmo',
  'olmo2',
  'granite',
  'smollm3',
  'cohere',
  'starcoder2',
  'internlm2',
  'deepseek_v2',
  'yi',
]);

function pick(cfg: any, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = cfg?.[k];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  }
  return undefined;
}

type Dims = ReturnType<typeof rawDims>;

/** The parsed configuration, where config.json names an architecture the engine builds. */
function parsed(configJson: any): ModelConfig | undefined {
  const arch = Array.isArray(configJson?.architectures) ? configJson.architectures[0] : undefined;
  return SUPPORTED_ARCHITECTURES.includes(arch) ? parseConfig(configJson) : undefined;
}

/** Sizes from the parsed configuration, in the terms of `rawDims`. */
function parsedDims(c: ModelConfig): Dims {
  const gated = c.family === 'llama' || c.family === 'modernbert';
  const rotary = c.rope !== undefined;
  const learned = rotary ? 0 : c.maxPositions + c.positionOffset;
  const biases = !['llama', 'modernbert'].includes(c.family);
  return {
    hidden: c.hidden,
    layers: c.layers,
    vocab: c.vocab,
    heads: c.heads,
    kvHeads: c.kvHeads,
    headDim: c.headDim,
    intermediate: c.ffn,
    rotary,
    gated,
    positions: learned,
    typeVocab: c.typeVocab,
    experts: 1,
    tied: c.tieWordEmbeddings,
    biases: biases || c.qkvBias || c.mlpBias,
    modelType: /bert|roberta/i.test(c.architecture) ? 'bert' : c.family,
  };
}

export function modelDims(configJson: any): Dims {
  const p = parsed(configJson);
  return p ? parsedDims(p) : rawDims(configJson);
}

/** Sizes normalised over BERT / RoBERTa / XLM-R, GPT-2 (`n_embd`, `n_layer`, `n_inner`) and Llama-style configs. */
function rawDims(configJson: any) {
  const cfg = configJson?.text_config && !configJson.hidden_size && !configJson.n_embd ? configJson.text_config : configJson;
  const hidden = pick(cfg, 'hidden_size', 'n_embd', 'd_model', 'dim');
  const layers = pick(cfg, 'num_hidden_layers', 'n_layer', 'num_layers', 'n_layers');
  const vocab = pick(cfg, 'vocab_size');
  if (!hidden || !layers || !vocab) {
    throw new Error('config.json lacks hidden_size/n_embd, num_hidden_layers/n_layer or vocab_size; cannot estimate memory');
  }
  const heads = pick(cfg, 'num_attention_heads', 'n_head', 'num_heads') ?? Math.max(1, Math.round(hidden / 64));
  const kvHeads = pick(cfg, 'num_key_value_heads', 'n_kv_heads') ?? heads;
  const headDim = pick(cfg, 'head_dim') ?? hidden / heads;
  const intermediate = pick(cfg, 'intermediate_size', 'n_inner', 'ffn_dim', 'd_ff') ?? 4 * hidden;
  const modelType = String(cfg.model_type ?? '');
  const rotary = LLAMA_LIKE.has(modelType) || 'rope_theta' in cfg || 'rope_scaling' in cfg || 'rope_parameters' in cfg;
  const gated = LLAMA_LIKE.has(modelType) || (rotary && ['silu', 'swiglu'].includes(String(cfg.hidden_act ?? '')));
  const positions = rotary ? 0 : (pick(cfg, 'max_position_embeddings', 'n_positions', 'n_ctx') ?? 0);
  const typeVocab = pick(cfg, 'type_vocab_size') ?? 0;
  const experts = pick(cfg, 'num_local_experts', 'num_experts') ?? 1;
  const tied = typeof cfg.tie_word_embeddings === 'boolean' ? cfg.tie_word_embeddings : !rotary;
  const biases = rotary ? cfg.attention_bias === true || cfg.mlp_bias === true : true;
  return { hidden, layers, vocab, heads, kvHeads, headDim, intermediate, rotary, gated, positions, typeVocab, experts, tied, biases, modelType };
}

export function countParams(configJson: any): number {
  const d = modelDims(configJson);
  const H = d.hidden;
  const q = d.heads * d.headDim;
  const kv = d.kvHeads * d.headDim;
  const embeddings = d.vocab * H + d.positions * H + d.typeVocab * H + (d.rotary ? 0 : 2 * H);
  const attention = H * q + 2 * H * kv + q * H + (d.biases ? q + 2 * kv + H : 0);
  const mlpOne = (d.gated ? 3 : 2) * H * d.intermediate + (d.biases ? d.intermediate + H : 0);
  const mlp = mlpOne * d.experts + (d.experts > 1 ? H * d.experts : 0);
  const norms = d.rotary ? 2 * H : 4 * H;
  const layer = attention + mlp + norms;
  // Post-LN encoders (BERT) normalise the embeddings, pre-LN GPT-2 has a final ln_f: one LayerNorm either way.
  const finalNorm = d.rotary ? H : 0;
  // Masked-LM heads (BERT / RoBERTa) add a dense + LayerNorm transform and an output bias.
  const mlmHead = /bert|roberta|electra|deberta/.test(d.modelType) ? H * H + 3 * H + d.vocab : 0;
  const lmHead = d.tied ? 0 : d.vocab * H;
  return embeddings + d.layers * layer + finalNorm + mlmHead + lmHead;
}

// ONNX Runtime, node and the tokenizer; arena fragmentation and temporary copies. Fitted (from 256 MB)
// to the peaks of cold `kn predict` on random mBERT, XLM-R base and large and Llama-3.2-1B (float32 and
// int8), and `kn scores` on mBERT and XLM-R base (`npm run bench -- --realistic-only --shapes …`).
const RUNTIME_FIXED = 128 * 1024 ** 2;
const RUNTIME_FRACTION = 0.05;

export function estimateMemory(configJson: any, opts: MemoryEstimateOptions): MemoryEstimate {
  const d = modelDims(configJson);
  const dtypeBytes = opts.dtypeBytes ?? 4;
  const rows = Math.max(1, opts.batchRows);
  const seq = Math.max(1, opts.seqLen);
  const params = countParams(configJson);
  const weightsBytes = params * dtypeBytes;
  // Per layer, kept for the backward pass of integrated gradients (float32):
  // ~12 hidden-sized tensors (q, k, v, context, projections, residuals, norms) and ~3 FFN-sized ones
  // (pre-activation, activation, gate or gradient), plus the heads × seq × seq attention probabilities (and their softmax input).
  const perToken = (d.hidden * 12 + d.intermediate * 3 * (d.gated ? 4 / 3 : 1)) * 4;
  const attention = 2 * d.heads * seq * 4;
  const perLayer = rows * seq * (perToken + attention);
  const logits = 2 * rows * seq * d.vocab * 4;
  const activationBytes = d.layers * perLayer + logits;
  const overheadBytes = Math.round(RUNTIME_FIXED + RUNTIME_FRACTION * (weightsBytes + activationBytes));
  return { weightsBytes, activationBytes, totalBytes: weightsBytes + activationBytes + overheadBytes, params, overheadBytes };
}

/** A run of the engine on a model it builds: a prediction, or integrated gradients with `steps`, on a prompt of `tokens`. */
export interface RunOptions {
  tokens: number;
  steps?: number;
  storage?: WeightStorage;
}

/**
 * The peak memory of one of the engine's own runs (CPU): its weights as the engine keeps them, the
 * working memory of the largest run it plans (`igRunBytes` of the first layer range under the
 * integrated-gradient budget (`igPlan`), or `forwardRunBytes`), with integer weights the float32 copy of the
 * largest matrix dequantized at a time, and the runtime. Configs the engine does not build are
 * estimated as `estimateMemory` does. Compared with the measured peaks in `npm run bench`.
 */
export function estimateRun(configJson: any, run: RunOptions): MemoryEstimate {
  const cfg = parsed(configJson);
  const bytes = STORAGE_BYTES[run.storage ?? 'float32'];
  if (!cfg) return estimateMemory(configJson, { batchRows: 1 + (run.steps ?? 0), seqLen: run.tokens, dtypeBytes: bytes });
  const d = parsedDims(cfg);
  const params = countParams(configJson);
  // Integer storage keeps every matrix that multiplies activations (and the token embeddings) in `bytes` per weight; position and type tables stay float32.
  const float32Tables = (d.positions + d.typeVocab) * d.hidden;
  const weightsBytes = bytes * params + (4 - bytes) * float32Tables;
  const T = run.tokens;
  const plan = run.steps === undefined ? undefined : igPlan(cfg, T, run.steps, IG_MEMORY_BUDGET.cpu);
  const working = plan ? igRunBytes(cfg, T, plan.steps, 0, plan.layers - 1) : forwardRunBytes(cfg, T);
  const dequantized = bytes < 4 ? 4 * d.hidden * Math.max(d.vocab, d.intermediate, d.heads * d.headDim) : 0;
  const activationBytes = working + dequantized;
  const overheadBytes = Math.round(RUNTIME_FIXED + RUNTIME_FRACTION * (weightsBytes + activationBytes));
  return { weightsBytes, activationBytes, totalBytes: weightsBytes + activationBytes + overheadBytes, params, overheadBytes };
}

/** "43.1 GB" (binary gigabytes, the unit task managers show), "312 MB" below one. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}

/**
 * Throws HubError('MEMORY') (a KnError) when the estimate does not fit:
 * "xlm-roberta-xxl needs about 43.1 GB (weights 40.0 GB + activations 1.2 GB + runtime 1.9 GB) but this machine has 24.0 GB".
 * With gpuBytes the whole estimate must fit the GPU and the weights must fit RAM (they pass through it while loading).
 */
export function checkMemory(
  estimate: { weightsBytes: number; activationBytes: number; totalBytes: number; overheadBytes?: number },
  available: { ramBytes: number; gpuBytes?: number },
  modelId: string,
  /** The same run with weights kept smaller (--weights int16, int8), suggested where they would fit. */
  smaller: { storage: WeightStorage; totalBytes: number }[] = [],
): void {
  const overhead = estimate.overheadBytes ?? Math.max(0, estimate.totalBytes - estimate.weightsBytes - estimate.activationBytes);
  const needs =
    `${modelId} needs about ${formatBytes(estimate.totalBytes)} (weights ${formatBytes(estimate.weightsBytes)} + activations ` +
    `${formatBytes(estimate.activationBytes)}${overhead > 0 ? ` + runtime ${formatBytes(overhead)}` : ''})`;
  const hint = (room: number) => {
    const withoutActivations = estimate.totalBytes - estimate.activationBytes;
    if (withoutActivations <= room) return ' Use a smaller batch (fewer integrated-gradient steps at once) or shorter prompts; the weights alone would fit.';
    const fit = smaller.filter((s) => s.totalBytes <= room);
    if (fit.length)
      return (
        ` It fits with its weights kept smaller (README, "Models larger than memory"): ${fit.map((s, i) => `--weights ${s.storage} needs ${i ? '' : 'about '}${formatBytes(s.totalBytes)}`).join(', ')}.` +
        ` In a .prompts file: @weights ${fit[0].storage}; in VS Code: the setting knowledgeNeurons.weights.`
      );
    return ' Choose a smaller model or a machine with more memory.';
  };
  if (available.gpuBytes !== undefined && estimate.totalBytes > available.gpuBytes) {
    throw new HubError('MEMORY', `${needs} but this GPU has ${formatBytes(available.gpuBytes)}.${hint(available.gpuBytes)} Or run on the CPU (--device cpu).`);
  }
  const ramNeed = available.gpuBytes !== undefined ? estimate.weightsBytes : estimate.totalBytes;
  if (ramNeed > available.ramBytes) {
    throw new HubError(
      'MEMORY',
      `${needs} but this machine has ${formatBytes(available.ramBytes)}.${available.gpuBytes !== undefined ? ' Choose a smaller model or a machine with more memory.' : hint(available.ramBytes)}`,
    );
  }
}

/**
 * Refuses a config.json that cannot build a model, or a model that cannot fit (`ramBytes`, default
 * the machine's RAM): its weights as they will be kept (`weights`, default float32) and the smallest
 * integrated-gradients run (the fewest steps, a 16-token prompt; larger runs are split to fit). Where
 * the weights kept smaller (int16, int8) would fit, the refusal says so. A missing config.json is
 * left to Model.load, which says what the folder lacks.
 * The `onConfig` of every resolution that loads a model: the engine's loadModel and the language server's downloads.
 */
export function checkConfigFits(file: string, ref: string, opts: { weights?: WeightStorage; ramBytes?: number } = {}): void {
  if (!fs.existsSync(file)) return;
  const { raw } = readConfig(file);
  const smallest = (storage: WeightStorage) => estimateRun(raw, { tokens: 16, steps: MIN_STEPS, storage });
  const storage = opts.weights ?? 'float32';
  const smaller = WEIGHT_STORAGES.filter((s) => STORAGE_BYTES[s] < STORAGE_BYTES[storage]).map((s) => ({ storage: s, totalBytes: smallest(s).totalBytes }));
  checkMemory(smallest(storage), { ramBytes: opts.ramBytes ?? os.totalmem() }, ref, smaller);
}
