/**
 * config.json → the few numbers the graph builders need. Everything that differs between model
 * families (epsilons, activations, position offsets, local attention) is read here, not assumed.
 */
import * as fs from 'node:fs';
import { KnError } from '../errors';

export type Activation = 'gelu' | 'gelu_new' | 'silu';

export interface ModelConfig {
  architecture: string;
  family: 'bert' | 'xlm-roberta' | 'gpt2' | 'gpt-neo' | 'llama';
  kind: 'masked' | 'causal';
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  vocab: number;
  maxPositions: number;
  eps: number;
  act: Activation;
  /** RoBERTa: position ids start at padding_idx + 1. */
  positionOffset: number;
  typeVocab: number;
  tieWordEmbeddings: boolean;
  /** GPT-Neo: per layer, `global` or `local` with `window`; Mistral: sliding window for all layers. */
  attentionLayers: ('global' | 'local')[];
  window: number;
  /** GPT-Neo does not scale attention scores by 1/sqrt(d). */
  scaleAttention: boolean;
  rope?: { theta: number; linearFactor: number };
  qkvBias: boolean;
}

export const SUPPORTED_ARCHITECTURES = [
  'BertForMaskedLM',
  'XLMRobertaForMaskedLM',
  'RobertaForMaskedLM',
  'GPT2LMHeadModel',
  'GPTNeoForCausalLM',
  'LlamaForCausalLM',
  'MistralForCausalLM',
  'Qwen2ForCausalLM',
];

const ACTS: Record<string, Activation> = { gelu: 'gelu', gelu_new: 'gelu_new', gelu_pytorch_tanh: 'gelu_new', silu: 'silu', swish: 'silu' };

/** Reads and checks a config.json: its raw JSON (what the memory estimate reads) and the parsed configuration. */
export function readConfig(file: string): { raw: Record<string, unknown>; config: ModelConfig } {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new KnError(`${file}: not valid JSON (${(e as Error).message})`, { file });
  }
  return { raw, config: parseConfig(raw, file) };
}

/** The sizes and options of a config.json, checked: a config that is not an object, or whose sizes cannot build a model, is refused with a KnError. */
export function parseConfig(raw: unknown, file = 'config.json'): ModelConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new KnError(`${file}: must be a JSON object (got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw})`, { file });
  return checkSizes(parseFamily(raw as Record<string, any>, file), file);
}

function parseFamily(raw: Record<string, any>, file: string): ModelConfig {
  const arch = Array.isArray(raw.architectures) ? raw.architectures[0] : undefined;
  if (!arch || !SUPPORTED_ARCHITECTURES.includes(arch))
    throw new KnError(`${file}: architecture ${JSON.stringify(arch ?? raw.model_type ?? null)} is not supported; supported: ${SUPPORTED_ARCHITECTURES.join(', ')}`, { file });
  const need = (key: string): number => {
    const v = raw[key];
    if (typeof v !== 'number') throw new KnError(`${file}: '${key}' is missing or not a number`, { file });
    return v;
  };
  const act = (name: unknown): Activation => {
    const a = ACTS[String(name)];
    if (!a) throw new KnError(`${file}: activation ${JSON.stringify(name)} is not supported (${Object.keys(ACTS).join(', ')})`, { file });
    return a;
  };
  const tie = raw.tie_word_embeddings ?? true;
  if (arch === 'GPT2LMHeadModel') {
    const hidden = need('n_embd');
    const layers = need('n_layer');
    return {
      architecture: arch, family: 'gpt2', kind: 'causal', layers, hidden, heads: need('n_head'), kvHeads: need('n_head'),
      headDim: hidden / need('n_head'), ffn: raw.n_inner ?? 4 * hidden, vocab: need('vocab_size'), maxPositions: need('n_positions'),
      eps: raw.layer_norm_epsilon ?? 1e-5, act: act(raw.activation_function ?? 'gelu_new'), positionOffset: 0, typeVocab: 0,
      tieWordEmbeddings: tie, attentionLayers: Array(layers).fill('global'), window: 0, scaleAttention: raw.scale_attn_weights ?? true, qkvBias: true,
    };
  }
  if (arch === 'GPTNeoForCausalLM') {
    const hidden = need('hidden_size');
    const layers = need('num_layers');
    const types: string[] = [];
    for (const [pattern, repeat] of (raw.attention_types ?? [[['global', 'local'], layers / 2]]) as [string[], number][])
      for (let r = 0; r < repeat; r++) types.push(...pattern);
    return {
      architecture: arch, family: 'gpt-neo', kind: 'causal', layers, hidden, heads: need('num_heads'), kvHeads: need('num_heads'),
      headDim: hidden / need('num_heads'), ffn: raw.intermediate_size ?? 4 * hidden, vocab: need('vocab_size'),
      maxPositions: need('max_position_embeddings'), eps: raw.layer_norm_epsilon ?? 1e-5, act: act(raw.activation_function ?? 'gelu_new'),
      positionOffset: 0, typeVocab: 0, tieWordEmbeddings: tie, attentionLayers: types.slice(0, layers) as ('global' | 'local')[],
      window: raw.window_size ?? 256, scaleAttention: false, qkvBias: false,
    };
  }
  if (arch === 'LlamaForCausalLM' || arch === 'MistralForCausalLM' || arch === 'Qwen2ForCausalLM') {
    const hidden = need('hidden_size');
    const heads = need('num_attention_heads');
    const layers = need('num_hidden_layers');
    const scaling = raw.rope_scaling;
    if (scaling && !['linear', 'default'].includes(scaling.rope_type ?? scaling.type))
      throw new KnError(`${file}: rope_scaling type ${JSON.stringify(scaling.rope_type ?? scaling.type)} is not supported (none, linear)`, { file });
    const sliding = arch === 'MistralForCausalLM' ? raw.sliding_window : raw.use_sliding_window ? raw.sliding_window : null;
    return {
      architecture: arch, family: 'llama', kind: 'causal', layers, hidden, heads, kvHeads: raw.num_key_value_heads ?? heads,
      headDim: raw.head_dim ?? hidden / heads, ffn: need('intermediate_size'), vocab: need('vocab_size'),
      maxPositions: need('max_position_embeddings'), eps: raw.rms_norm_eps ?? 1e-6, act: act(raw.hidden_act ?? 'silu'),
      positionOffset: 0, typeVocab: 0, tieWordEmbeddings: raw.tie_word_embeddings ?? false,
      attentionLayers: Array(layers).fill(sliding ? 'local' : 'global'), window: sliding ?? 0, scaleAttention: true,
      rope: { theta: raw.rope_theta ?? 10000, linearFactor: scaling ? scaling.factor ?? 1 : 1 },
      qkvBias: arch === 'Qwen2ForCausalLM' ? true : !!raw.attention_bias,
    };
  }
  const roberta = arch !== 'BertForMaskedLM';
  const hidden = need('hidden_size');
  const layers = need('num_hidden_layers');
  return {
    architecture: arch, family: roberta ? 'xlm-roberta' : 'bert', kind: 'masked', layers, hidden, heads: need('num_attention_heads'),
    kvHeads: need('num_attention_heads'), headDim: hidden / need('num_attention_heads'), ffn: need('intermediate_size'),
    vocab: need('vocab_size'), maxPositions: need('max_position_embeddings') - (roberta ? (raw.pad_token_id ?? 1) + 1 : 0),
    eps: raw.layer_norm_eps ?? 1e-12, act: act(raw.hidden_act ?? 'gelu'), positionOffset: roberta ? (raw.pad_token_id ?? 1) + 1 : 0,
    typeVocab: raw.type_vocab_size ?? 2, tieWordEmbeddings: tie, attentionLayers: Array(layers).fill('global'), window: 0,
    scaleAttention: true, qkvBias: true,
  };
}

/** Sizes a graph can be built from: positive integers, heads that divide the hidden size, key/value heads that divide the heads. */
function checkSizes(cfg: ModelConfig, file: string): ModelConfig {
  const sizes = { layers: cfg.layers, hidden: cfg.hidden, heads: cfg.heads, kvHeads: cfg.kvHeads, headDim: cfg.headDim, ffn: cfg.ffn, vocab: cfg.vocab, maxPositions: cfg.maxPositions };
  for (const [name, v] of Object.entries(sizes))
    if (!Number.isSafeInteger(v) || v < 1) throw new KnError(`${file}: the ${NAMES[name]} must be a positive integer (got ${v})`, { file });
  if (cfg.heads % cfg.kvHeads !== 0) throw new KnError(`${file}: ${cfg.heads} attention heads cannot be shared by ${cfg.kvHeads} key/value heads`, { file });
  if (!(cfg.eps > 0 && Number.isFinite(cfg.eps))) throw new KnError(`${file}: the normalisation epsilon must be a positive number (got ${cfg.eps})`, { file });
  return cfg;
}

const NAMES: Record<string, string> = {
  layers: 'number of layers',
  hidden: 'hidden size',
  heads: 'number of attention heads',
  kvHeads: 'number of key/value heads',
  headDim: 'head size (hidden size / attention heads)',
  ffn: 'FFN (intermediate) size',
  vocab: 'vocabulary size',
  maxPositions: 'number of positions',
};
