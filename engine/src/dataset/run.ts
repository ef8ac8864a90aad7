/**
 * Runs a plan's facts through `findFacts`, a window of a few facts at a time, each result recorded as soon as its window is done
 * (appended to the results file, or kept in memory). Facts already in the results file with the same
 * key, model and settings are skipped; a fact that fails becomes an error line and the run goes on.
 */
import * as fs from 'node:fs';
import type { Writable } from 'node:stream';
import { KnError } from '../errors';
import { effectsOf, findFacts, FindSettings, FoundFact } from '../find';
import { modelHash } from '../model/hash';
import type { Model } from '../model/model';
import type { Neuron, WeightStorage } from '../types';
import { Plan, PlannedFact, Shard, shardOf } from './plan';
import { Progress } from './progress';
import { ControlEffects, FactLine, formatLine, incompatibility, readResults, ResultsAppender, ResultsHeader, RESULTS_VERSION, writeResults } from './results';

export interface RunOptions {
  /** The results file (JSON Lines); without it, lines are only returned. */
  out?: string;
  shard?: Shard;
  /** Compute again the facts whose error lines the results file holds. */
  retryErrors?: boolean;
  quiet?: boolean;
  stderr?: Writable & { isTTY?: boolean };
}

export interface RunSummary {
  /** Facts of this run (its shard's). */
  planned: number;
  /** Found in the results file already. */
  skipped: number;
  computed: number;
  /** Facts whose line is an error, in the results as they now stand. */
  failed: number;
  prompts: number;
  seconds: number;
}

/**
 * What decides a run's numbers (the batch size and the device do not, beyond rounding). The model's
 * weight storage only when integer, so that results files of float32 runs keep the identity they had.
 */
export function settingsIdentity(s: FindSettings, storage: WeightStorage): Record<string, unknown> {
  const weights = storage !== 'float32' ? { weights: storage } : {};
  return { steps: s.steps, method: s.method, quadrature: s.quadrature, rule: s.rule, p: s.p, factor: s.factor, ...weights };
}

export async function runDataset(
  model: Model,
  plan: Plan,
  settings: FindSettings,
  opts: RunOptions = {},
): Promise<{ header: ResultsHeader; lines: FactLine[]; summary: RunSummary }> {
  const t0 = performance.now();
  const selected = opts.shard ? plan.facts.filter((f) => shardOf(f, opts.shard!.count) === opts.shard!.index) : plan.facts;
  const order = new Map(selected.map((f, i) => [f.key, i]));
  const header: ResultsHeader = {
    kn_results: RESULTS_VERSION,
    model: { id: model.info.id, sha256: await modelHash(model.info.dir) },
    settings: settingsIdentity(settings, model.weights.storage),
    files: plan.files,
    shard: opts.shard ?? null,
    facts: selected.length,
  };

  // What the results file already holds for this plan, in plan order, with places brought up to date.
  const kept = new Map<string, FactLine>();
  if (opts.out) {
    const existing = readResults(opts.out);
    if (existing) {
      const diff = incompatibility(existing.header, header);
      if (diff.length) throw new KnError(`${opts.out} holds results of another run (${diff.join('; ')}); give another --out or remove it`, { file: opts.out });
      for (const l of existing.lines) {
        const f = selected[order.get(l.key) ?? -1];
        if (f && !(opts.retryErrors && l.error)) kept.set(l.key, { ...l, file: f.file, line: f.line });
      }
    }
    const keptSorted = [...kept.values()].sort((a, b) => order.get(a.key)! - order.get(b.key)!).map(formatLine);
    const expected = [formatLine(header), ...keptSorted].map((l) => l + '\n').join('');
    const current = fs.existsSync(opts.out) ? fs.readFileSync(opts.out, 'utf8') : undefined;
    // Rewritten (atomically) when a kill cut a line short, the dataset changed, or errors are retried.
    if (current !== expected) writeResults(opts.out, header, keptSorted);
  }

  const todo = selected.filter((f) => !kept.has(f.key));
  const progress = new Progress({ facts: todo.length, prompts: todo.reduce((n, f) => n + f.prompts, 0), quiet: opts.quiet, stream: opts.stderr });
  const appender = opts.out ? new ResultsAppender(opts.out) : undefined;
  const lines: FactLine[] = opts.out ? [] : [...kept.values()];
  try {
    for (const window of windows(todo))
      for (const line of await runWindow(model, window, settings, progress)) {
        progress.fact();
        if (appender) appender.append(line);
        else lines.push(line);
      }
  } finally {
    appender?.close();
    progress.done();
  }
  if (opts.out && todo.length && kept.size) {
    // Facts retried or added in the middle were appended after later ones: restore plan order.
    const now = readResults(opts.out)!;
    const idx = now.lines.map((l) => order.get(l.key)!);
    if (idx.some((v, i) => i > 0 && v < idx[i - 1])) {
      const raw = now.raw
        .map((r, i) => ({ r, k: idx[i] }))
        .sort((a, b) => a.k - b.k)
        .map((x) => x.r);
      writeResults(opts.out, header, raw);
    }
  }
  const all = opts.out ? readResults(opts.out)!.lines : lines;
  const summary: RunSummary = {
    planned: selected.length,
    skipped: kept.size,
    computed: todo.length,
    failed: all.filter((l) => l.error).length,
    prompts: progress.promptsDone,
    seconds: (performance.now() - t0) / 1000,
  };
  return { header, lines: all, summary };
}

/**
 * Consecutive facts of at most WINDOW_PROMPTS prompts in all (a fact of more is a window alone).
 * A window's prompts are scored together, so prompts of one graph length share a session across
 * facts; its facts are recorded when the window is done, so a killed run loses at most one window.
 */
export const WINDOW_PROMPTS = 24;

function windows(facts: PlannedFact[]): PlannedFact[][] {
  const out: PlannedFact[][] = [];
  let count = Infinity;
  for (const f of facts) {
    if (count + f.prompts > WINDOW_PROMPTS) {
      out.push([]);
      count = 0;
    }
    out[out.length - 1].push(f);
    count += f.prompts;
  }
  return out;
}

/**
 * The facts of a window, scored together (`findFacts`); a fact that fails is an error line at the
 * place of its prompt that failed (or of its header), the others are done as they would be alone.
 */
async function runWindow(model: Model, facts: PlannedFact[], settings: FindSettings, progress: Progress): Promise<FactLine[]> {
  const ok = facts.filter((f) => !f.error);
  const outcomes = ok.length
    ? await findFacts(
        model,
        ok.map((f) => f.input),
        settings,
        { onPrompt: (i, text) => progress.prompt(ok[i].name, text) },
      )
    : [];
  const lines = new Map<PlannedFact, FactLine>();
  for (const [i, f] of ok.entries()) {
    const r = outcomes[i];
    lines.set(
      f,
      r.error ? runFactError(f, r.error.message, r.prompt === undefined ? f.line : f.promptLines[r.prompt], 1) : await withControl(model, f, r.found, settings),
    );
  }
  return facts.map((f) => lines.get(f) ?? runFactError(f));
}

function runFactError(f: PlannedFact, message = f.error?.message ?? '', line = f.error?.line ?? f.line, column = f.error?.column ?? 1): FactLine {
  return { key: f.key, file: f.file, line: f.line, error: { name: f.name, message, at: `${f.file}:${line}:${column}` } };
}

async function withControl(model: Model, f: PlannedFact, found: FoundFact, settings: FindSettings): Promise<FactLine> {
  const control = f.control
    ? await controlEffects(
        model,
        f.control,
        found.refined.map(([layer, index]) => ({ layer, index })),
        settings.factor,
      )
    : null;
  return { key: f.key, file: f.file, line: f.line, fact: { ...found, relation: f.relation, control } };
}

/** The effect of a fact's refined neurons on an unrelated fact's prompts (their own answers). */
async function controlEffects(model: Model, control: NonNullable<PlannedFact['control']>, neurons: Neuron[], factor: number): Promise<ControlEffects> {
  const effects: ControlEffects['effects'] = [];
  let failed = 0;
  for (const p of control.prompts) {
    try {
      effects.push(...(await effectsOf(model, [p], neurons, factor)));
    } catch (e) {
      if (!(e instanceof KnError)) throw e;
      failed++;
    }
  }
  return { fact: control.name, effects, failed };
}

export function formatSummary(s: RunSummary, out?: string): string {
  const where = out ? ` (${out})` : '';
  return `kn: ${s.planned} facts${where}: ${s.planned - s.failed} done, ${s.failed} failed; this run computed ${s.computed} (${s.prompts} prompts in ${s.seconds.toFixed(1)} s, ${(s.prompts / Math.max(s.seconds, 1e-9)).toFixed(1)} prompts/s), ${s.skipped} were already done`;
}
