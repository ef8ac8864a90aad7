/**
 * The compare panel's page (bundled by scripts/build.mjs into dist/media/compare.js): the shell. It builds the frame (what is shown, toolbar, tabs, side
 * panel, status), keeps the store in line with the extension's messages, and renders the views,
 * one file each under views/, through the context it passes them. Everything shown is computed by
 * model/compare.ts from the last `update` message's data and the UI state (selected facts /
 * groups, coarse rule, p, …), which is saved with setState on every change and restored when the
 * panel is shown again.
 */

import type { CompareData } from '../../engine/src/types';
import type { HostMessage } from '../../protocol/panel';
import type { Ctx } from './context';
import { clear, h } from './dom';
import { exportView } from './exports';
import { Store, TABS, type Tab, type VsCodeApi } from './store';
import { renderEffects } from './views/effects';
import { HeatmapView } from './views/heatmap';
import { renderLayers } from './views/layers';
import { renderRefined } from './views/refined';
import { renderSide } from './views/side';
import { Toolbar } from './views/toolbar';

declare function acquireVsCodeApi(): VsCodeApi;

const store = new Store(acquireVsCodeApi());
const app = document.getElementById('app') as HTMLElement;

/** The frame's elements, built when the first data comes. */
interface Frame {
  source: HTMLElement;
  summary: HTMLElement;
  toolbar: Toolbar;
  tabs: HTMLElement & { selectedIndex: number };
  side: HTMLElement;
  status: HTMLElement;
  heatmap: HeatmapView;
}
let frame: Frame | undefined;

const panels = {} as Record<Tab, HTMLElement>;

const ctx: Ctx = {
  store,
  panels,
  renderAll,
  renderSide: () => frame && renderSide(ctx, frame.side),
  changed(opts) {
    store.reconcile();
    store.recompute();
    store.save();
    if (opts.controls) frame?.toolbar.sync(opts.controls);
    renderAll();
  },
  focusNeuron(key) {
    store.state.neuron = key;
    store.save();
    renderAll();
    const table = document.querySelector<HTMLElement>('.side [data-role="occurrences"]');
    if (table && key) table.scrollIntoView({ block: 'nearest' });
  },
  exportView: (view, format) => exportView(ctx, view, format),
  setStatus(text) {
    store.status = text;
    if (frame) frame.status.textContent = text;
  },
};

const TITLES: Record<Tab, string> = {
  refined: 'Refined neurons',
  heatmap: 'Attribution heatmap',
  layers: 'Layers',
  effects: 'Suppress / enhance',
};

function buildFrame(): Frame {
  clear(app);
  app.removeAttribute('aria-busy');
  const tabs = h('vscode-tabs', { id: 'tabs', panel: true }) as HTMLElement & { selectedIndex: number };
  for (const t of TABS) {
    // (vscode-tabs sets its own ids on headers and panels for aria-controls / aria-labelledby)
    tabs.append(h('vscode-tab-header', { slot: 'header', 'data-tab-header': t }, TITLES[t]));
    panels[t] = h('vscode-tab-panel', { 'data-tab-panel': t });
    tabs.append(panels[t]);
  }
  tabs.addEventListener('vsc-tabs-select', (e) => {
    const i = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    if (TABS[i] && TABS[i] !== store.state.tab) {
      store.state.tab = TABS[i];
      store.save();
      renderView(store.state.tab);
    }
  });
  const f: Frame = {
    source: h('p', { id: 'source', class: 'source', 'aria-live': 'polite' }),
    summary: h('p', { id: 'summary', class: 'summary', 'aria-live': 'polite' }),
    toolbar: new Toolbar(ctx),
    tabs,
    side: h('aside', { id: 'side', class: 'side', 'aria-label': 'Neuron details and interventions' }),
    status: h('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    heatmap: new HeatmapView(ctx),
  };
  app.append(f.source, f.toolbar.element, f.summary, h('div', { class: 'main' }, h('main', { class: 'views' }, tabs), f.side), f.status);
  new ResizeObserver(() => {
    if (store.state.tab === 'heatmap') f.heatmap.redraw();
  }).observe(panels.heatmap);
  return f;
}

/** A selector that finds the focused element again after a re-render (elements are rebuilt). */
function focusKey(): string | undefined {
  const a = document.activeElement as HTMLElement | null;
  if (!a || a === document.body) return undefined;
  if (a.id) return `#${CSS.escape(a.id)}`;
  for (const attr of ['data-neuron', 'data-combo', 'data-export', 'data-select-set', 'data-group']) {
    const v = a.getAttribute(attr);
    if (v === null) continue;
    const scope = a.closest('[data-set]') ?? a.closest('section[id]');
    const scopeSel = scope?.getAttribute('data-set')
      ? `[data-set="${CSS.escape(scope.getAttribute('data-set') as string)}"] `
      : scope?.id
        ? `#${CSS.escape(scope.id)} `
        : '';
    return `${scopeSel}[${attr}="${CSS.escape(v)}"]`;
  }
  return undefined;
}

function renderAll(): void {
  if (!frame) return;
  const fk = focusKey();
  renderSource();
  renderSummary();
  for (const t of TABS) renderView(t);
  renderSide(ctx, frame.side);
  frame.status.textContent = store.status;
  if (fk) (document.querySelector(fk) as HTMLElement | null)?.focus();
}

function renderView(t: Tab): void {
  if (!store.data || !store.model || !frame) return;
  if (t === 'refined') renderRefined(ctx);
  else if (t === 'heatmap') frame.heatmap.render();
  else if (t === 'layers') renderLayers(ctx);
  else renderEffects(ctx);
}

function renderSummary(): void {
  const { state, model } = store;
  if (!model || !frame) return;
  const o = model.overlap;
  const rule = state.rule;
  const ruleText =
    rule.kind === 'adaptive' ? `score > ${rule.value} \u00d7 max` : rule.kind === 'threshold' ? `score > ${rule.value}` : `score > p${rule.value}`;
  const parts = [
    state.facts.length <= 3 ? state.facts.join(', ') : `${state.facts.length} facts`,
    `${model.sets.length} ${model.sets.length === 1 ? 'set' : 'sets'}`,
    `coarse: ${ruleText}`,
    `refined: in > ${state.p} of prompts`,
    `${o.union.length} neurons in all`,
  ];
  if (model.sets.length >= 2) parts.push(`${o.shared.length} shared by every set`, `${o.some.length} by some`);
  frame.summary.textContent = parts.join(' \u00b7 ');
}

/** Which file, model and facts are shown, and whether they are being recomputed. */
function renderSource(): void {
  const { state, data, loadError } = store;
  if (!data || !frame) return;
  const el = frame.source;
  clear(el);
  const file = state.source?.file;
  const facts = state.facts.length === 1 ? `fact ${state.facts[0]}` : `${state.facts.length} facts`;
  if (file) el.append(h('span', { class: 'source-file', id: 'source-file', title: state.source?.uri ?? '' }, file));
  el.append(
    h('span', { class: 'source-model', id: 'source-model' }, `model ${data.model || 'unknown'}`),
    h('span', { class: 'source-fact', id: 'source-fact' }, facts),
  );
  const stale = !!store.loading;
  app.classList.toggle('stale', stale && !loadError);
  app.setAttribute('aria-busy', stale && !loadError ? 'true' : 'false');
  if (loadError) el.append(h('span', { class: 'error', id: 'source-state' }, `Could not recompute ${store.loading?.file ?? ''}: ${loadError}`));
  else if (stale)
    el.append(
      h(
        'span',
        { class: 'loading', id: 'source-state' },
        h('vscode-progress-ring', { 'aria-hidden': 'true' }),
        `Recomputing ${store.loading?.file ?? ''}\u2026 (showing the previous results)`,
      ),
    );
}

/** Before any data: what is being loaded, or why it failed. */
function showPlaceholder(): void {
  const { loadError } = store;
  clear(app);
  app.setAttribute('aria-busy', loadError ? 'false' : 'true');
  app.append(
    loadError
      ? h('p', { class: 'error', id: 'source-state' }, loadError)
      : h(
          'p',
          { class: 'empty', id: 'source-state' },
          `Computing ${store.loading?.file ?? 'the results'}\u2026 (attributions can take a while on a large model)`,
        ),
  );
}

function isHostMessage(m: unknown): m is HostMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

function validData(d: unknown): d is CompareData {
  if (typeof d !== 'object' || d === null) return false;
  const x = d as CompareData;
  return Number.isInteger(x.layers) && Number.isInteger(x.neurons) && Array.isArray(x.facts) && typeof x.settings === 'object' && x.settings !== null;
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data;
  if (!isHostMessage(m)) return;
  if (m.type === 'update') {
    if (!validData(m.data)) return;
    store.data = m.data;
    store.loading = undefined;
    store.loadError = undefined;
    frame ??= buildFrame();
    store.follow(m.source);
    store.reconcile();
    store.recompute();
    store.save();
    frame.toolbar.sync(true);
    selectTab();
    renderAll();
  } else if (m.type === 'interventionResult') {
    // only the answer to the request shown; a rejected request is answered too (never "Running…" for ever)
    const run = store.lastRun;
    if (!run || m.requestId !== run.requestId) return;
    store.lastRun = {
      ...run,
      mode: m.mode ?? run.mode,
      fact: m.fact ?? run.fact,
      neurons: m.neurons?.length ?? run.neurons,
      ok: m.ok,
      error: m.ok ? undefined : (m.error ?? 'failed'),
      results: m.ok ? (m.results ?? []) : undefined,
    };
    ctx.renderSide();
  } else if (m.type === 'loading' || m.type === 'loadFailed') {
    store.loading = m.source;
    store.loadError = m.type === 'loadFailed' ? m.error : undefined;
    if (m.type === 'loading') store.state.source = m.source;
    store.save();
    if (!store.data) showPlaceholder();
    else {
      renderSource();
      ctx.renderSide();
    }
  } else if (m.type === 'neuronCardResult') {
    if (store.cardAnswered(m)) ctx.renderSide();
  } else if (m.type === 'exportResult') {
    ctx.setStatus(m.ok ? `Saved ${m.path ?? ''}` : m.error ? `Export failed: ${m.error}` : 'Export cancelled.');
  } else if (m.type === 'writeSettingsResult') {
    if (m.requestId !== store.writeRequest) return;
    store.writeRequest = undefined;
    const file = store.state.source?.file ?? 'the file';
    ctx.setStatus(
      !m.ok
        ? `Not written: ${m.error ?? 'failed'}`
        : m.applied
          ? `Written into ${file}'s directives: save it to recompute with them.`
          : `${file} already says so.`,
    );
  }
});

function selectTab(): void {
  const i = TABS.indexOf(store.state.tab);
  if (frame && frame.tabs.selectedIndex !== i) frame.tabs.selectedIndex = i;
}

store.post({ type: 'ready' });
