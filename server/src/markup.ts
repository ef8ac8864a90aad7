/**
 * Hover text in the format the client asks for (`textDocument.hover.contentFormat`): the renderers
 * write Markdown; a client that takes only plain text (or declares nothing, which LSP reads as
 * plain text) gets the same content with the Markdown taken out: tables as aligned columns, code
 * blocks as they are, no emphasis markers or escapes.
 */
import { MarkupContent, MarkupKind } from 'vscode-languageserver/node';

/** The client's preferred hover format: the first of its `contentFormat` list that we write. */
export function hoverFormat(contentFormat: readonly string[] | undefined): MarkupKind {
  const known = (contentFormat ?? []).find((f) => f === MarkupKind.Markdown || f === MarkupKind.PlainText);
  return (known as MarkupKind | undefined) ?? MarkupKind.PlainText;
}

export function markup(markdown: string, kind: MarkupKind): MarkupContent {
  return { kind, value: kind === MarkupKind.Markdown ? markdown : plainText(markdown) };
}

/** Markdown as readable plain text. */
export function plainText(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('```')) {
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) out.push(lines[i]);
      continue;
    }
    if (isTableRow(line) && i + 1 < lines.length && /^\|[\s:|-]+\|$/.test(lines[i + 1].trim())) {
      const rows = [cells(line)];
      for (i += 2; i < lines.length && isTableRow(lines[i]); i++) rows.push(cells(lines[i]));
      i--;
      const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
      for (const r of rows)
        out.push(
          r
            .map((cell, c) => cell.padEnd(widths[c]))
            .join('  ')
            .trimEnd(),
        );
      continue;
    }
    out.push(inline(line.replace(/^#+\s+/, '')));
  }
  return out.join('\n');
}

function isTableRow(line: string): boolean {
  const t = line.trim();
  return t.startsWith('|') && t.endsWith('|') && t.length > 1;
}

/** A table row's cells, split at pipes that are not escaped. */
function cells(line: string): string[] {
  return line
    .trim()
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => inline(c.trim()));
}

/** Inline Markdown taken out: `code`, **bold**, _italic_, [text](link), backslash escapes. */
function inline(s: string): string {
  // U+E000 (private use) marks the characters of code spans, so that the rules below leave them alone.
  return s
    .replace(/`([^`]*)`/g, (_, code: string) => code.replace(/[\\*_[\]|<>]/g, (c) => `\uE000${c}`))
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/(?<!\\)\*\*(.+?)(?<!\\)\*\*/g, '$1')
    .replace(/(?<![\\\w])_(.+?)(?<!\\)_(?!\w)/g, '$1')
    .replace(/\\([\\`*_[\]|<>#])/g, '$1')
    .replace(/\uE000/g, '');
}
