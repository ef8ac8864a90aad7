/** The side panel: a neuron's occurrences, the selection, and suppress / enhance on it. */

import * as C from '../model/compare';
import type { ProjectedToken } from '../../../engine/src/neuronCard';
import type { CompareData } from '../../../engine/src/types';
import type { CardEntry } from '../store';
import { formatChange, formatProbability } from '../../../engine/src/format';
import type { Ctx } from '../context';
import { clear, h, rovingTabindex } from '../dom';
import { exportBar, field, vsButton } from '../widgets';

export function renderSide(ctx: Ctx, side: HTMLElement): void {
  const { store } = ctx;
  const { state } = store;
  const data = store.data as CompareData;
  const model = store.model as C.CompareModel;
  clear(side);
  if (!data || !model) return;
  // Neuron details
  const det = h('section', { class: 'side-section', id: 'neuron-detail', 'aria-label': 'Neuron details' });
  if (!state.neuron) {
    det.append(h('h2', {}, 'Neuron'), h('p', { class: 'muted' }, 'Click a neuron (or press Enter on it) to list every prompt where it is coarse.'));
  } else {
    const n = C.parseNeuronKey(state.neuron);
    const occ = C.neuronOccurrences(data, n, state.rule);
    const inSel = state.selection.includes(state.neuron);
    det.append(
      h('div', { class: 'view-head' }, h('h2', { id: 'neuron-title' }, `Neuron ${C.neuronLabel(n)}`), exportBar(ctx, 'neuron', ['csv'])),
      h(
        'p',
        { class: 'muted small', id: 'neuron-count', 'data-count': occ.length },
        `Coarse in ${occ.length} prompt${occ.length === 1 ? '' : 's'} (all facts, current rule).`,
      ),
    );
    const mem = model.overlap.membership[state.neuron];
    if (mem) det.append(h('p', { class: 'small' }, `Refined in: ${mem.join(', ')}`));
    if (data.layers > 0 && data.neurons > 0) det.append(neuronCard(store.card(state.neuron)));
    const table = h('table', { class: 'data-table occurrences', 'data-role': 'occurrences' });
    table.append(
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'prompt'),
          h('th', { scope: 'col', class: 'num' }, 'score'),
          h('th', { scope: 'col', class: 'num' }, '\u00d7 max'),
        ),
      ),
    );
    const tb = h('tbody');
    for (const o of occ) {
      tb.append(
        h(
          'tr',
          { 'data-fact': o.fact },
          h('td', {}, h('span', { class: 'fact-tag' }, o.fact), o.lang ? h('span', { class: 'lang-tag' }, o.lang) : null, ' ', o.prompt),
          h('td', { class: 'num' }, C.formatScore(o.score)),
          h('td', { class: 'num' }, Number.isFinite(o.relative) ? o.relative.toFixed(2) : '\u2014'),
        ),
      );
    }
    table.append(tb);
    det.append(h('div', { class: 'table-scroll' }, table));
    det.append(
      h(
        'div',
        { class: 'card-actions' },
        vsButton(inSel ? 'Remove from selection' : 'Add to selection', { secondary: true, id: 'toggle-selection' }, () => {
          const k = state.neuron as string;
          state.selection = inSel ? state.selection.filter((x) => x !== k) : [...state.selection, k];
          store.save();
          ctx.renderAll();
        }),
        vsButton('Close', { secondary: true, id: 'close-neuron' }, () => ctx.focusNeuron(undefined)),
      ),
    );
  }
  side.append(det);

  // Selection and interventions
  const sec = h('section', { class: 'side-section', id: 'intervene', 'aria-label': 'Suppress or enhance' });
  sec.append(h('h2', {}, `Selection (${state.selection.length})`));
  const chips = h('div', { class: 'neuron-list', id: 'selection' });
  for (const k of state.selection) {
    const n = C.parseNeuronKey(k);
    const b = h(
      'button',
      { type: 'button', class: 'neuron selected', 'data-neuron': k, 'aria-label': `Remove ${C.neuronLabel(n)} from the selection`, title: 'Remove' },
      C.neuronLabel(n),
      h('span', { class: 'x', 'aria-hidden': 'true' }, '\u00d7'),
    );
    b.addEventListener('click', () => {
      state.selection = state.selection.filter((x) => x !== k);
      store.save();
      ctx.renderAll();
    });
    chips.append(b);
  }
  rovingTabindex(chips, '.neuron');
  if (state.selection.length === 0)
    chips.append(
      h('p', { class: 'muted small' }, 'Empty: use \u201cSelect all\u201d on a group, an intersection, or \u201cAdd to selection\u201d on a neuron.'),
    );
  sec.append(chips);
  const quick = h('div', { class: 'card-actions' });
  if (model.sets.length >= 2 && model.overlap.shared.length) {
    quick.append(
      vsButton(`Select shared (${model.overlap.shared.length})`, { secondary: true, id: 'select-shared' }, () => {
        state.selection = model.overlap.shared.map(C.neuronKey);
        store.save();
        ctx.renderAll();
      }),
    );
  }
  if (state.selection.length) {
    quick.append(
      vsButton('Clear', { secondary: true, id: 'clear-selection' }, () => {
        state.selection = [];
        store.save();
        ctx.renderAll();
      }),
    );
  }
  sec.append(quick);
  const runFact = h('vscode-single-select', { id: 'run-fact', 'aria-label': 'Run on the prompts of' }) as HTMLElement & { value: string };
  for (const f of data.facts) runFact.append(h('vscode-option', { value: f.name }, f.name));
  runFact.value = state.run.fact;
  runFact.addEventListener('change', () => {
    state.run.fact = runFact.value;
    store.reconcile();
    store.save();
    ctx.renderSide();
  });
  const runGroup = h('vscode-single-select', { id: 'run-group', 'aria-label': 'Prompts' }) as HTMLElement & { value: string };
  const rf = store.factByName(state.run.fact);
  const rgs = rf ? [...new Set([...C.factGroups(rf), 'all'])] : ['all'];
  for (const g of rgs) runGroup.append(h('vscode-option', { value: g }, g === 'all' ? 'all prompts' : `${g} prompts`));
  runGroup.value = state.run.group;
  runGroup.addEventListener('change', () => {
    state.run.group = runGroup.value;
    store.save();
  });
  sec.append(field('Run on fact', 'run-fact', runFact), field('Prompts', 'run-group', runGroup));
  const shapeKnown = data.layers > 0 && data.neurons > 0;
  const disabled = state.selection.length === 0 || !rf || !!store.loading || !shapeKnown;
  const runBar = h(
    'div',
    { class: 'card-actions' },
    vsButton('Suppress', { id: 'run-suppress', disabled, title: 'Set the selected neurons to 0 at the target position' }, () => intervene(ctx, 'suppress')),
    vsButton('Enhance', { id: 'run-enhance', disabled, title: 'Double the selected neurons at the target position' }, () => intervene(ctx, 'enhance')),
  );
  sec.append(runBar);
  if (!shapeKnown)
    sec.append(h('p', { class: 'error', id: 'run-unavailable' }, "The model's shape is unknown (it could not be loaded): suppress / enhance are unavailable."));
  else if (store.loading) sec.append(h('p', { class: 'muted small' }, 'Suppress / enhance wait for the new results.'));
  if (store.lastRun) {
    const r = store.lastRun;
    sec.append(h('h3', { class: 'sub' }, `Last run: ${r.mode} ${r.neurons} neuron${r.neurons === 1 ? '' : 's'} on ${r.fact}`));
    if (!r.ok) sec.append(h('p', { class: 'error', id: 'run-error', role: 'alert' }, r.error ?? 'failed'));
    else if (!r.results) sec.append(h('p', { class: 'muted', id: 'run-running' }, 'Running\u2026'));
    else {
      const t = h('table', { class: 'data-table', id: 'run-results' });
      t.append(
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, 'prompt'), h('th', { class: 'num' }, 'before'), h('th', { class: 'num' }, 'after'), h('th', { class: 'num' }, 'change')),
        ),
      );
      const tb = h('tbody');
      for (const x of r.results) {
        tb.append(
          h(
            'tr',
            {},
            h('td', {}, x.text),
            h('td', { class: 'num' }, formatProbability(x.before)),
            h('td', { class: 'num' }, formatProbability(x.after)),
            h('td', { class: 'num' }, formatChange(C.relativeChange(x.before, x.after))),
          ),
        );
      }
      t.append(tb);
      sec.append(h('div', { class: 'table-scroll' }, t));
    }
  }
  side.append(sec);
}

/** Tokens shown per list of the card. */
const CARD_TOKENS = 8;

/** What the neuron writes: the tokens its value vector promotes and suppresses (Geva et al. 2022). */
function neuronCard(entry: CardEntry | undefined): HTMLElement {
  const box = h('div', { class: 'neuron-card', id: 'neuron-card', 'aria-live': 'polite' }, h('h3', { class: 'sub' }, 'What it writes'));
  if (entry?.error) box.append(h('p', { class: 'error small', id: 'neuron-card-error' }, entry.error));
  else if (!entry?.card) box.append(h('p', { class: 'muted small' }, 'Projecting its value vector through the output embedding\u2026'));
  else {
    const card = entry.card;
    const tokens = (role: string, list: ProjectedToken[]) =>
      h(
        'p',
        { class: 'card-tokens', 'data-role': role },
        h('span', { class: 'muted' }, `${role} `),
        ...list.slice(0, CARD_TOKENS).map((t) => h('code', { class: 'token', title: `e\u00b7v = ${t.score.toPrecision(3)}` }, t.token)),
      );
    box.append(
      tokens('promotes', card.promotes),
      tokens('suppresses', card.suppresses),
      h(
        'p',
        { class: 'muted small' },
        `Value vector norm ${card.norm.toPrecision(3)}: the tokens whose output embeddings have the largest and the most negative dot product with it.`,
      ),
    );
  }
  return box;
}

function intervene(ctx: Ctx, mode: 'suppress' | 'enhance'): void {
  const { store } = ctx;
  const { state } = store;
  const data = store.data as CompareData;
  const f = store.factByName(state.run.fact);
  if (!f || state.selection.length === 0) return;
  const prompts = C.groupPrompts(f, state.run.group).map((p) => p.text);
  const requestId = store.requestSeq++;
  store.lastRun = { requestId, mode, fact: f.name, neurons: state.selection.length, ok: true };
  store.post({ type: 'intervene', requestId, mode, model: data.model, fact: f.name, neurons: state.selection.map(C.parseNeuronKey), prompts });
  ctx.renderSide();
}
