/**
 * The method's central step, in one place (Dai et al. 2021): which prompts form a group, which
 * neurons stay refined, what the `not:` lines remove, which neurons every language shares, and
 * the defaults. The CLI (`kn find`), the language server and the compare panel all call this
 * module, so that they show the same refined sets.
 *
 * The rule:
 * - Groups (positive prompts only): one per language tag; `all` is every positive prompt when they
 *   share one answer, else the untagged prompts (if any).
 * - A group's refined neurons: coarse in more than p × n of its n prompts (`refineNeurons`), less what its negatives share (`refineCoarseGroup`).
 * - Negatives: the `not:` prompts that apply to a group are those tagged with its language or
 *   untagged (every one of them for `all`). A refined neuron is removed when it is coarse in more
 *   than p of those negatives (`withoutNegatives`): the same test for every group.
 * - The fact's `refined` set is `all`'s, or the union of the language groups when there is no `all`.
 * - `shared`: refined in every language group (language-independent) and in `refined`.
 */
import { KnError } from '../errors';
import { coarseCounts, neuronKey, refineNeurons, sortNeurons, uniqueNeurons, withoutNegatives } from '../neurons';
import type { CoarseRule, Device, IgMethod, Neuron, Quadrature, WeightStorage } from '../types';

// ------------------------------------------------------------------------------------ settings

/** Everything that decides a fact's numbers, with the names the CLI and the server share. */
export interface MethodSettings {
  steps: number;
  /** Rows per integrated-gradients run; null = as many as memory allows. */
  batchSize: number | null;
  method: IgMethod;
  quadrature: Quadrature;
  rule: CoarseRule;
  p: number;
  /** Factor of `enhance`. */
  factor: number;
  device: Device;
  /** How the weight matrices are kept (int16 and int8 change the numbers within the README's tolerances). */
  weights: WeightStorage;
}

/** The one place the method's defaults are written (package.json's declared defaults are tested against it). */
export const METHOD_DEFAULTS: Readonly<MethodSettings> = Object.freeze({
  steps: 20,
  batchSize: null,
  method: 'ig',
  quadrature: 'reference',
  rule: Object.freeze({ kind: 'adaptive', value: 0.3 }) as CoarseRule,
  p: 0.5,
  factor: 2,
  device: 'auto',
  weights: 'float32',
});

/** One source of settings (command-line flags, a file's directives, the editor's settings): what it leaves undefined, the next decides. */
export type SettingsLayer = { [K in keyof MethodSettings]?: MethodSettings[K] | undefined };

/**
 * The settings a run uses: for each setting the first layer that gives it, else METHOD_DEFAULTS.
 * The CLI passes [flags, directives]; the server [directives, editor settings].
 */
export function resolveMethodSettings(...layers: SettingsLayer[]): MethodSettings {
  const out = { ...METHOD_DEFAULTS } as MethodSettings;
  for (const key of Object.keys(METHOD_DEFAULTS) as Array<keyof MethodSettings>) {
    for (const layer of layers) {
      const v = layer[key];
      if (v !== undefined) {
        (out as unknown as Record<string, unknown>)[key] = v;
        break;
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------ groups

/** What the rule needs to know of a prompt to place it. */
export interface GroupedPrompt {
  /** Language tag, or `''` when untagged. */
  lang: string;
  answer: string;
  negative: boolean;
}

export interface GroupMembers {
  /** Indices (into the fact's prompt list) of the group's positive prompts. */
  members: number[];
  /** Indices of the negative prompts that apply to the group. */
  negatives: number[];
}

/** The fact's groups, language tags first (in order of appearance), then `all`. */
export function factGroups(prompts: readonly GroupedPrompt[]): Record<string, GroupMembers> {
  const positives = prompts.map((p, i) => ({ p, i })).filter(({ p }) => !p.negative);
  const negatives = prompts.map((p, i) => ({ p, i })).filter(({ p }) => p.negative);
  const groups: Record<string, GroupMembers> = {};
  for (const lang of new Set(positives.map(({ p }) => p.lang).filter((l) => l !== ''))) {
    groups[lang] = {
      members: positives.filter(({ p }) => p.lang === lang).map(({ i }) => i),
      negatives: negatives.filter(({ p }) => p.lang === lang || p.lang === '').map(({ i }) => i),
    };
  }
  const oneAnswer = new Set(positives.map(({ p }) => p.answer)).size === 1;
  const all = oneAnswer ? positives : positives.filter(({ p }) => p.lang === '');
  if (all.length) groups.all = { members: all.map(({ i }) => i), negatives: negatives.map(({ i }) => i) };
  return groups;
}

/** A language group whose prompts ask for different answers cannot be refined together. */
export function checkGroups(fact: string, prompts: readonly GroupedPrompt[]): void {
  for (const [name, g] of Object.entries(factGroups(prompts))) {
    const answers = [...new Set(g.members.map((i) => prompts[i].answer))];
    if (answers.length > 1)
      throw new KnError(`group '${name}' of fact '${fact}' mixes answers (${answers.join(', ')}); a group's prompts must share one answer`);
  }
}

// ------------------------------------------------------------------------------------ refining

export interface RefinedGroup {
  refined: Neuron[];
  /** Refined before the negatives were applied. */
  beforeNegatives: Neuron[];
  /** For each refined neuron (by key): in how many of the group's prompts it is coarse. */
  counts: Record<string, number>;
  /** Prompts counted (with coarse neurons known). */
  n: number;
  /** Negative prompts applied. */
  negatives: number;
}

/** One group's refined neurons from its prompts' coarse neurons, less what its negatives share. */
export function refineCoarseGroup(coarse: Neuron[][], negativeCoarse: Neuron[][], p: number): RefinedGroup {
  const beforeNegatives = refineNeurons(coarse, p);
  const refined = withoutNegatives(beforeNegatives, negativeCoarse, p);
  const all = coarseCounts(coarse);
  const counts: Record<string, number> = {};
  for (const n of refined) counts[neuronKey(n)] = all.get(neuronKey(n)) ?? 0;
  return { refined, beforeNegatives, counts, n: coarse.length, negatives: negativeCoarse.length };
}

/** A prompt with its coarse neurons (undefined when unknown: the prompt takes no part). */
export interface CoarsePrompt extends GroupedPrompt {
  coarse: Neuron[] | undefined;
}

export interface RefinedFact {
  groups: Record<string, RefinedGroup>;
  refined: Neuron[];
  shared: Neuron[];
  removedByNegatives: Neuron[];
  /** Negative prompts with known coarse neurons. */
  negatives: number;
}

/** The whole central step for one fact. */
export function refineFact(prompts: readonly CoarsePrompt[], p: number): RefinedFact {
  const known = (ids: number[]) => ids.map((i) => prompts[i].coarse).filter((c): c is Neuron[] => c !== undefined);
  const groups: Record<string, RefinedGroup> = {};
  for (const [name, g] of Object.entries(factGroups(prompts))) {
    const coarse = known(g.members);
    if (coarse.length) groups[name] = refineCoarseGroup(coarse, known(g.negatives), p);
  }
  const languages = Object.keys(groups).filter((g) => g !== 'all');
  const refined = groups.all ? groups.all.refined : uniqueNeurons(languages.flatMap((g) => groups[g].refined));
  const inRefined = new Set(refined.map(neuronKey));
  const inEvery = (n: Neuron) => languages.every((g) => groups[g].refined.some((m) => neuronKey(m) === neuronKey(n)));
  const shared = languages.length ? groups[languages[0]].refined.filter((n) => inEvery(n) && inRefined.has(neuronKey(n))) : refined;
  const removed = Object.values(groups).flatMap((g) => {
    const kept = new Set(g.refined.map(neuronKey));
    return g.beforeNegatives.filter((n) => !kept.has(neuronKey(n)));
  });
  return {
    groups,
    refined,
    shared: sortNeurons(shared),
    removedByNegatives: uniqueNeurons(removed),
    negatives: prompts.filter((x) => x.negative && x.coarse !== undefined).length,
  };
}

/** The refined neurons that act on a prompt of the given language: its group's, else `all`'s. */
export function refinedFor(fact: { groups: Record<string, { refined: Neuron[] }> }, lang: string): Neuron[] {
  return (fact.groups[lang] ?? fact.groups.all ?? Object.values(fact.groups)[0])?.refined ?? [];
}
