/** The refined neurons of each set side by side, their overlaps, and the UpSet plot of the intersections. */

import * as C from '../model/compare';
import type { Ctx } from '../context';
import { clear, h, keyActivate, rovingTabindex, s, truncate } from '../dom';
import { exportBar, neuronButton, seriesClass, vsButton } from '../widgets';

export function renderRefined(ctx: Ctx): void {
  const { store } = ctx;
  const { state } = store;
  const model = store.model as C.CompareModel;
  const panel = ctx.panels.refined;
  clear(panel);
  const m = model;
  panel.append(h('div', { class: 'view-head' }, h('h2', {}, 'Refined neurons by group'), exportBar(ctx, 'refined', ['svg', 'png', 'csv'])));
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
    const byCount = set.refined.slice().sort((a, b) => (set.counts[C.neuronKey(b)] ?? 0) - (set.counts[C.neuronKey(a)] ?? 0) || C.compareNeurons(a, b));
    for (const n of byCount) {
      list.append(h('div', { role: 'listitem' }, neuronButton(ctx, n, { count: set.counts[C.neuronKey(n)], of: set.nCounted })));
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
          h('h3', {}, store.setLabel(set)),
          h('span', { class: 'count', 'data-count': set.refined.length }, String(set.refined.length)),
        ),
        h('p', { class: 'muted small' }, `${set.nPrompts} prompts${src}` + (m.sets.length >= 2 ? ` \u00b7 ${shared} shared \u00b7 ${specific} specific` : '')),
        list,
        h(
          'div',
          { class: 'card-actions' },
          vsButton('Select all', { secondary: true, 'data-select-set': set.id, title: 'Select these neurons for suppress / enhance' }, () => {
            state.selection = set.refined.map(C.neuronKey);
            state.run = { fact: set.fact, group: set.group };
            store.save();
            ctx.renderAll();
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
    panel.append(upsetSvg(ctx, m));
    if (state.intersection) {
      const x = o.intersections.find((i) => JSON.stringify(i.sets) === state.intersection);
      if (x) {
        panel.append(
          h(
            'div',
            { class: 'intersection-detail' },
            h('span', {}, `${x.count} neuron${x.count === 1 ? '' : 's'} in ${x.sets.map((id) => store.labelOf(id)).join(' \u2229 ')} and no other set: `),
            ...x.neurons.map((n) => neuronButton(ctx, n)),
            vsButton('Select these', { secondary: true }, () => {
              state.selection = x.neurons.map(C.neuronKey);
              store.save();
              ctx.renderAll();
            }),
            vsButton('Clear highlight', { secondary: true }, () => {
              state.intersection = undefined;
              store.save();
              ctx.renderAll();
            }),
          ),
        );
        rovingTabindex(panel.querySelector('.intersection-detail') as HTMLElement, '.neuron');
      }
    }
  }
}

function upsetSvg(ctx: Ctx, m: C.CompareModel): SVGSVGElement {
  const { store } = ctx;
  const { state } = store;
  const o = m.overlap;
  const sets = m.sets;
  const xs = o.intersections;
  const labelW = Math.min(220, 30 + Math.max(...sets.map((x) => store.setLabel(x).length)) * 7);
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
    svg.append(s('text', { class: 'label', x: labelW - 6, y: y + 4, 'text-anchor': 'end' }, truncate(store.setLabel(set), 32)));
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
      'aria-label': `${x.count} neurons only in ${x.sets.map((id) => store.labelOf(id)).join(' and ')}`,
    });
    g.append(s('title', {}, `${x.count} neuron(s) only in: ${x.sets.map((id) => store.labelOf(id)).join(', ')}`));
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
      store.save();
      ctx.renderAll();
      (document.querySelector(`[data-combo='${CSS.escape(key)}']`) as SVGGElement | null)?.focus();
    });
    svg.append(g);
  });
  if (xs.length === 0) svg.append(s('text', { class: 'label', x: left, y: top + barH / 2 }, 'no refined neurons'));
  return svg;
}

/** An SVG of the refined view (set columns + UpSet), attached to the page so styles resolve; the caller removes it. */
export function refinedExportSvg(ctx: Ctx): SVGSVGElement | undefined {
  const { store } = ctx;
  const model = store.model as C.CompareModel;
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
    svg.append(s('text', { class: 'label strong', x, y: 26 }, truncate(store.setLabel(set), 18)));
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
  ctx.panels.refined.append(svg);
  return svg;
}
