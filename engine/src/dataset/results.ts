/**
 * The results file of a dataset run (JSON Lines). Line 1 is the header: the model (id and content
 * hash), the settings, the input files, the shard and how many facts it plans. Every other line is
 * one fact, either its result or its error, written as soon as it is done, appended and fsynced, so
 * that a crash or a kill loses at most the fact in progress. Lines hold nothing that varies between
 * runs (no timing): a run killed at any point and run again ends with the same file, byte for byte,
 * as a run never interrupted; and N shards merged give the same file as one process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KnError } from '../errors';
import type { FoundFact } from '../find';
import type { Shard } from './plan';

export const RESULTS_VERSION = 1;

export interface ResultsHeader {
  kn_results: number;
  model: { id: string; sha256: string };
  /** What decides the numbers: the method's settings (not the batch size or the device). */
  settings: Record<string, unknown>;
  files: string[];
  shard: Shard | null;
  /** Facts this file is to hold when complete. */
  facts: number;
}

export interface ControlEffects {
  fact: string;
  effects: { text: string; lang: string; before: number; suppressed: number; enhanced: number }[];
  /** Control prompts the model could not score (e.g. their answer is not in its vocabulary). */
  failed: number;
}

export interface FactLine {
  key: string;
  file: string;
  line: number;
  fact?: FoundFact & { relation: string; control: ControlEffects | null };
  error?: { name: string; message: string; at: string };
}

export interface ResultsFile {
  header: ResultsHeader;
  lines: FactLine[];
  /** The text of each line as read (without its newline), for byte-exact comparisons. */
  raw: string[];
  /** A last line cut short by a kill (ignored). */
  truncated: boolean;
}

export function formatLine(x: ResultsHeader | FactLine): string {
  return JSON.stringify(x);
}

/** Reads a results file; undefined when it does not exist or is empty. */
export function readResults(file: string): ResultsFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KnError(`cannot read ${file}: ${(e as Error).message}`, { file });
  }
  const parts = text.split('\n');
  // A file that does not end with a newline was cut short while its last line was written.
  const truncated = parts.pop() !== '';
  if (!parts.length) return undefined; // empty, or killed while its header was written: start afresh
  const parsed = parts.map((line, i) => {
    try {
      return JSON.parse(line);
    } catch (e) {
      throw new KnError(`${file}:${i + 1}: not a results line (${(e as Error).message})`, { file, line: i });
    }
  });
  const header = parsed[0] as ResultsHeader;
  if (header?.kn_results !== RESULTS_VERSION)
    throw new KnError(`${file}:1: not a kn results file (version ${RESULTS_VERSION} header expected)`, { file, line: 0 });
  return { header, lines: parsed.slice(1), raw: parts.slice(1), truncated };
}

/** Writes a whole results file atomically (a temporary file in the same folder, then renamed). */
export function writeResults(file: string, header: ResultsHeader, raw: string[]): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, [formatLine(header), ...raw].map((l) => l + '\n').join(''));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Appends lines one at a time, each flushed to disk before the next fact starts. */
export class ResultsAppender {
  private readonly fd: number;
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'a');
  }
  append(line: FactLine): string {
    const text = formatLine(line);
    fs.writeSync(this.fd, text + '\n');
    fs.fsyncSync(this.fd);
    return text;
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Differences between two headers that make their results incomparable, in words (empty: none). */
export function incompatibility(a: ResultsHeader, b: ResultsHeader): string[] {
  const out: string[] = [];
  if (a.model.sha256 !== b.model.sha256) out.push(`model ${a.model.id} (${a.model.sha256.slice(0, 12)}) vs ${b.model.id} (${b.model.sha256.slice(0, 12)})`);
  if (JSON.stringify(a.settings) !== JSON.stringify(b.settings)) out.push(`settings ${JSON.stringify(a.settings)} vs ${JSON.stringify(b.settings)}`);
  return out;
}
