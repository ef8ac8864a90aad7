/** Small pieces the views share: labelled fields, buttons, export bars, neuron chips, chart helpers. */

import * as C from './model/compare';
import type { Neuron } from '../../engine/src/types';
import type { ExportFormat, ExportView } from '../../protocol/panel';
import type { Ctx } from './context';
import { h } from './dom';

export function field(label: string, id: string, ...controls: Node[]): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id, class: 'field-label' }, label), ...controls);
}

export function vsButton(label: string, attrs: Record<string, string | boolean> = {}, onClick?: () => void): HTMLElement {
  const b = h('vscode-button', attrs, label);
  if (onClick)
    b.addEventListener('click', () => {
      if (!(b as unknown as { disabled: boolean }).disabled) onClick();
    });
  return b;
}

export function exportBar(ctx: Ctx, view: ExportView, formats: ExportFormat[]): HTMLElement {
  return h(
    'div',
    { class: 'export-bar', role: 'group', 'aria-label': 'Export' },
    ...formats.map((f) =>
      vsButton(f.toUpperCase(), { secondary: true, 'data-export': `${view}:${f}`, title: `Export as ${f.toUpperCase()}` }, () => void ctx.exportView(view, f)),
    ),
  );
}

export function neuronButton(ctx: Ctx, n: Neuron, extra?: { count?: number; of?: number; cls?: string }): HTMLButtonElement {
  const { store } = ctx;
  const { state } = store;
  const model = store.model as C.CompareModel;
  const key = C.neuronKey(n);
  const cls = ['neuron', extra?.cls ?? C.overlapClass(model.overlap, n)];
  if (state.neuron === key) cls.push('active');
  if (state.selection.includes(key)) cls.push('selected');
  if (state.intersection) {
    const m = model.overlap.membership[key];
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
  b.addEventListener('click', () => ctx.focusNeuron(key));
  return b;
}

const SERIES = 6;
/** The colour class of the i-th set (charts and cards). */
export const seriesClass = (i: number) => `series-${i % SERIES}`;

/** Round axis ticks from 0 up to at least max. */
export function niceTicks(max: number): number[] {
  const step =
    max <= 5
      ? 1
      : max <= 10
        ? 2
        : max <= 25
          ? 5
          : Math.pow(10, Math.floor(Math.log10(max))) * (max / Math.pow(10, Math.floor(Math.log10(max))) <= 2.5 ? 0.5 : 1);
  const out: number[] = [];
  for (let v = 0; v < max + step; v += step) out.push(Number(v.toPrecision(6)));
  return out;
}
