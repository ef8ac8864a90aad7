/** What suppressing and enhancing the refined neurons does to P(answer): own prompts against an unrelated fact's. */

import * as C from '../model/compare';
import type { CompareData, FactResult } from '../../../engine/src/types';
import { formatChange, formatProbability } from '../../../engine/src/format';
import type { Ctx } from '../context';
import { clear, h, s, truncate } from '../dom';
import { exportBar, field } from '../widgets';

export function renderEffects(ctx: Ctx): void {
  const { store } = ctx;
  const { state } = store;
  const data = store.data as CompareData;
  const panel = ctx.panels.effects;
  clear(panel);
  panel.append(
    h('div', { class: 'view-head' }, h('h2', {}, 'Suppressing and enhancing the refined neurons'), exportBar(ctx, 'effects', ['svg', 'png', 'csv'])),
  );
  const withEffects = data.facts.filter((f) => f.effects);
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
    store.save();
    renderEffects(ctx);
  });
  panel.append(h('div', { class: 'view-controls' }, field('Fact', 'effects-fact', sel)));
  const eff = fact.effects!;
  const sum = C.effectsSummary(eff);
  panel.append(h('p', { class: 'muted small', id: 'effects-summary' }, C.effectsSummaryText(fact.answer, sum)));
  // laid out for the width it is shown at (never scaled down: its text keeps its size), scrolled below 600 px
  const avail = panel.clientWidth > 0 ? panel.clientWidth - 30 : 900;
  panel.append(h('div', { class: 'chart-scroll' }, effectsSvg(fact, sum, Math.max(600, Math.min(1000, avail)))));
}

function effectsSvg(fact: FactResult, sum: C.EffectsSummary, width = 900): SVGSVGElement {
  const eff = fact.effects!;
  const rows = [...eff.own.map((r) => ({ ...r, kind: 'own' as const })), ...eff.control.map((r) => ({ ...r, kind: 'control' as const }))];
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
  lg.append(
    s('rect', { class: 'bar control', x: 0, y: 58, width: 12, height: 8 }),
    s('text', { class: 'label', x: 18, y: 66 }, 'control prompts (unrelated fact)'),
  );
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
      svg.append(
        s('text', { class: 'label strong', x: 10, y: y - 6 }, r.kind === 'own' ? `Own prompts (${eff.own.length})` : `Control prompts (${eff.control.length})`),
      );
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
    if (Number.isFinite(rs))
      g.append(s('rect', { class: 'bar suppress', x: Math.min(a, x(rs)), y: y + 5, width: Math.max(1, Math.abs(x(rs) - a)), height: 7 }));
    if (Number.isFinite(re))
      g.append(s('rect', { class: 'bar enhance', x: Math.min(a, x(re)), y: y + 13, width: Math.max(1, Math.abs(x(re) - a)), height: 7 }));
    svg.append(g);
    y += rowH;
  });
  svg.append(s('line', { class: 'axis', x1: x(0), x2: x(0), y1: top - 12, y2: y + 2 }));
  return svg;
}
