/** Editor features from a document's state: code actions, inlay hints, hovers, symbols, folding, code lenses. */
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  CodeLens,
  CodeLensParams,
  DiagnosticSeverity,
  DocumentSymbol,
  DocumentSymbolParams,
  FoldingRange,
  FoldingRangeParams,
  Hover,
  HoverParams,
  InlayHint,
  InlayHintParams,
  MarkupKind,
  SymbolKind,
} from 'vscode-languageserver/node';
import { ClientCommands } from '../../protocol/lsp';
import { neuronKey } from '../../engine/src/neurons';
import { factHover, inlayLabel, promptHover } from './render';
import { currentNeurons } from './results';
import { SOURCE, World } from './world';

/** The parser's quick fixes for the diagnostics in range. */
export function codeActions(world: World, params: CodeActionParams): CodeAction[] {
  const st = world.documents.get(params.textDocument.uri);
  if (!st) return [];
  const r = params.range;
  const actions: CodeAction[] = [];
  for (const d of st.ds.diagnostics) {
    if (!d.fix) continue;
    if (d.range.end.line < r.start.line || d.range.start.line > r.end.line) continue;
    if (d.range.end.line === r.start.line && d.range.end.character < r.start.character) continue;
    if (d.range.start.line === r.end.line && d.range.start.character > r.end.character) continue;
    actions.push({
      title: d.fix.title,
      kind: CodeActionKind.QuickFix,
      isPreferred: true,
      diagnostics: [{ range: d.range, severity: d.severity as DiagnosticSeverity, code: d.code, source: SOURCE, message: d.message }],
      edit: { changes: { [st.uri]: d.fix.edits } },
    });
  }
  return actions;
}

/** After each prompt: P(answer) and its top neurons. */
export function inlayHints(world: World, params: InlayHintParams): InlayHint[] {
  const st = world.documents.get(params.textDocument.uri);
  if (!st || !st.entries.size) return [];
  const out: InlayHint[] = [];
  const { start, end } = params.range;
  for (const f of st.ds.facts)
    for (const p of f.prompts) {
      const line = p.lineRange.end.line;
      if (line < start.line || line > end.line) continue;
      const e = st.entryFor(p);
      const label = inlayLabel(p, e);
      if (!label) continue;
      const tooltip = e?.predictionError ?? `P(${p.answer}) and the top neurons by integrated gradients: layer·index, score as a fraction of the prompt's top score`;
      out.push({ position: p.lineRange.end, label, paddingLeft: true, tooltip });
    }
  return out;
}

/** A prompt's prediction and attribution, or a fact's refined neurons per group. */
export function hover(world: World, params: HoverParams): Hover | null {
  const st = world.documents.get(params.textDocument.uri);
  if (!st) return null;
  const line = params.position.line;
  const hit = st.index.prompts.get(line);
  if (hit) {
    const p = hit.prompt;
    if (params.position.character < p.lineRange.start.character) return null;
    return { contents: { kind: MarkupKind.Markdown, value: promptHover(p, st.entryFor(p)) }, range: p.range };
  }
  const fact = st.index.facts.get(line);
  if (fact) return { contents: { kind: MarkupKind.Markdown, value: factHover(fact, currentNeurons(st, fact)) }, range: fact.headerRange };
  return null;
}

export function documentSymbols(world: World, params: DocumentSymbolParams): DocumentSymbol[] {
  const st = world.documents.get(params.textDocument.uri);
  if (!st) return [];
  return st.ds.facts.map((f) => {
    const last = f.prompts.length ? f.prompts[f.prompts.length - 1].lineRange.end : f.headerRange.end;
    return {
      name: f.name || '(unnamed fact)',
      detail: Object.entries(f.answers)
        .map(([k, v]) => (k ? `${k}: ${v}` : v))
        .join(' | '),
      kind: SymbolKind.Class,
      range: { start: f.headerRange.start, end: last },
      selectionRange: f.nameRange,
      children: f.prompts.map((p) => ({
        name: `${p.negative ? 'not: ' : ''}${p.lang ? `[${p.lang}] ` : ''}${p.text}`,
        kind: SymbolKind.String,
        range: p.lineRange,
        selectionRange: p.range,
      })),
    };
  });
}

export function foldingRanges(world: World, params: FoldingRangeParams): FoldingRange[] {
  const st = world.documents.get(params.textDocument.uri);
  if (!st) return [];
  return st.ds.facts.filter((f) => f.prompts.length).map((f) => ({ startLine: f.headerRange.start.line, endLine: f.prompts[f.prompts.length - 1].lineRange.end.line }));
}

/** Above each fact: its refined count (find), suppress, enhance, compare. The public client commands, `[uri, fact]`. */
export function codeLenses(world: World, params: CodeLensParams): CodeLens[] {
  const st = world.documents.get(params.textDocument.uri);
  if (!st) return [];
  const lenses: CodeLens[] = [];
  for (const f of st.ds.facts) {
    if (!f.ok) continue;
    const range = f.headerRange;
    const args = [st.uri, f.name];
    const n = currentNeurons(st, f);
    const count = n ? new Set(Object.values(n.groups).flatMap((g) => g.refined.map(neuronKey))).size : undefined;
    lenses.push(
      { range, command: { title: count === undefined ? 'Find knowledge neurons' : `Knowledge neurons: ${count} refined`, command: ClientCommands.findNeurons, arguments: args } },
      { range, command: { title: 'Suppress', command: ClientCommands.suppress, arguments: args } },
      { range, command: { title: 'Enhance', command: ClientCommands.enhance, arguments: args } },
      { range, command: { title: 'Compare', command: ClientCommands.compare, arguments: args } },
    );
  }
  return lenses;
}
