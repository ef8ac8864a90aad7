/**
 * Results cache on disk: one JSON file per entry, named by the sha256 of what determines the result
 * (model id and files, prompt, answer, settings). Writes are atomic (temp file in the same folder,
 * then rename), so a crash never leaves half a file; a corrupt or unreadable entry is a miss.
 * A small in-memory layer in front keeps open documents fast.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InterventionResult, PredictionDetail } from '../../engine/src/types';

export const CACHE_FORMAT = 1;

export function cacheKey(parts: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([CACHE_FORMAT, parts]))
    .digest('hex');
}

/** Number of top predictions a cached prediction holds. */
export const TOP_K = 10;

/** The key of a prediction: the model's content hash, the prompt and the answer. */
export function predictKey(model: string, prompt: string, answer: string): string {
  return cacheKey({ kind: 'predict', model, prompt, answer, topK: TOP_K });
}

/** The key of a score matrix: the model's content hash, the prompt, the answer and what changes the scores. */
export function scoresKey(
  model: string,
  prompt: string,
  answer: string,
  s: { steps: number; batchSize: number | null; method: string; quadrature: string },
): string {
  return cacheKey({ kind: 'scores', model, prompt, answer, steps: s.steps, batchSize: s.batchSize, method: s.method, quadrature: s.quadrature });
}

/** Scores matrices are stored as base64 float32 (≈ 5× smaller than JSON numbers). */
export function packMatrix(m: number[][]): { rows: number; cols: number; f32: string } {
  const rows = m.length;
  const cols = rows ? m[0].length : 0;
  const buf = new Float32Array(rows * cols);
  m.forEach((r, i) => buf.set(r, i * cols));
  return { rows, cols, f32: Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('base64') };
}

/** Scores as the cache stores them. */
export interface StoredScores {
  p_target: number;
  matrix: { rows: number; cols: number; f32: string };
}

// ------------------------------------------------------------------ entry schemas (a failure is a miss)

type Check = (v: unknown) => boolean;
const isNum: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isInt: Check = (v) => Number.isInteger(v) && (v as number) >= 0;
const isStr: Check = (v) => typeof v === 'string';
const arrayOf =
  (c: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(c);
const shape =
  (fields: Record<string, Check>): Check =>
  (v) =>
    !!v && typeof v === 'object' && !Array.isArray(v) && Object.entries(fields).every(([k, c]) => c((v as Record<string, unknown>)[k]));

const topToken = shape({ id: isInt, token: isStr, p: isNum });
const tokenSpan = shape({ id: isInt, token: isStr, start: isInt, end: isInt });
const prediction = shape({
  prompt: isStr,
  target: isStr,
  target_ids: (v) => arrayOf(isInt)(v) && (v as unknown[]).length > 0,
  input_ids: arrayOf(isInt),
  position: isInt,
  p_target: isNum,
  top_k: arrayOf(topToken),
  rank: isInt,
  p_joint: isNum,
  tokens: arrayOf(tokenSpan),
  unknown: arrayOf(tokenSpan),
  max_positions: isInt,
});
const scores = shape({
  p_target: isNum,
  matrix: (v) =>
    shape({ rows: isInt, cols: isInt, f32: isStr })(v) &&
    Buffer.byteLength((v as { f32: string }).f32, 'base64') >= 4 * (v as { rows: number }).rows * (v as { cols: number }).cols,
});
const effect = shape({ p_target: isNum, argmax: shape({ id: isInt, token: isStr }) });
const intervention = shape({ before: effect, after: effect });

export const isPrediction = (v: unknown): v is PredictionDetail => prediction(v);
export const isStoredScores = (v: unknown): v is StoredScores => scores(v);
export const isIntervention = (v: unknown): v is InterventionResult => intervention(v);

export function unpackMatrix(p: { rows: number; cols: number; f32: string }): number[][] {
  const bytes = Buffer.from(p.f32, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const f = new Float32Array(copy.buffer, 0, Math.floor(copy.length / 4));
  if (f.length !== p.rows * p.cols) throw new Error('corrupt matrix');
  const out: number[][] = [];
  for (let i = 0; i < p.rows; i++) out.push(Array.from(f.subarray(i * p.cols, (i + 1) * p.cols)));
  return out;
}

export class ResultCache {
  private readonly memory = new Map<string, unknown>();

  constructor(
    public folder: string,
    private readonly memoryLimit = 4000,
  ) {}

  private file(key: string): string {
    return path.join(this.folder, key.slice(0, 2), `${key}.json`);
  }

  /** Memory only (synchronous). */
  peek<T>(key: string): T | undefined {
    const v = this.memory.get(key);
    if (v !== undefined) {
      this.memory.delete(key);
      this.memory.set(key, v);
    }
    return v as T | undefined;
  }

  private remember(key: string, value: unknown): void {
    this.memory.set(key, value);
    while (this.memory.size > this.memoryLimit) this.memory.delete(this.memory.keys().next().value as string);
  }

  /** The entry under key if it is one `valid` accepts; anything else (missing, corrupt, another shape) is a miss. */
  async get<T>(key: string, valid: (v: unknown) => v is T): Promise<T | undefined> {
    const hit = this.peek<unknown>(key);
    if (hit !== undefined) return valid(hit) ? hit : undefined;
    try {
      const text = await fs.promises.readFile(this.file(key), 'utf8');
      const entry = JSON.parse(text) as { format?: unknown; key?: unknown; value?: unknown } | null;
      if (!entry || entry.format !== CACHE_FORMAT || entry.key !== key || !valid(entry.value)) return undefined;
      this.remember(key, entry.value);
      return entry.value;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    this.remember(key, value);
    const file = this.file(key);
    const dir = path.dirname(file);
    const tmp = path.join(dir, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await fs.promises.mkdir(dir, { recursive: true });
      await fs.promises.writeFile(tmp, JSON.stringify({ format: CACHE_FORMAT, key, value }));
      await fs.promises.rename(tmp, file);
    } catch (e) {
      await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
  }

  /** Removes every entry (memory and disk). Returns how many files were removed. */
  async clear(): Promise<number> {
    this.memory.clear();
    let removed = 0;
    let subdirs: string[];
    try {
      subdirs = await fs.promises.readdir(this.folder);
    } catch {
      return 0;
    }
    for (const sub of subdirs) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue;
      const dir = path.join(this.folder, sub);
      try {
        for (const f of await fs.promises.readdir(dir)) {
          if (!/^\.?[0-9a-f]{64}.*\.(json|tmp)$/.test(f)) continue;
          await fs.promises.rm(path.join(dir, f), { force: true });
          removed++;
        }
        await fs.promises.rmdir(dir).catch(() => undefined);
      } catch {
        /* ignore */
      }
    }
    return removed;
  }

  clearMemory(): void {
    this.memory.clear();
  }
}
