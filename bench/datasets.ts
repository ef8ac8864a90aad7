/**
 * Scale figures for dataset runs: a synthetic dataset of N facts (default 2,000) on the embedded
 * bert-tiny-facts. One process (`kn find --out`): wall time, peak resident memory and resident memory
 * over the run (first vs last tenth: flat when results stream out instead of accumulating); then the
 * same over 4 Slurm shards plus the merge (wall time, and what the merge costs), when sbatch answers.
 *
 *   node out/bench/datasets.js [--facts 2000] [--steps 3] [--shards 4]
 * Writes bench/results-datasets.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const FACTS = arg('facts', 2000);
const STEPS = arg('steps', 3);
const SHARDS = arg('shards', 4);
const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'out/engine/src/cli/main.js');
const model = path.join(root, 'models/bert-tiny-facts');

const COUNTRIES = [
  ['France', 'Paris'],
  ['Germany', 'Berlin'],
  ['Japan', 'Tokyo'],
  ['Kenya', 'Nairobi'],
  ['Spain', 'Madrid'],
  ['Italy', 'Rome'],
];
function dataset(dir: string): string {
  const lines = ['@version 1'];
  for (let i = 0; i < FACTS; i++) {
    const [country, capital] = COUNTRIES[i % COUNTRIES.length];
    lines.push(
      `fact r${i % 7}-f${i} -> ${capital}`,
      `  The capital of ${country} is <mask>.`,
      `  ${'Everyone knows that '.repeat(i % 3)}the capital of ${country} is <mask>.`,
    );
  }
  const file = path.join(dir, 'synthetic.prompts');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

async function oneProcess(dir: string, file: string) {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [cli, 'find', file, '--model', model, '--device', 'cpu', '--steps', String(STEPS), '--out', path.join(dir, 'one.jsonl'), '--quiet'],
    { stdio: 'ignore' },
  );
  const samples: number[] = [];
  const timer = setInterval(() => {
    try {
      samples.push(rssKb(child.pid!));
    } catch {
      /* exited */
    }
  }, 250);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearInterval(timer);
  if (code !== 0) throw new Error(`kn find exited ${code}`);
  const tenth = Math.max(1, Math.floor(samples.length / 10));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length / 1024;
  return {
    seconds: (performance.now() - t0) / 1000,
    peak_rss_mb: Math.max(...samples) / 1024,
    rss_first_tenth_mb: mean(samples.slice(tenth, 2 * tenth)), // after the model is loaded
    rss_last_tenth_mb: mean(samples.slice(-tenth)),
    /** Mean resident memory in each tenth of the run: flat when nothing accumulates. */
    rss_by_tenth_mb: [...Array(10).keys()].map((k) => Math.round(mean(samples.slice(k * tenth, (k + 1) * tenth)))),
    samples: samples.length,
  };
}

async function slurm(dir: string, file: string) {
  if (spawnSync('sh', ['-c', 'command -v sbatch && sinfo -h']).status !== 0) return { skipped: 'no Slurm cluster answers (bash scripts/slurm-local.sh start)' };
  const t0 = performance.now();
  const r = spawnSync(
    'bash',
    [
      path.join(root, 'scripts/slurm/submit.sh'),
      String(SHARDS),
      path.join(dir, 'shards'),
      file,
      '--model',
      model,
      '--device',
      'cpu',
      '--steps',
      String(STEPS),
      '--quiet',
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, KN: `${process.execPath} ${cli}` },
    },
  );
  const merge = /merge (\d+)/.exec(r.stdout)?.[1];
  if (!merge) throw new Error(`submit failed: ${r.stderr}`);
  for (;;) {
    const state = /JobState=(\S+)/.exec(spawnSync('scontrol', ['show', 'job', '-o', merge], { encoding: 'utf8' }).stdout)?.[1];
    if (state === 'COMPLETED') break;
    if (state && /FAILED|CANCELLED/.test(state)) throw new Error(`merge job ${state}`);
    await new Promise((res) => setTimeout(res, 500));
  }
  const wall = (performance.now() - t0) / 1000;
  const shards = [...Array(SHARDS).keys()].map((k) => path.join(dir, 'shards', `shard-${k}.jsonl`));
  const m0 = performance.now();
  const m = spawnSync(process.execPath, [cli, 'merge', ...shards, '--out', path.join(dir, 'merged-again.jsonl')], { encoding: 'utf8' });
  if (m.status !== 0) throw new Error(m.stderr);
  const same = fs.readFileSync(path.join(dir, 'shards', 'all.jsonl'), 'utf8') === fs.readFileSync(path.join(dir, 'one.jsonl'), 'utf8');
  return { shards: SHARDS, cpus: os.cpus().length, wall_seconds: wall, merge_seconds: (performance.now() - m0) / 1000, merged_equals_one_process: same };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-bench-datasets-'));
  const file = dataset(dir);
  const one = await oneProcess(dir, file);
  const results = {
    facts: FACTS,
    prompts_per_fact: 2,
    steps: STEPS,
    model: 'bert-tiny-facts',
    machine: `${os.cpus()[0].model} × ${os.cpus().length}`,
    results_mb: fs.statSync(path.join(dir, 'one.jsonl')).size / 1e6,
    one_process: one,
    slurm: await slurm(dir, file),
  };
  console.log(JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(root, 'bench/results-datasets.json'), JSON.stringify(results, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
