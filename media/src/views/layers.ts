/** Where the refined neurons sit: a bar per layer and set, and the same numbers as a table. */

import * as C from '../model/compare';
import type { CompareData } from '../../../engine/src/types';
import type { Ctx } from '../context';
import { clear, h, s, truncate } from '../dom';
import { exportBar, niceTicks, seriesClass } from '../widgets';

export function renderLayers(ctx: Ctx): void {
  const { store } = ctx;
  const data = store.data as CompareData;
  const model = store.model as C.CompareModel;
  const panel = ctx.panels.layers;
  clear(panel);
  const m = model;
  panel.append(h('div', { class: 'view-head' }, h('h2', {}, 'Where the refined neurons sit'), exportBar(ctx, 'layers', ['svg', 'png', 'csv'])));
  if (m.sets.length === 0) {
    panel.append(h('p', { class: 'empty' }, 'Choose at least one fact and one group.'));
    return;
  }
  const L = data.layers;
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
    svg.append(s('text', { class: 'label', x: lx + 18, y: ly + 10 }, truncate(`${store.setLabel(set)} (${set.refined.length})`, 36)));
  });
  panel.append(svg);
  // Table for screen readers and exact numbers
  const table = h('table', { class: 'data-table', id: 'layers-table' });
  table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'set'), ...Array.from({ length: L }, (_, l) => h('th', { scope: 'col' }, `L${l}`)))));
  const tb = h('tbody');
  for (const set of m.sets) tb.append(h('tr', {}, h('th', { scope: 'row' }, store.setLabel(set)), ...m.layers[set.id].map((v) => h('td', {}, String(v)))));
  table.append(tb);
  panel.append(table);
}
