/** The toolbar: which facts and groups are compared, the coarse rule, its threshold and p. */

import type { CoarseRule } from '../../../engine/src/types';
import * as C from '../model/compare';
import type { Ctx } from '../context';
import { clear, h } from '../dom';
import { field, vsButton } from '../widgets';

export class Toolbar {
  readonly element: HTMLElement;
  private readonly facts: HTMLElement & { value: string[] };
  private readonly groups: HTMLElement;
  private readonly ruleKind: HTMLElement & { value: string };
  private readonly ruleRange: HTMLInputElement;
  private readonly ruleValue: HTMLElement & { value: string };
  private readonly pRange: HTMLInputElement;
  private readonly pValue: HTMLElement & { value: string };
  private readonly write: HTMLElement;

  constructor(private readonly ctx: Ctx) {
    const { store } = ctx;
    const { state } = store;
    this.facts = h('vscode-multi-select', { id: 'facts', 'aria-label': 'Facts' }) as HTMLElement & { value: string[] };
    this.facts.addEventListener('change', () => {
      const v = this.facts.value;
      if (!Array.isArray(v) || v.length === 0) return;
      state.facts = v.slice();
      state.groups = state.groups.filter((g) => store.availableGroups().includes(g));
      ctx.changed({ controls: true });
    });
    this.groups = h('div', { id: 'groups', class: 'groups', role: 'group', 'aria-label': 'Groups' });
    this.ruleKind = h(
      'vscode-single-select',
      { id: 'rule-kind', 'aria-label': 'Coarse rule' },
      h('vscode-option', { value: 'adaptive' }, 'adaptive (\u00d7 max)'),
      h('vscode-option', { value: 'threshold' }, 'absolute'),
      h('vscode-option', { value: 'percentile' }, 'percentile'),
    ) as HTMLElement & { value: string };
    this.ruleKind.addEventListener('change', () => {
      const kind = this.ruleKind.value as CoarseRule['kind'];
      if (kind === state.rule.kind) return;
      state.rule = { kind, value: this.defaultRuleValue(kind) };
      state.custom = true;
      ctx.changed({ controls: true });
    });
    this.ruleRange = h('input', { type: 'range', id: 'rule-range', 'aria-label': 'Threshold' }) as HTMLInputElement;
    this.ruleRange.addEventListener('input', () => this.setRuleValue(Number(this.ruleRange.value), 'range'));
    this.ruleValue = h('vscode-textfield', { id: 'rule-value', inputmode: 'decimal', 'aria-label': 'Threshold value', class: 'num' }) as HTMLElement & {
      value: string;
    };
    this.ruleValue.addEventListener('change', () => this.setRuleValue(Number(this.ruleValue.value), 'text'));
    this.pRange = h('input', { type: 'range', id: 'p-range', min: 0, max: 0.95, step: 0.05, 'aria-label': 'Sharing p' }) as HTMLInputElement;
    this.pRange.addEventListener('input', () => this.setP(Number(this.pRange.value), 'range'));
    this.pValue = h('vscode-textfield', { id: 'p-value', inputmode: 'decimal', 'aria-label': 'Sharing p value', class: 'num' }) as HTMLElement & {
      value: string;
    };
    this.pValue.addEventListener('change', () => this.setP(Number(this.pValue.value), 'text'));
    const reset = vsButton('Reset', { secondary: true, id: 'reset', title: 'Back to the settings the results were computed with' }, () => {
      state.custom = false;
      store.reconcile();
      ctx.changed({ controls: true });
    });
    // the user's explicit action: the extension asks the language server for the edit and applies it
    this.write = vsButton(
      'Write to file',
      { secondary: true, id: 'write-settings', title: "Write this rule and p into the file's directives (@threshold, @abs-threshold or @percentile, and @p)" },
      () => {
        if (!state.source?.uri) return;
        store.writeRequest = store.requestSeq++;
        store.post({ type: 'writeSettings', requestId: store.writeRequest, rule: { ...state.rule }, p: state.p });
        ctx.setStatus(`Writing the rule and p into ${state.source.file}\u2026`);
      },
    );
    this.element = h(
      'header',
      { class: 'toolbar' },
      field('Facts', 'facts', this.facts),
      h('div', { class: 'field' }, h('span', { class: 'field-label', id: 'groups-label' }, 'Groups'), this.groups),
      field('Coarse rule', 'rule-kind', this.ruleKind),
      field('Threshold', 'rule-range', h('div', { class: 'slider' }, this.ruleRange, this.ruleValue)),
      field('Shared by > p of prompts', 'p-range', h('div', { class: 'slider' }, this.pRange, this.pValue)),
      h('div', { class: 'field field-end' }, reset, this.write),
    );
  }

  private defaultRuleValue(kind: CoarseRule['kind']): number {
    const { store } = this.ctx;
    const data = store.data;
    const adaptive = C.METHOD_DEFAULTS.rule.value;
    if (kind === 'adaptive') return data?.settings.rule.kind === 'adaptive' ? data.settings.rule.value : adaptive;
    if (kind === 'percentile') return 99.5;
    // absolute: the default adaptive fraction × the mean of the prompts' maximum scores
    const maxes: number[] = [];
    for (const f of data?.facts ?? []) for (const p of f.prompts) if (p.scores) maxes.push(C.maxScore(p.scores));
    const m = maxes.length ? maxes.reduce((a, b) => a + b, 0) / maxes.length : 1;
    return Number((adaptive * m).toPrecision(2));
  }

  private ruleBounds(kind: CoarseRule['kind']): { min: number; max: number; step: number; label: string } {
    const { store } = this.ctx;
    const data = store.data;
    if (kind === 'adaptive') return { min: 0, max: 1, step: 0.01, label: 'Threshold (\u00d7 max score)' };
    if (kind === 'percentile') return { min: 50, max: 100, step: 0.1, label: 'Percentile' };
    let mx = 0;
    for (const f of data?.facts ?? []) for (const p of f.prompts) if (p.scores) mx = Math.max(mx, C.maxScore(p.scores));
    const max = mx > 0 ? Number(mx.toPrecision(2)) : 1;
    return { min: 0, max, step: max / 200, label: 'Threshold (score)' };
  }

  private setRuleValue(v: number, from: 'range' | 'text'): void {
    const { store } = this.ctx;
    const { state } = store;
    if (!Number.isFinite(v)) return;
    const b = this.ruleBounds(state.rule.kind);
    const value = Math.min(b.max, Math.max(b.min, v));
    state.rule = { kind: state.rule.kind, value: Number(value.toPrecision(6)) };
    state.custom = true;
    this.ctx.changed({ controls: from === 'range' ? 'text' : 'range' });
  }

  private setP(v: number, from: 'range' | 'text'): void {
    const { store } = this.ctx;
    const { state } = store;
    if (!Number.isFinite(v)) return;
    state.p = Math.min(0.99, Math.max(0, Number(v.toPrecision(6))));
    state.custom = true;
    this.ctx.changed({ controls: from === 'range' ? 'text' : 'range' });
  }

  /** Bring the toolbar's controls in line with the state. `which`: all, or only the range / text twin. */
  sync(which: true | 'range' | 'text' = true): void {
    const { store } = this.ctx;
    const { state } = store;
    const data = store.data;
    if (!data) return;
    if (which === true) {
      const names = data.facts.map((f) => f.name);
      const opts = [...this.facts.querySelectorAll('vscode-option')].map((o) => o.getAttribute('value'));
      if (opts.join('\u0000') !== names.join('\u0000')) {
        clear(this.facts);
        for (const n of names) this.facts.append(h('vscode-option', { value: n }, n));
      }
      // the options carry the selection too: set before the element has read its options, `value`
      // alone is lost and the box reads "0 Selected" while a fact is shown
      for (const o of this.facts.querySelectorAll('vscode-option')) o.toggleAttribute('selected', state.facts.includes(o.getAttribute('value') ?? ''));
      this.facts.value = state.facts.slice();
      clear(this.groups);
      for (const g of store.availableGroups()) {
        const cb = h('vscode-checkbox', { value: g, 'data-group': g }, g) as HTMLElement & { checked: boolean };
        cb.checked = state.groups.includes(g);
        if (state.groups.includes(g)) cb.setAttribute('checked', '');
        cb.addEventListener('change', () => {
          const on = cb.checked;
          const set = new Set(state.groups);
          if (on) set.add(g);
          else set.delete(g);
          state.groups = store.availableGroups().filter((x) => set.has(x));
          this.ctx.changed({ controls: false });
        });
        this.groups.append(cb);
      }
      this.ruleKind.value = state.rule.kind;
      const b = this.ruleBounds(state.rule.kind);
      this.ruleRange.min = String(b.min);
      this.ruleRange.max = String(b.max);
      this.ruleRange.step = String(b.step);
      const lab = this.ruleRange.closest('.field')?.querySelector('.field-label');
      if (lab) lab.textContent = b.label;
    }
    if (which !== 'text') this.ruleRange.value = String(state.rule.value);
    if (which !== 'range') this.ruleValue.value = String(state.rule.value);
    if (which !== 'text') this.pRange.value = String(state.p);
    if (which !== 'range') this.pValue.value = String(state.p);
    this.pRange.setAttribute('aria-valuetext', `p ${state.p}`);
    // only a rule or p the file does not say yet can be written, to the file shown
    this.write.toggleAttribute('disabled', !state.custom || !state.source?.uri);
  }
}
