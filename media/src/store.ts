/**
 * The compare panel's state: the data last sent by the extension, the UI state the user chose
 * (saved with setState, so that the panel comes back as it was), and what is derived from both.
 * Views read it through the context they are given and never import the shell.
 */

import * as C from './model/compare';
import type { NeuronCard } from '../../engine/src/neuronCard';
import type { CoarseRule, CompareData, FactResult } from '../../engine/src/types';
import type { InterventionResultRow, PageMessage, PanelSource } from '../../protocol/panel';

export const TABS = ['refined', 'heatmap', 'layers', 'effects'] as const;
export type Tab = (typeof TABS)[number];

export interface UiState {
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

export interface LastRun {
  requestId: number;
  mode: string;
  fact: string;
  neurons: number;
  ok: boolean;
  error?: string;
  results?: InterventionResultRow[];
}

/** A neuron card asked of the extension: waiting (neither field), or its answer. */
export interface CardEntry {
  requestId: number;
  card?: NeuronCard;
  error?: string;
}

export function defaultState(): UiState {
  return {
    v: 1,
    facts: [],
    groups: [],
    rule: { ...C.METHOD_DEFAULTS.rule },
    p: C.METHOD_DEFAULTS.p,
    custom: false,
    tab: 'refined',
    heat: { source: 'mean', fact: '', group: '', prompt: 0, top: 64, scale: 'normalised' },
    selection: [],
    run: { fact: '', group: 'all' },
  };
}

/** What acquireVsCodeApi() gives the page. */
export interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}

export class Store {
  state: UiState;
  data: CompareData | undefined;
  model: C.CompareModel | undefined;
  lastRun: LastRun | undefined;
  requestSeq = 1;
  /** The "Write to file" request waited for (its answer goes to the status line). */
  writeRequest: number | undefined;
  status = '';
  /** New data for the shown source is being computed (or failed: loadError). */
  loading: PanelSource | undefined;
  loadError: string | undefined;
  /** Neuron cards by neuron key, for `cardsModel` (the model shown when they were asked). */
  cards = new Map<string, CardEntry>();
  private cardsModel = '';

  constructor(private readonly api: VsCodeApi) {
    const saved = api.getState() as Partial<UiState> | undefined;
    const d = defaultState();
    this.state = !saved || saved.v !== 1 ? d : { ...d, ...saved, heat: { ...d.heat, ...(saved.heat ?? {}) }, run: { ...d.run, ...(saved.run ?? {}) } };
  }

  save(): void {
    this.api.setState(this.state);
  }

  post(m: PageMessage): void {
    this.api.postMessage(m);
  }

  factByName(name: string): FactResult | undefined {
    return this.data?.facts.find((f) => f.name === name);
  }

  availableGroups(): string[] {
    const out: string[] = [];
    for (const f of this.data?.facts ?? []) {
      if (!this.state.facts.includes(f.name)) continue;
      for (const g of C.factGroups(f)) if (!out.includes(g)) out.push(g);
    }
    return out;
  }

  private defaultGroups(groups: string[]): string[] {
    const langs = groups.filter((g) => g !== 'all');
    return langs.length >= 2 ? langs : groups;
  }

  /** Keep the UI state consistent with the data (after an update or a restore). */
  reconcile(): void {
    if (!this.data) return;
    const names = this.data.facts.map((f) => f.name);
    this.state.facts = this.state.facts.filter((f) => names.includes(f));
    if (this.state.facts.length === 0 && names.length > 0) this.state.facts = [names[0]];
    const groups = this.availableGroups();
    this.state.groups = this.state.groups.filter((g) => groups.includes(g));
    if (this.state.groups.length === 0) this.state.groups = this.defaultGroups(groups);
    if (!this.state.custom) {
      this.state.rule = { ...this.data.settings.rule };
      this.state.p = this.data.settings.p;
    }
    if (!names.includes(this.state.heat.fact)) this.state.heat.fact = this.state.facts[0] ?? '';
    const hf = this.factByName(this.state.heat.fact);
    if (hf) {
      const hg = C.factGroups(hf);
      if (!hg.includes(this.state.heat.group)) this.state.heat.group = hg.includes('all') ? 'all' : (hg[0] ?? '');
      if (this.state.heat.prompt >= hf.prompts.length) this.state.heat.prompt = 0;
    }
    if (!this.state.effectsFact || !names.includes(this.state.effectsFact)) this.state.effectsFact = this.state.facts[0];
    if (!names.includes(this.state.run.fact)) this.state.run.fact = this.state.facts[0] ?? '';
    const rf = this.factByName(this.state.run.fact);
    if (rf && !C.factGroups(rf).concat('all').includes(this.state.run.group)) this.state.run.group = 'all';
    const inRange = (k: string) => {
      try {
        const n = C.parseNeuronKey(k);
        return n.layer < (this.data as CompareData).layers && n.index < (this.data as CompareData).neurons;
      } catch {
        return false;
      }
    };
    this.state.selection = this.state.selection.filter(inRange);
    if (this.state.neuron && !inRange(this.state.neuron)) this.state.neuron = undefined;
  }

  /**
   * Follow what the panel shows: selections made on another file or model are dropped (a neuron of
   * bert-tiny must never be run on bert-base), and a fact it is opened on becomes the one shown.
   */
  follow(source: PanelSource | undefined): void {
    const d = this.data as CompareData;
    if (source) this.state.source = source;
    const uri = this.state.source?.uri ?? '';
    const moved = !!this.state.shown && (this.state.shown.uri !== uri || this.state.shown.model !== d.model);
    if (moved) {
      this.state.selection = [];
      this.state.neuron = undefined;
      this.state.intersection = undefined;
      this.state.custom = false;
      this.lastRun = undefined;
    }
    const fact = source?.fact;
    if (fact && d.facts.some((f) => f.name === fact) && (moved || !this.state.shown || fact !== this.state.opened)) {
      this.state.facts = [fact];
      this.state.groups = [];
      this.state.heat.fact = fact;
      this.state.run.fact = fact;
      this.state.effectsFact = fact;
    }
    this.state.opened = fact;
    this.state.shown = { uri, model: d.model };
  }

  /** The card of a neuron of the model shown: asked of the extension the first time (answered by `cardAnswered`). */
  card(key: string): CardEntry | undefined {
    const model = this.data?.model ?? '';
    if (model !== this.cardsModel) {
      this.cards.clear();
      this.cardsModel = model;
    }
    const known = this.cards.get(key);
    if (known || !this.data) return known;
    const entry: CardEntry = { requestId: this.requestSeq++ };
    this.cards.set(key, entry);
    this.post({ type: 'neuronCard', requestId: entry.requestId, model, neuron: C.parseNeuronKey(key) });
    return entry;
  }

  /** The extension's answer to a card request; false when it answers nothing shown (another model, an older request). */
  cardAnswered(m: { requestId: number; ok: boolean; model?: string; card?: NeuronCard; error?: string }): boolean {
    if (m.model !== undefined && m.model !== this.cardsModel) return false;
    for (const [key, e] of this.cards) {
      if (e.requestId !== m.requestId) continue;
      const card = m.ok && m.card && C.neuronKey(m.card.neuron) === key ? m.card : undefined;
      this.cards.set(key, card ? { requestId: e.requestId, card } : { requestId: e.requestId, error: m.error ?? 'no card' });
      return true;
    }
    return false;
  }

  recompute(): void {
    if (!this.data) return;
    this.model = C.compareModel(this.data, { facts: this.state.facts, groups: this.state.groups }, { rule: this.state.rule, p: this.state.p });
    const combos = new Set(this.model.overlap.intersections.map((x) => JSON.stringify(x.sets)));
    if (this.state.intersection && !combos.has(this.state.intersection)) this.state.intersection = undefined;
  }

  setLabel(set: C.RefinedSet): string {
    return this.state.facts.length > 1 ? `${set.fact} \u00b7 ${set.group}` : set.group;
  }

  labelOf(id: string): string {
    const set = this.model?.sets.find((x) => x.id === id);
    return set ? this.setLabel(set) : id;
  }
}
