/**
 * Resident memory of a cold `kn find` over a long file: 200 prompts of 6–24 tokens over 50 facts
 * (bench/realistic.ts's generator), on the random bert-base. The process's VmRSS (that of the copy
 * it starts with huge pages, engine/src/hugePages.ts) is sampled from
 * /proc while it runs, each sample paired with the prompt count its progress lines on stderr have
 * reached. Reported: resident memory once the first window of facts is done, at the end, the peak
 * (VmHWM), and the growth per 100 prompts: the least-squares slope of resident memory against
 * prompts over the samples after the first window.
 *
 * Fewer steps than 20, chosen so that memory is that of steps 20: `growthSteps` picks the fewest
 * steps whose integrated-gradient runs hold, at every graph length of the file, the same chunk of
 * steps as at 20 (`igPlan`). The sessions built, their arenas and the buffers of one run are then
 * those of steps 20; only the number of chunk runs per prompt is smaller.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WINDOW_PROMPTS } from '../engine/src/dataset/run';
import { IG_MEMORY_BUDGET, igPlan } from '../engine/src/model/memory';
import { readConfig } from '../engine/src/model/config';
import { PromptTokenizer } from '../engine/src/model/tokenizer';
import { repoRoot } from '../test/helpers';
import { commandStatusKb } from './procStatus';
import { realisticPrompts, SHAPES } from './realistic';
import { buildBertBase } from './run';

const PROMPTS = 200;
const SAMPLE_MS = 250;

/** Integrated-gradient graph lengths of prompts up to 32 tokens: padded to a multiple of 4 (Model.graphLength). */
const graphLengths = (tokens: number[]) => [...new Set(tokens.map((t) => Math.ceil(t / 4) * 4))].sort((a, b) => a - b);

/** The fewest steps whose runs hold the same chunk of steps as 20 at each of `lengths` (20 if none fewer). */
export function growthSteps(dir: string, lengths: number[]): number {
  const cfg = readConfig(path.join(dir, 'config.json')).config;
  const chunk = (T: number, steps: number) => igPlan(cfg, T, steps, IG_MEMORY_BUDGET.cpu);
  for (let steps = 1; steps < 20; steps++) if (lengths.every((T) => JSON.stringify(chunk(T, steps)) === JSON.stringify(chunk(T, 20)))) return steps;
  return 20;
}

interface Sample {
  ms: number;
  prompts: number;
  resident_mb: number;
}

/** Least-squares slope of y against x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

export async function memoryGrowthWorkload(log: (s: string) => void) {
  const shape = 'bert-base';
  const dir = path.join(repoRoot(), '.cache', 'bench', `${shape}-random`);
  buildBertBase(dir, SHAPES[shape]);
  const probe = realisticPrompts(dir, { count: PROMPTS });
  const tok = new PromptTokenizer(dir, 'masked');
  const tokens = probe.prompts.map((p) => tok.encodePrompt(p.text, p.answer).ids.length);
  const lengths = graphLengths(tokens);
  const steps = growthSteps(dir, lengths);
  const file = path.join(dir, 'memory-growth.prompts');
  fs.writeFileSync(file, realisticPrompts(dir, { count: PROMPTS, steps }).text);
  const why =
    steps === 20
      ? 'steps 20'
      : `steps ${steps}: at every graph length of the file (${lengths.join(', ')} tokens) an integrated-gradient run holds the same chunk of steps as at steps 20, so the same sessions and buffers; only the number of runs per prompt is smaller`;
  log(`  a cold kn find on ${PROMPTS} prompts of ${Math.min(...tokens)}–${Math.max(...tokens)} tokens, ${why}…`);

  const cli = path.join(repoRoot(), 'out', 'engine', 'src', 'cli', 'main.js');
  const cache = fs.mkdtempSync(path.join(repoRoot(), '.cache', 'bench', 'kn-cache-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, 'find', file, '--device', 'cpu', '--json'], {
    env: { ...process.env, KN_CACHE_DIR: cache },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const samples: Sample[] = [];
  // Progress lines on stderr (not a terminal: one line per prompt) start "[n/200]".
  let prompts = 0;
  let tail = '';
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    err = (err + d).slice(-4000);
    const lines = (tail + d).split('\n');
    tail = lines.pop()!;
    for (const l of lines) {
      const m = /^\[(\d+)\/\d+\]/.exec(l);
      if (m && Number(m[1]) % 20 === 0 && Number(m[1]) !== prompts) log(`    ${m[1]} prompts, ${samples[samples.length - 1]?.resident_mb} MB resident`);
      if (m) prompts = Number(m[1]);
    }
  });
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, commandStatusKb(child.pid!, 'VmHWM'));
      samples.push({ ms: Math.round(performance.now() - t0), prompts, resident_mb: Math.round(commandStatusKb(child.pid!, 'VmRSS') / 1024) });
    } catch {
      // the process has just exited
    }
  }, SAMPLE_MS);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  fs.rmSync(cache, { recursive: true, force: true });
  if (code !== 0) throw new Error(`kn find ${file} failed (${code}): ${err}`);
  const wallMs = performance.now() - t0;

  // The first window: the facts (4 prompts each) that fit WINDOW_PROMPTS.
  const firstWindow = Math.floor(WINDOW_PROMPTS / 4) * 4;
  const after = samples.filter((s) => s.prompts > firstWindow);
  const growth = slope(after.map((s) => ({ x: s.prompts, y: s.resident_mb })));
  // Resident memory swings within a window as sessions are released and built again; the highest
  // of each window shows a growth more plainly.
  const windowPeaks = Array.from({ length: Math.ceil(PROMPTS / firstWindow) }, (_, w) => ({
    prompts: Math.min(PROMPTS, (w + 1) * firstWindow),
    peak_mb: Math.max(...samples.filter((s) => s.prompts > w * firstWindow && s.prompts <= (w + 1) * firstWindow).map((s) => s.resident_mb)),
  }));
  const peaksGrowth = slope(windowPeaks.slice(1).map((w) => ({ x: w.prompts, y: w.peak_mb })));
  return {
    model: `${shape}-random (vocab ${SHAPES[shape]})`,
    prompts: PROMPTS,
    facts: Math.ceil(PROMPTS / 4),
    tokens: { min: Math.min(...tokens), max: Math.max(...tokens) },
    graph_lengths: lengths,
    steps,
    steps_why: why,
    wall_ms: Math.round(wallMs),
    samples: samples.length,
    sample_ms: SAMPLE_MS,
    first_window_prompts: firstWindow,
    resident_after_first_window_mb: after[0]?.resident_mb,
    resident_at_end_mb: samples[samples.length - 1]?.resident_mb,
    peak_resident_mb: Math.round(peakKb / 1024),
    growth_mb_per_100_prompts: +(100 * growth).toFixed(1),
    window_peaks: windowPeaks,
    window_peaks_growth_mb_per_100_prompts: +(100 * peaksGrowth).toFixed(1),
    // Lowest and highest resident memory while each 10 prompts were scored, for the curve.
    curve: Array.from({ length: PROMPTS / 10 }, (_, k) => {
      const within = samples.filter((s) => s.prompts > k * 10 && s.prompts <= (k + 1) * 10).map((s) => s.resident_mb);
      return { prompts: (k + 1) * 10, min_mb: Math.min(...within), max_mb: Math.max(...within) };
    }),
  };
}

export function memoryGrowthSummary(r: Awaited<ReturnType<typeof memoryGrowthWorkload>>): string[] {
  return [
    `| memory over a long file: a new \`kn find\` process, ${r.prompts} prompts of ${r.tokens.min}–${r.tokens.max} tokens, ${r.facts} facts, ${r.model}, steps ${r.steps} | resident after the first window (MB) | at the end (MB) | peak (MB) | growth per 100 prompts (MB, least squares after the first window) | growth of the windows' highest per 100 prompts (MB) |`,
    '|---|---|---|---|---|---|',
    `| ${r.samples} samples every ${r.sample_ms} ms, ${(r.wall_ms / 1000).toFixed(0)} s | ${r.resident_after_first_window_mb} | ${r.resident_at_end_mb} | ${r.peak_resident_mb} | ${r.growth_mb_per_100_prompts} | ${r.window_peaks_growth_mb_per_100_prompts} |`,
    `highest resident per window of ${r.first_window_prompts} prompts (MB): ${r.window_peaks.map((w) => w.peak_mb).join(', ')}`,
    '',
    `(${r.steps_why})`,
  ];
}
