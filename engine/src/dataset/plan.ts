/**
 * A dataset run's plan: every fact of the given `.prompts` files, in input order (file, then line),
 * each with
 *  - `id`: a hash of its name and prompts (answers and languages included). It decides the shard, so
 *    a fact stays in its shard when files are reordered or other facts are added;
 *  - `key`: `id` plus the unrelated prompts its effects are measured on. A results line is reused
 *    only for the same key (and the same model and settings, which the results header holds);
 *  - `control`: an unrelated fact (another relation and answer) whose prompts measure the effect of
 *    this fact's refined neurons elsewhere (Dai et al., section 4), chosen from the whole dataset by
 *    hash order, so every shard chooses the same;
 *  - or `error`: what is wrong with the fact in its file, with the place.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { FactInput } from '../find';
import { KnError } from '../errors';
import { datasetSettings, parse } from '../prompts';
import type { Dataset, DatasetSettings } from '../prompts';

export interface Shard {
  /** 0-based, as Slurm's SLURM_ARRAY_TASK_ID for `--array=0-(N-1)` and Kubernetes' JOB_COMPLETION_INDEX. */
  index: number;
  count: number;
}

export interface PlannedFact {
  id: string;
  key: string;
  name: string;
  /** The fact name up to its first '-' (importers name facts `<relation>-<subject>`). */
  relation: string;
  file: string;
  /** 1-based line of the fact's header. */
  line: number;
  input: FactInput;
  /** Prompts the model scores (positives and negatives). */
  prompts: number;
  /** 1-based line of each of `input.prompts`. */
  promptLines: number[];
  control?: { name: string; prompts: { text: string; lang: string; answer: string }[] };
  error?: { message: string; line: number; column: number };
}

export interface Plan {
  files: string[];
  facts: PlannedFact[];
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function readDataset(file: string, causal: boolean): Dataset {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new KnError(`cannot read ${file}: ${(e as Error).message}`, { file });
  }
  return parse(text, { causal, maxBytes: Infinity });
}

/** The files' directives: those of the first file; another file that sets one differently is an error. */
export function planSettings(files: string[]): DatasetSettings {
  const all = files.map((f) => ({ file: f, s: datasetSettings(readDataset(f, false)) }));
  const first = all[0].s;
  for (const { file, s } of all.slice(1)) {
    for (const k of Object.keys(s) as (keyof DatasetSettings)[]) {
      if (k !== 'version' && JSON.stringify(s[k]) !== JSON.stringify(first[k])) {
        throw new KnError(`${file}: @${k} differs from ${all[0].file}'s; files run together must share their settings (or give them on the command line)`, {
          file,
        });
      }
    }
  }
  return first;
}

/**
 * Plans the facts of `files`. `strict`: an error in a file stops everything (a KnError at its place);
 * otherwise a fact with an error is planned with it, to be recorded as an error line.
 */
export function planDataset(files: string[], opts: { causal: boolean; strict: boolean }): Plan {
  const facts: PlannedFact[] = [];
  for (const file of files) {
    const ds = readDataset(file, opts.causal);
    const errors = ds.diagnostics.filter((d) => d.severity === 1);
    const starts = ds.facts.map((f) => f.headerRange.start.line);
    const ownerOf = (line: number) => {
      let i = -1;
      while (i + 1 < starts.length && starts[i + 1] <= line) i++;
      return i;
    };
    const factErrors = new Map<number, (typeof errors)[number]>();
    for (const d of errors) {
      const i = ownerOf(d.range.start.line);
      if (opts.strict || i < 0) {
        const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : '';
        throw new KnError(`${d.message}${more}`, { file, line: d.range.start.line, column: d.range.start.character });
      }
      if (!factErrors.has(i)) factErrors.set(i, d);
    }
    ds.facts.forEach((f, i) => {
      const usable = f.prompts.filter((p) => p.ok && p.answer);
      const input: FactInput = {
        name: f.name,
        answers: f.answers,
        prompts: usable.map((p) => ({ text: p.text, lang: p.lang, answer: p.answer!, negative: p.negative })),
      };
      const id = sha256(JSON.stringify([input.name, Object.entries(input.answers).sort(), input.prompts.map((p) => [p.lang, p.text, p.answer, p.negative])]));
      const d = factErrors.get(i);
      facts.push({
        id,
        key: id,
        name: f.name,
        relation: f.name.split('-')[0],
        file,
        line: f.headerRange.start.line + 1,
        input,
        prompts: input.prompts.length,
        promptLines: usable.map((p) => p.range.start.line + 1),
        ...(d ? { error: { message: d.message, line: d.range.start.line + 1, column: d.range.start.character + 1 } } : {}),
      });
    });
  }
  markDuplicates(facts);
  chooseControls(facts);
  return { files, facts };
}

/** The same fact (name and prompts) twice: the second is an error naming the first. */
function markDuplicates(facts: PlannedFact[]): void {
  const seen = new Map<string, PlannedFact>();
  for (const f of facts) {
    const first = seen.get(f.id);
    if (!first) seen.set(f.id, f);
    else {
      f.id = f.key = sha256(`${f.id} ${f.file}:${f.line}`);
      f.error ??= { message: `fact '${f.name}' repeats the one at ${first.file}:${first.line}`, line: f.line, column: 1 };
    }
  }
}

/**
 * Each fact's unrelated fact: the next one in hash order with another relation and another answer
 * (or, when the whole dataset is one relation, another answer). Depends only on the facts, never on
 * their order in the files or on the shard.
 */
function chooseControls(facts: PlannedFact[]): void {
  const usable = facts.filter((f) => !f.error && f.input.prompts.some((p) => !p.negative)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const answers = (f: PlannedFact) => new Set(Object.values(f.input.answers));
  const unrelated = (a: PlannedFact, b: PlannedFact, sameRelationOk: boolean) =>
    (sameRelationOk || a.relation !== b.relation) && ![...answers(b)].some((x) => answers(a).has(x));
  const limit = Math.min(usable.length, 1000);
  usable.forEach((f, i) => {
    let control: PlannedFact | undefined;
    for (const sameRelationOk of [false, true]) {
      for (let k = 1; k < limit && !control; k++) {
        const g = usable[(i + k) % usable.length];
        if (unrelated(f, g, sameRelationOk)) control = g;
      }
      if (control) break;
    }
    if (!control) return;
    f.control = { name: control.name, prompts: control.input.prompts.filter((p) => !p.negative).map(({ text, lang, answer }) => ({ text, lang, answer })) };
    f.key = sha256(JSON.stringify([f.id, f.control]));
  });
}

/** `K/N` → the shard; K is 0-based. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count))
    throw new KnError(`--shard must be K/N with 0 ≤ K < N (got '${text}'); K is 0-based, like SLURM_ARRAY_TASK_ID with --array=0-(N-1)`);
  return { index, count };
}

/** The shard a fact belongs to: its id's first 48 bits modulo N. */
export function shardOf(f: Pick<PlannedFact, 'id'>, count: number): number {
  return parseInt(f.id.slice(0, 12), 16) % count;
}
