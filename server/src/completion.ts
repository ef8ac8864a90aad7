/**
 * Completion in `.prompts` files: directives at the start of a line (with their values: enum
 * values, model ids from the local Hugging Face cache), language tags in `[` and after answers'
 * `|`, `<mask>` in prompts, and in `not:` lines the prompts of the file's other facts, found by
 * their fact's name. Plain text edits only: no snippets, which not every client takes.
 */
import { CompletionItem, CompletionItemKind, InsertTextFormat, Position } from 'vscode-languageserver/node';
import { Dataset, DIRECTIVES, DIRECTIVE_NAMES, KNOWN_LANGUAGES, MASK } from '../../engine/src/prompts';

export const COMPLETION_TRIGGERS = ['@', '[', '<', ' '];

export interface CompletionContext {
  /** Hugging Face model ids found in the local cache (for `@model`). */
  cachedModels(): { id: string; complete: boolean }[];
}

export function completions(text: string, ds: Dataset, pos: Position, ctx: CompletionContext): CompletionItem[] {
  const line = text.split(/\r\n|\r|\n/)[pos.line] ?? '';
  const before = line.slice(0, pos.character);
  const replace = (from: number) => ({ start: { line: pos.line, character: from }, end: pos });
  const item = (label: string, kind: CompletionItemKind, from: number, extra: Partial<CompletionItem> = {}): CompletionItem => ({
    label,
    kind,
    textEdit: { range: replace(from), newText: extra.insertText ?? label },
    insertTextFormat: InsertTextFormat.PlainText,
    ...extra,
  });

  // @directive, and its value
  const directive = /^(\s*)@([\w-]*)$/.exec(before);
  if (directive) {
    return DIRECTIVE_NAMES.map((name) =>
      item(`@${name}`, CompletionItemKind.Keyword, directive[1].length, {
        detail: DIRECTIVES[name].expect,
        documentation: DIRECTIVES[name].about,
        insertText: `@${name} `,
      }),
    );
  }
  const value = /^\s*@([\w-]+)\s+(\S*)$/.exec(before);
  if (value) {
    const from = pos.character - value[2].length;
    const spec = (DIRECTIVES as Record<string, { values?: readonly string[] }>)[value[1]];
    if (value[1] === 'model')
      return ctx.cachedModels().map((m) =>
        item(m.id, CompletionItemKind.Module, from, {
          detail: m.complete ? 'Hugging Face cache' : 'Hugging Face cache (incomplete: downloaded on first use)',
        }),
      );
    return (spec?.values ?? []).map((v) => item(v, CompletionItemKind.EnumMember, from));
  }
  if (/^\s*fact\b/.test(before)) {
    // answers: `fact name -> en: French | fr: …` — a language tag after `->` or `|`
    const tag = /(?:->|\|)\s*([A-Za-z-]*)$/.exec(before);
    return tag
      ? languages(ds, pos.line).map((l) => item(`${l}:`, CompletionItemKind.TypeParameter, pos.character - tag[1].length, { insertText: `${l}: ` }))
      : [];
  }
  if (/^\s*#/.test(before) || !/^\s/.test(line)) return [];

  // prompt lines: `[xx]` at the start, `not:` examples, `<mask>`
  const tag = /^(\s*(?:not:\s*)?)\[([A-Za-z-]*)$/.exec(before);
  if (tag) return languages(ds, pos.line).map((l) => item(`[${l}]`, CompletionItemKind.TypeParameter, tag[1].length, { insertText: `[${l}] ` }));
  const out: CompletionItem[] = [];
  const negative = /^(\s*(?:\[[\w-]+\]\s*)?not:\s*)(.*)$/.exec(before);
  if (negative) {
    const own = factAt(ds, pos.line);
    for (const f of ds.facts) {
      if (f === own || !f.ok) continue;
      for (const p of f.prompts)
        if (!p.negative && p.ok)
          out.push(
            item(p.text, CompletionItemKind.Reference, negative[1].length, {
              detail: `fact ${f.name}`,
              filterText: `${f.name} ${p.text}`,
              insertText: `${p.lang ? `[${p.lang}] ` : ''}${p.text}`,
              sortText: `1${f.name}`,
            }),
          );
    }
  }
  const partial = /<[a-z]*$/.exec(before);
  if (!line.includes(MASK) || partial)
    out.push(
      item(MASK, CompletionItemKind.Constant, partial ? pos.character - partial[0].length : pos.character, { detail: 'where the answer goes', sortText: '0' }),
    );
  return out;
}

/** Language tags: the fact's own answer languages first, then every known tag. */
function languages(ds: Dataset, line: number): string[] {
  const own = Object.keys(factAt(ds, line)?.answers ?? {}).filter(Boolean);
  return [...new Set([...own, ...[...KNOWN_LANGUAGES].sort()])];
}

function factAt(ds: Dataset, line: number) {
  let found: Dataset['facts'][number] | undefined;
  for (const f of ds.facts) if (f.headerRange.start.line <= line) found = f;
  return found;
}
