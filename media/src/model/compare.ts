/**
 * Everything the "Compare Refined Neurons" panel shows, computed in one place, next to the page:
 * overlaps, UpSet intersections, heatmap rows, the views' CSVs (neither the engine nor the CLI
 * needs them). Pure functions over the engine's data types: no DOM, no `vscode`. The page bundles
 * this module (scripts/build.mjs) and the tests load it from `out/`, so the numbers on screen and the numbers under
 * test come from the same code and are never re-derived ad hoc in the page.
 *
 * Definitions (Dai et al. 2021; EleutherAI/knowledge-neurons):
 * - coarse neurons of a prompt: attribution score strictly above a threshold. The threshold comes
 *   from a {@link CoarseRule}: `adaptive` = value × the prompt's maximum score over all layers and
 *   neurons; `threshold` = the value itself; `percentile` = the value-th percentile (0–100, linear
 *   interpolation between closest ranks, as numpy's default) of the prompt's scores.
 * - refined neurons of a group of n prompts: neurons that are coarse in more than p × n of them,
 *   less those the group's negative examples share. Which prompts form a group and which negatives
 *   apply is the method's rule (engine/src/method), the same as `kn find`'s and the server's.
 */

import type { CoarseRule, CompareData, FactEffects, FactResult, Neuron, PromptResult } from '../../../engine/src/types';
import { factGroups as methodGroups, refineCoarseGroup, GroupMembers } from '../../../engine/src/method';
/** The page's initial rule and p come from here, the method's one home for its defaults. */
export { METHOD_DEFAULTS } from '../../../engine/src/method';

export { neuronKey, parseNeuronKey, compareNeurons, sortNeurons, uniqueNeurons, neuronLabel } from '../../../engine/src/neurons';
import { neuronKey, parseNeuronKey, sortNeurons, uniqueNeurons } from '../../../engine/src/neurons';

// ---------------------------------------------------------------------------------------------
// Coarse and refined neurons

export { relativeChange, formatScore, formatPercent } from '../../../engine/src/format';
import { formatChange } from '../../../engine/src/format';
import { relativeChange } from '../../../engine/src/format';
export { maxScore, percentile, coarseThreshold, coarseNeurons, coarseCounts, refineNeurons } from '../../../engine/src/neurons';
import { coarseNeurons, maxScore } from '../../../engine/src/neurons';
export { csvCell, toCsv } from '../../../engine/src/csv';
import { toCsv } from '../../../engine/src/csv';

// ---------------------------------------------------------------------------------------------
// Groups

export interface Settings {
  rule: CoarseRule;
  p: number;
}

/** Group names of a fact: its `groups` keys, else its language tags plus `all`. */
export function factGroups(fact: FactResult): string[] {
  const keys = Object.keys(fact.groups ?? {});
  if (keys.length > 0) return keys;
  const langs = [...new Set(fact.prompts.map((p) => p.lang).filter((l) => l !== ''))];
  return [...langs, 'all'];
}

/** The method's groups of a fact's prompts: indices into `prompts`, then `negatives` (after the prompts). */
function membersOf(fact: FactResult, group: string): GroupMembers | undefined {
  const all = [...fact.prompts.map((p) => ({ p, negative: false })), ...(fact.negatives ?? []).map((p) => ({ p, negative: true }))];
  return methodGroups(all.map(({ p, negative }) => ({ lang: p.lang, answer: p.answer ?? fact.answer, negative })))[group];
}

/** Positive prompts of a group, as the method forms it: a language tag's prompts, or `all`. */
export function groupPrompts(fact: FactResult, group: string): PromptResult[] {
  return (membersOf(fact, group)?.members ?? []).map((i) => fact.prompts[i]);
}

/** The negative examples that apply to a group. */
export function groupNegatives(fact: FactResult, group: string): PromptResult[] {
  return (membersOf(fact, group)?.negatives ?? []).map((i) => fact.negatives![i - fact.prompts.length]);
}

/** Coarse neurons of a prompt under a rule: from its scores, else its cached `coarse`, else undefined. */
export function promptCoarse(prompt: PromptResult, rule: CoarseRule): Neuron[] | undefined {
  if (prompt.scores) return coarseNeurons(prompt.scores, rule);
  return prompt.coarse ? uniqueNeurons(prompt.coarse) : undefined;
}

/** One compared set: the refined neurons of one group of one fact. */
export interface RefinedSet {
  /** `fact/group`: unique within a comparison. */
  id: string;
  fact: string;
  group: string;
  /** Prompts in the group. */
  nPrompts: number;
  /** Prompts whose coarse neurons were known (scores or cached coarse) and were counted. */
  nCounted: number;
  /** `scores`: re-refined from attribution scores; `coarse`: from cached coarse neurons only; `given`: no prompt had either, so the data's refined list is shown as is. */
  source: 'scores' | 'coarse' | 'given';
  refined: Neuron[];
  /** For each refined neuron (by key): in how many of the counted prompts it is coarse. */
  counts: Record<string, number>;
}

export function setId(fact: string, group: string): string {
  return `${fact}/${group}`;
}

/** Re-refine one group of a fact from its prompts' cached scores under the given settings (the method's rule, negatives included). */
export function refineGroup(fact: FactResult, group: string, settings: Settings): RefinedSet {
  const prompts = groupPrompts(fact, group);
  const coarse: Neuron[][] = [];
  let fromScores = 0;
  for (const p of prompts) {
    const c = promptCoarse(p, settings.rule);
    if (c) {
      coarse.push(c);
      if (p.scores) fromScores++;
    }
  }
  const base = { id: setId(fact.name, group), fact: fact.name, group, nPrompts: prompts.length };
  if (coarse.length === 0) {
    const refined = uniqueNeurons(fact.groups?.[group]?.refined ?? []);
    return { ...base, nCounted: 0, source: 'given', refined, counts: {} };
  }
  const negatives = groupNegatives(fact, group)
    .map((p) => promptCoarse(p, settings.rule))
    .filter((c): c is Neuron[] => c !== undefined);
  const { refined, counts } = refineCoarseGroup(coarse, negatives, settings.p);
  return {
    ...base,
    nCounted: coarse.length,
    source: fromScores === coarse.length ? 'scores' : 'coarse',
    refined,
    counts,
  };
}

// ---------------------------------------------------------------------------------------------
// Overlaps between sets

export interface Intersection {
  /** Ids of the sets that hold exactly these neurons (and no other compared set does). */
  sets: string[];
  count: number;
  neurons: Neuron[];
}

export interface Overlap {
  sets: string[];
  /** Neurons in every set (with ≥2 sets: language-independent when the sets are languages). */
  shared: Neuron[];
  /** Neurons in at least two sets but not in all of them. */
  some: Neuron[];
  /** Per set: neurons in that set only (empty when fewer than two sets are compared). */
  specific: Record<string, Neuron[]>;
  union: Neuron[];
  /** For each neuron of the union (by key): ids of the sets that hold it, in `sets` order. */
  membership: Record<string, string[]>;
  /** UpSet-style exclusive intersections: each distinct combination of sets → its neurons; by count descending, then fewer sets first, then set order. */
  intersections: Intersection[];
}

export function setOverlaps(sets: Array<{ id: string; neurons: Neuron[] }>): Overlap {
  const ids = sets.map((s) => s.id);
  const membership: Record<string, string[]> = {};
  for (const s of sets) {
    for (const n of uniqueNeurons(s.neurons)) (membership[neuronKey(n)] ??= []).push(s.id);
  }
  const union = sortNeurons(Object.keys(membership).map(parseNeuronKey));
  const shared: Neuron[] = [];
  const some: Neuron[] = [];
  const specific: Record<string, Neuron[]> = {};
  if (ids.length >= 2) for (const id of ids) specific[id] = [];
  const combos = new Map<string, Intersection>();
  for (const n of union) {
    const m = membership[neuronKey(n)];
    if (m.length === ids.length) shared.push(n);
    else if (m.length >= 2) some.push(n);
    else if (ids.length >= 2) specific[m[0]].push(n);
    const ck = JSON.stringify(m);
    let c = combos.get(ck);
    if (!c) combos.set(ck, (c = { sets: m, count: 0, neurons: [] }));
    c.count++;
    c.neurons.push(n);
  }
  const order = (x: Intersection) => x.sets.map((id) => ids.indexOf(id));
  const intersections = [...combos.values()].sort((a, b) => {
    if (b.count !== a.count) return b.count - a.count;
    if (a.sets.length !== b.sets.length) return a.sets.length - b.sets.length;
    const oa = order(a);
    const ob = order(b);
    for (let i = 0; i < oa.length; i++) if (oa[i] !== ob[i]) return oa[i] - ob[i];
    return 0;
  });
  return { sets: ids, shared, some, specific, union, membership, intersections };
}

// ---------------------------------------------------------------------------------------------
// Layers, attribution matrices, occurrences

/** How many of the neurons sit in each layer (length = layers). */
export function layerDistribution(neurons: Neuron[], layers: number): number[] {
  const out = new Array<number>(layers).fill(0);
  for (const n of uniqueNeurons(neurons)) if (n.layer >= 0 && n.layer < layers) out[n.layer]++;
  return out;
}

/** Element-wise mean of the scores of the prompts that have them; undefined when none has. */
/**
 * How a group's prompts are averaged: `raw` scores, or `normalised` (each prompt's scores divided
 * by its maximum score first). Raw scores of different prompts can differ by 100× and more, so
 * their mean is one prompt's picture; normalised, every prompt counts alike, as in the coarse rule
 * (a share of each prompt's own maximum).
 */
export type MeanScale = 'normalised' | 'raw';

/** The scale a prompt's scores are divided by: its maximum score (its largest |score| when none is positive). */
export function promptScale(scores: number[][]): number {
  const mx = maxScore(scores);
  if (mx > 0) return mx;
  let a = 0;
  for (const row of scores) for (const v of row) if (Number.isFinite(v)) a = Math.max(a, Math.abs(v));
  return a > 0 ? a : 1;
}

export function meanScores(prompts: PromptResult[], scale: MeanScale = 'raw'): { mean: number[][]; n: number } | undefined {
  const withScores = prompts.filter((p) => p.scores && p.scores.length > 0);
  if (withScores.length === 0) return undefined;
  const first = withScores[0].scores as number[][];
  const mean = first.map((row) => new Array<number>(row.length).fill(0));
  for (const p of withScores) {
    const s = p.scores as number[][];
    const k = scale === 'normalised' ? 1 / promptScale(s) : 1;
    for (let l = 0; l < mean.length; l++) {
      for (let i = 0; i < mean[l].length; i++) mean[l][i] += (s[l]?.[i] ?? 0) * k;
    }
  }
  for (const row of mean) for (let i = 0; i < row.length; i++) row[i] /= withScores.length;
  return { mean, n: withScores.length };
}

/** Neuron indices of one layer ordered by score, highest first (ties: lower index first). */
export function orderByScore(row: number[]): number[] {
  const idx = row.map((_, i) => i);
  const v = (i: number) => (Number.isFinite(row[i]) ? row[i] : -Infinity);
  return idx.sort((a, b) => v(b) - v(a) || a - b);
}

export interface HeatmapRow {
  layer: number;
  /** Neuron indices, highest score first. */
  order: number[];
  /** Scores in `order`. */
  values: number[];
}

/** Rows of the layer × neuron heatmap: one per layer, neurons ordered by score. */
export function heatmapRows(matrix: number[][]): HeatmapRow[] {
  return matrix.map((row, layer) => {
    const order = orderByScore(row);
    return { layer, order, values: order.map((i) => row[i]) };
  });
}

/** Largest absolute finite value of a matrix (0 when none): the colour scale's extent. */
export function maxAbs(matrix: number[][]): number {
  let m = 0;
  for (const row of matrix) for (const v of row) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

export interface Occurrence {
  fact: string;
  prompt: string;
  lang: string;
  /** The neuron's attribution score in that prompt (NaN when only cached coarse neurons were known). */
  score: number;
  /** The score relative to the prompt's maximum score. */
  relative: number;
}

/** Every prompt (of the given facts, default all) where the neuron is coarse under the rule, by score descending. */
export function neuronOccurrences(data: CompareData, neuron: Neuron, rule: CoarseRule, facts?: string[]): Occurrence[] {
  const out: Occurrence[] = [];
  const key = neuronKey(neuron);
  for (const f of data.facts) {
    if (facts && !facts.includes(f.name)) continue;
    for (const p of f.prompts) {
      const c = promptCoarse(p, rule);
      if (!c || !c.some((n) => neuronKey(n) === key)) continue;
      const score = p.scores?.[neuron.layer]?.[neuron.index] ?? NaN;
      const mx = p.scores ? maxScore(p.scores) : NaN;
      out.push({ fact: f.name, prompt: p.text, lang: p.lang, score, relative: mx > 0 ? score / mx : NaN });
    }
  }
  const v = (o: Occurrence) => (Number.isFinite(o.score) ? o.score : -Infinity);
  return out.sort((a, b) => v(b) - v(a));
}

// ---------------------------------------------------------------------------------------------
// Effects of suppressing / enhancing the refined neurons

export interface EffectsStat {
  n: number;
  /** Mean relative change of P(target) with the neurons suppressed / enhanced (NaN when n = 0). */
  suppress: number;
  enhance: number;
}

export interface EffectsSummary {
  own: EffectsStat;
  control: EffectsStat;
}

function meanOf(xs: number[]): number {
  const v = xs.filter((x) => Number.isFinite(x));
  return v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length;
}

export function effectsStat(rows: FactEffects['own']): EffectsStat {
  return {
    n: rows.length,
    suppress: meanOf(rows.map((r) => relativeChange(r.before, r.suppressed))),
    enhance: meanOf(rows.map((r) => relativeChange(r.before, r.enhanced))),
  };
}

export function effectsSummary(effects: FactEffects): EffectsSummary {
  return { own: effectsStat(effects.own ?? []), control: effectsStat(effects.control ?? []) };
}

/** The effects view's summary line: changes with two significant digits (a tiny one is −0.0031%, never "-0.00%"). */
export function effectsSummaryText(answer: string, sum: EffectsSummary): string {
  return (
    `Mean relative change of P(${answer}) \u2014 own prompts: suppressed ${formatChange(sum.own.suppress)}, enhanced ${formatChange(sum.own.enhance)}; ` +
    `control prompts: suppressed ${formatChange(sum.control.suppress)}, enhanced ${formatChange(sum.control.enhance)}.`
  );
}

// ---------------------------------------------------------------------------------------------
// The whole comparison the panel shows

export interface CompareSelection {
  facts: string[];
  groups: string[];
}

export interface CompareModel {
  settings: Settings;
  sets: RefinedSet[];
  overlap: Overlap;
  /** Per set id: refined neurons per layer. */
  layers: Record<string, number[]>;
  /** Per selected fact with effects. */
  effects: Record<string, EffectsSummary>;
}

/** The sets compared for a selection: each chosen fact × each chosen group the fact has. */
export function compareModel(data: CompareData, sel: CompareSelection, settings: Settings): CompareModel {
  const sets: RefinedSet[] = [];
  const effects: Record<string, EffectsSummary> = {};
  for (const f of data.facts) {
    if (!sel.facts.includes(f.name)) continue;
    const groups = factGroups(f);
    for (const g of sel.groups) if (groups.includes(g)) sets.push(refineGroup(f, g, settings));
    if (f.effects) effects[f.name] = effectsSummary(f.effects);
  }
  const overlap = setOverlaps(sets.map((s) => ({ id: s.id, neurons: s.refined })));
  const layers: Record<string, number[]> = {};
  for (const s of sets) layers[s.id] = layerDistribution(s.refined, data.layers);
  return { settings, sets, overlap, layers, effects };
}

/** Which overlap class a neuron of the union falls in. */
export function overlapClass(o: Overlap, n: Neuron): 'shared' | 'some' | 'specific' | 'none' {
  const m = o.membership[neuronKey(n)];
  if (!m) return 'none';
  if (m.length === o.sets.length) return 'shared';
  return m.length >= 2 ? 'some' : 'specific';
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Refined neurons of every compared set, one row per (set, neuron). */
export function refinedCsv(model: CompareModel): string {
  const rows: Array<Array<string | number>> = [['fact', 'group', 'layer', 'neuron', 'prompts_coarse', 'prompts_counted', 'share', 'overlap', 'sets']];
  for (const s of model.sets) {
    for (const n of s.refined) {
      const c = s.counts[neuronKey(n)];
      rows.push([
        s.fact,
        s.group,
        n.layer,
        n.index,
        c ?? '',
        s.nCounted,
        c !== undefined && s.nCounted > 0 ? c / s.nCounted : '',
        overlapClass(model.overlap, n),
        (model.overlap.membership[neuronKey(n)] ?? []).join(' | '),
      ]);
    }
  }
  return toCsv(rows);
}

/** UpSet intersections: one row per combination of sets. */
export function intersectionsCsv(o: Overlap): string {
  const rows: Array<Array<string | number>> = [['sets', 'count', 'neurons']];
  for (const x of o.intersections) {
    rows.push([x.sets.join(' | '), x.count, x.neurons.map(neuronKey).join(' ')]);
  }
  return toCsv(rows);
}

export function layersCsv(model: CompareModel, layers: number): string {
  const rows: Array<Array<string | number>> = [['layer', ...model.sets.map((s) => s.id)]];
  for (let l = 0; l < layers; l++) rows.push([l, ...model.sets.map((s) => model.layers[s.id]?.[l] ?? 0)]);
  return toCsv(rows);
}

/** A score matrix in long form: layer, neuron, rank within its layer (1 = highest), score. */
export function heatmapCsv(matrix: number[][]): string {
  const rows: Array<Array<string | number>> = [['layer', 'neuron', 'rank', 'score']];
  heatmapRows(matrix).forEach((r) => {
    r.order.forEach((idx, rank) => rows.push([r.layer, idx, rank + 1, r.values[rank]]));
  });
  return toCsv(rows);
}

export function effectsCsv(facts: FactResult[]): string {
  const rows: Array<Array<string | number>> = [['fact', 'prompts', 'prompt', 'before', 'suppressed', 'enhanced', 'rel_suppressed', 'rel_enhanced']];
  for (const f of facts) {
    if (!f.effects) continue;
    for (const kind of ['own', 'control'] as const) {
      for (const r of f.effects[kind]) {
        rows.push([f.name, kind, r.text, r.before, r.suppressed, r.enhanced, relativeChange(r.before, r.suppressed), relativeChange(r.before, r.enhanced)]);
      }
    }
  }
  return toCsv(rows);
}

export function occurrencesCsv(neuron: Neuron, occ: Occurrence[]): string {
  const rows: Array<Array<string | number>> = [['layer', 'neuron', 'fact', 'lang', 'prompt', 'score', 'relative']];
  for (const o of occ) rows.push([neuron.layer, neuron.index, o.fact, o.lang, o.prompt, o.score, o.relative]);
  return toCsv(rows);
}
