/** Exports of the views: SVG, PNG (drawn from the SVG) and CSV, with theme colours resolved. */

import * as C from './model/compare';
import type { ExportFormat, ExportView } from '../../protocol/panel';
import type { Ctx } from './context';
import { resolveColor, rgbCss, serializeSvg, svgToPng } from './dom';
import { heatInfo } from './views/heatmap';
import { heatmapSvgText } from './views/heatmapDraw';
import { refinedExportSvg } from './views/refined';

function background(): string {
  return rgbCss(resolveColor('var(--vscode-editor-background)', [255, 255, 255, 1]));
}

/** Build a view's export and send it to the extension, which asks where to save it. */
export async function exportView(ctx: Ctx, view: ExportView, format: ExportFormat): Promise<void> {
  const { store } = ctx;
  const { state } = store;
  const data = store.data;
  const model = store.model;
  if (!data || !model) return;
  let content: string | undefined;
  const stamp =
    view === 'heatmap' ? `${state.heat.fact}-${state.heat.source === 'mean' ? state.heat.group : `prompt${state.heat.prompt}`}` : state.facts.join('+');
  const base = `knowledge-neurons-${view}-${stamp}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);
  try {
    if (format === 'csv') {
      if (view === 'refined') content = C.refinedCsv(model);
      else if (view === 'layers') content = C.layersCsv(model, data.layers);
      else if (view === 'effects') content = C.effectsCsv(data.facts.filter((f) => state.facts.includes(f.name) || f.name === state.effectsFact));
      else if (view === 'heatmap') {
        const info = heatInfo(store);
        if (info) content = C.heatmapCsv(info.matrix);
      } else if (view === 'neuron' && state.neuron) {
        const n = C.parseNeuronKey(state.neuron);
        content = C.occurrencesCsv(n, C.neuronOccurrences(data, n, state.rule));
      }
    } else if (view === 'heatmap') {
      const info = heatInfo(store);
      if (info) {
        const svg = heatmapSvgText(info, state.heat.top);
        content = format === 'svg' ? svg.text : await svgToPng(svg.text, svg.width, svg.height);
      }
    } else {
      // The refined view is exported as one picture: the sets side by side above the UpSet plot.
      const temp = view === 'refined' ? refinedExportSvg(ctx) : undefined;
      const id = view === 'layers' ? 'layers-chart' : 'effects-chart';
      const el = temp ?? (document.getElementById(id) as SVGSVGElement | null);
      if (el) {
        const text = serializeSvg(el, background());
        temp?.remove();
        content = format === 'svg' ? text : await svgToPng(text, el.viewBox.baseVal.width, el.viewBox.baseVal.height);
      }
    }
  } catch (e) {
    ctx.setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  if (!content) {
    ctx.setStatus('Nothing to export in this view.');
    return;
  }
  store.post({ type: 'export', requestId: store.requestSeq++, format, view, filename: `${base}.${format}`, content });
  ctx.setStatus(`Exporting ${view} as ${format.toUpperCase()}\u2026`);
}
