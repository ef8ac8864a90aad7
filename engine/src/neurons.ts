/** Coarse neurons per prompt, refined neurons per group, and set comparisons between groups. */
import { KnError } from './errors';
import type { CoarseRule, Neuron } from './types';

/** Neurons whose score passes the rule: > value × max (adaptive), > value (threshold), or ≥ the value-th percentile. */
export function coarseNeurons(scores: number[][], rule: CoarseRule): Neuron[] {
  const flat = scores.flat();
  let cut: number;
  switch (rule.kind) {
    case 'adaptive':
      cut = rule.value * Math.max(...flat);
      break;
    case 'threshold':
      cut = rule.value;
      break;
    case 'percentile': {
      if (!(rule.value >= 0 && rule.value <= 100)) throw new KnError(`percentile must be within [0, 100] (got ${rule.value})`);
      const sorted = [...flat].sort((a, b) => a - b);
      cut = sorted[Math.min(sorted.length - 1, Math.floor((rule.value / 100) * sorted.length))];
      return collect(scores, (s) => s >= cut);
    }
  }
  return collect(scores, (s) => s > cut);
}

function collect(scores: number[][], keep: (s: number) => boolean): Neuron[] {
  const out: Neuron[] = [];
  scores.forEach((row, layer) => row.forEach((s, index) => keep(s) && out.push({ layer, index })));
  return out;
}

/** Neurons coarse in more than p × n of the n prompts (Dai et al.'s sharing threshold). */
export function refineNeurons(coarse: Neuron[][], p: number): Neuron[] {
  if (!(p >= 0 && p < 1)) throw new KnError(`p must be within [0, 1) (got ${p})`);
  const counts = countNeurons(coarse);
  return [...counts.values()].filter((c) => c.count > p * coarse.length).map((c) => c.neuron).sort(byPosition);
}

/** Removes the neurons that are also coarse in the negative examples (really removes them). */
export function withoutNegatives(refined: Neuron[], negativeCoarse: Neuron[][], p: number): Neuron[] {
  if (!negativeCoarse.length) return refined;
  const counts = countNeurons(negativeCoarse);
  return refined.filter((n) => (counts.get(key(n))?.count ?? 0) <= p * negativeCoarse.length);
}

export function countNeurons(lists: Neuron[][]): Map<string, { neuron: Neuron; count: number }> {
  const counts = new Map<string, { neuron: Neuron; count: number }>();
  for (const list of lists)
    for (const n of new Map(list.map((x) => [key(x), x])).values()) {
      const c = counts.get(key(n));
      if (c) c.count++;
      else counts.set(key(n), { neuron: n, count: 1 });
    }
  return counts;
}

export function key(n: Neuron): string {
  return `${n.layer}:${n.index}`;
}

export function byPosition(a: Neuron, b: Neuron): number {
  return a.layer - b.layer || a.index - b.index;
}

/** Parses "L:N,L:N" and checks each neuron against the model's shape. */
export function parseNeurons(text: string, layers: number, neurons: number): Neuron[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(\d+):(\d+)$/.exec(s);
      if (!m) throw new KnError(`'${s}' is not a neuron; write LAYER:INDEX, e.g. 3:201`);
      const n = { layer: Number(m[1]), index: Number(m[2]) };
      checkNeuron(n, layers, neurons);
      return n;
    });
}

export function checkNeuron(n: Neuron, layers: number, neurons: number): void {
  if (n.layer < 0 || n.layer >= layers) throw new KnError(`neuron ${key(n)}: layer ${n.layer} is out of range (the model has layers 0–${layers - 1})`);
  if (n.index < 0 || n.index >= neurons) throw new KnError(`neuron ${key(n)}: index ${n.index} is out of range (layers have neurons 0–${neurons - 1})`);
}
