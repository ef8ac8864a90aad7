/**
 * One fact through the whole method with a loaded model: scores per prompt → coarse → the method's
 * refined sets (method/) → suppress / enhance effects of the refined neurons.
 */
import { checkGroups, refineFact, MethodSettings } from './method';
import type { Model } from './model/model';
import { coarseNeurons } from './neurons';
import type { Neuron } from './types';

/** What `findFact` needs of the settings (the device is the loaded model's). */
export type FindSettings = Omit<MethodSettings, 'device' | 'batchSize'> & { batchSize?: number | null };

export interface FactInput {
  name: string;
  answers: Record<string, string>;
  prompts: { text: string; lang: string; answer: string; negative: boolean }[];
}

type Pair = [number, number];

export interface FoundFact {
  name: string;
  answer: string;
  prompts: { text: string; lang: string; answer: string; p_target: number; p_joint: number; coarse: Pair[]; scores?: number[][] }[];
  groups: Record<string, { refined: Pair[] }>;
  refined: Pair[];
  /** Refined in every language group: language-independent neurons. */
  shared: Pair[];
  /** Refined neurons removed because the negative examples share them. */
  removed_by_negatives: Pair[];
  effects: { text: string; lang: string; before: number; suppressed: number; enhanced: number }[];
}

const pair = (n: Neuron): Pair => [n.layer, n.index];

export async function findFact(
  model: Model,
  fact: FactInput,
  settings: FindSettings,
  opts: { onPrompt?: (text: string) => void; keepScores?: boolean } = {},
): Promise<FoundFact> {
  checkGroups(fact.name, fact.prompts);
  // positives first, then the negatives (the order progress is reported in)
  const ordered = [...fact.prompts.filter((p) => !p.negative), ...fact.prompts.filter((p) => p.negative)];
  // A prompt that cannot be encoded is reported as the prompt in progress when its error is thrown.
  for (const p of ordered)
    try {
      model.encode(p.text, p.answer);
    } catch (e) {
      opts.onPrompt?.(p.text);
      throw e;
    }
  // One call for all prompts: they run grouped by graph length (see `Model.scoresMany`); progress as each is done.
  const all = await model.scoresMany(
    ordered.map((p) => ({ prompt: p.text, target: p.answer })),
    { steps: settings.steps, batchSize: settings.batchSize ?? undefined, method: settings.method, quadrature: settings.quadrature },
    (i) => opts.onPrompt?.(ordered[i].text),
  );
  const scored = ordered.map((p, i) => ({
    ...p,
    p_target: all[i].p_target,
    p_joint: all[i].p_joint,
    scores: all[i].scores,
    coarse: coarseNeurons(all[i].scores, settings.rule),
  }));
  const found = refineFact(scored, settings.p);
  const pos = scored.filter((p) => !p.negative);
  const effects = [];
  for (const p of pos) {
    const sup = await model.intervene(p.text, p.answer, found.refined, { mode: 'suppress' });
    const enh = await model.intervene(p.text, p.answer, found.refined, { mode: 'enhance', factor: settings.factor });
    effects.push({ text: p.text, lang: p.lang, before: sup.before.p_target, suppressed: sup.after.p_target, enhanced: enh.after.p_target });
  }
  const answers = Object.entries(fact.answers);
  return {
    name: fact.name,
    answer: answers.length === 1 ? answers[0][1] : answers.map(([l, a]) => `${l}: ${a}`).join(' | '),
    prompts: pos.map((p) => ({
      text: p.text,
      lang: p.lang,
      answer: p.answer,
      p_target: p.p_target,
      p_joint: p.p_joint,
      coarse: p.coarse.map(pair),
      ...(opts.keepScores ? { scores: p.scores } : {}),
    })),
    groups: Object.fromEntries(Object.entries(found.groups).map(([g, r]) => [g, { refined: r.refined.map(pair) }])),
    refined: found.refined.map(pair),
    shared: found.shared.map(pair),
    removed_by_negatives: found.removedByNegatives.map(pair),
    effects,
  };
}
