/**
 * Do larger integrated-gradient runs pay? (issue #14: "batch prompts together where it pays").
 * Two prompts of one length in one run would multiply the same weight matrices by twice as many
 * rows, exactly as twice the steps of one prompt in one run do; so the size of a run is measured
 * through the working-memory budget that sets how many steps a run holds (`igPlan`,
 * IG_MEMORY_BUDGET.cpu, 320 MB in the engine). For the bench's random bert-base, prompts of 8, 16
 * and 24 tokens, 20 steps, each budget in a fresh process started as `kn` starts (huge pages where
 * the kernel gives them on request): the first prompt (session build and first run) and the later
 * ones (warm), wall clock and CPU time, medians.
 *
 *   npm run bench:runs [-- --reps 3 --budgets 160,320,640,1280]     (writes bench/results-runs.json)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withHugePages } from '../engine/src/hugePages';
import { loadModel } from '../engine/src/index';
import { IG_MEMORY_BUDGET, igPlan } from '../engine/src/model/memory';
import { repoRoot } from '../test/helpers';
import { buildBertBase } from './run';

const MODEL = path.join(repoRoot(), '.cache', 'bench', 'bert-base-random');
const LENGTHS = [8, 16, 24];

/** A prompt of n tokens for the bench's word-level tokenizer (one token per word, no special tokens). */
const prompt = (n: number) => ['the', 'capital', 'of', 'france', 'is', '<mask>', ...Array.from({ length: n - 7 }, (_, i) => `w${i}`), '.'].join(' ');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** In the child: one budget, one length; the first prompt and `reps` warm ones. */
async function child(budgetMb: number, tokens: number, reps: number): Promise<void> {
  // The bench's knob: the engine's budget, set before the model plans any run.
  IG_MEMORY_BUDGET.cpu = budgetMb * 1e6;
  const model = await loadModel(MODEL, { device: 'cpu' });
  const times: { wall_ms: number; cpu_ms: number }[] = [];
  for (let i = 0; i <= reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await model.scores(prompt(tokens), 'paris', { steps: 20 });
    const c = process.cpuUsage(c0);
    times.push({ wall_ms: performance.now() - t0, cpu_ms: (c.user + c.system) / 1000 });
  }
  const plan = igPlan(model.config, tokens, 20, budgetMb * 1e6);
  process.stdout.write(JSON.stringify({ steps_per_run: plan.steps, times }) + '\n');
  await model.dispose();
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
  if (argv[0] === '--child') return child(Number(argv[1]), Number(argv[2]), Number(argv[3]));
  const reps = Number(flag('--reps', '3'));
  const budgets = flag('--budgets', '160,320,640,1280').split(',').map(Number);
  buildBertBase(MODEL, 30522);
  const rows = [];
  for (const tokens of LENGTHS)
    for (const budget of budgets) {
      const r = spawnSync(process.execPath, [__filename, '--child', String(budget), String(tokens), String(reps)], {
        encoding: 'utf8',
        env: withHugePages(process.env),
      });
      if (r.status !== 0) throw new Error(`budget ${budget} MB at ${tokens} tokens failed: ${r.stderr.slice(-2000)}`);
      const { steps_per_run, times } = JSON.parse(r.stdout.trim().split('\n').pop()!);
      const warm = times.slice(1);
      const row = {
        tokens,
        budget_mb: budget,
        steps_per_run,
        first_wall_ms: Math.round(times[0].wall_ms),
        first_cpu_ms: Math.round(times[0].cpu_ms),
        warm_wall_ms: Math.round(median(warm.map((t: { wall_ms: number }) => t.wall_ms))),
        warm_cpu_ms: Math.round(median(warm.map((t: { cpu_ms: number }) => t.cpu_ms))),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  const out = path.join(repoRoot(), 'bench', 'results-runs.json');
  fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), reps, rows }, null, 2) + '\n');
  console.log(`written to ${path.relative(repoRoot(), out)}`);
}

if (require.main === module)
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
