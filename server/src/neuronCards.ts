/**
 * Neuron cards for a document's model (what a neuron writes: engine/src/neuronCard.ts), computed in
 * the engine worker once per model and neuron and shared by the inlay-hint tooltips, the fact
 * hover and the compare panel's drill-down. In Restricted Mode, or without a loadable model, there
 * is no card.
 */
import type { NeuronCard } from '../../engine/src/neuronCard';
import { neuronKey } from '../../engine/src/neurons';
import type { Neuron } from '../../engine/src/types';
import { loadModel } from './analysis';
import type { DocState } from './document';
import { neuronCardMarkdown } from './neuronCardText';
import { currentNeurons } from './results';
import type { World } from './world';

/** Tokens per card (the Markdown and the panel show fewer). */
const CARD_TOKENS = 10;

/**
 * The cards of `neurons` for the document's model, in their order; undefined when no model can be
 * loaded, or with `loadedOnly` when the model is not loaded now (results from the cache never load
 * it: a hover must not either).
 */
export async function cardsFor(world: World, st: DocState, neurons: Neuron[], opts: { loadedOnly?: boolean } = {}): Promise<NeuronCard[] | undefined> {
  const ctx = st.ctx ?? (await world.refreshContext(st));
  if (!ctx.ref) return undefined;
  // a loaded model is used as it is (loadModel would report it 'ready' in the middle of a run)
  if (!world.host.infoFor(ctx.ref) && (opts.loadedOnly || !(await loadModel(world, ctx, st.uri)))) return undefined;
  const ref = ctx.ref;
  return Promise.all(
    neurons.map((n) => {
      const key = `${ctx.fingerprint}\0${neuronKey(n)}`;
      let card = world.cards.get(key);
      if (!card) {
        card = world.host.call('card', { model: ref, neuron: n, topK: CARD_TOKENS }) as Promise<NeuronCard>;
        world.cards.set(key, card);
        card.catch(() => world.cards.delete(key));
      }
      return card;
    }),
  );
}

/**
 * Full cards as Markdown (the inlay-hint tooltip): what each neuron writes, the facts of the open
 * files that refine it, its attribution on the file's prompts.
 */
export async function neuronCardsMarkdown(world: World, st: DocState, neurons: Neuron[]): Promise<string> {
  const cards = await cardsFor(world, st, neurons);
  if (!cards) return '';
  const fingerprint = st.ctx?.fingerprint;
  return cards
    .map((card, i) => {
      const n = neurons[i];
      const uses = [];
      for (const other of world.documents.values()) {
        if (other.ctx?.fingerprint !== fingerprint) continue;
        for (const f of other.ds.facts) {
          const fn = currentNeurons(other, f);
          if (fn && Object.values(fn.groups).some((g) => g.refined.some((r) => r.layer === n.layer && r.index === n.index)))
            uses.push({ fact: f.name, ...(other === st ? {} : { file: other.uri.slice(other.uri.lastIndexOf('/') + 1) }) });
        }
      }
      const attributions = [];
      for (const f of st.ds.facts)
        for (const p of f.prompts) {
          const sc = st.entryFor(p)?.scores;
          if (sc) attributions.push({ prompt: p.text, score: sc[n.layer]?.[n.index] ?? 0, max: Math.max(...sc.map((row) => Math.max(...row))) });
        }
      return neuronCardMarkdown(card, uses, attributions);
    })
    .join('\n\n---\n\n');
}
