/** The attribution heatmap: one row per layer, neurons ordered by score, a prompt's or a group's mean. */

import * as C from '../model/compare';
import type { CompareData } from '../../../engine/src/types';
import type { Ctx } from '../context';
import type { Store } from '../store';
import { clear, h, truncate } from '../dom';
import { exportBar, field } from '../widgets';
import { HEAT_GAMMA, drawHeatmap, type HeatInfo, type HeatLayout } from './heatmapDraw';

/** What the heatmap shows for the current choice: a prompt's scores, or a group's mean. */
export function heatInfo(store: Store): HeatInfo | undefined {
  const { state } = store;
  const f = store.factByName(state.heat.fact);
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

export class HeatmapView {
  /** The keyboard cursor (row = layer, col = rank) and where the cells were drawn. */
  private cursor = { row: 0, col: 0 };
  private layout: HeatLayout | undefined;

  constructor(private readonly ctx: Ctx) {}

  render(): void {
    const { store } = this.ctx;
    const { state } = store;
    const data = store.data as CompareData;
    const panel = this.ctx.panels.heatmap;
    clear(panel);
    panel.append(h('div', { class: 'view-head' }, h('h2', {}, 'Attribution by layer'), exportBar(this.ctx, 'heatmap', ['svg', 'png', 'csv'])));
    const f = store.factByName(state.heat.fact);
    const factSel = h('vscode-single-select', { id: 'heat-fact', 'aria-label': 'Fact' }) as HTMLElement & { value: string };
    for (const x of data.facts) factSel.append(h('vscode-option', { value: x.name }, x.name));
    factSel.value = state.heat.fact;
    factSel.addEventListener('change', () => {
      state.heat.fact = factSel.value;
      state.heat.prompt = 0;
      store.reconcile();
      store.save();
      this.render();
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
      store.save();
      this.render();
    });
    const scaleSel = h('vscode-single-select', { id: 'heat-scale', 'aria-label': 'Scale of the group mean' }) as HTMLElement & { value: string };
    scaleSel.append(h('vscode-option', { value: 'normalised' }, 'normalised per prompt (\u00f7 its max)'), h('vscode-option', { value: 'raw' }, 'raw scores'));
    scaleSel.value = state.heat.scale;
    if (state.heat.source !== 'mean') scaleSel.setAttribute('disabled', '');
    scaleSel.addEventListener('change', () => {
      state.heat.scale = scaleSel.value === 'raw' ? 'raw' : 'normalised';
      store.save();
      this.render();
    });
    const topSel = h('vscode-single-select', { id: 'heat-top', 'aria-label': 'Columns' }) as HTMLElement & { value: string };
    for (const n of [32, 64, 128, 0]) topSel.append(h('vscode-option', { value: String(n) }, n === 0 ? 'all neurons' : `top ${n} per layer`));
    topSel.value = String(state.heat.top);
    topSel.addEventListener('change', () => {
      state.heat.top = Number(topSel.value);
      store.save();
      this.redraw();
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
    const info = heatInfo(store);
    if (!info) {
      panel.append(h('p', { class: 'empty' }, 'No attribution scores for this choice yet: run integrated gradients on its prompts.'));
      this.layout = undefined;
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
        h(
          'span',
          {},
          `positive \u00b7 colour \u221d (|${info.scale === 'normalised' ? 'normalised score' : 'score'}| / ${C.formatScore(C.maxAbs(info.matrix))})^${HEAT_GAMMA}`,
        ),
        h('span', { class: 'mark-sample' }),
        h('span', {}, state.heat.source === 'prompt' ? 'coarse neuron' : 'refined neuron of the group'),
      ),
    );
    canvas.addEventListener('mousemove', (e) => {
      const hit = this.hit(e.offsetX, e.offsetY);
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
      const hit = this.hit(e.offsetX, e.offsetY);
      if (!hit) return;
      this.cursor = { row: hit.layer, col: hit.rank };
      this.ctx.focusNeuron(`${hit.layer}:${hit.index}`);
    });
    canvas.addEventListener('keydown', (e) => {
      if (!this.layout) return;
      const L = this.layout;
      const k = e.key;
      if (k === 'ArrowRight') this.cursor.col = Math.min(L.cols - 1, this.cursor.col + 1);
      else if (k === 'ArrowLeft') this.cursor.col = Math.max(0, this.cursor.col - 1);
      else if (k === 'ArrowDown') this.cursor.row = Math.min(L.rows.length - 1, this.cursor.row + 1);
      else if (k === 'ArrowUp') this.cursor.row = Math.max(0, this.cursor.row - 1);
      else if (k === 'Home') this.cursor.col = 0;
      else if (k === 'End') this.cursor.col = L.cols - 1;
      else if (k === 'Enter' || k === ' ') {
        const r = L.rows[this.cursor.row];
        this.ctx.focusNeuron(`${r.layer}:${r.order[this.cursor.col]}`);
        (document.getElementById('heatmap') as HTMLElement | null)?.focus();
      } else return;
      e.preventDefault();
      const r = L.rows[this.cursor.row];
      tip.textContent = `${C.neuronLabel({ layer: r.layer, index: r.order[this.cursor.col] })}  score ${C.formatScore(r.values[this.cursor.col])}  rank ${this.cursor.col + 1}`;
      tip.classList.add('show');
      this.draw(canvas, info);
    });
    canvas.addEventListener('focus', () => this.draw(canvas, info));
    canvas.addEventListener('blur', () => this.draw(canvas, info));
    this.redraw();
  }

  /** Draw the canvas again (resize, number of columns). */
  redraw(): void {
    const canvas = document.getElementById('heatmap') as HTMLCanvasElement | null;
    const info = heatInfo(this.ctx.store);
    if (canvas && info) this.draw(canvas, info);
  }

  private draw(canvas: HTMLCanvasElement, info: HeatInfo): void {
    const { state } = this.ctx.store;
    this.layout = drawHeatmap(canvas, info, { top: state.heat.top, neuron: state.neuron, cursor: this.cursor });
  }

  private hit(x: number, y: number): { layer: number; index: number; rank: number; value: number } | undefined {
    const L = this.layout;
    if (!L) return undefined;
    const col = Math.floor((x - L.x0) / L.cw);
    const row = Math.floor((y - L.y0) / L.rh);
    if (col < 0 || col >= L.cols || row < 0 || row >= L.rows.length) return undefined;
    const r = L.rows[row];
    return { layer: r.layer, index: r.order[col], rank: col, value: r.values[col] };
  }
}
