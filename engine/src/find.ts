/**
 * One fact through the whole method with a loaded model: scores per prompt → coarse → the method's
 * refined sets (method/) → suppress / enhance effects of the refined neurons.
 */
import { KnError } from './errors';
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
  const [r] = await findFacts(model, [fact], settings, { keepScores: opts.keepScores, onPrompt: opts.onPrompt && ((_, text) => opts.onPrompt!(text)) });
  if (r.error) throw r.error;
  return r.found;
}

/**
 * What `findFacts` gives for one fact: what it found, or the KnError it failed with, and `prompt`,
 * the index in `fact.prompts` of the prompt that failed (none when the fact as a whole did).
 */
export type FactOutcome = { found: FoundFact; error?: undefined } | { found?: undefined; error: KnError; prompt?: number };

/**
 * `findFact` of several facts at once: all their prompts are scored in one call, so that prompts of
 * one graph length share a session whichever fact they belong to (see `Model.scoresEach`). A fact
 * that fails (a KnError) fails alone: the others' results are those each would have alone, and
 * every prompt is scored and reported once. `onPrompt(fact, text)` reports each prompt as it is
 * scored, and a prompt that cannot be encoded as it fails.
 */
export async function findFacts(
  model: Model,
  facts: FactInput[],
  settings: FindSettings,
  opts: { onPrompt?: (fact: number, text: string) => void; keepScores?: boolean } = {},
): Promise<FactOutcome[]> {
  const outcomes: (FactOutcome | undefined)[] = facts.map(() => undefined);
  const fail = (f: number, e: unknown, prompt?: number) => {
    if (!(e instanceof KnError)) throw e;
    outcomes[f] = { error: e, prompt };
  };
  // Each fact's prompts, positives first, then the negatives (the order progress is reported in),
  // with their index in the fact; a fact whose groups or prompts are wrong fails before any scoring.
  const ordered = facts.map((fact, f) => {
    const indexed = fact.prompts.map((p, i) => ({ ...p, i }));
    const prompts = [...indexed.filter((p) => !p.negative), ...indexed.filter((p) => p.negative)];
    try {
      checkGroups(fact.name, fact.prompts);
    } catch (e) {
      fail(f, e);
      return prompts;
    }
    for (const p of prompts)
      try {
        model.encode(p.text, p.answer);
      } catch (e) {
        opts.onPrompt?.(f, p.text);
        fail(f, e, p.i);
        break;
      }
    return prompts;
  });
  const all = ordered.flatMap((prompts, f) => (outcomes[f] ? [] : prompts.map((p) => ({ f, p }))));
  const scoreOpts = { steps: settings.steps, batchSize: settings.batchSize ?? undefined, method: settings.method, quadrature: settings.quadrature };
  let scores: Awaited<ReturnType<Model['scoresEach']>>;
  try {
    scores = await model.scoresEach(
      all.map(({ p }) => ({ prompt: p.text, target: p.answer })),
      scoreOpts,
      (i) => opts.onPrompt?.(all[i].f, all[i].p.text),
    );
  } catch (e) {
    // A failure of the whole call (e.g. a prompt too long for this machine's memory refuses its
    // graph before anything runs): each fact alone, so that it is only that prompt's fact's.
    if (!(e instanceof KnError) || all.length === 0) throw e;
    if (new Set(all.map((a) => a.f)).size === 1) {
      fail(all[0].f, e);
      return outcomes as FactOutcome[];
    }
    for (const [f, fact] of facts.entries())
      if (!outcomes[f]) outcomes[f] = (await findFacts(model, [fact], settings, { ...opts, onPrompt: opts.onPrompt && ((_, t) => opts.onPrompt!(f, t)) }))[0];
    return outcomes as FactOutcome[];
  }
  const scored = ordered.map(() => [] as ScoredPrompt[]);
  all.forEach(({ f, p }, k) => {
    const s = scores[k];
    if (outcomes[f]) return;
    if (s instanceof KnError) return fail(f, s, p.i);
    scored[f].push({ ...p, p_target: s.p_target, p_joint: s.p_joint, scores: s.scores, coarse: coarseNeurons(s.scores, settings.rule) });
  });
  for (const [f, fact] of facts.entries()) {
    if (outcomes[f]) continue;
    try {
      outcomes[f] = { found: await foundFact(model, fact, scored[f], settings, opts.keepScores) };
    } catch (e) {
      fail(f, e);
    }
  }
  return outcomes as FactOutcome[];
}

type ScoredPrompt = FactInput['prompts'][number] & { p_target: number; p_joint: number; scores: number[][]; coarse: Neuron[] };

/** A fact's result from its scored prompts: the refined sets and the effects of the refined neurons. */
async function foundFact(model: Model, fact: FactInput, scored: ScoredPrompt[], settings: FindSettings, keepScores?: boolean): Promise<FoundFact> {
  const refined = refineFact(scored, settings.p);
  const pos = scored.filter((p) => !p.negative);
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
      ...(keepScores ? { scores: p.scores } : {}),
    })),
    groups: Object.fromEntries(Object.entries(refined.groups).map(([g, r]) => [g, { refined: r.refined.map(pair) }])),
    refined: refined.refined.map(pair),
    shared: refined.shared.map(pair),
    removed_by_negatives: refined.removedByNegatives.map(pair),
    effects: await effectsOf(model, pos, refined.refined, settings.factor),
  };
}

/** Suppress and enhance effects of `neurons` on prompts (each with its own answer). */
export async function effectsOf(model: Model, prompts: { text: string; lang: string; answer: string }[], neurons: Neuron[], factor: number) {
  const effects = [];
  for (const p of prompts) {
    const e = await model.suppressAndEnhance(p.text, p.answer, neurons, factor);
    effects.push({ text: p.text, lang: p.lang, before: e.before.p_target, suppressed: e.suppressed.p_target, enhanced: e.enhanced.p_target });
  }
  return effects;
}
