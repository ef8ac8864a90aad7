/** Coarse neurons per prompt, refined neurons per group, and set comparisons between groups. */
import { KnError } from './errors';
import type { CoarseRule, Neuron } from './types';

/** Stable string key of a neuron: `layer:index`. */
export function neuronKey(n: Neuron): string {
  return `${n.layer}:${n.index}`;
}

export function parseNeuronKey(key: string): Neuron {
  const m = /^(\d+):(\d+)$/.exec(key);
  if (!m) throw new Error(`not a neuron key: ${key}`);
  return { layer: Number(m[1]), index: Number(m[2]) };
}

/** Order neurons by layer, then index. */
export function compareNeurons(a: Neuron, b: Neuron): number {
  return a.layer - b.layer || a.index - b.index;
}

export function sortNeurons(ns: Iterable<Neuron>): Neuron[] {
  return [...ns].sort(compareNeurons);
}

/** Distinct neurons, sorted by layer then index. */
export function uniqueNeurons(ns: Iterable<Neuron>): Neuron[] {
  const m = new Map<string, Neuron>();
  for (const n of ns) m.set(neuronKey(n), { layer: n.layer, index: n.index });
  return sortNeurons(m.values());
}

/** Short label, e.g. `L2·43`. */
export function neuronLabel(n: Neuron): string {
  return `L${n.layer}\u00b7${n.index}`;
}

/** Largest finite score of a [layer][neuron] matrix (−Infinity when there is none). */
export function maxScore(scores: number[][]): number {
  let mx = -Infinity;
  for (const row of scores) for (const v of row) if (Number.isFinite(v) && v > mx) mx = v;
  return mx;
}

/** Linear-interpolation percentile (numpy's default) of `values`, q in [0, 100]. */
export function percentile(values: number[], q: number): number {
  return percentileSorted(Float64Array.from(values.filter((x) => Number.isFinite(x))).sort(), q);
}

/** Sorted finite scores per score matrix, so moving a percentile slider does not re-sort every prompt. */
const sortedCache = new WeakMap<number[][], Float64Array>();

function sortedScores(scores: number[][]): Float64Array {
  let v = sortedCache.get(scores);
  if (!v) {
    v = Float64Array.from(scores.flat().filter((x) => Number.isFinite(x))).sort();
    sortedCache.set(scores, v);
  }
  return v;
}

function percentileSorted(v: Float64Array, q: number): number {
  if (v.length === 0) return NaN;
  const pos = (Math.min(100, Math.max(0, q)) / 100) * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/** The threshold a rule sets for one prompt's scores: coarse neurons have score > threshold. */
export function coarseThreshold(scores: number[][], rule: CoarseRule): number {
  switch (rule.kind) {
    case 'adaptive':
      return rule.value * maxScore(scores);
    case 'threshold':
      return rule.value;
    case 'percentile':
      if (!(rule.value >= 0 && rule.value <= 100)) throw new KnError(`percentile must be within [0, 100] (got ${rule.value})`);
      return percentileSorted(sortedScores(scores), rule.value);
  }
}

/** Coarse neurons of one prompt: score strictly above the rule's threshold, by layer then index. */
export function coarseNeurons(scores: number[][], rule: CoarseRule): Neuron[] {
  const thr = coarseThreshold(scores, rule);
  const out: Neuron[] = [];
  if (!Number.isFinite(thr)) return out;
  scores.forEach((row, layer) => {
    row.forEach((v, index) => {
      if (Number.isFinite(v) && v > thr) out.push({ layer, index });
    });
  });
  return out;
}

/** How many of the prompts have each neuron as coarse (a neuron counts once per prompt). */
export function coarseCounts(coarse: Neuron[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of coarse) {
    const seen = new Set<string>();
    for (const n of list) {
      const k = neuronKey(n);
      if (seen.has(k)) continue;
      seen.add(k);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return counts;
}

/** Refined neurons: coarse in more than p × (number of prompts) of the prompts. */
export function refineNeurons(coarse: Neuron[][], p: number): Neuron[] {
  if (!(p >= 0 && p < 1)) throw new KnError(`p must be within [0, 1) (got ${p})`);
  const n = coarse.length;
  if (n === 0) return [];
  const out: Neuron[] = [];
  for (const [k, c] of coarseCounts(coarse)) if (c > p * n) out.push(parseNeuronKey(k));
  return sortNeurons(out);
}

/** Removes the neurons that are also coarse in the negative examples (really removes them). */
export function withoutNegatives(refined: Neuron[], negativeCoarse: Neuron[][], p: number): Neuron[] {
  if (!negativeCoarse.length) return refined;
  const counts = coarseCounts(negativeCoarse);
  return refined.filter((n) => (counts.get(neuronKey(n)) ?? 0) <= p * negativeCoarse.length);
}

/** Parses "L:N,L:N" and checks each neuron against the model's shape. */
export function parseNeurons(text: string, layers: number, neurons: number): Neuron[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      // LAYER:INDEX, or the label the editor shows (L3·201)
      const m = /^(\d+):(\d+)$/.exec(s) ?? /^L(\d+)[\u00b7.](\d+)$/.exec(s);
      if (!m) throw new KnError(`'${s}' is not a neuron; write LAYER:INDEX, e.g. 3:201`);
      const n = { layer: Number(m[1]), index: Number(m[2]) };
      checkNeuron(n, layers, neurons);
      return n;
    });
}

export function checkNeuron(n: Neuron, layers: number, neurons: number): void {
  if (n.layer < 0 || n.layer >= layers) throw new KnError(`neuron ${neuronKey(n)}: layer ${n.layer} is out of range (the model has layers 0–${layers - 1})`);
  if (n.index < 0 || n.index >= neurons) throw new KnError(`neuron ${neuronKey(n)}: index ${n.index} is out of range (layers have neurons 0–${neurons - 1})`);
}
