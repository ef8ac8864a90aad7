/**
 * `npm run bench`: speed and memory, written to bench/results.json and summarised as a table.
 * Not a test: timings are medians of repeated runs on whatever machine runs it, and the ratios
 * between variants are measured in the same run.
 *
 *  - forward pass (ms) on each fixture and on a random-weight bert-base-sized model built here;
 *  - model load time; peak resident memory;
 *  - integrated gradients (steps 20) per prompt: the straightforward variant (each layer's steps
 *    run the whole model, as the reference does) against ours (prefix computed once, all layers ×
 *    steps in one batch), with the floating-point operations each performs and the GFLOP/s reached,
 *    against what ONNX Runtime reaches on one large MatMul;
 *  - how many steps each quadrature needs to come within 1% (relative L2) of a 256-step result;
 *  - first, the realistic workload: a cold `kn find` on 12 mixed-length prompts (bench/realistic.ts),
 *    and the same file saved in the language server (bench/languageServer.ts).
 *
 *  - then resident memory over a long file: a cold `kn find` on 200 mixed-length prompts, sampled
 *    as it runs (bench/memoryGrowth.ts).
 *
 * Flags: --realistic-only (only the realistic rows), --memory-growth (only the long file's memory),
 * --language-server-only (only the language server's rows), --no-language-server, --shapes bert-base,… , --no-torch (skip
 * the PyTorch reference), --device webgpu|cuda.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadModel, Model } from '../engine/src/index';
import { IG_MEMORY_BUDGET, igPlan, igRunBytes } from '../engine/src/model/memory';
import { Graph } from '../engine/src/graph/ir';
import { buildIntegratedGradients } from '../engine/src/model/graphs';
import { CompiledGraph, Runtime } from '../engine/src/runtime';
import { ScratchWeights } from '../engine/src/scratch';
import { quadrature } from '../engine/src/quadrature';
import type { Device, Quadrature } from '../engine/src/types';
import { countFlops } from './flops';
import { realisticSummary, realisticWorkload, SHAPES } from './realistic';
import { REAL_SHAPES, realShapeRun, realShapesSummary } from './shapes';
import type { WeightStorage } from '../engine/src/types';
import { languageServerSummary, languageServerWorkload } from './languageServer';
import { memoryGrowthSummary, memoryGrowthWorkload } from './memoryGrowth';
import { encodeSafetensors, Tensors, wordTokenizer, writeSafetensorsStreaming } from '../test/synthetic';
import { fixturesDir, repoRoot, rng } from '../test/helpers';

const argv = process.argv.slice(2);
const args = new Set(argv);
const QUICK = args.has('--quick');
/** `--device webgpu|cuda`: the accelerator section instead of the CPU one (results-<device>.json). */
const DEVICE = argv.includes('--device') ? (argv[argv.indexOf('--device') + 1] as Device) : undefined;
const REPEATS = QUICK ? 2 : 5;

const log = (s: string) => process.stderr.write(s + '\n');

interface Timing {
  median_ms: number;
  min_ms: number;
  max_ms: number;
  runs: number;
}

async function time(fn: () => Promise<unknown>, repeats = REPEATS): Promise<Timing> {
  await fn(); // warm-up: session creation and first-run allocations are not what we measure
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median_ms: ms[Math.floor(ms.length / 2)], min_ms: ms[0], max_ms: ms[ms.length - 1], runs: ms.length };
}

/**
 * A random-weight BertForMaskedLM of bert-base size (12 × 3072, hidden 768, vocab 30522; or another
 * vocabulary: mBERT's 119,547, XLM-R base's 250,002).
 */
export function buildBertBase(dir: string, V = 30522): void {
  if (fs.existsSync(path.join(dir, 'model.safetensors'))) return;
  fs.mkdirSync(dir, { recursive: true });
  const H = 768,
    F = 3072,
    L = 12;
  const r = rng(1);
  const t: Tensors = {};
  const put = (name: string, shape: number[], sd = 0.02, mean = 0) => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = mean + sd * (r() * 2 - 1) * 1.7;
    t[name] = { shape, data };
  };
  put('bert.embeddings.word_embeddings.weight', [V, H]);
  put('bert.embeddings.position_embeddings.weight', [512, H]);
  put('bert.embeddings.token_type_embeddings.weight', [2, H]);
  put('bert.embeddings.LayerNorm.weight', [H], 0, 1);
  put('bert.embeddings.LayerNorm.bias', [H], 0);
  for (let l = 0; l < L; l++) {
    const p = `bert.encoder.layer.${l}`;
    for (const n of ['query', 'key', 'value']) {
      put(`${p}.attention.self.${n}.weight`, [H, H]);
      put(`${p}.attention.self.${n}.bias`, [H], 0);
    }
    put(`${p}.attention.output.dense.weight`, [H, H]);
    put(`${p}.attention.output.dense.bias`, [H], 0);
    put(`${p}.attention.output.LayerNorm.weight`, [H], 0, 1);
    put(`${p}.attention.output.LayerNorm.bias`, [H], 0);
    put(`${p}.intermediate.dense.weight`, [F, H]);
    put(`${p}.intermediate.dense.bias`, [F], 0);
    put(`${p}.output.dense.weight`, [H, F]);
    put(`${p}.output.dense.bias`, [H], 0);
    put(`${p}.output.LayerNorm.weight`, [H], 0, 1);
    put(`${p}.output.LayerNorm.bias`, [H], 0);
  }
  put('cls.predictions.transform.dense.weight', [H, H]);
  put('cls.predictions.transform.dense.bias', [H], 0);
  put('cls.predictions.transform.LayerNorm.weight', [H], 0, 1);
  put('cls.predictions.transform.LayerNorm.bias', [H], 0);
  put('cls.predictions.bias', [V], 0);
  fs.writeFileSync(path.join(dir, 'model.safetensors'), encodeSafetensors(t));
  const config = JSON.parse(fs.readFileSync(path.join(fixturesDir(), 'bert-tiny-facts/config.json'), 'utf8'));
  Object.assign(config, { hidden_size: H, intermediate_size: F, num_hidden_layers: L, num_attention_heads: 12, vocab_size: V, max_position_embeddings: 512 });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  const base = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'capital', 'of', 'france', 'is', 'a', 'city', 'in', 'europe', 'and', 'paris', '.'];
  const words = [...base, ...Array.from({ length: V - base.length }, (_, i) => `w${i}`)];
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(wordTokenizer(words)));
  fs.copyFileSync(path.join(fixturesDir(), 'bert-tiny-facts/tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
}

/**
 * A random-weight BERT whose float32 weights exceed 2 GB (48 layers × hidden 1024 × FFN 4096,
 * about 620 M parameters): it can only load through ONNX external data.
 */
function buildLargeBert(dir: string): void {
  if (fs.existsSync(path.join(dir, 'model.safetensors'))) return;
  fs.mkdirSync(dir, { recursive: true });
  const H = 1024,
    F = 4096,
    L = 48,
    V = 1000;
  const specs: { name: string; shape: number[] }[] = [];
  const add = (name: string, shape: number[]) => specs.push({ name, shape });
  add('bert.embeddings.word_embeddings.weight', [V, H]);
  add('bert.embeddings.position_embeddings.weight', [512, H]);
  add('bert.embeddings.token_type_embeddings.weight', [2, H]);
  add('bert.embeddings.LayerNorm.weight', [H]);
  add('bert.embeddings.LayerNorm.bias', [H]);
  for (let l = 0; l < L; l++) {
    const p = `bert.encoder.layer.${l}`;
    for (const n of ['query', 'key', 'value']) {
      add(`${p}.attention.self.${n}.weight`, [H, H]);
      add(`${p}.attention.self.${n}.bias`, [H]);
    }
    add(`${p}.attention.output.dense.weight`, [H, H]);
    add(`${p}.attention.output.dense.bias`, [H]);
    add(`${p}.attention.output.LayerNorm.weight`, [H]);
    add(`${p}.attention.output.LayerNorm.bias`, [H]);
    add(`${p}.intermediate.dense.weight`, [F, H]);
    add(`${p}.intermediate.dense.bias`, [F]);
    add(`${p}.output.dense.weight`, [H, F]);
    add(`${p}.output.dense.bias`, [H]);
    add(`${p}.output.LayerNorm.weight`, [H]);
    add(`${p}.output.LayerNorm.bias`, [H]);
  }
  add('cls.predictions.transform.dense.weight', [H, H]);
  add('cls.predictions.transform.dense.bias', [H]);
  add('cls.predictions.transform.LayerNorm.weight', [H]);
  add('cls.predictions.transform.LayerNorm.bias', [H]);
  add('cls.predictions.bias', [V]);
  const r = rng(2);
  writeSafetensorsStreaming(path.join(dir, 'model.safetensors'), specs, (name, data) => {
    if (name.endsWith('LayerNorm.weight')) data.fill(1);
    else if (!name.endsWith('bias')) for (let i = 0; i < data.length; i++) data[i] = 0.03 * (r() * 2 - 1);
  });
  const config = JSON.parse(fs.readFileSync(path.join(fixturesDir(), 'bert-tiny-facts/config.json'), 'utf8'));
  Object.assign(config, { hidden_size: H, intermediate_size: F, num_hidden_layers: L, num_attention_heads: 16, vocab_size: V, max_position_embeddings: 512 });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  const base = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'capital', 'of', 'france', 'is', 'paris', '.'];
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(wordTokenizer([...base, ...Array.from({ length: V - base.length }, (_, i) => `w${i}`)])));
  fs.copyFileSync(path.join(fixturesDir(), 'bert-tiny-facts/tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
}

/** Integrated gradients for one prompt, straightforward (one run per layer, whole model) or ours (one run). */
async function igVariants(model: Model, prompt: string, answer: string, steps: number, device: Device = 'cpu') {
  const enc = model.encode(prompt, answer);
  const T = enc.ids.length;
  const cfg = model.config;
  const rule = quadrature('reference', steps);
  const rt = await Runtime.open({ device });
  // Weights through mapped external data, as the engine itself loads them.
  const external = new ScratchWeights();
  const target = new Float32Array(cfg.vocab);
  target[enc.answerIds[0]] = 1;
  const onehot = new Float32Array(T);
  onehot[enc.positions[0]] = 1;
  const compile = async (first: number, last: number, naive: boolean) => {
    const spec = buildIntegratedGradients(cfg, model.weights, T, steps, first, last, naive);
    return { spec, compiled: await CompiledGraph.create(spec.graph, rt, external), flops: countFlops(spec.graph) };
  };
  const feeds = (spec: ReturnType<typeof buildIntegratedGradients>) =>
    new Map<any, any>([
      [spec.ids, enc.ids],
      [spec.position, onehot],
      [spec.target, target],
      [spec.alphas, rule.alphas],
      [spec.weights, rule.weights],
    ]);
  const naive: Awaited<ReturnType<typeof compile>>[] = [];
  for (let l = 0; l < cfg.layers; l++) naive.push(await compile(l, l, true));
  const ours = await compile(0, cfg.layers - 1, false);
  const naiveTiming = await time(async () => {
    for (const n of naive) await n.compiled.run(feeds(n.spec));
  });
  const oursTiming = await time(() => ours.compiled.run(feeds(ours.spec)));
  // Same numbers from both: the variant changes the work, not the result.
  const a = (await ours.compiled.run(feeds(ours.spec))).get(ours.spec.scores) as Float32Array;
  let maxDiff = 0;
  let maxAbs = 0;
  for (let l = 0; l < cfg.layers; l++) {
    const b = (await naive[l].compiled.run(feeds(naive[l].spec))).get(naive[l].spec.scores) as Float32Array;
    for (let i = 0; i < cfg.ffn; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[l * cfg.ffn + i] - b[i]));
      maxAbs = Math.max(maxAbs, Math.abs(b[i]));
    }
  }
  const naiveFlops = naive.reduce((s, n) => s + n.flops, 0);
  for (const n of naive) await n.compiled.dispose();
  await ours.compiled.dispose();
  external.dispose();
  return {
    tokens: T,
    scores: a,
    straightforward: { ...naiveTiming, gflop: naiveFlops / 1e9, gflops_per_s: naiveFlops / 1e6 / naiveTiming.median_ms },
    ours: { ...oursTiming, gflop: ours.flops / 1e9, gflops_per_s: ours.flops / 1e6 / oursTiming.median_ms },
    speedup: naiveTiming.median_ms / oursTiming.median_ms,
    max_relative_difference: maxDiff / maxAbs,
  };
}

function withoutScores<T extends { scores: unknown }>(r: T): Omit<T, 'scores'> {
  const { scores: _, ...rest } = r;
  return rest;
}

function relativeDifference(a: Float32Array | number[], b: Float32Array | number[]): number {
  let diff = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    max = Math.max(max, Math.abs(b[i]));
  }
  return diff / max;
}

/**
 * Peak memory (MB) of a fresh process that loads the model and scores three prompts: resident (VmHWM
 * from /proc; getrusage's maxrss of a child inherits the forking parent's high-water mark) and
 * anonymous (RssAnon, sampled every 2 ms by a worker thread). Resident memory also counts the
 * weights' mapped file once per ONNX Runtime session that maps it, though the page cache holds
 * them once; anonymous memory is what the integrated-gradient run allocates, next to its estimate.
 */
function scoresPeakMemory(dir: string, prompt: string, estimateBytes: number) {
  const script = `const { Worker } = require('node:worker_threads');
    const peak = new Int32Array(new SharedArrayBuffer(4));
    new Worker("const { workerData } = require('node:worker_threads'); const fs = require('node:fs'); const p = new Int32Array(workerData); setInterval(() => { const kb = parseInt(fs.readFileSync('/proc/self/status', 'utf8').split('RssAnon:')[1], 10); if (kb > p[0]) p[0] = kb; }, 2);", { eval: true, workerData: peak.buffer }).unref();
    const { loadModel } = require(${JSON.stringify(path.join(repoRoot(), 'out/engine/src/index.js'))});
    (async () => { const m = await loadModel(${JSON.stringify(dir)}, { device: 'cpu' });
      for (let i = 0; i < 3; i++) await m.scores(${JSON.stringify(prompt)}, 'paris', { steps: 20 });
      await new Promise((r) => setTimeout(r, 20));
      const hwm = parseInt(require('node:fs').readFileSync('/proc/self/status', 'utf8').split('VmHWM:')[1], 10);
      process.stdout.write(JSON.stringify({ hwm, anon: peak[0] })); })();`;
  const out = JSON.parse(require('node:child_process').execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
  return {
    peak_resident_mb: Math.round(out.hwm / 1024),
    peak_anonymous_mb: Math.round(out.anon / 1024),
    ig_run_estimate_mb: Math.round(estimateBytes / 2 ** 20),
  };
}

/**
 * bench/torch_reference.py on this machine's CPU, where PyTorch and transformers are installed
 * (never in CI): the reference algorithm on the same model and prompt (ig-cpu.json), for a ratio
 * measured in the same run. Undefined, with the reason logged, elsewhere.
 */
function pytorchReference(): Record<string, any> | undefined {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const script = path.join(repoRoot(), 'bench', 'torch_reference.py');
  if (!hasPytorch()) {
    log('  PyTorch and transformers are not installed: no PyTorch baseline in this run');
    return undefined;
  }
  log('  the PyTorch reference on the same model and prompt (bench/torch_reference.py)…');
  const r = spawnSync('python3', [script], {
    encoding: 'utf8',
    env: { ...process.env, REPEATS: QUICK ? '1' : '3', CUDA_VISIBLE_DEVICES: '' },
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) {
    log(`  bench/torch_reference.py failed: ${r.stderr.trim().split('\n').pop()}`);
    return undefined;
  }
  return JSON.parse(r.stdout);
}

function hasPytorch(): boolean {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  return spawnSync('python3', ['-c', 'import torch, transformers'], { stdio: 'ignore' }).status === 0;
}

/** GFLOP/s of one large float32 MatMul through onnxruntime-node: the ceiling the IG run is compared with. */
async function matmulCeiling(): Promise<{ shape: string; gflops_per_s: number; timing: Timing }> {
  const [M, K, N] = [2048, 768, 3072];
  const g = new Graph();
  const a = g.input('a', [M, K]);
  const r = rng(5);
  const w = g.weight('w', [K, N], { kind: 'inline', data: Float32Array.from({ length: K * N }, () => r()) });
  g.output('y', g.matmul(a, w));
  const compiled = await CompiledGraph.create(g, await Runtime.open({ device: 'cpu' }));
  const x = Float32Array.from({ length: M * K }, () => r());
  const timing = await time(() => compiled.run(new Map([[a, x]])), 3 * REPEATS);
  await compiled.dispose();
  // A ceiling: the best run, not the median.
  return { shape: `${M}×${K} · ${K}×${N}`, gflops_per_s: (2 * M * K * N) / 1e6 / timing.min_ms, timing };
}

/** Steps each quadrature needs to come within 1% (relative L2 over the matrix) of a 256-step result. */
async function quadratureSteps(model: Model, prompts: [string, string][]) {
  const out: Record<string, number[]> = { reference: [], midpoint: [], 'gauss-legendre': [] };
  const candidates = [2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64, 96, 128, 192, 256];
  for (const [prompt, answer] of prompts) {
    const enc = model.encode(prompt, answer);
    const run = (q: Quadrature, steps: number) =>
      model.igScores(enc.ids, enc.positions[0], enc.answerIds[0], steps, { quadrature: q, batchSize: Math.max(steps, 64) });
    const exact = (await run('gauss-legendre', 256)).scores.flat();
    const norm = Math.hypot(...exact);
    for (const q of Object.keys(out) as Quadrature[]) {
      let needed = NaN;
      for (const steps of candidates) {
        const s = (await run(q, steps)).scores.flat();
        if (Math.hypot(...s.map((x, i) => x - exact[i])) / norm <= 0.01) {
          needed = steps;
          break;
        }
      }
      out[q].push(needed);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([q, xs]) => [q, { per_prompt: xs, median: [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] }]));
}

// 11 tokens: the issue's workload, and the length its PyTorch timing was taken at.
const BERT_BASE_PROMPT = 'the capital of france is <mask> . a city in europe';

/**
 * The bert-base-sized workload on one device: load, forward pass, integrated gradients (both
 * variants, with our scores), and `model.scores` end to end.
 */
async function bertBaseOn(dir: string, device: Device) {
  const { model, enc, forward } = await loadAndForward(dir, BERT_BASE_PROMPT, 'paris', device);
  const ig = await igVariants(model, BERT_BASE_PROMPT, 'paris', 20, device);
  if (device === 'cpu') {
    // For bench/torch_reference.py: the same prompt and our CPU scores, to compare with PyTorch's.
    const spec = { ids: enc.ids, position: enc.positions[0], target: enc.answerIds[0], steps: 20, scores: Array.from(ig.scores) };
    fs.writeFileSync(path.join(dir, 'ig-cpu.json'), JSON.stringify(spec));
  }
  log('  end to end through the public API (model.scores)…');
  const endToEnd = await time(() => model.scores(BERT_BASE_PROMPT, 'paris', { steps: 20 }), QUICK ? 1 : 5);
  const plan = igPlan(model.config, enc.ids.length, 20, IG_MEMORY_BUDGET.cpu);
  const igEstimateBytes = igRunBytes(model.config, enc.ids.length, plan.steps, 0, plan.layers - 1);
  await model.dispose();
  return { forward, ig, endToEnd, igEstimateBytes };
}

/** Loads a model (timed) and times its forward pass on one prompt. */
async function loadAndForward(dir: string, prompt: string, answer: string, device: Device) {
  const t0 = performance.now();
  const model = await loadModel(dir, { device });
  const loadMs = performance.now() - t0;
  const enc = model.encode(prompt, answer);
  const ones = new Float32Array(model.config.layers * model.config.ffn).fill(1);
  const forward = { ...(await time(() => model.runForward(enc.ids, enc.positions[0], ones))), tokens: enc.ids.length, load_ms: loadMs };
  return { model, enc, forward };
}

/**
 * The accelerator section (`--device webgpu|cuda`): the bert-base-sized workload on the CPU and on
 * the device in one run (forward, integrated gradients straightforward vs ours, `model.scores`
 * end to end), the device's scores against the CPU's, and every fixture's scores on both.
 */
async function deviceMain(device: Device, results: Record<string, any>) {
  const dir = path.join(repoRoot(), '.cache', 'bench', 'bert-base-random');
  buildBertBase(dir);
  const perDevice: Record<string, unknown> = {};
  let cpuScores: Float32Array | undefined;
  for (const dev of ['cpu', device] as Device[]) {
    log(`bert-base-sized random model on ${dev}…`);
    const {
      forward,
      ig: { scores, ...ig },
      endToEnd,
    } = await bertBaseOn(dir, dev);
    cpuScores ??= scores;
    perDevice[dev] = {
      load_ms: forward.load_ms,
      forward_ms: forward,
      integrated_gradients: ig,
      scores_end_to_end_ms: endToEnd,
      scores_relative_difference_to_cpu: relativeDifference(scores, cpuScores),
    };
  }
  results.bert_base_random = perDevice;
  const fixtures: Record<string, unknown> = {};
  for (const [name, [prompt, answer]] of Object.entries(FIXTURE_PROMPTS)) {
    const on = async (dev: Device) => {
      const m = await loadModel(path.join(fixturesDir(), name), { device: dev });
      const p = (await m.predict(prompt, answer)).p_target;
      const s = (await m.scores(prompt, answer, { steps: 20 })).scores.flat();
      await m.dispose();
      return { p, s };
    };
    const [c, d] = [await on('cpu'), await on(device)];
    fixtures[name] = { p_target_difference: Math.abs(c.p - d.p), scores_relative_difference: relativeDifference(d.s, c.s) };
  }
  results.fixtures_device_vs_cpu = fixtures;
}

const FIXTURE_PROMPTS: Record<string, [string, string]> = {
  'bert-tiny-facts': ['The capital of France is <mask>.', 'Paris'],
  'xlmr-tiny-facts': ['The capital of France is <mask>.', 'Paris'],
  'gpt2-tiny-facts': ['The capital of France is', 'Paris'],
  'llama-stories260k': ['Once upon a time, there was a little girl named', 'Lily'],
};

async function main() {
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memory_gb: +(os.totalmem() / 2 ** 30).toFixed(1),
      platform: `${os.platform()} ${os.arch()}`,
      node: process.version,
    },
    versions: { 'onnxruntime-node': require('onnxruntime-node/package.json').version },
  };
  if (DEVICE) {
    await deviceMain(DEVICE, results);
    const file = path.join(repoRoot(), 'bench', `results-${DEVICE}.json`);
    writeAtomically(file, results);
    process.stdout.write(deviceSummary(results) + `\n\nwritten to ${path.relative(process.cwd(), file)}\n`);
    return;
  }

  if (args.has('--language-server-only')) {
    const file = path.join(repoRoot(), 'bench', 'results.json');
    const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    const languageServer = { 'bert-base': await languageServerWorkload('bert-base', log) };
    writeAtomically(file, { ...previous, language_server: { ...previous.language_server, ...languageServer } });
    process.stdout.write(languageServerSummary(languageServer, previous.realistic ?? {}).join('\n') + '\n');
    return;
  }

  if (args.has('--memory-growth')) {
    log('memory over a long file: cold kn find on 200 mixed-length prompts…');
    const growth = await memoryGrowthWorkload(log);
    // The other sections stay as the last full run wrote them.
    const file = path.join(repoRoot(), 'bench', 'results.json');
    const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    writeAtomically(file, { ...previous, memory_growth: { ...growth, date: results.date } });
    process.stdout.write(memoryGrowthSummary(growth).join('\n') + '\n');
    return;
  }

  // First, what researchers run: a cold `kn find` on a file of mixed lengths, per vocabulary; then
  // (named in --shapes only: they need PyTorch to build, and minutes each) the real shapes of released
  // checkpoints, `NAME` or `NAME:int16` / `NAME:int8`, scored with 20 steps or --steps N.
  const shapes = argv.includes('--shapes') ? argv[argv.indexOf('--shapes') + 1].split(',') : Object.keys(SHAPES);
  for (const s of shapes)
    if (!(s in SHAPES) && !(s.replace(/:int(8|16)$/, '') in REAL_SHAPES))
      throw new Error(`--shapes: unknown shape ${s} (${[...Object.keys(SHAPES), ...Object.keys(REAL_SHAPES)].join(', ')})`);
  const withTorch = !args.has('--no-torch') && hasPytorch();
  const realistic: Record<string, unknown> = {};
  const realShapes: Record<string, unknown> = {};
  for (const shape of shapes) {
    if (shape in SHAPES) {
      log('realistic workload: cold kn find on mixed lengths…');
      realistic[shape] = realisticWorkload(shape, log, withTorch);
    } else if (withTorch) {
      const [name, weights] = shape.split(':');
      const steps = argv.includes('--steps') ? Number(argv[argv.indexOf('--steps') + 1]) : 20;
      realShapes[steps === 20 ? shape : `${shape} steps ${steps}`] = realShapeRun(name, log, (weights ?? 'float32') as WeightStorage, steps);
    } else log(`  ${shape}: PyTorch and transformers are needed to build it; skipped`);
  }
  if (Object.keys(realistic).length) results.realistic = realistic;
  if (Object.keys(realShapes).length) results.real_shapes = realShapes;
  // … and the same file in the language server, as an editor runs it (bert-base's vocabulary)
  const languageServer: Record<string, unknown> = {};
  if (shapes.includes('bert-base') && !args.has('--no-language-server')) {
    log('realistic workload in the language server…');
    languageServer['bert-base'] = await languageServerWorkload('bert-base', log);
    results.language_server = languageServer;
  }
  if (!args.has('--realistic-only') && shapes.includes('bert-base')) {
    log('memory over a long file: cold kn find on 200 mixed-length prompts…');
    results.memory_growth = await memoryGrowthWorkload(log);
  }
  if (args.has('--realistic-only')) {
    // The other sections stay as the last full run wrote them.
    const file = path.join(repoRoot(), 'bench', 'results.json');
    const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    writeAtomically(file, {
      ...previous,
      ...results,
      realistic: { ...previous.realistic, ...realistic },
      real_shapes: { ...previous.real_shapes, ...realShapes },
      language_server: { ...previous.language_server, ...languageServer },
    });
    process.stdout.write(
      [...realisticSummary(realistic), '', ...languageServerSummary(languageServer, realistic), '', ...realShapesSummary(realShapes)].join('\n') + '\n',
    );
    return;
  }

  const forward: Record<string, Timing & { tokens: number; load_ms: number }> = {};
  const ig: Record<string, unknown> = {};
  for (const [name, [prompt, answer]] of Object.entries(FIXTURE_PROMPTS)) {
    log(`fixture ${name}…`);
    const { model, forward: f } = await loadAndForward(path.join(fixturesDir(), name), prompt, answer, 'cpu');
    forward[name] = f;
    ig[name] = withoutScores(await igVariants(model, prompt, answer, 20));
    if (name === 'bert-tiny-facts')
      results.quadrature_steps_to_1pct = await quadratureSteps(model, [
        ['The capital of France is <mask>.', 'Paris'],
        ['Everyone knows that the capital of Germany is <mask>.', 'Berlin'],
        ['Children in Spain learn <mask> at school.', 'Spanish'],
        ['La langue officielle de la France est le <mask>.', 'français'],
        ['The seat of government of Japan is <mask>.', 'Tokyo'],
      ]);
    await model.dispose();
  }

  log('bert-base-sized random model…');
  const dir = path.join(repoRoot(), '.cache', 'bench', 'bert-base-random');
  buildBertBase(dir);
  const base = await bertBaseOn(dir, 'cpu');
  forward['bert-base-random'] = base.forward;
  ig['bert-base-random'] = withoutScores(base.ig);
  const endToEnd = base.endToEnd;
  results.forward_ms = forward;
  results.integrated_gradients = ig;
  results.scores_end_to_end_ms = { 'bert-base-random': endToEnd };
  results.matmul_ceiling = await matmulCeiling();
  const igBase = ig['bert-base-random'] as { ours: { gflops_per_s: number } };
  results.efficiency = {
    ig_gflops_per_s: igBase.ours.gflops_per_s,
    fraction_of_matmul_ceiling: igBase.ours.gflops_per_s / (results.matmul_ceiling as { gflops_per_s: number }).gflops_per_s,
  };
  results.memory_scores_bert_base = scoresPeakMemory(dir, BERT_BASE_PROMPT, base.igEstimateBytes);
  const torch = pytorchReference();
  if (torch) results.pytorch_reference_cpu = { ...torch, scores_end_to_end_speedup: torch.reference_ig_ms.median_ms / endToEnd.median_ms };

  if (args.has('--large')) {
    log('random BERT over 2 GB (external data)…');
    const largeDir = path.join(repoRoot(), '.cache', 'bench', 'bert-large-2gb');
    buildLargeBert(largeDir);
    const t1 = performance.now();
    const large = await loadModel(largeDir, { device: 'cpu' });
    const loaded = performance.now() - t1;
    const t2 = performance.now();
    const first = await large.predict('the capital of france is <mask> .', 'paris');
    const firstMs = performance.now() - t2;
    const timing = await time(() => large.predict('the capital of france is <mask> .', 'paris'), 3);
    results.large_model = {
      parameters: large.weights.store.parameterCount(),
      weights_gb: +((4 * large.weights.store.parameterCount()) / 2 ** 30).toFixed(2),
      load_ms: loaded,
      first_prediction_ms: firstMs,
      prediction_ms: timing,
      p_target: first.p_target,
    };
    await large.dispose();
  }

  const file = path.join(repoRoot(), 'bench', 'results.json');
  writeAtomically(file, results);
  process.stdout.write(summary(results) + `\n\nwritten to ${path.relative(process.cwd(), file)}\n`);
}

function writeAtomically(file: string, results: unknown): void {
  fs.writeFileSync(file + '.tmp', JSON.stringify(results, null, 2) + '\n');
  fs.renameSync(file + '.tmp', file);
}

export function deviceSummary(r: any): string {
  return [
    `machine: ${r.machine.cpu} × ${r.machine.cpus}, Node ${r.machine.node}, onnxruntime-node ${r.versions['onnxruntime-node']}`,
    '',
    '| bert-base-random, steps 20 | forward (ms) | IG straightforward (ms) | IG ours (ms) | GFLOP/s ours | scores end to end (ms) | scores vs CPU (max rel.) |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries<any>(r.bert_base_random).map(
      ([k, v]) =>
        `| ${k} | ${v.forward_ms.median_ms.toFixed(1)} | ${v.integrated_gradients.straightforward.median_ms.toFixed(0)} | ${v.integrated_gradients.ours.median_ms.toFixed(1)} | ${v.integrated_gradients.ours.gflops_per_s.toFixed(0)} | ${v.scores_end_to_end_ms.median_ms.toFixed(0)} | ${v.scores_relative_difference_to_cpu.toExponential(1)} |`,
    ),
    '',
    ...Object.entries<any>(r.fixtures_device_vs_cpu).map(
      ([k, v]) => `${k}: |Δp| ${v.p_target_difference.toExponential(1)}, scores max rel. difference ${v.scores_relative_difference.toExponential(1)}`,
    ),
  ].join('\n');
}

export function summary(r: any): string {
  const rows = [
    `machine: ${r.machine.cpu} × ${r.machine.cpus}, ${r.machine.memory_gb} GiB, Node ${r.machine.node}, onnxruntime-node ${r.versions['onnxruntime-node']}`,
    '',
    ...(r.realistic ? [...realisticSummary(r.realistic), ''] : []),
    ...(r.language_server ? [...languageServerSummary(r.language_server, r.realistic ?? {}), ''] : []),
    ...(r.real_shapes ? [...realShapesSummary(r.real_shapes), ''] : []),
    ...(r.memory_growth ? [...memoryGrowthSummary(r.memory_growth), ''] : []),
    ...(r.realistic || r.real_shapes ? ['Single shape, warm process (one prompt repeated):', ''] : []),
    '| model | tokens | load (ms) | forward (ms, median) |',
    '|---|---|---|---|',
    ...Object.entries<any>(r.forward_ms).map(([k, v]) => `| ${k} | ${v.tokens} | ${v.load_ms.toFixed(0)} | ${v.median_ms.toFixed(2)} |`),
    '',
    '| integrated gradients, steps 20, per prompt | straightforward (ms) | ours (ms) | speed-up | GFLOP straightforward → ours | GFLOP/s ours |',
    '|---|---|---|---|---|---|',
    ...Object.entries<any>(r.integrated_gradients).map(
      ([k, v]) =>
        `| ${k} (${v.tokens} tokens) | ${v.straightforward.median_ms.toFixed(0)} | ${v.ours.median_ms.toFixed(0)} | ${v.speedup.toFixed(2)}× | ${v.straightforward.gflop.toFixed(1)} → ${v.ours.gflop.toFixed(1)} | ${v.ours.gflops_per_s.toFixed(1)} |`,
    ),
    '',
    `kn scores end to end on bert-base-random: ${r.scores_end_to_end_ms['bert-base-random'].median_ms.toFixed(0)} ms per prompt (median)` +
      (r.pytorch_reference_cpu
        ? `; the PyTorch reference on the same model and prompt: ${r.pytorch_reference_cpu.reference_ig_ms.median_ms.toFixed(0)} ms (${r.pytorch_reference_cpu.scores_end_to_end_speedup.toFixed(2)}× slower; scores vs float64: ours ${r.pytorch_reference_cpu.max_relative_error_vs_float64.ours_cpu_float32.toExponential(1)}, PyTorch's ${r.pytorch_reference_cpu.max_relative_error_vs_float64.reference_float32.toExponential(1)} × max)`
        : ''),
    `a process that loads it and scores 3 prompts: peak resident ${r.memory_scores_bert_base.peak_resident_mb} MB, peak anonymous ${r.memory_scores_bert_base.peak_anonymous_mb} MB (integrated-gradient run estimated at ${r.memory_scores_bert_base.ig_run_estimate_mb} MB)`,
    `large MatMul (${r.matmul_ceiling.shape}): ${r.matmul_ceiling.gflops_per_s.toFixed(1)} GFLOP/s; IG reaches ${(100 * r.efficiency.fraction_of_matmul_ceiling).toFixed(0)}% of it`,
    `steps to come within 1% of a 256-step result (median over 5 prompts): ${Object.entries<any>(r.quadrature_steps_to_1pct)
      .map(([q, v]) => `${q} ${v.median}`)
      .join(', ')}`,
    ...(r.large_model
      ? [
          `model over 2 GB (${r.large_model.weights_gb} GiB of float32 weights) through external data: first prediction ${(r.large_model.first_prediction_ms / 1000).toFixed(1)} s (graph build + weights file), then ${r.large_model.prediction_ms.median_ms.toFixed(0)} ms`,
        ]
      : []),
  ];
  return rows.join('\n');
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
