/**
 * A document's results, from its entries: the method's refined sets per fact (engine/src/method,
 * in process), what the compare panel and exports receive, and the disk cache read back.
 */
import { refineFact, refinedFor } from '../../engine/src/method';
import { coarseNeurons } from '../../engine/src/neurons';
import { Fact, Prompt, formatAnswers } from '../../engine/src/prompts';
import type { FactResult, Neuron, PromptResult } from '../../engine/src/types';
import { isPrediction, isStoredScores, predictKey, scoresKey, unpackMatrix } from './cache';
import type { CancelToken } from './engineHost';
import type { Context, DocState } from './document';
import { entryKey } from './document';
import type { FactNeurons, PromptEntry } from './render';
import type { World } from './world';

/** What a fact's refined sets depend on: model, settings, prompts, and which prompts have scores so far. */
function factSignature(st: DocState, ctx: Context, fact: Fact): string {
  return JSON.stringify([ctx.id, ctx.ruleKey, fact.prompts.map((p) => [p.ok, p.negative, p.lang, p.answer, p.text, !!st.entryFor(p)?.scores])]);
}

/**
 * The method's refined sets for a fact over the usable prompts that have scores so far (cached per
 * signature): refined again as each prompt's scores come, with the count still to come (`pending`).
 */
export function factNeurons(st: DocState, ctx: Context, fact: Fact): FactNeurons | undefined {
  const sig = factSignature(st, ctx, fact);
  const have = st.neurons.get(fact.name);
  if (have && have.signature === sig) return have;
  // prompts the model refused (too long, …) take no part
  const valid = fact.prompts.filter((p) => {
    const e = p.ok && p.answer !== undefined ? st.entryFor(p) : undefined;
    return p.ok && p.answer !== undefined && !e?.predictionError && !e?.scoresError;
  });
  const usable = valid.filter((p) => st.entryFor(p)?.scores);
  const pending = valid.length - usable.length;
  if (!usable.some((p) => !p.negative)) return undefined;
  const entries = usable.map((p) => st.entryFor(p));
  for (const e of entries as PromptEntry[]) {
    if (e.coarse && e.coarseRule === ctx.ruleKey) continue;
    e.coarse = coarseNeurons(e.scores!, ctx.settings.rule);
    e.coarseRule = ctx.ruleKey;
  }
  const found = refineFact(
    usable.map((p, i) => ({ lang: p.lang, answer: p.answer!, negative: p.negative, coarse: entries[i]!.coarse })),
    ctx.settings.p,
  );
  const groups: FactNeurons['groups'] = {};
  const shares: FactNeurons['shares'] = {};
  for (const [name, g] of Object.entries(found.groups)) {
    groups[name] = { refined: g.refined };
    shares[name] = { n: g.n, counts: g.counts };
  }
  const result: FactNeurons = { signature: sig, groups, shares, negatives: found.negatives, ...(pending ? { pending } : {}) };
  if (st.ctx === ctx) st.neurons.set(fact.name, result);
  return result;
}

/** Refined sets of every fact that has its scores; a fact that fails is logged and skipped. */
export function allFactNeurons(world: World, st: DocState, ctx: Context): void {
  for (const f of st.ds.facts) {
    if (!f.ok) continue;
    try {
      factNeurons(st, ctx, f);
    } catch (err) {
      world.log(`refine failed: ${err}`);
    }
  }
}

/** The fact's refined sets if they are current (same model, settings and prompts). */
export function currentNeurons(st: DocState, fact: Fact): FactNeurons | undefined {
  const n = st.neurons.get(fact.name);
  return n && st.ctx && n.signature === factSignature(st, st.ctx, fact) ? n : undefined;
}

/** The refined neurons that act on a prompt of the given language ([] before they are known). */
export function neuronsFor(n: FactNeurons | undefined, lang: string): Neuron[] {
  return n ? refinedFor(n, lang) : [];
}

/** A fact's results as the compare panel and exports receive them (negatives included). */
export function factResult(st: DocState, fact: Fact): FactResult {
  const n = currentNeurons(st, fact);
  const result = (p: Prompt): PromptResult => {
    const e = st.entryFor(p);
    const r: PromptResult = { text: p.text, lang: p.lang, answer: p.answer, p_target: e?.prediction?.p_target ?? e?.scoresP ?? NaN };
    if (e?.scores) r.scores = e.scores;
    if (e?.coarse) r.coarse = e.coarse;
    return r;
  };
  const ok = fact.prompts.filter((p) => p.ok);
  const negatives = ok.filter((p) => p.negative).map(result);
  const keys = Object.keys(fact.answers);
  return {
    name: fact.name,
    answer: keys.length === 1 && keys[0] === '' ? fact.answers[''] : formatAnswers(fact.answers),
    prompts: ok.filter((p) => !p.negative).map(result),
    ...(negatives.length ? { negatives } : {}),
    groups: n?.groups ?? {},
  };
}

/** Fills a document's entries from the disk cache (no model needed); true if anything was found. */
export async function loadFromCache(world: World, st: DocState, ctx: Context, token?: CancelToken): Promise<boolean> {
  if (!ctx.model || !ctx.fingerprint) return false;
  let found = false;
  const seen = new Set<string>();
  const todo = st.modelPrompts().filter(({ prompt }) => {
    const k = entryKey(prompt.answer!, prompt.text);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  let i = 0;
  const reader = async () => {
    while (i < todo.length) {
      if (token?.isCancellationRequested || st.ctx !== ctx) return;
      const { prompt } = todo[i++];
      const e = st.getEntry(prompt);
      if (!e.prediction) {
        const pr = await world.cache.get(predictKey(ctx.fingerprint, prompt.text, prompt.answer!), isPrediction);
        if (pr) {
          e.prediction = pr;
          found = true;
        }
      }
      if (!e.scores) {
        const sc = await world.cache.get(scoresKey(ctx.fingerprint, prompt.text, prompt.answer!, ctx.settings), isStoredScores);
        if (sc) {
          try {
            e.scores = unpackMatrix(sc.matrix);
            e.scoresP = sc.p_target;
            found = true;
          } catch {
            /* corrupt: recompute */
          }
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, todo.length) }, reader));
  return found;
}
