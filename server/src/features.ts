/**
 * Editor features from a document's state: code actions, inlay hints (with neuron cards), hovers
 * (in the client's format), symbols, folding, code lenses, semantic tokens, formatting, completion.
 */
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  CodeLens,
  CodeLensParams,
  CompletionItem,
  CompletionParams,
  DiagnosticSeverity,
  DocumentFormattingParams,
  DocumentSymbol,
  DocumentSymbolParams,
  FoldingRange,
  FoldingRangeParams,
  Hover,
  HoverParams,
  InlayHint,
  InlayHintParams,
  SemanticTokens,
  SemanticTokensParams,
  SymbolKind,
  TextEdit,
} from 'vscode-languageserver/node';
import type { NeuronCard } from '../../engine/src/neuronCard';
import { NO_COMMAND, RESTRICTED_LENS_TITLE, ServerCommands } from '../../protocol/lsp';
import { neuronKey } from '../../engine/src/neurons';
import { cachedModels, hubCacheDir } from '../../engine/src/hub';
import { completions } from './completion';
import { formatEdits } from './formatting';
import { interventionMarkdown, interventionTitle } from './interventionText';
import { markup } from './markup';
import { cardsFor, neuronCardsMarkdown } from './neuronCards';
import { directiveHover, factHover, inlayLabel, promptHover, topNeurons } from './render';
import { currentNeurons } from './results';
import { semanticTokens } from './semanticTokens';
import { SOURCE, World } from './world';

const HINT_TOOLTIP = "P(answer) and the top neurons by integrated gradients: layer·index, score as a fraction of the prompt's top score";

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
      // the tooltip, with a card for each neuron of the hint, comes from inlayHint/resolve
      out.push({
        position: p.lineRange.end,
        label,
        paddingLeft: true,
        tooltip: e?.predictionError ?? HINT_TOOLTIP,
        data: { uri: st.uri, line: p.range.start.line },
      });
    }
  return out;
}

/** inlayHint/resolve: the tooltip gets the cards of the hint's neurons. */
export async function resolveInlayHint(world: World, hint: InlayHint): Promise<InlayHint> {
  const { uri, line } = (hint.data ?? {}) as { uri?: string; line?: number };
  const st = uri ? world.documents.get(uri) : undefined;
  const hit = st && line !== undefined ? st.index.prompts.get(line) : undefined;
  const scores = hit && st!.entryFor(hit.prompt)?.scores;
  if (!st || !scores) return hint;
  try {
    const cards = await neuronCardsMarkdown(
      world,
      st,
      topNeurons(scores, 3).map((t) => t.neuron),
    );
    if (cards) hint.tooltip = markup(`${HINT_TOOLTIP}\n\n---\n\n${cards}`, world.capabilities.hover);
  } catch (e) {
    world.log(`neuron card: ${e instanceof Error ? e.message : e}`);
  }
  return hint;
}

/** A prompt's prediction and attribution, or a fact's refined neurons per group with what each writes (compact cards). */
export async function hover(world: World, params: HoverParams): Promise<Hover | null> {
  const st = world.documents.get(params.textDocument.uri);
  if (!st) return null;
  const line = params.position.line;
  const directive = st.ds.directives.find((d) => d.range.start.line === line && params.position.character >= d.range.start.character);
  const about = directive && directiveHover(directive);
  if (about) return { contents: markup(about, world.capabilities.hover), range: directive.range };
  const hit = st.index.prompts.get(line);
  if (hit) {
    const p = hit.prompt;
    if (params.position.character < p.lineRange.start.character) return null;
    return { contents: markup(promptHover(p, st.entryFor(p)), world.capabilities.hover), range: p.range };
  }
  const fact = st.index.facts.get(line);
  if (!fact) return null;
  const neurons = currentNeurons(st, fact);
  const cards = world.trust.trusted ? new Map<string, NeuronCard>() : undefined;
  const refined = [...new Map(Object.values(neurons?.groups ?? {}).flatMap((g) => g.refined.map((n) => [neuronKey(n), n] as const))).values()];
  if (refined.length && cards) {
    try {
      (await cardsFor(world, st, refined, { loadedOnly: true }))?.forEach((card, i) => cards.set(neuronKey(refined[i]), card));
    } catch (e) {
      world.log(`neuron card: ${e instanceof Error ? e.message : e}`);
    }
  }
  return {
    contents: markup(factHover(fact, neurons, cards) + interventionMarkdown(st.interventions.get(fact.name)), world.capabilities.hover),
    range: fact.headerRange,
  };
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
  return st.ds.facts
    .filter((f) => f.prompts.length)
    .map((f) => ({ startLine: f.headerRange.start.line, endLine: f.prompts[f.prompts.length - 1].lineRange.end.line }));
}

/**
 * Above each fact: its refined count (find), suppress, enhance (with their last results), and
 * compare for a client that shows the panel. The server's own command ids, `[uri, fact]`: any
 * client can run them (the VS Code client maps them to its UI).
 */
export function codeLenses(world: World, params: CodeLensParams): CodeLens[] {
  const st = world.documents.get(params.textDocument.uri);
  if (!st) return [];
  // Restricted Mode: the commands would do nothing, so none is offered; one line above the first
  // fact says why (no command: VS Code's client makes it open the Workspace Trust editor).
  if (!world.trust.trusted) {
    const first = st.ds.facts.find((f) => f.ok);
    return first ? [{ range: first.headerRange, command: { title: RESTRICTED_LENS_TITLE, command: NO_COMMAND } }] : [];
  }
  const lenses: CodeLens[] = [];
  for (const f of st.ds.facts) {
    if (!f.ok) continue;
    const range = f.headerRange;
    const args = [st.uri, f.name];
    const n = currentNeurons(st, f);
    const count = n ? new Set(Object.values(n.groups).flatMap((g) => g.refined.map(neuronKey))).size : undefined;
    const last = st.interventions.get(f.name);
    lenses.push(
      {
        range,
        command: {
          // while prompts' scores are still to come, the count is the refined set so far
          title: count === undefined ? 'Find knowledge neurons' : `Knowledge neurons: ${count} refined${n?.pending ? ' so far' : ''}`,
          command: ServerCommands.findNeurons,
          arguments: args,
        },
      },
      { range, command: { title: interventionTitle('Suppress', last?.suppress), command: ServerCommands.suppress, arguments: args } },
      { range, command: { title: interventionTitle('Enhance', last?.enhance), command: ServerCommands.enhance, arguments: args } },
    );
    if (world.capabilities.comparePanel) lenses.push({ range, command: { title: 'Compare', command: ServerCommands.compare, arguments: args } });
  }
  return lenses;
}

export function semanticTokensFull(world: World, params: SemanticTokensParams): SemanticTokens {
  const st = world.documents.get(params.textDocument.uri);
  return { data: st ? semanticTokens(st.text, st.ds) : [] };
}

export function formatting(world: World, params: DocumentFormattingParams): TextEdit[] {
  const st = world.documents.get(params.textDocument.uri);
  return st ? formatEdits(st.text, st.ds) : [];
}

export function completion(world: World, params: CompletionParams): CompletionItem[] {
  const st = world.documents.get(params.textDocument.uri);
  return st ? completions(st.text, st.ds, params.position, { cachedModels: () => cachedModels(hubCacheDir()) }) : [];
}
