/**
 * Does keeping compiled graphs on disk pay? (issue #14). For the bench's random bert-base, the
 * forward graph and the integrated-gradient graph (16 tokens, steps 20, all layers), each timed in a
 * fresh process:
 *  - `built`: the session made from our emitted graph, reading the weights file (what the engine does);
 *  - `persisted`: the session made from the optimized model ONNX Runtime saved for that graph
 *    (`optimizedModelFilePath` with external initializers), with graph optimizations off;
 * plus the one-time cost of saving it and the size of what is saved.
 *
 *   npm run bench:sessions [-- --reps 5]     (writes bench/results-sessions.json)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readConfig } from '../engine/src/model/config';
import { buildForward, buildIntegratedGradients } from '../engine/src/model/graphs';
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

/** The graph's ONNX bytes, its weights placed in WORK/weights.bin in the order they come (written when `write`). */
function emitted(which: Which, write: boolean): Uint8Array {
  const { config } = readConfig(path.join(MODEL, 'config.json'));
  const weights = new Weights(new WeightStore([new SafetensorsFile(path.join(MODEL, 'model.safetensors'))]));
  const g =
    which === 'fwd'
      ? buildForward(config, weights, 16, undefined, true).graph
      : buildIntegratedGradients(config, weights, 16, 20, 0, config.layers - 1, false, true).graph;
  const indexFile = path.join(WORK, 'index.json');
  const index: Record<string, { offset: number; length: number }> = write ? {} : JSON.parse(fs.readFileSync(indexFile, 'utf8'));
  const fd = write ? fs.openSync(path.join(WORK, 'weights.bin'), 'w') : undefined;
  let end = 0;
  const bytes = emitModel(g, (w) => {
    if (!index[w.key]) {
      if (fd === undefined) throw new Error(`weight ${w.key} is not in the weights file`);
      const offset = Math.ceil(end / 64) * 64;
      index[w.key] = { offset, length: w.write(fd, offset) };
      end = offset + index[w.key].length;
    }
    return { location: 'weights.bin', ...index[w.key] };
  });
  if (fd !== undefined) {
    fs.closeSync(fd);
    fs.writeFileSync(indexFile, JSON.stringify(index));
  }
  return bytes;
}

/** One measurement, in this (fresh) process: session creation in ms. */
async function child(mode: Mode, which: Which): Promise<void> {
  const bytes = emitted(which, false);
  const external = { session: { disable_prepacking: '1', model_external_initializers_file_folder_path: WORK } };
  const saved = path.join(WORK, `${which}.optimized.onnx`);
  const t0 = performance.now();
  const s =
    mode === 'persisted'
      ? await ort.InferenceSession.create(saved, { ...OPTIONS, graphOptimizationLevel: 'disabled', extra: { session: { disable_prepacking: '1' } } })
      : await ort.InferenceSession.create(bytes, {
          ...OPTIONS,
          ...(mode === 'save' ? { optimizedModelFilePath: saved } : {}),
          extra:
            mode === 'save'
              ? {
                  session: {
                    ...external.session,
                    optimized_model_external_initializers_file_name: `${which}.optimized.data`,
                    optimized_model_external_initializers_min_size_in_bytes: '1024',
                  },
                }
              : external,
        });
  const ms = performance.now() - t0;
  await s.release();
  process.stdout.write(JSON.stringify({ ms }));
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
    return Math.round(JSON.parse(r.stdout).ms as number);
  };
  const results: Record<string, unknown> = { load_average: fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0], reps };
  for (const which of ['fwd', 'ig'] as const) {
    const saveMs = run('save', which);
    const built: number[] = [];
    const persisted: number[] = [];
    // Alternated, so that both see the same load.
    for (let i = 0; i < reps; i++) {
      built.push(run('built', which));
      persisted.push(run('persisted', which));
    }
    const size = (f: string) => fs.statSync(path.join(WORK, f)).size;
    results[which] = {
      built_ms: built,
      persisted_ms: persisted,
      built_median_ms: median(built),
      persisted_median_ms: median(persisted),
      save_once_ms: saveMs,
      saved_model_bytes: size(`${which}.optimized.onnx`),
      saved_initializers_bytes: size(`${which}.optimized.data`),
      weights_file_bytes: size('weights.bin'),
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
