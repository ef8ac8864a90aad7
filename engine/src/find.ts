/**
 * One fact through the whole method with a loaded model: scores per prompt → coarse → the method's
 * refined sets (method/) → suppress / enhance effects of the refined neurons.
 */
import { checkGroups, refineFact, MethodSettings } from './method';
import type { Model } from './model/model';
import { coarseNeurons } from './neurons';
import type { Neuron } from './types';

/** What `findFact` needs of the settings (the device is the loaded model's). */
export type FindSettings = Omit<MethodSettings, 'device' | 'weights' | 'batchSize'> & { batchSize?: number | null };

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
  return (await findFacts(model, [fact], settings, { keepScores: opts.keepScores, onPrompt: opts.onPrompt && ((_, text) => opts.onPrompt!(text)) }))[0];
}

/**
 * `findFact` of several facts at once: all their prompts are scored in one call, so that prompts of
 * one graph length share a session whichever fact they belong to (see `Model.scoresMany`).
 * `onPrompt(fact, text)` reports each prompt as it is scored.
 */
export async function findFacts(
  model: Model,
  facts: FactInput[],
  settings: FindSettings,
  opts: { onPrompt?: (fact: number, text: string) => void; keepScores?: boolean } = {},
): Promise<FoundFact[]> {
  // positives first, then the negatives (the order progress is reported in)
  const ordered = facts.map((fact) => {
    checkGroups(fact.name, fact.prompts);
    return [...fact.prompts.filter((p) => !p.negative), ...fact.prompts.filter((p) => p.negative)];
  });
  const all = ordered.flatMap((prompts, f) => prompts.map((p) => ({ f, p })));
  // A prompt that cannot be encoded is reported as the prompt in progress when its error is thrown.
  for (const { f, p } of all)
    try {
      model.encode(p.text, p.answer);
    } catch (e) {
      opts.onPrompt?.(f, p.text);
      throw e;
    }
  const scores = await model.scoresMany(
    all.map(({ p }) => ({ prompt: p.text, target: p.answer })),
    { steps: settings.steps, batchSize: settings.batchSize ?? undefined, method: settings.method, quadrature: settings.quadrature },
    (i) => opts.onPrompt?.(all[i].f, all[i].p.text),
  );
  let next = 0;
  const found = [];
  for (const [f, fact] of facts.entries()) {
    const scored = ordered[f].map((p) => {
      const s = scores[next++];
      return { ...p, p_target: s.p_target, p_joint: s.p_joint, scores: s.scores, coarse: coarseNeurons(s.scores, settings.rule) };
    });
    const refined = refineFact(scored, settings.p);
    const pos = scored.filter((p) => !p.negative);
    const answers = Object.entries(fact.answers);
    found.push({
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
      groups: Object.fromEntries(Object.entries(refined.groups).map(([g, r]) => [g, { refined: r.refined.map(pair) }])),
      refined: refined.refined.map(pair),
      shared: refined.shared.map(pair),
      removed_by_negatives: refined.removedByNegatives.map(pair),
      effects: await effectsOf(model, pos, refined.refined, settings.factor),
    });
  }
  return found;
}

/** Suppress and enhance effects of `neurons` on prompts (each with its own answer). */
export async function effectsOf(model: Model, prompts: { text: string; lang: string; answer: string }[], neurons: Neuron[], factor: number) {
  const effects = [];
  for (const p of prompts) {
    const sup = await model.intervene(p.text, p.answer, neurons, { mode: 'suppress' });
    const enh = await model.intervene(p.text, p.answer, neurons, { mode: 'enhance', factor });
    effects.push({ text: p.text, lang: p.lang, before: sup.before.p_target, suppressed: sup.after.p_target, enhanced: enh.after.p_target });
  }
  return effects;
}
