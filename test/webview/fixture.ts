/**
 * Test data for the compare panel from the shared fixture: bert-tiny-facts/reference.json, the
 * reference implementation's real results (scores, coarse and refined neurons, effects).
 * Fixtures folder: $KN_FIXTURES, else ../shared/fixtures beside the repository.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompareData, FactResult, Neuron } from '../../engine/src/types';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const fixturesDir = process.env.KN_FIXTURES ?? path.resolve(repoRoot, '../shared/fixtures');
export const referencePath = path.join(fixturesDir, 'bert-tiny-facts', 'reference.json');

export interface RefPrompt {
  lang: string;
  split: string;
  text: string;
  answer: string;
  p_target: number;
  scores: number[][];
  coarse: Array<[number, number]>;
}

export interface RefFact {
  country: string;
  relation: string;
  prompts: RefPrompt[];
  [k: string]: unknown;
}

export interface Reference {
  model: string;
  settings: { adaptive_threshold: number; p: number };
  facts: RefFact[];
  paper_table: Array<{ relation: string; country: string; own: number[][]; control: number[][] }>;
}

let cached: Reference | undefined;

export function hasReference(): boolean {
  return fs.existsSync(referencePath);
}

export function loadReference(): Reference {
  cached ??= JSON.parse(fs.readFileSync(referencePath, 'utf8')) as Reference;
  return cached;
}

export const GROUPS = ['en', 'fr', 'all'] as const;

export function factName(f: RefFact): string {
  return `${f.country} ${f.relation}`;
}

export function toNeurons(pairs: Array<[number, number]>): Neuron[] {
  return pairs.map(([layer, index]) => ({ layer, index }));
}

/** The reference's refined neurons of a group, when it gives them. */
export function refRefined(f: RefFact, group: string): Neuron[] | undefined {
  const r = f[`refined_${group}`] as Array<[number, number]> | undefined;
  return r ? toNeurons(r) : undefined;
}

/** CompareData as the language server would send it, built from the reference's results. */
export function compareDataFromReference(opts: { facts?: number; withScores?: boolean } = {}): CompareData {
  const ref = loadReference();
  const facts: FactResult[] = ref.facts.slice(0, opts.facts ?? ref.facts.length).map((f) => {
    const groups: FactResult['groups'] = {};
    for (const g of GROUPS) {
      const r = refRefined(f, g);
      if (r) groups[g] = { refined: r };
    }
    const fact: FactResult = {
      name: factName(f),
      answer: f.prompts[0].answer,
      prompts: f.prompts.map((p) => ({
        text: p.text,
        lang: p.lang,
        p_target: p.p_target,
        scores: opts.withScores === false ? undefined : p.scores,
        coarse: toNeurons(p.coarse),
      })),
      groups,
    };
    const t = ref.paper_table.find((x) => x.country === f.country && x.relation === f.relation);
    if (t) {
      const ownTexts = f.prompts.filter((p) => p.lang === 'en' && p.split === 'train').map((p) => p.text);
      const row = (x: number[], text: string) => ({ text, before: x[0], suppressed: x[1], enhanced: x[2] });
      fact.effects = {
        own: t.own.map((x, i) => row(x, ownTexts.length === t.own.length ? ownTexts[i] : `own prompt ${i + 1}`)),
        control: t.control.map((x, i) => row(x, `control prompt ${i + 1}`)),
      };
    }
    return fact;
  });
  const p0 = ref.facts[0].prompts[0].scores;
  return {
    model: ref.model,
    layers: p0.length,
    neurons: p0[0].length,
    settings: { rule: { kind: 'adaptive', value: ref.settings.adaptive_threshold }, p: ref.settings.p },
    facts,
  };
}
