/**
 * The compare panel's page. Bundled by scripts/build.mjs into dist/media/compare.js.
 *
 * Everything shown is computed by engine/src/compare.ts from the last `update` message's data and
 * the UI state (selected facts / groups, coarse rule, p, …). The UI state is saved with
 * vscode.setState on every change and restored when the panel is shown again.
 */

import * as C from '../../engine/src/compare';
import type { CoarseRule, CompareData, FactResult, Neuron } from '../../engine/src/types';
import type { ExportFormat, ExportView, HostMessage, InterventionResultRow, PageMessage, PanelSource } from '../../protocol/panel';
import { formatChange, formatProbability } from '../../engine/src/format';
import { clear, h, keyActivate, mix, resolveColor, rgbCss, rovingTabindex, s, serializeSvg, svgToPng, truncate, type Rgb } from './dom';

interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

// ---------------------------------------------------------------------------------------------
// State

const TABS = ['refined', 'heatmap', 'layers', 'effects'] as const;
type Tab = (typeof TABS)[number];

interface UiState {
  v: 1;
  facts: string[];
  groups: string[];
  rule: CoarseRule;
  p: number;
  /** The user changed rule / p: keep them when new data arrives. */
  custom: boolean;
  tab: Tab;
  /** scale: a group's mean of raw scores, or of each prompt's scores / its maximum (the default). */
  heat: { source: 'prompt' | 'mean'; fact: string; group: string; prompt: number; top: number; scale: C.MeanScale };
  neuron?: string;
  selection: string[];
  intersection?: string;
  effectsFact?: string;
  run: { fact: string; group: string };
  /** The file the panel shows (for the serializer to restore it after a reload). */
  source?: PanelSource;
  /** File and model the selections were made on: they are cleared when either changes. */
  shown?: { uri: string; model: string };
  /** The fact the panel was last opened on (a code lens's). */
  opened?: string;
}

interface LastRun {
  requestId: number;
  mode: string;
  fact: string;
  neurons: number;
  ok: boolean;
  error?: string;
  results?: InterventionResultRow[];
}

function defaultState(): UiState {
  return {
    v: 1,
    facts: [],
    groups: [],
    rule: { kind: 'adaptive', value: 0.3 },
    p: 0.5,
    custom: false,
    tab: 'refined',
    heat: { source: 'mean', fact: '', group: '', prompt: 0, top: 64, scale: 'normalised' },
    selection: [],
    run: { fact: '', group: 'all' },
  };
}

function loadState(): UiState {
  const saved = vscode.getState() as Partial<UiState> | undefined;
  const d = defaultState();
  if (!saved || saved.v !== 1) return d;
  return { ...d, ...saved, heat: { ...d.heat, ...(saved.heat ?? {}) }, run: { ...d.run, ...(saved.run ?? {}) } };
}

const state = loadState();
let data: CompareData | undefined;
let model: C.CompareModel | undefined;
let lastRun: LastRun | undefined;
let requestSeq = 1;
let status = '';
/** New data for the shown source is being computed (or failed: loadError). */
let loading: PanelSource | undefined;
let loadError: string | undefined;

function save(): void {
  vscode.setState(state);
}

function post(m: PageMessage): void {
  vscode.postMessage(m);
}

// ---------------------------------------------------------------------------------------------
// Deriving the model

function factByName(name: string): FactResult | undefined {
  return data?.facts.find((f) => f.name === name);
}

function availableGroups(): string[] {
  const out: string[] = [];
  for (const f of data?.facts ?? []) {
    if (!state.facts.includes(f.name)) continue;
    for (const g of C.factGroups(f)) if (!out.includes(g)) out.push(g);
  }
  return out;
}

function defaultGroups(groups: string[]): string[] {
  const langs = groups.filter((g) => g !== 'all');
  return langs.length >= 2 ? langs : groups;
}

/** Keep the UI state consistent with the data (after an update or a restore). */
function reconcile(): void {
  if (!data) return;
  const names = data.facts.map((f) => f.name);
  state.facts = state.facts.filter((f) => names.includes(f));
  if (state.facts.length === 0 && names.length > 0) state.facts = [names[0]];
  const groups = availableGroups();
  state.groups = state.groups.filter((g) => groups.includes(g));
  if (state.groups.length === 0) state.groups = defaultGroups(groups);
  if (!state.custom) {
    state.rule = { ...data.settings.rule };
    state.p = data.settings.p;
  }
  if (!names.includes(state.heat.fact)) state.heat.fact = state.facts[0] ?? '';
  const hf = factByName(state.heat.fact);
  if (hf) {
    const hg = C.factGroups(hf);
    if (!hg.includes(state.heat.group)) state.heat.group = hg.includes('all') ? 'all' : hg[0] ?? '';
    if (state.heat.prompt >= hf.prompts.length) state.heat.prompt = 0;
  }
  if (!state.effectsFact || !names.includes(state.effectsFact)) state.effectsFact = state.facts[0];
  if (!names.includes(state.run.fact)) state.run.fact = state.facts[0] ?? '';
  const rf = factByName(state.run.fact);
  if (rf && !C.factGroups(rf).concat('all').includes(state.run.group)) state.run.group = 'all';
  const inRange = (k: string) => {
    try {
      const n = C.parseNeuronKey(k);
      return n.layer < (data as CompareData).layers && n.index < (data as CompareData).neurons;
    } catch {
      return false;
    }
  };
  state.selection = state.selection.filter(inRange);
  if (state.neuron && !inRange(state.neuron)) state.neuron = undefined;
}

/**
 * Follow what the panel shows: selections made on another file or model are dropped (a neuron of
 * bert-tiny must never be run on bert-base), and a fact it is opened on becomes the one shown.
 */
function follow(source: PanelSource | undefined): void {
  const d = data as CompareData;
  if (source) state.source = source;
  const uri = state.source?.uri ?? '';
  const moved = !!state.shown && (state.shown.uri !== uri || state.shown.model !== d.model);
  if (moved) {
    state.selection = [];
    state.neuron = undefined;
    state.intersection = undefined;
    state.custom = false;
    lastRun = undefined;
  }
  const fact = source?.fact;
  if (fact && d.facts.some((f) => f.name === fact) && (moved || !state.shown || fact !== state.opened)) {
    state.facts = [fact];
    state.groups = [];
    state.heat.fact = fact;
    state.run.fact = fact;
    state.effectsFact = fact;
  }
  state.opened = fact;
  state.shown = { uri, model: d.model };
}

function recompute(): void {
  if (!data) return;
  model = C.compareModel(data, { facts: state.facts, groups: state.groups }, { rule: state.rule, p: state.p });
  const combos = new Set(model.overlap.intersections.map((x) => JSON.stringify(x.sets)));
  if (state.intersection && !combos.has(state.intersection)) state.intersection = undefined;
}

function setLabel(set: C.RefinedSet): string {
  return state.facts.length > 1 ? `${set.fact} \u00b7 ${set.group}` : set.group;
}

// ---------------------------------------------------------------------------------------------
// Shell

const app = document.getElementById('app') as HTMLElement;
const ui = {} as {
  facts: HTMLElement & { value: string[] };
  groups: HTMLElement;
  ruleKind: HTMLElement & { value: string };
  ruleRange: HTMLInputElement;
  ruleValue: HTMLElement & { value: string };
  pRange: HTMLInputElement;
  pValue: HTMLElement & { value: string };
  summary: HTMLElement;
  source: HTMLElement;
  tabs: HTMLElement & { selectedIndex: number };
  panels: Record<Tab, HTMLElement>;
  side: HTMLElement;
  status: HTMLElement;
};

function field(label: string, id: string, ...controls: Node[]): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id, class: 'field-label' }, label), ...controls);
}

function vsButton(label: string, attrs: Record<string, string | boolean> = {}, onClick?: () => void): HTMLElement {
  const b = h('vscode-button', attrs, label);
  if (onClick) b.addEventListener('click', () => {
    if (!(b as unknown as { disabled: boolean }).disabled) onClick();
  });
  return b;
}

function exportBar(view: ExportView, formats: ExportFormat[]): HTMLElement {
  return h(
    'div',
    { class: 'export-bar', role: 'group', 'aria-label': 'Export' },
    ...formats.map((f) =>
      vsButton(f.toUpperCase(), { secondary: true, 'data-export': `${view}:${f}`, title: `Export as ${f.toUpperCase()}` }, () =>
        void doExport(view, f),
      ),
    ),
  );
}

function buildShell(): void {
  clear(app);
  app.removeAttribute('aria-busy');
  ui.facts = h('vscode-multi-select', { id: 'facts', 'aria-label': 'Facts' }) as HTMLElement & { value: string[] };
  ui.facts.addEventListener('change', () => {
    const v = ui.facts.value;
    if (!Array.isArray(v) || v.length === 0) return;
    state.facts = v.slice();
    state.groups = state.groups.filter((g) => availableGroups().includes(g));
    changed({ controls: true });
  });
  ui.groups = h('div', { id: 'groups', class: 'groups', role: 'group', 'aria-label': 'Groups' });
  ui.ruleKind = h(
    'vscode-single-select',
    { id: 'rule-kind', 'aria-label': 'Coarse rule' },
    h('vscode-option', { value: 'adaptive' }, 'adaptive (\u00d7 max)'),
    h('vscode-option', { value: 'threshold' }, 'absolute'),
    h('vscode-option', { value: 'percentile' }, 'percentile'),
  ) as HTMLElement & { value: string };
  ui.ruleKind.addEventListener('change', () => {
    const kind = ui.ruleKind.value as CoarseRule['kind'];
    if (kind === state.rule.kind) return;
    state.rule = { kind, value: defaultRuleValue(kind) };
    state.custom = true;
    changed({ controls: true });
  });
  ui.ruleRange = h('input', { type: 'range', id: 'rule-range', 'aria-label': 'Threshold' }) as HTMLInputElement;
  ui.ruleRange.addEventListener('input', () => setRuleValue(Number(ui.ruleRange.value), 'range'));
  ui.ruleValue = h('vscode-textfield', { id: 'rule-value', inputmode: 'decimal', 'aria-label': 'Threshold value', class: 'num' }) as HTMLElement & {
    value: string;
  };
  ui.ruleValue.addEventListener('change', () => setRuleValue(Number(ui.ruleValue.value), 'text'));
  ui.pRange = h('input', { type: 'range', id: 'p-range', min: 0, max: 0.95, step: 0.05, 'aria-label': 'Sharing p' }) as HTMLInputElement;
  ui.pRange.addEventListener('input', () => setP(Number(ui.pRange.value), 'range'));
  ui.pValue = h('vscode-textfield', { id: 'p-value', inputmode: 'decimal', 'aria-label': 'Sharing p value', class: 'num' }) as HTMLElement & {
    value: string;
  };
  ui.pValue.addEventListener('change', () => setP(Number(ui.pValue.value), 'text'));
  const reset = vsButton('Reset', { secondary: true, id: 'reset', title: 'Back to the settings the results were computed with' }, () => {
    state.custom = false;
    reconcile();
    changed({ controls: true });
  });
  ui.summary = h('p', { id: 'summary', class: 'summary', 'aria-live': 'polite' });
  ui.source = h('p', { id: 'source', class: 'source', 'aria-live': 'polite' });

  const toolbar = h(
    'header',
    { class: 'toolbar' },
    field('Facts', 'facts', ui.facts),
    h('div', { class: 'field' }, h('span', { class: 'field-label', id: 'groups-label' }, 'Groups'), ui.groups),
    field('Coarse rule', 'rule-kind', ui.ruleKind),
    field('Threshold', 'rule-range', h('div', { class: 'slider' }, ui.ruleRange, ui.ruleValue)),
    field('Shared by > p of prompts', 'p-range', h('div', { class: 'slider' }, ui.pRange, ui.pValue)),
    h('div', { class: 'field field-end' }, reset),
  );

  ui.tabs = h('vscode-tabs', { id: 'tabs', panel: true }) as HTMLElement & { selectedIndex: number };
  const titles: Record<Tab, string> = {
    refined: 'Refined neurons',
    heatmap: 'Attribution heatmap',
    layers: 'Layers',
    effects: 'Suppress / enhance',
  };
  ui.panels = {} as Record<Tab, HTMLElement>;
  for (const t of TABS) {
    // (vscode-tabs sets its own ids on headers and panels for aria-controls / aria-labelledby)
    ui.tabs.append(h('vscode-tab-header', { slot: 'header', 'data-tab-header': t }, titles[t]));
    const panel = h('vscode-tab-panel', { 'data-tab-panel': t });
    ui.panels[t] = panel;
    ui.tabs.append(panel);
  }
  ui.tabs.addEventListener('vsc-tabs-select', (e) => {
    const i = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    if (TABS[i] && TABS[i] !== state.tab) {
      state.tab = TABS[i];
      save();
      renderView(state.tab);
    }
  });
  ui.side = h('aside', { id: 'side', class: 'side', 'aria-label': 'Neuron details and interventions' });
  ui.status = h('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });
  app.append(ui.source, toolbar, ui.summary, h('div', { class: 'main' }, h('main', { class: 'views' }, ui.tabs), ui.side), ui.status);
  new ResizeObserver(() => {
    if (state.tab === 'heatmap') renderHeatmapCanvas();
  }).observe(ui.panels.heatmap);
}

function defaultRuleValue(kind: CoarseRule['kind']): number {
  if (kind === 'adaptive') return data?.settings.rule.kind === 'adaptive' ? data.settings.rule.value : 0.3;
  if (kind === 'percentile') return 99.5;
  // absolute: 0.3 × the mean of the prompts' maximum scores
  const maxes: number[] = [];
  for (const f of data?.facts ?? []) for (const p of f.prompts) if (p.scores) maxes.push(C.maxScore(p.scores));
  const m = maxes.length ? maxes.reduce((a, b) => a + b, 0) / maxes.length : 1;
  return Number((0.3 * m).toPrecision(2));
}

function ruleBounds(kind: CoarseRule['kind']): { min: number; max: number; step: number; label: string } {
  if (kind === 'adaptive') return { min: 0, max: 1, step: 0.01, label: 'Threshold (\u00d7 max score)' };
  if (kind === 'percentile') return { min: 50, max: 100, step: 0.1, label: 'Percentile' };
  let mx = 0;
  for (const f of data?.facts ?? []) for (const p of f.prompts) if (p.scores) mx = Math.max(mx, C.maxScore(p.scores));
  const max = mx > 0 ? Number(mx.toPrecision(2)) : 1;
  return { min: 0, max, step: max / 200, label: 'Threshold (score)' };
}

function setRuleValue(v: number, from: 'range' | 'text'): void {
  if (!Number.isFinite(v)) return;
  const b = ruleBounds(state.rule.kind);
  const value = Math.min(b.max, Math.max(b.min, v));
  state.rule = { kind: state.rule.kind, value: Number(value.toPrecision(6)) };
  state.custom = true;
  changed({ controls: from === 'range' ? 'text' : 'range' });
}

function setP(v: number, from: 'range' | 'text'): void {
  if (!Number.isFinite(v)) return;
  state.p = Math.min(0.99, Math.max(0, Number(v.toPrecision(6))));
  state.custom = true;
  changed({ controls: from === 'range' ? 'text' : 'range' });
}

/** Bring the toolbar's controls in line with the state. `which`: all, or only the range / text twin. */
function syncControls(which: true | 'range' | 'text' = true): void {
  if (!data) return;
  if (which === true) {
    const names = data.facts.map((f) => f.name);
    const opts = [...ui.facts.querySelectorAll('vscode-option')].map((o) => o.getAttribute('value'));
    if (opts.join('\u0000') !== names.join('\u0000')) {
      clear(ui.facts);
      for (const n of names) ui.facts.append(h('vscode-option', { value: n }, n));
    }
    // the options carry the selection too: set before the element has read its options, `value`
    // alone is lost and the box reads "0 Selected" while a fact is shown
    for (const o of ui.facts.querySelectorAll('vscode-option')) o.toggleAttribute('selected', state.facts.includes(o.getAttribute('value') ?? ''));
    ui.facts.value = state.facts.slice();
    clear(ui.groups);
    for (const g of availableGroups()) {
      const cb = h('vscode-checkbox', { value: g, 'data-group': g }, g) as HTMLElement & { checked: boolean };
      cb.checked = state.groups.includes(g);
      if (state.groups.includes(g)) cb.setAttribute('checked', '');
      cb.addEventListener('change', () => {
        const on = cb.checked;
        const set = new Set(state.groups);
        if (on) set.add(g);
        else set.delete(g);
        state.groups = availableGroups().filter((x) => set.has(x));
        changed({ controls: false });
      });
      ui.groups.append(cb);
    }
    ui.ruleKind.value = state.rule.kind;
    const b = ruleBounds(state.rule.kind);
    ui.ruleRange.min = String(b.min);
    ui.ruleRange.max = String(b.max);
    ui.ruleRange.step = String(b.step);
    const lab = ui.ruleRange.closest('.field')?.querySelector('.field-label');
    if (lab) lab.textContent = b.label;
  }
  if (which !== 'text') ui.ruleRange.value = String(state.rule.value);
  if (which !== 'range') ui.ruleValue.value = String(state.rule.value);
  if (which !== 'text') ui.pRange.value = String(state.p);
  if (which !== 'range') ui.pValue.value = String(state.p);
  ui.pRange.setAttribute('aria-valuetext', `p ${state.p}`);
}

function changed(opts: { controls: boolean | 'range' | 'text' }): void {
  reconcile();
  recompute();
  save();
  if (opts.controls) syncControls(opts.controls);
  renderAll();
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** A selector that finds the focused element again after a re-render (elements are rebuilt). */
function focusKey(): string | undefined {
  const a = document.activeElement as HTMLElement | null;
  if (!a || a === document.body) return undefined;
  if (a.id) return `#${CSS.escape(a.id)}`;
  for (const attr of ['data-neuron', 'data-combo', 'data-export', 'data-select-set', 'data-group']) {
    const v = a.getAttribute(attr);
    if (v === null) continue;
    const scope = a.closest('[data-set]') ?? a.closest('section[id]');
    const scopeSel = scope?.getAttribute('data-set') ? `[data-set="${CSS.escape(scope.getAttribute('data-set') as string)}"] ` : scope?.id ? `#${CSS.escape(scope.id)} ` : '';
    return `${scopeSel}[${attr}="${CSS.escape(v)}"]`;
  }
  return undefined;
}

/** Which file, model and facts are shown, and whether they are being recomputed. */
function renderSource(): void {
  if (!data) return;
  clear(ui.source);
  const file = state.source?.file;
  const facts = state.facts.length === 1 ? `fact ${state.facts[0]}` : `${state.facts.length} facts`;
  if (file) ui.source.append(h('span', { class: 'source-file', id: 'source-file', title: state.source?.uri ?? '' }, file));
  ui.source.append(
    h('span', { class: 'source-model', id: 'source-model' }, `model ${data.model || 'unknown'}`),
    h('span', { class: 'source-fact', id: 'source-fact' }, facts),
  );
  const stale = !!loading;
  app.classList.toggle('stale', stale && !loadError);
  app.setAttribute('aria-busy', stale && !loadError ? 'true' : 'false');
  if (loadError) ui.source.append(h('span', { class: 'error', id: 'source-state' }, `Could not recompute ${loading?.file ?? ''}: ${loadError}`));
  else if (stale) ui.source.append(h('span', { class: 'loading', id: 'source-state' }, h('vscode-progress-ring', { 'aria-hidden': 'true' }), `Recomputing ${loading?.file ?? ''}\u2026 (showing the previous results)`));
}

/** Before any data: what is being loaded, or why it failed. */
function showPlaceholder(): void {
  clear(app);
  app.setAttribute('aria-busy', loadError ? 'false' : 'true');
  app.append(
    loadError
      ? h('p', { class: 'error', id: 'source-state' }, loadError)
      : h('p', { class: 'empty', id: 'source-state' }, `Computing ${loading?.file ?? 'the results'}\u2026 (attributions can take a while on a large model)`),
  );
}

function renderAll(): void {
  const fk = focusKey();
  renderSource();
  renderSummary();
  for (const t of TABS) renderView(t);
  renderSide();
  ui.status.textContent = status;
  if (fk) (document.querySelector(fk) as HTMLElement | null)?.focus();
}

function renderView(t: Tab): void {
  if (!data || !model) return;
  if (t === 'refined') renderRefined();
  else if (t === 'heatmap') renderHeatmap();
  else if (t === 'layers') renderLayers();
  else renderEffects();
}

function renderSummary(): void {
  if (!model) return;
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
  ui.summary.textContent = parts.join(' \u00b7 ');
}

function neuronButton(n: Neuron, extra?: { count?: number; of?: number; cls?: string }): HTMLButtonElement {
  const key = C.neuronKey(n);
  const cls = ['neuron', extra?.cls ?? C.overlapClass(model!.overlap, n)];
  if (state.neuron === key) cls.push('active');
  if (state.selection.includes(key)) cls.push('selected');
  if (state.intersection) {
    const m = model!.overlap.membership[key];
    if (!m || JSON.stringify(m) !== state.intersection) cls.push('dim');
  }
  const label = C.neuronLabel(n);
  const b = h(
    'button',
    {
      type: 'button',
      class: cls.join(' '),
      'data-neuron': key,
      'aria-pressed': state.neuron === key ? 'true' : 'false',
      'aria-label': `Neuron layer ${n.layer} index ${n.index}${extra?.count !== undefined ? `, coarse in ${extra.count} of ${extra.of} prompts` : ''}`,
      title: 'Show every prompt where this neuron is coarse',
    },
    h('span', { class: 'nlabel' }, label),
    extra?.count !== undefined ? h('span', { class: 'ncount' }, `${extra.count}/${extra.of}`) : null,
  );
  b.addEventListener('click', () => focusNeuron(key));
  return b;
}

function focusNeuron(key: string | undefined): void {
  state.neuron = key;
  save();
  renderAll();
  const btn = document.querySelector<HTMLElement>(`.side [data-role="occurrences"]`);
  if (btn && key) btn.scrollIntoView({ block: 'nearest' });
}

const SERIES = 6;
const seriesClass = (i: number) => `series-${i % SERIES}`;

function renderRefined(): void {
  const panel = ui.panels.refined;
  clear(panel);
  const m = model!;
  panel.append(h('div', { class: 'view-head' }, h('h2', {}, 'Refined neurons by group'), exportBar('refined', ['svg', 'png', 'csv'])));
  if (m.sets.length === 0) {
    panel.append(h('p', { class: 'empty' }, 'Choose at least one fact and one group.'));
    return;
  }
  const o = m.overlap;
  const legend = h(
    'div',
    { class: 'legend' },
    h('span', { class: 'chip shared' }, 'shared by every set'),
    m.sets.length > 2 ? h('span', { class: 'chip some' }, 'shared by some') : null,
    h('span', { class: 'chip specific' }, 'specific to one set'),
  );
  if (m.sets.length >= 2) panel.append(legend);
  const cols = h('div', { class: 'sets', id: 'sets' });
  m.sets.forEach((set, i) => {
    const specific = o.specific[set.id]?.length ?? 0;
    const shared = set.refined.filter((n) => C.overlapClass(o, n) === 'shared').length;
    const list = h('div', { class: 'neuron-list', role: 'list' });
    const byCount = set.refined
      .slice()
      .sort((a, b) => (set.counts[C.neuronKey(b)] ?? 0) - (set.counts[C.neuronKey(a)] ?? 0) || C.compareNeurons(a, b));
    for (const n of byCount) {
      list.append(h('div', { role: 'listitem' }, neuronButton(n, { count: set.counts[C.neuronKey(n)], of: set.nCounted })));
    }
    if (set.refined.length === 0) list.append(h('p', { class: 'muted' }, 'No neuron is shared by enough prompts.'));
    const src = set.source === 'scores' ? '' : set.source === 'coarse' ? ' (from cached coarse neurons)' : ' (as computed; no scores)';
    cols.append(
      h(
        'section',
        { class: `set-card ${seriesClass(i)}`, 'data-set': set.id, 'aria-label': `Refined neurons of ${set.id}` },
        h(
          'header',
          {},
          h('span', { class: 'swatch', 'aria-hidden': 'true' }),
          h('h3', {}, setLabel(set)),
          h('span', { class: 'count', 'data-count': set.refined.length }, String(set.refined.length)),
        ),
        h(
          'p',
          { class: 'muted small' },
          `${set.nPrompts} prompts${src}` + (m.sets.length >= 2 ? ` \u00b7 ${shared} shared \u00b7 ${specific} specific` : ''),
        ),
        list,
        h(
          'div',
          { class: 'card-actions' },
          vsButton('Select all', { secondary: true, 'data-select-set': set.id, title: 'Select these neurons for suppress / enhance' }, () => {
            state.selection = set.refined.map(C.neuronKey);
            state.run = { fact: set.fact, group: set.group };
            save();
            renderAll();
          }),
        ),
      ),
    );
  });
  panel.append(cols);
  // up to hundreds of neuron chips: one Tab stop, arrows between them
  rovingTabindex(cols, '.neuron');
  if (m.sets.length >= 1) {
    panel.append(h('h3', { class: 'sub' }, 'Intersections (UpSet)'));
    panel.append(upsetSvg(m));
    if (state.intersection) {
      const x = o.intersections.find((i) => JSON.stringify(i.sets) === state.intersection);
      if (x) {
        panel.append(
          h(
            'div',
            { class: 'intersection-detail' },
            h('span', {}, `${x.count} neuron${x.count === 1 ? '' : 's'} in ${x.sets.map(labelOf).join(' \u2229 ')} and no other set: `),
            ...x.neurons.map((n) => neuronButton(n)),
            vsButton('Select these', { secondary: true }, () => {
              state.selection = x.neurons.map(C.neuronKey);
              save();
              renderAll();
            }),
            vsButton('Clear highlight', { secondary: true }, () => {
              state.intersection = undefined;
              save();
              renderAll();
            }),
          ),
        );
        rovingTabindex(panel.querySelector('.intersection-detail') as HTMLElement, '.neuron');
      }
    }
  }
}

function labelOf(id: string): string {
  const set = model?.sets.find((x) => x.id === id);
  return set ? setLabel(set) : id;
}

function upsetSvg(m: C.CompareModel): SVGSVGElement {
  const o = m.overlap;
  const sets = m.sets;
  const xs = o.intersections;
  const labelW = Math.min(220, 30 + Math.max(...sets.map((x) => setLabel(x).length)) * 7);
  const sizeW = 90;
  const colW = 34;
  const rowH = 26;
  const barH = 120;
  const left = labelW + sizeW + 10;
  const width = left + Math.max(1, xs.length) * colW + 20;
  const height = barH + 20 + sets.length * rowH + 16;
  const maxCount = Math.max(1, ...xs.map((x) => x.count));
  const maxSize = Math.max(1, ...sets.map((x) => x.refined.length));
  const svg = s('svg', {
    class: 'chart upset',
    id: 'upset',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': `UpSet plot: ${xs.length} combinations of ${sets.length} sets`,
  });
  svg.append(s('title', {}, 'Exclusive intersections of the refined-neuron sets'));
  const top = 10;
  const matrixTop = top + barH + 10;
  // axis for intersection sizes
  svg.append(s('line', { class: 'axis', x1: left - 4, x2: left - 4, y1: top, y2: top + barH }));
  svg.append(s('text', { class: 'tick', x: left - 8, y: top + 8, 'text-anchor': 'end' }, String(maxCount)));
  svg.append(s('text', { class: 'tick', x: left - 8, y: top + barH, 'text-anchor': 'end' }, '0'));
  svg.append(s('text', { class: 'axis-label', x: left - 8, y: top + barH / 2, 'text-anchor': 'end' }, 'neurons'));
  // set rows: label and set-size bar
  sets.forEach((set, r) => {
    const y = matrixTop + r * rowH + rowH / 2;
    if (r % 2 === 0) svg.append(s('rect', { class: 'band', x: 0, y: y - rowH / 2, width, height: rowH }));
    svg.append(s('text', { class: 'label', x: labelW - 6, y: y + 4, 'text-anchor': 'end' }, truncate(setLabel(set), 32)));
    const w = (set.refined.length / maxSize) * (sizeW - 26);
    svg.append(s('rect', { class: `bar ${seriesClass(r)}`, x: labelW + sizeW - 24 - w, y: y - 7, width: Math.max(w, 0.5), height: 14 }));
    svg.append(s('text', { class: 'tick', x: labelW + sizeW - 20, y: y + 4 }, String(set.refined.length)));
  });
  // intersection columns
  xs.forEach((x, c) => {
    const cx = left + c * colW + colW / 2;
    const key = JSON.stringify(x.sets);
    const active = state.intersection === key;
    const g = s('g', {
      class: `combo${active ? ' active' : ''}`,
      tabindex: 0,
      role: 'button',
      'data-combo': key,
      'aria-pressed': active ? 'true' : 'false',
      'aria-label': `${x.count} neurons only in ${x.sets.map(labelOf).join(' and ')}`,
    });
    g.append(s('title', {}, `${x.count} neuron(s) only in: ${x.sets.map(labelOf).join(', ')}`));
    g.append(s('rect', { class: 'hit', x: cx - colW / 2 + 1, y: top, width: colW - 2, height: height - top - 4, rx: 3 }));
    const bh = (x.count / maxCount) * barH;
    g.append(s('rect', { class: 'bar combo-bar', x: cx - 8, y: top + barH - bh, width: 16, height: Math.max(bh, 0.5) }));
    g.append(s('text', { class: 'tick', x: cx, y: top + barH - bh - 3, 'text-anchor': 'middle' }, String(x.count)));
    const rows = x.sets.map((id) => sets.findIndex((st) => st.id === id)).filter((r) => r >= 0);
    sets.forEach((_, r) => {
      const y = matrixTop + r * rowH + rowH / 2;
      g.append(s('circle', { class: rows.includes(r) ? 'dot on' : 'dot off', cx, cy: y, r: 6 }));
    });
    if (rows.length > 1) {
      const y1 = matrixTop + Math.min(...rows) * rowH + rowH / 2;
      const y2 = matrixTop + Math.max(...rows) * rowH + rowH / 2;
      g.append(s('line', { class: 'link', x1: cx, x2: cx, y1, y2 }));
    }
    keyActivate(g, () => {
      state.intersection = active ? undefined : key;
      save();
      renderAll();
      (document.querySelector(`[data-combo='${CSS.escape(key)}']`) as SVGGElement | null)?.focus();
    });
    svg.append(g);
  });
  if (xs.length === 0) svg.append(s('text', { class: 'label', x: left, y: top + barH / 2 }, 'no refined neurons'));
  return svg;
}

/** An SVG of the refined view (set columns + UpSet), attached to the page so styles resolve; the caller removes it. */
function refinedExportSvg(): SVGSVGElement | undefined {
  const m = model;
  const upset = document.getElementById('upset') as SVGSVGElement | null;
  if (!m || !upset || m.sets.length === 0) return undefined;
  const colW = 150;
  const rowH = 18;
  const maxRows = Math.max(1, ...m.sets.map((x) => x.refined.length));
  const colsH = 44 + maxRows * rowH + 16;
  const uw = upset.viewBox.baseVal.width;
  const uh = upset.viewBox.baseVal.height;
  const width = Math.max(uw, 16 + m.sets.length * colW);
  const height = colsH + 24 + uh;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height });
  m.sets.forEach((set, i) => {
    const x = 10 + i * colW;
    svg.append(s('rect', { class: `bar ${seriesClass(i)}`, x, y: 6, width: colW - 12, height: 3 }));
    svg.append(s('text', { class: 'label strong', x, y: 26 }, truncate(setLabel(set), 18)));
    svg.append(s('text', { class: 'tick', x: x + colW - 14, y: 26, 'text-anchor': 'end' }, `${set.refined.length} refined \u00b7 ${set.nPrompts} prompts`));
    const byCount = set.refined.slice().sort((a, b) => (set.counts[C.neuronKey(b)] ?? 0) - (set.counts[C.neuronKey(a)] ?? 0) || C.compareNeurons(a, b));
    byCount.forEach((n, r) => {
      const y = 44 + r * rowH;
      svg.append(s('rect', { class: `mark ${C.overlapClass(m.overlap, n)}`, x, y: y - 11, width: 3, height: 14 }));
      svg.append(s('text', { class: 'label mono', x: x + 8, y }, C.neuronLabel(n)));
      const c = set.counts[C.neuronKey(n)];
      if (c !== undefined) svg.append(s('text', { class: 'tick', x: x + colW - 14, y, 'text-anchor': 'end' }, `${c}/${set.nCounted}`));
    });
  });
  const g = s('g', { transform: `translate(0, ${colsH + 24})` });
  for (const child of upset.childNodes) g.append(child.cloneNode(true));
  svg.append(g);
  ui.panels.refined.append(svg);
  return svg;
}

// --- Heatmap -----------------------------------------------------------------------------------

interface HeatInfo {
  matrix: number[][];
  title: string;
  marked: Set<string>;
  /** Coarse threshold for a single prompt (neurons ordered by score: the coarse ones come first). */
  threshold?: number;
  /** A group mean's scale (a single prompt's scores are raw). */
  scale?: C.MeanScale;
}

function heatInfo(): HeatInfo | undefined {
  const f = factByName(state.heat.fact);
  if (!f) return undefined;
  if (state.heat.source === 'prompt') {
    const p = f.prompts[state.heat.prompt];
    if (!p?.scores) return undefined;
    const coarse = C.coarseNeurons(p.scores, state.rule);
    return {
      matrix: p.scores,
      title: `${f.name}: \u201c${p.text}\u201d`,
      marked: new Set(coarse.map(C.neuronKey)),
      threshold: C.coarseThreshold(p.scores, state.rule),
    };
  }
  const scale = state.heat.scale;
  const ms = C.meanScores(C.groupPrompts(f, state.heat.group), scale);
  if (!ms) return undefined;
  const set = C.refineGroup(f, state.heat.group, { rule: state.rule, p: state.p });
  return {
    matrix: ms.mean,
    title: `${f.name}: mean of ${ms.n} ${state.heat.group} prompts, ${scale === 'normalised' ? "each prompt's scores \u00f7 its maximum" : 'raw scores'}`,
    scale,
    marked: new Set(set.refined.map(C.neuronKey)),
  };
}

let heatCursor = { row: 0, col: 0 };
let heatLayout: { x0: number; y0: number; cw: number; rh: number; cols: number; rows: C.HeatmapRow[] } | undefined;

function renderHeatmap(): void {
  const panel = ui.panels.heatmap;
  clear(panel);
  panel.append(h('div', { class: 'view-head' }, h('h2', {}, 'Attribution by layer'), exportBar('heatmap', ['svg', 'png', 'csv'])));
  const f = factByName(state.heat.fact);
  const factSel = h('vscode-single-select', { id: 'heat-fact', 'aria-label': 'Fact' }) as HTMLElement & { value: string };
  for (const x of data!.facts) factSel.append(h('vscode-option', { value: x.name }, x.name));
  factSel.value = state.heat.fact;
  factSel.addEventListener('change', () => {
    state.heat.fact = factSel.value;
    state.heat.prompt = 0;
    reconcile();
    save();
    renderHeatmap();
  });
  const srcSel = h('vscode-single-select', { id: 'heat-source', 'aria-label': 'Prompt or group mean' }) as HTMLElement & { value: string };
  if (f) {
    for (const g of C.factGroups(f)) srcSel.append(h('vscode-option', { value: `mean:${g}` }, `Mean of group ${g}`));
    f.prompts.forEach((p, i) => srcSel.append(h('vscode-option', { value: `prompt:${i}` }, `${p.lang ? `[${p.lang}] ` : ''}${truncate(p.text, 70)}`)));
  }
  srcSel.value = state.heat.source === 'mean' ? `mean:${state.heat.group}` : `prompt:${state.heat.prompt}`;
  srcSel.addEventListener('change', () => {
    const [kind, v] = srcSel.value.split(/:(.*)/s);
    if (kind === 'mean') state.heat = { ...state.heat, source: 'mean', group: v };
    else state.heat = { ...state.heat, source: 'prompt', prompt: Number(v) };
    save();
    renderHeatmap();
  });
  const scaleSel = h('vscode-single-select', { id: 'heat-scale', 'aria-label': 'Scale of the group mean' }) as HTMLElement & { value: string };
  scaleSel.append(h('vscode-option', { value: 'normalised' }, "normalised per prompt (\u00f7 its max)"), h('vscode-option', { value: 'raw' }, 'raw scores'));
  scaleSel.value = state.heat.scale;
  if (state.heat.source !== 'mean') scaleSel.setAttribute('disabled', '');
  scaleSel.addEventListener('change', () => {
    state.heat.scale = scaleSel.value === 'raw' ? 'raw' : 'normalised';
    save();
    renderHeatmap();
  });
  const topSel = h('vscode-single-select', { id: 'heat-top', 'aria-label': 'Columns' }) as HTMLElement & { value: string };
  for (const n of [32, 64, 128, 0]) topSel.append(h('vscode-option', { value: String(n) }, n === 0 ? 'all neurons' : `top ${n} per layer`));
  topSel.value = String(state.heat.top);
  topSel.addEventListener('change', () => {
    state.heat.top = Number(topSel.value);
    save();
    renderHeatmapCanvas();
  });
  panel.append(
    h(
      'div',
      { class: 'view-controls' },
      field('Fact', 'heat-fact', factSel),
      field('Scores of', 'heat-source', srcSel),
      field('Mean of', 'heat-scale', scaleSel),
      field('Show', 'heat-top', topSel),
    ),
  );
  const info = heatInfo();
  if (!info) {
    panel.append(h('p', { class: 'empty' }, 'No attribution scores for this choice yet: run integrated gradients on its prompts.'));
    heatLayout = undefined;
    return;
  }
  panel.append(h('p', { class: 'muted small', id: 'heat-title' }, info.title));
  const canvas = h('canvas', {
    id: 'heatmap',
    class: 'heatmap',
    tabindex: 0,
    role: 'img',
    'aria-label': `Heatmap of ${info.title}, one row per layer, neurons ordered by score. Arrow keys move, Enter or Space lists the prompts of the neuron under the cursor.`,
  });
  const tip = h('div', { class: 'tooltip', id: 'heat-tip', role: 'status' });
  const wrap = h('div', { class: 'heat-wrap' }, canvas, tip);
  panel.append(wrap);
  panel.append(
    h(
      'div',
      { class: 'legend heat-legend' },
      h('span', { class: 'grad neg' }),
      h('span', {}, 'negative'),
      h('span', { class: 'grad zero' }),
      h('span', {}, '0'),
      h('span', { class: 'grad pos' }),
      h('span', {}, `positive \u00b7 colour \u221d (|${info.scale === 'normalised' ? 'normalised score' : 'score'}| / ${C.formatScore(C.maxAbs(info.matrix))})^${HEAT_GAMMA}`),
      h('span', { class: 'mark-sample' }),
      h('span', {}, state.heat.source === 'prompt' ? 'coarse neuron' : 'refined neuron of the group'),
    ),
  );
  canvas.addEventListener('mousemove', (e) => {
    const hit = heatHit(e.offsetX, e.offsetY);
    if (!hit) {
      tip.textContent = '';
      tip.classList.remove('show');
      return;
    }
    tip.textContent = `${C.neuronLabel({ layer: hit.layer, index: hit.index })}  score ${C.formatScore(hit.value)}  rank ${hit.rank + 1}`;
    tip.classList.add('show');
  });
  canvas.addEventListener('mouseleave', () => tip.classList.remove('show'));
  canvas.addEventListener('click', (e) => {
    const hit = heatHit(e.offsetX, e.offsetY);
    if (!hit) return;
    heatCursor = { row: hit.layer, col: hit.rank };
    focusNeuron(`${hit.layer}:${hit.index}`);
  });
  canvas.addEventListener('keydown', (e) => {
    if (!heatLayout) return;
    const L = heatLayout;
    const k = e.key;
    if (k === 'ArrowRight') heatCursor.col = Math.min(L.cols - 1, heatCursor.col + 1);
    else if (k === 'ArrowLeft') heatCursor.col = Math.max(0, heatCursor.col - 1);
    else if (k === 'ArrowDown') heatCursor.row = Math.min(L.rows.length - 1, heatCursor.row + 1);
    else if (k === 'ArrowUp') heatCursor.row = Math.max(0, heatCursor.row - 1);
    else if (k === 'Home') heatCursor.col = 0;
    else if (k === 'End') heatCursor.col = L.cols - 1;
    else if (k === 'Enter' || k === ' ') {
      const r = L.rows[heatCursor.row];
      focusNeuron(`${r.layer}:${r.order[heatCursor.col]}`);
      (document.getElementById('heatmap') as HTMLElement | null)?.focus();
    } else return;
    e.preventDefault();
    const r = L.rows[heatCursor.row];
    tip.textContent = `${C.neuronLabel({ layer: r.layer, index: r.order[heatCursor.col] })}  score ${C.formatScore(r.values[heatCursor.col])}  rank ${heatCursor.col + 1}`;
    tip.classList.add('show');
    drawHeatmap(canvas, info);
  });
  canvas.addEventListener('focus', () => drawHeatmap(canvas, info));
  canvas.addEventListener('blur', () => drawHeatmap(canvas, info));
  renderHeatmapCanvas();
}

function renderHeatmapCanvas(): void {
  const canvas = document.getElementById('heatmap') as HTMLCanvasElement | null;
  const info = heatInfo();
  if (canvas && info) drawHeatmap(canvas, info);
}

function heatHit(x: number, y: number): { layer: number; index: number; rank: number; value: number } | undefined {
  const L = heatLayout;
  if (!L) return undefined;
  const col = Math.floor((x - L.x0) / L.cw);
  const row = Math.floor((y - L.y0) / L.rh);
  if (col < 0 || col >= L.cols || row < 0 || row >= L.rows.length) return undefined;
  const r = L.rows[row];
  return { layer: r.layer, index: r.order[col], rank: col, value: r.values[col] };
}

interface Palette {
  bg: Rgb;
  fg: Rgb;
  muted: Rgb;
  pos: Rgb;
  neg: Rgb;
  focus: Rgb;
  mark: Rgb;
  font: string;
}

function palette(): Palette {
  const cs = getComputedStyle(document.body);
  return {
    bg: resolveColor('var(--vscode-editor-background)', [30, 30, 30, 1]),
    fg: resolveColor('var(--vscode-foreground)', [204, 204, 204, 1]),
    muted: resolveColor('var(--vscode-descriptionForeground)', [150, 150, 150, 1]),
    pos: resolveColor('var(--vscode-charts-red)', [241, 76, 76, 1]),
    neg: resolveColor('var(--vscode-charts-blue)', [55, 148, 255, 1]),
    focus: resolveColor('var(--vscode-focusBorder)', [0, 120, 212, 1]),
    mark: resolveColor('var(--vscode-editor-foreground)', [204, 204, 204, 1]),
    font: `${cs.getPropertyValue('--vscode-font-size').trim() || '13px'} ${cs.getPropertyValue('--vscode-font-family').trim() || 'sans-serif'}`,
  };
}

/** Colour scale exponent: attribution is heavy-tailed, so small scores stay visible. */
const HEAT_GAMMA = 0.4;

function heatColor(p: Palette, v: number, maxAbs: number): Rgb {
  if (!Number.isFinite(v) || maxAbs <= 0) return p.bg;
  const t = Math.pow(Math.abs(v) / maxAbs, HEAT_GAMMA);
  return mix(p.bg, v >= 0 ? p.pos : p.neg, t);
}

function heatGeometry(info: HeatInfo, width: number) {
  const rows = C.heatmapRows(info.matrix);
  const n = rows[0]?.order.length ?? 0;
  const cols = state.heat.top > 0 ? Math.min(state.heat.top, n) : n;
  const x0 = 44;
  const y0 = 8;
  const cw = Math.max(0.25, (width - x0 - 12) / Math.max(1, cols));
  const rh = Math.max(16, Math.min(44, 320 / Math.max(1, rows.length)));
  const height = y0 + rows.length * rh + 34;
  return { rows, cols, x0, y0, cw, rh, height, maxAbs: C.maxAbs(info.matrix) };
}

function drawHeatmap(canvas: HTMLCanvasElement, info: HeatInfo): void {
  const width = Math.max(320, canvas.parentElement?.clientWidth ?? 600);
  const g = heatGeometry(info, width);
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(g.height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${g.height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const p = palette();
  ctx.fillStyle = rgbCss(p.bg);
  ctx.fillRect(0, 0, width, g.height);
  heatLayout = { x0: g.x0, y0: g.y0, cw: g.cw, rh: g.rh, cols: g.cols, rows: g.rows };
  ctx.font = p.font;
  ctx.textBaseline = 'middle';
  g.rows.forEach((r, ri) => {
    const y = g.y0 + ri * g.rh;
    ctx.fillStyle = rgbCss(p.fg);
    ctx.textAlign = 'right';
    ctx.fillText(`L${r.layer}`, g.x0 - 8, y + g.rh / 2);
    for (let c = 0; c < g.cols; c++) {
      ctx.fillStyle = rgbCss(heatColor(p, r.values[c], g.maxAbs));
      ctx.fillRect(g.x0 + c * g.cw, y + 1, Math.ceil(g.cw), g.rh - 2);
      if (info.marked.has(`${r.layer}:${r.order[c]}`)) {
        ctx.fillStyle = rgbCss(p.mark);
        ctx.fillRect(g.x0 + c * g.cw, y + g.rh - 4, Math.max(1, Math.ceil(g.cw) - (g.cw > 3 ? 1 : 0)), 3);
      }
      if (state.neuron === `${r.layer}:${r.order[c]}`) {
        ctx.strokeStyle = rgbCss(p.fg);
        ctx.lineWidth = 2;
        ctx.strokeRect(g.x0 + c * g.cw, y + 1, Math.max(2, g.cw), g.rh - 2);
      }
    }
  });
  // axis
  ctx.fillStyle = rgbCss(p.muted);
  ctx.textAlign = 'left';
  const yAxis = g.y0 + g.rows.length * g.rh + 14;
  ctx.fillText('rank 1', g.x0, yAxis);
  ctx.textAlign = 'right';
  ctx.fillText(`rank ${g.cols}  \u2192 neurons ordered by score within each layer`, width - 12, yAxis);
  if (document.activeElement === canvas) {
    const r = Math.min(heatCursor.row, g.rows.length - 1);
    const c = Math.min(heatCursor.col, g.cols - 1);
    ctx.strokeStyle = rgbCss(p.focus);
    ctx.lineWidth = 2;
    ctx.strokeRect(g.x0 + c * g.cw - 1, g.y0 + r * g.rh, Math.max(3, g.cw + 2), g.rh);
  }
}

/**
 * The heatmap as a vector SVG (same colours and order as the canvas), readable on its own: title,
 * axis labels, a colour legend with its scale, each cell's neuron id (written in the cell when it is
 * wide enough, always in its tooltip) and the ids of the marked neurons.
 */
function heatmapSvgText(info: HeatInfo): { text: string; width: number; height: number } {
  const width = 960;
  const g = heatGeometry(info, width - 24);
  const p = palette();
  const parts: string[] = [];
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const x0 = g.x0 + 24;
  const y0 = g.y0 + 26;
  const marked = g.rows.flatMap((r) => r.order.slice(0, g.cols).filter((i) => info.marked.has(`${r.layer}:${i}`)).map((i) => C.neuronLabel({ layer: r.layer, index: i })));
  const markedLines: string[] = [];
  for (let i = 0; i < marked.length; i += 12) markedLines.push(marked.slice(i, i + 12).join('  '));
  const plotBottom = y0 + g.rows.length * g.rh;
  const legendY = plotBottom + 40;
  const height = legendY + 40 + markedLines.length * 16 + 10;
  const font = esc(getComputedStyle(document.body).fontFamily || 'sans-serif');
  const fg = rgbCss(p.fg);
  const muted = rgbCss(p.muted);
  parts.push(`<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${font}" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="${rgbCss(p.bg)}"/>`);
  parts.push(`<text x="${x0}" y="16" fill="${fg}" font-weight="600">${esc(info.title)}</text>`);
  parts.push(`<text transform="translate(12 ${(y0 + plotBottom) / 2}) rotate(-90)" text-anchor="middle" fill="${muted}">layer</text>`);
  const ids = g.cw >= 10;
  g.rows.forEach((r, ri) => {
    const y = y0 + ri * g.rh;
    parts.push(`<text x="${x0 - 8}" y="${y + g.rh / 2 + 4}" text-anchor="end" fill="${fg}">L${r.layer}</text>`);
    for (let c = 0; c < g.cols; c++) {
      const v = r.values[c];
      const id = `L${r.layer}\u00b7${r.order[c]}`;
      const cx = x0 + c * g.cw;
      parts.push(`<rect x="${cx.toFixed(2)}" y="${y + 1}" width="${g.cw.toFixed(2)}" height="${g.rh - 2}" fill="${rgbCss(heatColor(p, v, g.maxAbs))}"><title>${id} ${v}</title></rect>`);
      if (info.marked.has(`${r.layer}:${r.order[c]}`)) {
        parts.push(`<rect x="${cx.toFixed(2)}" y="${y + g.rh - 4}" width="${Math.max(1, g.cw - 1).toFixed(2)}" height="3" fill="${rgbCss(p.mark)}"/>`);
      }
      if (ids) {
        const tx = cx + g.cw / 2 + 3;
        const ty = y + g.rh / 2;
        const t = Math.pow(Math.abs(v) / (g.maxAbs || 1), HEAT_GAMMA);
        parts.push(`<text transform="translate(${tx.toFixed(2)} ${ty}) rotate(-90)" text-anchor="middle" font-size="${Math.min(9, g.cw - 1).toFixed(1)}" fill="${t > 0.55 ? rgbCss(p.bg) : fg}">${r.order[c]}</text>`);
      }
    }
  });
  parts.push(`<text x="${x0}" y="${plotBottom + 16}" fill="${muted}">neurons ranked by score within each layer: rank 1 (left) \u2192 ${g.cols}${ids ? '; each cell is labelled with its neuron index' : ''}</text>`);
  // colour legend: the scale from −max to +max, as drawn
  const lw = 240;
  const steps = 24;
  parts.push(`<text x="${x0}" y="${legendY - 6}" fill="${muted}">${esc(info.scale === 'normalised' ? 'normalised score (\u00f7 each prompt\u2019s max)' : 'attribution score')}, colour \u221d |value|^${HEAT_GAMMA}</text>`);
  for (let i = 0; i < steps; i++) {
    const v = -g.maxAbs + ((i + 0.5) / steps) * 2 * g.maxAbs;
    parts.push(`<rect x="${(x0 + (i * lw) / steps).toFixed(2)}" y="${legendY}" width="${(lw / steps + 0.5).toFixed(2)}" height="12" fill="${rgbCss(heatColor(p, v, g.maxAbs))}"/>`);
  }
  parts.push(`<text x="${x0}" y="${legendY + 26}" fill="${muted}">${esc(C.formatScore(-g.maxAbs))}</text>`);
  parts.push(`<text x="${x0 + lw / 2}" y="${legendY + 26}" text-anchor="middle" fill="${muted}">0</text>`);
  parts.push(`<text x="${x0 + lw}" y="${legendY + 26}" text-anchor="end" fill="${muted}">${esc(C.formatScore(g.maxAbs))}</text>`);
  parts.push(`<rect x="${x0 + lw + 30}" y="${legendY + 4}" width="16" height="3" fill="${rgbCss(p.mark)}"/>`);
  parts.push(`<text x="${x0 + lw + 52}" y="${legendY + 10}" fill="${muted}">${info.threshold !== undefined ? 'coarse neuron of the prompt' : 'refined neuron of the group'} (${marked.length} shown)</text>`);
  markedLines.forEach((line, i) => parts.push(`<text x="${x0}" y="${legendY + 46 + i * 16}" fill="${fg}">${esc(line)}</text>`));
  parts.push('</svg>');
  return { text: parts.join('\n'), width, height };
}

// --- Layers --------------------------------------------------------------------------------------

function renderLayers(): void {
  const panel = ui.panels.layers;
  clear(panel);
  const m = model!;
  panel.append(h('div', { class: 'view-head' }, h('h2', {}, 'Where the refined neurons sit'), exportBar('layers', ['svg', 'png', 'csv'])));
  if (m.sets.length === 0) {
    panel.append(h('p', { class: 'empty' }, 'Choose at least one fact and one group.'));
    return;
  }
  const L = data!.layers;
  const avail = panel.clientWidth > 0 ? panel.clientWidth - 30 : 700;
  const width = Math.max(480, Math.min(1000, avail, 120 + L * (m.sets.length * 40 + 40)));
  const height = 260;
  const left = 44;
  const bottom = 40;
  const top = 14;
  const plotH = height - top - bottom;
  const maxV = Math.max(1, ...m.sets.flatMap((x) => m.layers[x.id]));
  const ticks = niceTicks(maxV);
  const scaleMax = ticks[ticks.length - 1];
  const groupW = (width - left - 10) / L;
  const barW = Math.min(36, (groupW - 10) / m.sets.length);
  const svg = s('svg', {
    class: 'chart layers',
    id: 'layers-chart',
    viewBox: `0 0 ${width} ${height + 22 * Math.ceil(m.sets.length / 3)}`,
    width,
    height: height + 22 * Math.ceil(m.sets.length / 3),
    role: 'img',
    'aria-label': 'Refined neurons per layer for each set',
  });
  for (const t of ticks) {
    const y = top + plotH - (t / scaleMax) * plotH;
    svg.append(s('line', { class: 'grid', x1: left, x2: width - 10, y1: y, y2: y }));
    svg.append(s('text', { class: 'tick', x: left - 6, y: y + 4, 'text-anchor': 'end' }, String(t)));
  }
  for (let l = 0; l < L; l++) {
    const gx = left + l * groupW;
    const inner = (groupW - barW * m.sets.length) / 2;
    m.sets.forEach((set, i) => {
      const v = m.layers[set.id][l];
      const bh = (v / scaleMax) * plotH;
      const x = gx + inner + i * barW;
      const r = s('rect', {
        class: `bar ${seriesClass(i)}`,
        x: x + 1,
        y: top + plotH - bh,
        width: Math.max(1, barW - 2),
        height: Math.max(0, bh),
        'data-layer': l,
        'data-set': set.id,
        'data-value': v,
      });
      r.append(s('title', {}, `${set.id}, layer ${l}: ${v}`));
      svg.append(r);
      if (v > 0 && barW >= 12) svg.append(s('text', { class: 'tick', x: x + barW / 2, y: top + plotH - bh - 3, 'text-anchor': 'middle' }, String(v)));
    });
    svg.append(s('text', { class: 'label', x: gx + groupW / 2, y: top + plotH + 16, 'text-anchor': 'middle' }, `L${l}`));
  }
  svg.append(s('line', { class: 'axis', x1: left, x2: width - 10, y1: top + plotH, y2: top + plotH }));
  svg.append(s('text', { class: 'axis-label', x: left + (width - left) / 2, y: top + plotH + 32, 'text-anchor': 'middle' }, 'layer'));
  m.sets.forEach((set, i) => {
    const lx = left + (i % 3) * ((width - left) / 3);
    const ly = height + 6 + Math.floor(i / 3) * 22;
    svg.append(s('rect', { class: `bar ${seriesClass(i)}`, x: lx, y: ly, width: 12, height: 12 }));
    svg.append(s('text', { class: 'label', x: lx + 18, y: ly + 10 }, truncate(`${setLabel(set)} (${set.refined.length})`, 36)));
  });
  panel.append(svg);
  // Table for screen readers and exact numbers
  const table = h('table', { class: 'data-table', id: 'layers-table' });
  table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'set'), ...Array.from({ length: L }, (_, l) => h('th', { scope: 'col' }, `L${l}`)))));
  const tb = h('tbody');
  for (const set of m.sets) tb.append(h('tr', {}, h('th', { scope: 'row' }, setLabel(set)), ...m.layers[set.id].map((v) => h('td', {}, String(v)))));
  table.append(tb);
  panel.append(table);
}

function niceTicks(max: number): number[] {
  const step = max <= 5 ? 1 : max <= 10 ? 2 : max <= 25 ? 5 : Math.pow(10, Math.floor(Math.log10(max))) * (max / Math.pow(10, Math.floor(Math.log10(max))) <= 2.5 ? 0.5 : 1);
  const out: number[] = [];
  for (let v = 0; v < max + step; v += step) out.push(Number(v.toPrecision(6)));
  return out;
}

// --- Effects -------------------------------------------------------------------------------------

function renderEffects(): void {
  const panel = ui.panels.effects;
  clear(panel);
  panel.append(h('div', { class: 'view-head' }, h('h2', {}, 'Suppressing and enhancing the refined neurons'), exportBar('effects', ['svg', 'png', 'csv'])));
  const withEffects = data!.facts.filter((f) => f.effects);
  if (withEffects.length === 0) {
    panel.append(h('p', { class: 'empty' }, 'No suppress / enhance results yet. Select neurons and use Suppress or Enhance.'));
    return;
  }
  const sel = h('vscode-single-select', { id: 'effects-fact', 'aria-label': 'Fact' }) as HTMLElement & { value: string };
  for (const f of withEffects) sel.append(h('vscode-option', { value: f.name }, f.name));
  const fact = withEffects.find((f) => f.name === state.effectsFact) ?? withEffects[0];
  sel.value = fact.name;
  sel.addEventListener('change', () => {
    state.effectsFact = sel.value;
    save();
    renderEffects();
  });
  panel.append(h('div', { class: 'view-controls' }, field('Fact', 'effects-fact', sel)));
  const eff = fact.effects!;
  const sum = C.effectsSummary(eff);
  panel.append(
    h(
      'p',
      { class: 'muted small', id: 'effects-summary' },
      `Mean relative change of P(${fact.answer}) \u2014 own prompts: suppressed ${C.formatPercent(sum.own.suppress)}, enhanced ${C.formatPercent(sum.own.enhance)}; ` +
        `control prompts: suppressed ${C.formatPercent(sum.control.suppress)}, enhanced ${C.formatPercent(sum.control.enhance)}.`,
    ),
  );
  // laid out for the width it is shown at (never scaled down: its text keeps its size), scrolled below 600 px
  const avail = panel.clientWidth > 0 ? panel.clientWidth - 30 : 900;
  panel.append(h('div', { class: 'chart-scroll' }, effectsSvg(fact, sum, Math.max(600, Math.min(1000, avail)))));
}

function effectsSvg(fact: FactResult, sum: C.EffectsSummary, width = 900): SVGSVGElement {
  const eff = fact.effects!;
  const rows = [
    ...eff.own.map((r) => ({ ...r, kind: 'own' as const })),
    ...eff.control.map((r) => ({ ...r, kind: 'control' as const })),
  ];
  const numW = width < 760 ? 92 : 110;
  const labelW = Math.round(Math.min(290, width * 0.24));
  const rowH = 22;
  const summaryH = 130;
  const top = summaryH + 40;
  const height = top + 8 + rows.length * rowH + (eff.control.length && eff.own.length ? 26 : 0) + 16;
  const plotX = labelW + 3 * numW + 24;
  const plotW = width - plotX - 20;
  const rels = rows.flatMap((r) => [C.relativeChange(r.before, r.suppressed), C.relativeChange(r.before, r.enhanced)]).filter(Number.isFinite);
  const ext = Math.max(1e-6, ...rels.map(Math.abs), Math.abs(sum.own.suppress) || 0, Math.abs(sum.own.enhance) || 0);
  const x = (v: number) => plotX + plotW / 2 + (v / ext) * (plotW / 2 - 30);
  const svg = s('svg', {
    class: 'chart effects',
    id: 'effects-chart',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': `Relative change of the target probability when the refined neurons of ${fact.name} are suppressed or enhanced`,
  });
  // Summary: mean relative change, own vs control
  const zx = Math.round(Math.min(400, width * 0.4));
  const half = Math.round(Math.min(140, width * 0.14));
  const sExt = Math.max(1e-9, ...[sum.own.suppress, sum.own.enhance, sum.control.suppress, sum.control.enhance].filter(Number.isFinite).map(Math.abs));
  const sxv = (v: number) => zx + (v / sExt) * half;
  svg.append(s('text', { class: 'label strong', x: 10, y: 16 }, `Mean relative change of P(${fact.answer})`));
  const cats: Array<[string, 'suppress' | 'enhance']> = [
    ['suppressed', 'suppress'],
    ['enhanced', 'enhance'],
  ];
  cats.forEach(([label, key], ci) => {
    (['own', 'control'] as const).forEach((kind, ki) => {
      const v = sum[kind][key];
      const y = 30 + ci * 44 + ki * 19;
      if (ki === 0) svg.append(s('text', { class: 'label', x: 10, y: y + 12 }, label));
      svg.append(s('text', { class: 'tick', x: 110, y: y + 12 }, `${kind} prompts (${sum[kind].n})`));
      if (Number.isFinite(v)) {
        const a = sxv(0);
        const b = sxv(v);
        svg.append(s('rect', { class: `bar ${kind}`, x: Math.min(a, b), y: y + 2, width: Math.max(1, Math.abs(b - a)), height: 14 }));
        svg.append(s('text', { class: 'tick', x: v >= 0 ? b + 5 : b - 5, y: y + 13, 'text-anchor': v >= 0 ? 'start' : 'end' }, C.formatPercent(v)));
      }
    });
  });
  svg.append(s('line', { class: 'axis', x1: zx, x2: zx, y1: 26, y2: 30 + 2 * 44 }));
  // Legend for the per-prompt rows
  const lg = s('g', { transform: `translate(${zx + half + Math.round(Math.min(110, width * 0.1))}, 30)` });
  lg.append(s('rect', { class: 'bar suppress', x: 0, y: 0, width: 12, height: 8 }), s('text', { class: 'label', x: 18, y: 8 }, 'suppressed (set to 0)'));
  lg.append(s('rect', { class: 'bar enhance', x: 0, y: 18, width: 12, height: 8 }), s('text', { class: 'label', x: 18, y: 26 }, 'enhanced (\u00d72)'));
  lg.append(s('rect', { class: 'bar own', x: 0, y: 40, width: 12, height: 8 }), s('text', { class: 'label', x: 18, y: 48 }, 'own prompts'));
  lg.append(s('rect', { class: 'bar control', x: 0, y: 58, width: 12, height: 8 }), s('text', { class: 'label', x: 18, y: 66 }, 'control prompts (unrelated fact)'));
  svg.append(lg);
  // Per prompt
  svg.append(s('line', { class: 'grid', x1: 0, x2: width, y1: top - 40, y2: top - 40 }));
  svg.append(s('text', { class: 'label strong', x: 10, y: top - 20 }, 'Per prompt'));
  svg.append(s('text', { class: 'tick', x: labelW + numW, y: top - 20, 'text-anchor': 'end' }, 'P before'));
  svg.append(s('text', { class: 'tick', x: labelW + 2 * numW, y: top - 20, 'text-anchor': 'end' }, 'suppressed'));
  svg.append(s('text', { class: 'tick', x: labelW + 3 * numW, y: top - 20, 'text-anchor': 'end' }, 'enhanced'));
  svg.append(s('text', { class: 'tick', x: x(0), y: top - 20, 'text-anchor': 'middle' }, 'relative change of P'));
  svg.append(s('text', { class: 'tick', x: x(-ext), y: top - 20, 'text-anchor': 'start' }, C.formatPercent(-ext)));
  svg.append(s('text', { class: 'tick', x: x(ext), y: top - 20, 'text-anchor': 'end' }, C.formatPercent(ext)));
  let y = top + 8;
  let prevKind = rows[0]?.kind;
  rows.forEach((r, i) => {
    if (r.kind !== prevKind) {
      y += 26;
      prevKind = r.kind;
    }
    if (i === 0 || (i === eff.own.length && r.kind === 'control')) {
      svg.append(s('text', { class: 'label strong', x: 10, y: y - 6 }, r.kind === 'own' ? `Own prompts (${eff.own.length})` : `Control prompts (${eff.control.length})`));
    }
    if (i % 2 === 0) svg.append(s('rect', { class: 'band', x: 0, y: y + 2, width, height: rowH }));
    const g = s('g', { class: `effect-row ${r.kind}`, 'data-kind': r.kind });
    g.append(s('title', {}, `${r.text}\nbefore ${r.before}\nsuppressed ${r.suppressed}\nenhanced ${r.enhanced}`));
    g.append(s('text', { class: 'label', x: 10, y: y + 16 }, truncate(r.text, Math.max(16, Math.floor(labelW / 7)))));
    const rs = C.relativeChange(r.before, r.suppressed);
    const re = C.relativeChange(r.before, r.enhanced);
    g.append(s('text', { class: 'tick', x: labelW + numW, y: y + 16, 'text-anchor': 'end' }, formatProbability(r.before)));
    g.append(s('text', { class: 'tick', x: labelW + 2 * numW, y: y + 16, 'text-anchor': 'end' }, `${formatProbability(r.suppressed)} (${formatChange(rs)})`));
    g.append(s('text', { class: 'tick', x: labelW + 3 * numW, y: y + 16, 'text-anchor': 'end' }, `${formatProbability(r.enhanced)} (${formatChange(re)})`));
    const a = x(0);
    if (Number.isFinite(rs)) g.append(s('rect', { class: 'bar suppress', x: Math.min(a, x(rs)), y: y + 5, width: Math.max(1, Math.abs(x(rs) - a)), height: 7 }));
    if (Number.isFinite(re)) g.append(s('rect', { class: 'bar enhance', x: Math.min(a, x(re)), y: y + 13, width: Math.max(1, Math.abs(x(re) - a)), height: 7 }));
    svg.append(g);
    y += rowH;
  });
  svg.append(s('line', { class: 'axis', x1: x(0), x2: x(0), y1: top - 12, y2: y + 2 }));
  return svg;
}

// --- Side panel: neuron details, selection, interventions ----------------------------------------

function renderSide(): void {
  const side = ui.side;
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
      h('div', { class: 'view-head' }, h('h2', { id: 'neuron-title' }, `Neuron ${C.neuronLabel(n)}`), exportBar('neuron', ['csv'])),
      h('p', { class: 'muted small', id: 'neuron-count', 'data-count': occ.length }, `Coarse in ${occ.length} prompt${occ.length === 1 ? '' : 's'} (all facts, current rule).`),
    );
    const mem = model.overlap.membership[state.neuron];
    if (mem) det.append(h('p', { class: 'small' }, `Refined in: ${mem.join(', ')}`));
    const table = h('table', { class: 'data-table occurrences', 'data-role': 'occurrences' });
    table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'prompt'), h('th', { scope: 'col', class: 'num' }, 'score'), h('th', { scope: 'col', class: 'num' }, '\u00d7 max'))));
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
          save();
          renderAll();
        }),
        vsButton('Close', { secondary: true, id: 'close-neuron' }, () => focusNeuron(undefined)),
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
    const b = h('button', { type: 'button', class: 'neuron selected', 'data-neuron': k, 'aria-label': `Remove ${C.neuronLabel(n)} from the selection`, title: 'Remove' }, C.neuronLabel(n), h('span', { class: 'x', 'aria-hidden': 'true' }, '\u00d7'));
    b.addEventListener('click', () => {
      state.selection = state.selection.filter((x) => x !== k);
      save();
      renderAll();
    });
    chips.append(b);
  }
  rovingTabindex(chips, '.neuron');
  if (state.selection.length === 0) chips.append(h('p', { class: 'muted small' }, 'Empty: use \u201cSelect all\u201d on a group, an intersection, or \u201cAdd to selection\u201d on a neuron.'));
  sec.append(chips);
  const quick = h('div', { class: 'card-actions' });
  if (model.sets.length >= 2 && model.overlap.shared.length) {
    quick.append(vsButton(`Select shared (${model.overlap.shared.length})`, { secondary: true, id: 'select-shared' }, () => {
      state.selection = model!.overlap.shared.map(C.neuronKey);
      save();
      renderAll();
    }));
  }
  if (state.selection.length) {
    quick.append(vsButton('Clear', { secondary: true, id: 'clear-selection' }, () => {
      state.selection = [];
      save();
      renderAll();
    }));
  }
  sec.append(quick);
  const runFact = h('vscode-single-select', { id: 'run-fact', 'aria-label': 'Run on the prompts of' }) as HTMLElement & { value: string };
  for (const f of data.facts) runFact.append(h('vscode-option', { value: f.name }, f.name));
  runFact.value = state.run.fact;
  runFact.addEventListener('change', () => {
    state.run.fact = runFact.value;
    reconcile();
    save();
    renderSide();
  });
  const runGroup = h('vscode-single-select', { id: 'run-group', 'aria-label': 'Prompts' }) as HTMLElement & { value: string };
  const rf = factByName(state.run.fact);
  const rgs = rf ? [...new Set([...C.factGroups(rf), 'all'])] : ['all'];
  for (const g of rgs) runGroup.append(h('vscode-option', { value: g }, g === 'all' ? 'all prompts' : `${g} prompts`));
  runGroup.value = state.run.group;
  runGroup.addEventListener('change', () => {
    state.run.group = runGroup.value;
    save();
  });
  sec.append(field('Run on fact', 'run-fact', runFact), field('Prompts', 'run-group', runGroup));
  const shapeKnown = data.layers > 0 && data.neurons > 0;
  const disabled = state.selection.length === 0 || !rf || !!loading || !shapeKnown;
  const runBar = h(
    'div',
    { class: 'card-actions' },
    vsButton('Suppress', { id: 'run-suppress', disabled, title: 'Set the selected neurons to 0 at the target position' }, () => intervene('suppress')),
    vsButton('Enhance', { id: 'run-enhance', disabled, title: 'Double the selected neurons at the target position' }, () => intervene('enhance')),
  );
  sec.append(runBar);
  if (!shapeKnown) sec.append(h('p', { class: 'error', id: 'run-unavailable' }, "The model's shape is unknown (it could not be loaded): suppress / enhance are unavailable."));
  else if (loading) sec.append(h('p', { class: 'muted small' }, 'Suppress / enhance wait for the new results.'));
  if (lastRun) {
    const r = lastRun;
    sec.append(h('h3', { class: 'sub' }, `Last run: ${r.mode} ${r.neurons} neuron${r.neurons === 1 ? '' : 's'} on ${r.fact}`));
    if (!r.ok) sec.append(h('p', { class: 'error', id: 'run-error', role: 'alert' }, r.error ?? 'failed'));
    else if (!r.results) sec.append(h('p', { class: 'muted', id: 'run-running' }, 'Running\u2026'));
    else {
      const t = h('table', { class: 'data-table', id: 'run-results' });
      t.append(h('thead', {}, h('tr', {}, h('th', {}, 'prompt'), h('th', { class: 'num' }, 'before'), h('th', { class: 'num' }, 'after'), h('th', { class: 'num' }, 'change'))));
      const tb = h('tbody');
      for (const x of r.results) {
        tb.append(h('tr', {}, h('td', {}, x.text), h('td', { class: 'num' }, formatProbability(x.before)), h('td', { class: 'num' }, formatProbability(x.after)), h('td', { class: 'num' }, formatChange(C.relativeChange(x.before, x.after)))));
      }
      t.append(tb);
      sec.append(h('div', { class: 'table-scroll' }, t));
    }
  }
  side.append(sec);
}

function intervene(mode: 'suppress' | 'enhance'): void {
  const f = factByName(state.run.fact);
  if (!f || state.selection.length === 0) return;
  const prompts = C.groupPrompts(f, state.run.group).map((p) => p.text);
  const requestId = requestSeq++;
  lastRun = { requestId, mode, fact: f.name, neurons: state.selection.length, ok: true };
  post({ type: 'intervene', requestId, mode, model: data!.model, fact: f.name, neurons: state.selection.map(C.parseNeuronKey), prompts });
  renderSide();
}

// ---------------------------------------------------------------------------------------------
// Export

function background(): string {
  return rgbCss(resolveColor('var(--vscode-editor-background)', [255, 255, 255, 1]));
}

async function doExport(view: ExportView, format: ExportFormat): Promise<void> {
  if (!data || !model) return;
  let content: string | undefined;
  const stamp = view === 'heatmap' ? `${state.heat.fact}-${state.heat.source === 'mean' ? state.heat.group : `prompt${state.heat.prompt}`}` : state.facts.join('+');
  const base = `knowledge-neurons-${view}-${stamp}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);
  try {
    if (format === 'csv') {
      if (view === 'refined') content = C.refinedCsv(model);
      else if (view === 'layers') content = C.layersCsv(model, data.layers);
      else if (view === 'effects') content = C.effectsCsv(data.facts.filter((f) => state.facts.includes(f.name) || f.name === state.effectsFact));
      else if (view === 'heatmap') {
        const info = heatInfo();
        if (info) content = C.heatmapCsv(info.matrix);
      } else if (view === 'neuron' && state.neuron) {
        const n = C.parseNeuronKey(state.neuron);
        content = C.occurrencesCsv(n, C.neuronOccurrences(data, n, state.rule));
      }
    } else if (view === 'heatmap') {
      const info = heatInfo();
      if (info) {
        const svg = heatmapSvgText(info);
        content = format === 'svg' ? svg.text : await svgToPng(svg.text, svg.width, svg.height);
      }
    } else {
      // The refined view is exported as one picture: the sets side by side above the UpSet plot.
      const temp = view === 'refined' ? refinedExportSvg() : undefined;
      const id = view === 'layers' ? 'layers-chart' : 'effects-chart';
      const el = temp ?? (document.getElementById(id) as SVGSVGElement | null);
      if (el) {
        const text = serializeSvg(el, background());
        temp?.remove();
        content = format === 'svg' ? text : await svgToPng(text, el.viewBox.baseVal.width, el.viewBox.baseVal.height);
      }
    }
  } catch (e) {
    setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  if (!content) {
    setStatus('Nothing to export in this view.');
    return;
  }
  post({ type: 'export', requestId: requestSeq++, format, view, filename: `${base}.${format}`, content });
  setStatus(`Exporting ${view} as ${format.toUpperCase()}\u2026`);
}

function setStatus(t: string): void {
  status = t;
  ui.status.textContent = t;
}

// ---------------------------------------------------------------------------------------------
// Messages from the extension

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
    const first = !data;
    data = m.data;
    loading = undefined;
    loadError = undefined;
    if (first) buildShell();
    follow(m.source);
    reconcile();
    recompute();
    save();
    syncControls(true);
    selectTab();
    renderAll();
  } else if (m.type === 'interventionResult') {
    // only the answer to the request shown; a rejected request is answered too (never "Running…" for ever)
    if (!lastRun || m.requestId !== lastRun.requestId) return;
    lastRun = {
      ...lastRun,
      mode: m.mode ?? lastRun.mode,
      fact: m.fact ?? lastRun.fact,
      neurons: m.neurons?.length ?? lastRun.neurons,
      ok: m.ok,
      error: m.ok ? undefined : m.error ?? 'failed',
      results: m.ok ? m.results ?? [] : undefined,
    };
    renderSide();
  } else if (m.type === 'loading' || m.type === 'loadFailed') {
    loading = m.source;
    loadError = m.type === 'loadFailed' ? m.error : undefined;
    if (m.type === 'loading') state.source = m.source;
    save();
    if (!data) showPlaceholder();
    else {
      renderSource();
      renderSide();
    }
  } else if (m.type === 'exportResult') {
    setStatus(m.ok ? `Saved ${m.path ?? ''}` : m.error ? `Export failed: ${m.error}` : 'Export cancelled.');
  }
});

function selectTab(): void {
  const i = TABS.indexOf(state.tab);
  if (ui.tabs && ui.tabs.selectedIndex !== i) ui.tabs.selectedIndex = i;
}

post({ type: 'ready' });
