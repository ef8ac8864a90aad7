/**
 * Random-weight models with the exact configs of released checkpoints (bert-base-multilingual-cased,
 * xlm-roberta-base, xlm-roberta-large, Llama-3.2-1B), the sizes transformers documents for them:
 * config.json written here, weights by transformers itself (bench/random_model.py, in the
 * checkpoint's dtype), a word-level tokenizer covering the whole vocabulary. Nothing is downloaded
 * and nothing of this size is committed: they are built in .cache/bench/ at bench time.
 *
 * For each, a cold `kn predict` and a cold `kn scores` (steps 20, or --steps) on one prompt: wall clock, CPU time
 * and peak resident memory (GNU time), next to the engine's estimate of that peak (estimateRun).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfig } from '../engine/src/model/config';
import { estimateRun } from '../engine/src/hub/memory';
import { PromptTokenizer } from '../engine/src/model/tokenizer';
import type { WeightStorage } from '../engine/src/types';
import { fixturesDir, repoRoot } from '../test/helpers';
import { wordTokenizer } from '../test/synthetic';
import { measured } from './realistic';

const XLMR = {
  architectures: ['XLMRobertaForMaskedLM'],
  model_type: 'xlm-roberta',
  hidden_act: 'gelu',
  layer_norm_eps: 1e-5,
  max_position_embeddings: 514,
  type_vocab_size: 1,
  vocab_size: 250002,
  pad_token_id: 1,
  bos_token_id: 0,
  eos_token_id: 2,
  initializer_range: 0.02,
  torch_dtype: 'float32',
};

export const REAL_SHAPES: Record<string, Record<string, unknown>> = {
  'bert-base-multilingual-cased': {
    architectures: ['BertForMaskedLM'],
    model_type: 'bert',
    hidden_size: 768,
    intermediate_size: 3072,
    num_hidden_layers: 12,
    num_attention_heads: 12,
    hidden_act: 'gelu',
    layer_norm_eps: 1e-12,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    vocab_size: 119547,
    pad_token_id: 0,
    initializer_range: 0.02,
    torch_dtype: 'float32',
  },
  'xlm-roberta-base': { ...XLMR, hidden_size: 768, intermediate_size: 3072, num_hidden_layers: 12, num_attention_heads: 12 },
  'xlm-roberta-large': { ...XLMR, hidden_size: 1024, intermediate_size: 4096, num_hidden_layers: 24, num_attention_heads: 16 },
  'llama-3.2-1b': {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: 2048,
    intermediate_size: 8192,
    num_hidden_layers: 16,
    num_attention_heads: 32,
    num_key_value_heads: 8,
    head_dim: 64,
    hidden_act: 'silu',
    vocab_size: 128256,
    max_position_embeddings: 131072,
    rms_norm_eps: 1e-5,
    rope_theta: 500000.0,
    rope_scaling: { factor: 32.0, high_freq_factor: 4.0, low_freq_factor: 1.0, original_max_position_embeddings: 8192, rope_type: 'llama3' },
    tie_word_embeddings: true,
    attention_bias: false,
    mlp_bias: false,
    bos_token_id: 128000,
    eos_token_id: 128001,
    initializer_range: 0.02,
    torch_dtype: 'bfloat16',
  },
};

/** A mid-size Llama (187 M parameters, float32): where int8 weights are measured against float32 (bench/int8.ts). */
export const MID_LLAMA = {
  ...REAL_SHAPES['llama-3.2-1b'],
  hidden_size: 1024,
  intermediate_size: 4096,
  num_hidden_layers: 8,
  num_attention_heads: 16,
  num_key_value_heads: 4,
  vocab_size: 32000,
  max_position_embeddings: 2048,
  rope_theta: 10000.0,
  rope_scaling: undefined,
  tie_word_embeddings: false,
  torch_dtype: 'float32',
};
REAL_SHAPES['llama-mid'] = MID_LLAMA;

const PROMPTS = {
  masked: { text: 'the capital of france is <mask> . a city in europe', target: 'paris' },
  causal: { text: 'Once upon a time, there was a little girl named', target: 'Lily' },
};

/** Builds the model once (config.json, random weights through transformers, tokenizer). */
export function buildRealShape(name: string, log: (s: string) => void): string {
  const dir = path.join(repoRoot(), '.cache', 'bench', `${name}-random`);
  if (fs.existsSync(path.join(dir, 'model.safetensors'))) return dir;
  const config = REAL_SHAPES[name];
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  log(`  ${name}: random weights through transformers (bench/random_model.py)…`);
  const r = spawnSync('python3', [path.join(repoRoot(), 'bench', 'random_model.py'), dir], {
    encoding: 'utf8',
    env: { ...process.env, CUDA_VISIBLE_DEVICES: '' },
  });
  if (r.status !== 0) throw new Error(`bench/random_model.py failed: ${r.stderr.slice(-2000)}`);
  const V = config.vocab_size as number;
  if ((config.architectures as string[])[0] === 'LlamaForCausalLM') {
    // The stories260k tokenizer (SentencePiece BPE), its vocabulary padded to the model's with tokens no text produces.
    const t = JSON.parse(fs.readFileSync(path.join(fixturesDir(), 'llama-stories260k/tokenizer.json'), 'utf8'));
    for (let i = Object.keys(t.model.vocab).length; i < V; i++) t.model.vocab[`<w${i}>`] = i;
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(t));
    fs.copyFileSync(path.join(fixturesDir(), 'llama-stories260k/tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  } else {
    const base = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'capital', 'of', 'france', 'is', 'a', 'city', 'in', 'europe', 'and', 'paris', '.'];
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(wordTokenizer([...base, ...Array.from({ length: V - base.length }, (_, i) => `w${i}`)])));
    fs.copyFileSync(path.join(fixturesDir(), 'bert-tiny-facts/tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  }
  return dir;
}

/** A cold `kn predict` and a cold `kn scores` (steps 20 unless said) on one prompt, measured, with the estimates of their peaks. */
export function realShapeRun(name: string, log: (s: string) => void, weights: WeightStorage = 'float32', steps = 20) {
  const dir = buildRealShape(name, log);
  const { config } = readConfig(path.join(dir, 'config.json'));
  const prompt = PROMPTS[config.kind];
  const T = new PromptTokenizer(dir, config.kind).encodePrompt(prompt.text, prompt.target).ids.length;
  const cli = path.join(repoRoot(), 'out', 'engine', 'src', 'cli', 'main.js');
  const common = ['--model', dir, '--target', prompt.target, '--device', 'cpu', '--weights', weights, '--json', prompt.text];
  const run = (command: string, extra: string[] = []) => {
    log(`  ${name} (${weights}): a cold kn ${command}…`);
    const load = os.loadavg()[0];
    const m = measured(process.execPath, [cli, command, ...extra, ...common]);
    const out = JSON.parse(m.stdout);
    return {
      wall_ms: Math.round(m.ms),
      cpu_s: m.cpu_s,
      peak_resident_mb: m.peak_resident_mb,
      load_average: +load.toFixed(1),
      p_target: out.p_target,
      timing: out.timing,
    };
  };
  const predict = run('predict');
  const scores = run('scores', ['--steps', String(steps)]);
  const mb = (b: number) => Math.round(b / 2 ** 20);
  const raw = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  const estimate = {
    predict_mb: mb(estimateRun(raw, { storage: weights, tokens: T }).totalBytes),
    scores_mb: mb(estimateRun(raw, { storage: weights, tokens: T, steps }).totalBytes),
  };
  return {
    weights,
    tokens: T,
    steps,
    predict,
    scores,
    estimate,
    estimate_over_measured: {
      predict: +(estimate.predict_mb / predict.peak_resident_mb).toFixed(3),
      scores: +(estimate.scores_mb / scores.peak_resident_mb).toFixed(3),
    },
  };
}

export function realShapesSummary(r: Record<string, any>): string[] {
  return [
    '| real shape, random weights, one prompt | weights | tokens | steps | kn predict: wall / CPU (s), peak / estimate (MB) | kn scores: wall / CPU (s), peak / estimate (MB) | load average |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries<any>(r).map(
      ([k, v]) =>
        `| ${k} | ${v.weights} | ${v.tokens} | ${v.steps} | ${(v.predict.wall_ms / 1000).toFixed(0)} / ${v.predict.cpu_s}, ${v.predict.peak_resident_mb} / ${v.estimate.predict_mb} | ${(v.scores.wall_ms / 1000).toFixed(0)} / ${v.scores.cpu_s}, ${v.scores.peak_resident_mb} / ${v.estimate.scores_mb} | ${v.predict.load_average}, ${v.scores.load_average} |`,
    ),
  ];
}
