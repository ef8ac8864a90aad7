/**
 * The whole method over a dataset's facts: scores per prompt → coarse → refined per group →
 * negatives removed → shared across languages → suppress / enhance effects of the refined neurons.
 */
import { KnError } from './errors';
import type { Model } from './model/model';
import { compareNeurons, coarseNeurons, neuronKey, refineNeurons, withoutNegatives } from './neurons';
import type { CoarseRule, IgMethod, Neuron, Quadrature } from './types';

export interface FindSettings {
  steps: number;
  batchSize?: number;
  method: IgMethod;
  quadrature: Quadrature;
  rule: CoarseRule;
  p: number;
  factor: number;
}

export const DEFAULT_SETTINGS: FindSettings = { steps: 20, method: 'ig', quadrature: 'reference', rule: { kind: 'adaptive', value: 0.3 }, p: 0.5, factor: 2 };

export interface FactInput {
  name: string;
  answers: Record<string, string>;
  prompts: { text: string; lang: string; answer: string; negative: boolean }[];
}

type Pair = [number, number];

export interface FoundFact {
  name: string;
  answer: string;
  prompts: { text: string; lang: string; answer: string; p_target: number; coarse: Pair[]; scores?: number[][] }[];
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
  return (await findFacts(model, [fact], settings, { ...opts, onPrompt: opts.onPrompt && ((_, text) => opts.onPrompt!(text)) }))[0];
}

/**
 * `findFact` for several facts. Every prompt of every fact is scored first in one `scoresMany`,
 * which groups them by graph length, so a file of mixed lengths builds each session once.
 * `onPrompt` is called as each prompt's scores are done (or, for a prompt that cannot be encoded, before its error).
 */
export async function findFacts(
  model: Model,
  facts: FactInput[],
  settings: FindSettings,
  opts: { onPrompt?: (fact: string, text: string) => void; keepScores?: boolean } = {},
): Promise<FoundFact[]> {
  for (const fact of facts) {
    const positives = fact.prompts.filter((p) => !p.negative);
    for (const lang of new Set(positives.map((p) => p.lang))) {
      const answers = [...new Set(positives.filter((p) => p.lang === lang).map((p) => p.answer))];
      if (answers.length > 1) throw new KnError(`group '${lang || 'all'}' of fact '${fact.name}' mixes answers (${answers.join(', ')}); a group's prompts must share one answer`);
    }
  }
  // Positives first, then negatives, fact by fact.
  const ordered = facts.map((f) => [...f.prompts.filter((p) => !p.negative), ...f.prompts.filter((p) => p.negative)]);
  const all = ordered.flatMap((ps, i) => ps.map((p) => ({ fact: facts[i].name, prompt: p.text, target: p.answer })));
  // A prompt that cannot be encoded is reported as the prompt in progress when its error is thrown.
  for (const it of all)
    try {
      model.encode(it.prompt, it.target);
    } catch (e) {
      opts.onPrompt?.(it.fact, it.prompt);
      throw e;
    }
  const scores = await model.scoresMany(all, { steps: settings.steps, batchSize: settings.batchSize, method: settings.method, quadrature: settings.quadrature }, (i) => opts.onPrompt?.(all[i].fact, all[i].prompt));
  let next = 0;
  const found: FoundFact[] = [];
  for (let i = 0; i < facts.length; i++) {
    const scored = ordered[i].map((p) => {
      const s = scores[next++];
      return { ...p, p_target: s.p_target, scores: s.scores, coarse: coarseNeurons(s.scores, settings.rule) };
    });
    found.push(await factResult(model, facts[i], scored, settings, opts.keepScores));
  }
  return found;
}

/** Refined, per-group and shared neurons of one fact from its prompts' scores, and their effects. */
async function factResult(
  model: Model,
  fact: FactInput,
  scored: (FactInput['prompts'][number] & { p_target: number; scores: number[][]; coarse: Neuron[] })[],
  settings: FindSettings,
  keepScores?: boolean,
): Promise<FoundFact> {
  const pos = scored.filter((p) => !p.negative);
  const neg = scored.filter((p) => p.negative);

  const groups: Record<string, Neuron[]> = {};
  const langs = [...new Set(pos.map((p) => p.lang || 'all'))];
  for (const lang of langs) groups[lang] = refineNeurons(pos.filter((p) => (p.lang || 'all') === lang).map((p) => p.coarse), settings.p);
  if (new Set(pos.map((p) => p.answer)).size === 1 && !groups.all) groups.all = refineNeurons(pos.map((p) => p.coarse), settings.p);
  const beforeNegatives = refineNeurons(pos.map((p) => p.coarse), settings.p);
  const refined = withoutNegatives(beforeNegatives, neg.map((p) => p.coarse), settings.p);
  const kept = new Set(refined.map(neuronKey));
  const languageGroups = langs.filter((l) => l !== 'all');
  const shared = languageGroups.length
    ? groups[languageGroups[0]].filter((n) => languageGroups.every((l) => groups[l].some((m) => neuronKey(m) === neuronKey(n))) && kept.has(neuronKey(n)))
    : refined;

  const effects = [];
  for (const p of pos) {
    const sup = await model.intervene(p.text, p.answer, refined, { mode: 'suppress' });
    const enh = await model.intervene(p.text, p.answer, refined, { mode: 'enhance', factor: settings.factor });
    effects.push({ text: p.text, lang: p.lang, before: sup.before.p_target, suppressed: sup.after.p_target, enhanced: enh.after.p_target });
  }
  const answers = Object.entries(fact.answers);
  return {
    name: fact.name,
    answer: answers.length === 1 ? answers[0][1] : answers.map(([l, a]) => `${l}: ${a}`).join(' | '),
    prompts: scored.filter((p) => !p.negative).map((p) => ({ text: p.text, lang: p.lang, answer: p.answer, p_target: p.p_target, coarse: p.coarse.map(pair), ...(keepScores ? { scores: p.scores } : {}) })),
    groups: Object.fromEntries(Object.entries(groups).map(([g, ns]) => [g, { refined: ns.map(pair) }])),
    refined: refined.map(pair),
    shared: shared.sort(compareNeurons).map(pair),
    removed_by_negatives: beforeNegatives.filter((n) => !kept.has(neuronKey(n))).map(pair),
    effects,
  };
}
