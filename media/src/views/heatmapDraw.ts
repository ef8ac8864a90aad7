/** Drawing the attribution heatmap: on a canvas, and as a self-contained SVG for export. */

import * as C from '../model/compare';
import { mix, resolveColor, rgbCss, type Rgb } from '../dom';

export interface HeatInfo {
  matrix: number[][];
  title: string;
  marked: Set<string>;
  /** Coarse threshold for a single prompt (neurons ordered by score: the coarse ones come first). */
  threshold?: number;
  /** A group mean's scale (a single prompt's scores are raw). */
  scale?: C.MeanScale;
}

/** Where the canvas drew the cells: for mouse and keyboard hits. */
export interface HeatLayout {
  x0: number;
  y0: number;
  cw: number;
  rh: number;
  cols: number;
  rows: C.HeatmapRow[];
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
export const HEAT_GAMMA = 0.4;

function heatColor(p: Palette, v: number, maxAbs: number): Rgb {
  if (!Number.isFinite(v) || maxAbs <= 0) return p.bg;
  const t = Math.pow(Math.abs(v) / maxAbs, HEAT_GAMMA);
  return mix(p.bg, v >= 0 ? p.pos : p.neg, t);
}

export function heatGeometry(info: HeatInfo, width: number, top: number) {
  const rows = C.heatmapRows(info.matrix);
  const n = rows[0]?.order.length ?? 0;
  const cols = top > 0 ? Math.min(top, n) : n;
  const x0 = 44;
  const y0 = 8;
  const cw = Math.max(0.25, (width - x0 - 12) / Math.max(1, cols));
  const rh = Math.max(16, Math.min(44, 320 / Math.max(1, rows.length)));
  const height = y0 + rows.length * rh + 34;
  return { rows, cols, x0, y0, cw, rh, height, maxAbs: C.maxAbs(info.matrix) };
}

/** Draw the heatmap on a canvas at its container's width; returns where the cells are (for hits). */
export function drawHeatmap(canvas: HTMLCanvasElement, info: HeatInfo, o: { top: number; neuron?: string; cursor: { row: number; col: number } }): HeatLayout {
  const width = Math.max(320, canvas.parentElement?.clientWidth ?? 600);
  const g = heatGeometry(info, width, o.top);
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(g.height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${g.height}px`;
  const ctx = canvas.getContext('2d');
  const layout: HeatLayout = { x0: g.x0, y0: g.y0, cw: g.cw, rh: g.rh, cols: g.cols, rows: g.rows };
  if (!ctx) return layout;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const p = palette();
  ctx.fillStyle = rgbCss(p.bg);
  ctx.fillRect(0, 0, width, g.height);
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
      if (o.neuron === `${r.layer}:${r.order[c]}`) {
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
    const r = Math.min(o.cursor.row, g.rows.length - 1);
    const c = Math.min(o.cursor.col, g.cols - 1);
    ctx.strokeStyle = rgbCss(p.focus);
    ctx.lineWidth = 2;
    ctx.strokeRect(g.x0 + c * g.cw - 1, g.y0 + r * g.rh, Math.max(3, g.cw + 2), g.rh);
  }
  return layout;
}

/**
 * The heatmap as a vector SVG (same colours and order as the canvas), readable on its own: title,
 * axis labels, a colour legend with its scale, each cell's neuron id (written in the cell when it is
 * wide enough, always in its tooltip) and the ids of the marked neurons.
 */
export function heatmapSvgText(info: HeatInfo, top: number): { text: string; width: number; height: number } {
  const width = 960;
  const g = heatGeometry(info, width - 24, top);
  const p = palette();
  const parts: string[] = [];
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const x0 = g.x0 + 24;
  const y0 = g.y0 + 26;
  const marked = g.rows.flatMap((r) =>
    r.order
      .slice(0, g.cols)
      .filter((i) => info.marked.has(`${r.layer}:${i}`))
      .map((i) => C.neuronLabel({ layer: r.layer, index: i })),
  );
  const markedLines: string[] = [];
  for (let i = 0; i < marked.length; i += 12) markedLines.push(marked.slice(i, i + 12).join('  '));
  const plotBottom = y0 + g.rows.length * g.rh;
  const legendY = plotBottom + 40;
  const height = legendY + 40 + markedLines.length * 16 + 10;
  const font = esc(getComputedStyle(document.body).fontFamily || 'sans-serif');
  const fg = rgbCss(p.fg);
  const muted = rgbCss(p.muted);
  parts.push(
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${font}" font-size="12">`,
  );
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
      parts.push(
        `<rect x="${cx.toFixed(2)}" y="${y + 1}" width="${g.cw.toFixed(2)}" height="${g.rh - 2}" fill="${rgbCss(heatColor(p, v, g.maxAbs))}"><title>${id} ${v}</title></rect>`,
      );
      if (info.marked.has(`${r.layer}:${r.order[c]}`)) {
        parts.push(`<rect x="${cx.toFixed(2)}" y="${y + g.rh - 4}" width="${Math.max(1, g.cw - 1).toFixed(2)}" height="3" fill="${rgbCss(p.mark)}"/>`);
      }
      if (ids) {
        const tx = cx + g.cw / 2 + 3;
        const ty = y + g.rh / 2;
        const t = Math.pow(Math.abs(v) / (g.maxAbs || 1), HEAT_GAMMA);
        parts.push(
          `<text transform="translate(${tx.toFixed(2)} ${ty}) rotate(-90)" text-anchor="middle" font-size="${Math.min(9, g.cw - 1).toFixed(1)}" fill="${t > 0.55 ? rgbCss(p.bg) : fg}">${r.order[c]}</text>`,
        );
      }
    }
  });
  parts.push(
    `<text x="${x0}" y="${plotBottom + 16}" fill="${muted}">neurons ranked by score within each layer: rank 1 (left) \u2192 ${g.cols}${ids ? '; each cell is labelled with its neuron index' : ''}</text>`,
  );
  // colour legend: the scale from −max to +max, as drawn
  const lw = 240;
  const steps = 24;
  parts.push(
    `<text x="${x0}" y="${legendY - 6}" fill="${muted}">${esc(info.scale === 'normalised' ? 'normalised score (\u00f7 each prompt\u2019s max)' : 'attribution score')}, colour \u221d |value|^${HEAT_GAMMA}</text>`,
  );
  for (let i = 0; i < steps; i++) {
    const v = -g.maxAbs + ((i + 0.5) / steps) * 2 * g.maxAbs;
    parts.push(
      `<rect x="${(x0 + (i * lw) / steps).toFixed(2)}" y="${legendY}" width="${(lw / steps + 0.5).toFixed(2)}" height="12" fill="${rgbCss(heatColor(p, v, g.maxAbs))}"/>`,
    );
  }
  parts.push(`<text x="${x0}" y="${legendY + 26}" fill="${muted}">${esc(C.formatScore(-g.maxAbs))}</text>`);
  parts.push(`<text x="${x0 + lw / 2}" y="${legendY + 26}" text-anchor="middle" fill="${muted}">0</text>`);
  parts.push(`<text x="${x0 + lw}" y="${legendY + 26}" text-anchor="end" fill="${muted}">${esc(C.formatScore(g.maxAbs))}</text>`);
  parts.push(`<rect x="${x0 + lw + 30}" y="${legendY + 4}" width="16" height="3" fill="${rgbCss(p.mark)}"/>`);
  parts.push(
    `<text x="${x0 + lw + 52}" y="${legendY + 10}" fill="${muted}">${info.threshold !== undefined ? 'coarse neuron of the prompt' : 'refined neuron of the group'} (${marked.length} shown)</text>`,
  );
  markedLines.forEach((line, i) => parts.push(`<text x="${x0}" y="${legendY + 46 + i * 16}" fill="${fg}">${esc(line)}</text>`));
  parts.push('</svg>');
  return { text: parts.join('\n'), width, height };
}
