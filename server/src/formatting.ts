/**
 * Document formatting with the engine's formatter (engine/src/prompts/format.ts), line by line so
 * that nothing is lost: comments stay (trailing ones after the formatted content), a line with an
 * error stays as written, blank lines are kept but not doubled, and only lines that change get an
 * edit. Directives: `@name value`; headers: `fact name -> answers`; prompts indented by two spaces,
 * `not: ` and `[xx] ` first; comments inside a fact indented like its prompts.
 */
import type { TextEdit } from 'vscode-languageserver/node';
import { Dataset, formatAnswers, formatDirective, formatPrompt, Severity } from '../../engine/src/prompts';

export function formatEdits(text: string, ds: Dataset): TextEdit[] {
  const lines = text.split(/\r\n|\r|\n/);
  const broken = new Set(ds.diagnostics.filter((d) => d.severity === Severity.Error).flatMap((d) => range(d.range.start.line, d.range.end.line)));
  /** Per line: its formatted content, and where its trailing comment starts (directives and headers). */
  const formatted = new Map<number, { content: string; contentEnd?: number }>();
  const inFact = new Set<number>();
  for (const d of ds.directives) if (d.ok) formatted.set(d.range.start.line, { content: formatDirective(d), contentEnd: d.range.end.character });
  for (const f of ds.facts) {
    const line = f.headerRange.start.line;
    if (f.ok) formatted.set(line, { content: `fact ${f.name} -> ${formatAnswers(f.answers)}`, contentEnd: f.headerRange.end.character });
    for (const p of f.prompts) formatted.set(p.lineRange.start.line, { content: formatPrompt(p) });
    const last = f.prompts.length ? f.prompts[f.prompts.length - 1].lineRange.start.line : line;
    for (let l = line + 1; l < last; l++) inFact.add(l);
  }

  const edits: TextEdit[] = [];
  const replace = (l: number, newText: string) => {
    if (newText !== lines[l]) edits.push({ range: { start: { line: l, character: 0 }, end: { line: l, character: lines[l].length } }, newText });
  };
  let blankRun = 0;
  const lastContent = lines.reduce((k, line, l) => (line.trim() ? l : k), -1);
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l];
    if (!line.trim()) {
      blankRun++;
      // a second blank line in a row, or blank lines after the last content (the final line break stays)
      const extra = blankRun > 1 || l > lastContent;
      if (extra && l < lines.length - 1) edits.push({ range: { start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } }, newText: '' });
      else if (line !== '') replace(l, '');
      continue;
    }
    blankRun = 0;
    const f = formatted.get(l);
    if (broken.has(l)) continue;
    if (f) {
      const comment = f.contentEnd !== undefined ? trailingComment(line, f.contentEnd) : '';
      replace(l, f.content + comment);
    } else if (/^\s*#/.test(line)) replace(l, (inFact.has(l) ? '  ' : '') + line.trim());
  }
  return edits;
}

/** ` # comment` after a line's content, with the blanks that separate it (at least one). */
function trailingComment(line: string, contentEnd: number): string {
  const hash = line.indexOf('#', contentEnd);
  if (hash < 0) return '';
  const gap = line.slice(contentEnd, hash);
  return (gap.length ? gap : ' ') + line.slice(hash).trimEnd();
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}
