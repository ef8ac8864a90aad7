/**
 * What keeping compiled graphs on disk saves (issue #14). For the bench's random bert-base, the
 * engine's any-length forward graph (suppress / enhance: 3 rows) and integrated-gradient graph (all
 * layers), each timed in a fresh process:
 *  - `built`: the session made from our emitted graph, reading the weights file (a first run);
 *  - `persisted`: the session made from the optimized model ONNX Runtime saved for that graph
 *    (`optimizedModelFilePath`; its weights stay references into the weights file), with graph
 *    optimizations off (what the engine does from the second process on: artifacts.ts, GraphFile);
 * plus the size of what is saved, and the time to build and emit the graph itself.
 *
 *   npm run bench:sessions [-- --reps 5]     (writes bench/results-sessions.json)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readConfig } from '../engine/src/model/config';
import { buildForward, buildIntegratedGradients } from '../engine/src/model/graphs';
import { SymbolicPlan } from '../engine/src/onnx/symbolic';
import { SafetensorsFile, WeightStore } from '../engine/src/model/safetensors';
import { Weights } from '../engine/src/model/weights';
import { emitModel } from '../engine/src/onnx/emit';
import { repoRoot } from '../test/helpers';
import { buildBertBase } from './run';

type Which = 'fwd' | 'ig';
type Mode = 'save' | 'built' | 'persisted';

const MODEL = path.join(repoRoot(), '.cache', 'bench', 'bert-base-random');
const WORK = path.join(repoRoot(), '.cache', 'bench', 'sessions');
const OPTIONS: ort.InferenceSession.SessionOptions = {
  graphOptimizationLevel: 'all',
  intraOpNumThreads: 0,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  enableCpuMemArena: true,
  enableMemPattern: false,
  executionProviders: ['cpu'],
  logSeverityLevel: 3,
};

/** The graph's ONNX bytes, its weights placed in WORK/weights.bin in the order they come (written when `write`); and the ms to build and emit it. */
function emitted(which: Which, write: boolean): { bytes: Uint8Array; ms: number } {
  const { config } = readConfig(path.join(MODEL, 'config.json'));
  const weights = new Weights(new WeightStore([new SafetensorsFile(path.join(MODEL, 'model.safetensors'))]));
  const t0 = performance.now();
  // The sizes the engine probes any-length graphs at (Model.anyLengthGraph).
  const { graph, plan } =
    which === 'fwd'
      ? SymbolicPlan.make(([T]) => buildForward(config, weights, T, undefined, false, 1, 3).graph, { names: ['T'], max: [512], low: [7], check: [11] })
      : SymbolicPlan.make(([T, m]) => buildIntegratedGradients(config, weights, T, m, 0, config.layers - 1).graph, {
          names: ['T', 'steps'],
          max: [512, 64],
          low: [7, 3],
          check: [11, 5],
        });
  const indexFile = path.join(WORK, 'index.json');
  const index: Record<string, { offset: number; length: number }> = write ? {} : JSON.parse(fs.readFileSync(indexFile, 'utf8'));
  const fd = write ? fs.openSync(path.join(WORK, 'weights.bin'), 'w') : undefined;
  let end = 0;
  const bytes = emitModel(
    graph,
    (w) => {
      if (!index[w.key]) {
        if (fd === undefined) throw new Error(`weight ${w.key} is not in the weights file`);
        const offset = Math.ceil(end / 64) * 64;
        index[w.key] = { offset, length: w.write(fd, offset) };
        end = offset + index[w.key].length;
      }
      return { location: 'weights.bin', ...index[w.key] };
    },
    {},
    plan,
  );
  const ms = performance.now() - t0;
  if (fd !== undefined) {
    fs.closeSync(fd);
    fs.writeFileSync(indexFile, JSON.stringify(index));
  }
  return { bytes, ms };
}

/** One measurement, in this (fresh) process: session creation in ms (and the graph's build and emission). */
async function child(mode: Mode, which: Which): Promise<void> {
  const { bytes, ms: buildMs } = emitted(which, false);
  const session = { disable_prepacking: '1', model_external_initializers_file_folder_path: WORK };
  const saved = path.join(WORK, `${which}.optimized.onnx`);
  const t0 = performance.now();
  const s =
    mode === 'persisted'
      ? await ort.InferenceSession.create(fs.readFileSync(saved), { ...OPTIONS, graphOptimizationLevel: 'disabled', extra: { session } })
      : await ort.InferenceSession.create(bytes, { ...OPTIONS, ...(mode === 'save' ? { optimizedModelFilePath: saved } : {}), extra: { session } });
  const ms = performance.now() - t0;
  await s.release();
  process.stdout.write(JSON.stringify({ ms, buildMs }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const repsAt = process.argv.indexOf('--reps');
  const reps = repsAt > 0 ? Number(process.argv[repsAt + 1]) : 5;
  buildBertBase(MODEL);
  fs.mkdirSync(WORK, { recursive: true });
  emitted('fwd', true);
  const run = (mode: Mode, which: Which) => {
    const r = spawnSync(process.execPath, [__filename, '--child', mode, which], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const { ms, buildMs } = JSON.parse(r.stdout) as { ms: number; buildMs: number };
    return { ms: Math.round(ms), buildMs: Math.round(buildMs) };
  };
  const results: Record<string, unknown> = { load_average: fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0], reps };
  for (const which of ['fwd', 'ig'] as const) {
    run('save', which);
    const built: number[] = [];
    const persisted: number[] = [];
    const graph: number[] = [];
    // Alternated, so that both see the same load.
    for (let i = 0; i < reps; i++) {
      const b = run('built', which);
      built.push(b.ms);
      graph.push(b.buildMs);
      persisted.push(run('persisted', which).ms);
    }
    const size = (f: string) => fs.statSync(path.join(WORK, f)).size;
    results[which] = {
      built_ms: built,
      persisted_ms: persisted,
      built_median_ms: median(built),
      persisted_median_ms: median(persisted),
      graph_build_and_emit_median_ms: median(graph),
      saved_model_bytes: size(`${which}.optimized.onnx`),
      weights_file_bytes: size('weights.bin'),
      files_written: fs.readdirSync(WORK).filter((f) => f.startsWith(`${which}.`)),
    };
  }
  results.load_average_after = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  console.log(JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(repoRoot(), 'bench', 'results-sessions.json'), JSON.stringify(results, null, 2) + '\n');
  fs.rmSync(WORK, { recursive: true, force: true });
}

if (process.argv[2] === '--child') void child(process.argv[3] as Mode, process.argv[4] as Which);
else
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
