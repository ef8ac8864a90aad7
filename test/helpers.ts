// Shared test helpers: fixture paths and a seeded random generator.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WeightStorage } from '../engine/src/types';

/** The repository root (the folder with package.json), found from the compiled test's location. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

/** `../shared/fixtures` beside the clone, or $KN_FIXTURES. */
export function fixturesDir(): string {
  return process.env.KN_FIXTURES ?? path.resolve(repoRoot(), '../shared/fixtures');
}

export function fixture(name: string): string {
  return path.join(fixturesDir(), name);
}

/** Mulberry32: a small seeded generator, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Indices of the k largest values, largest first. */
export function topIndices(xs: ArrayLike<number>, k: number): number[] {
  return Array.from(xs, (x, i) => [x, i])
    .sort((a, b) => b[0] - a[0])
    .slice(0, k)
    .map((x) => x[1]);
}

/** The README's tolerances of integer weights ("Models larger than memory"): P's relative difference, the scores' largest difference × the largest float32 score, the 20 top neurons in common. */
export const WEIGHTS_TOLERANCE: Record<Exclude<WeightStorage, 'float32'>, { p: number; scores: number; top20: number }> = {
  int16: { p: 5e-4, scores: 2e-3, top20: 20 },
  int8: { p: 5e-2, scores: 0.15, top20: 18 },
};
