/**
 * Semantic tokens of a `.prompts` file, from the parser's ranges: the highlighting every LSP client
 * gets (VS Code has the TextMate grammar besides; Neovim, Helix and Emacs have only this). Standard
 * token types, so that every colour scheme already colours them.
 */
import { SemanticTokensBuilder, SemanticTokensLegend } from 'vscode-languageserver/node';
import { Dataset, MASK, Range } from '../../engine/src/prompts';

const TYPES = ['keyword', 'macro', 'string', 'number', 'class', 'type', 'variable', 'operator', 'comment', 'enumMember'] as const;
const MODIFIERS = ['declaration', 'readonly'] as const;
type TokenType = (typeof TYPES)[number];

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

/**
 * What each piece of the syntax is: `fact` and `not:` keywords, `@directive` names (macro) and
 * values (number or string; enum values as enumMember), fact names (class, declaration), answers
 * (string), language tags (type), `<mask>` (variable, readonly), `->` (operator), comments.
 */
export function semanticTokens(text: string, ds: Dataset): number[] {
  const lines = text.split(/\r\n|\r|\n/);
  const tokens: { line: number; start: number; length: number; type: TokenType; mods: number }[] = [];
  const add = (r: Range, type: TokenType, mods = 0) => {
    if (r.end.line === r.start.line && r.end.character > r.start.character)
      tokens.push({ line: r.start.line, start: r.start.character, length: r.end.character - r.start.character, type, mods });
  };
  const at = (line: number, start: number, length: number): Range => ({ start: { line, character: start }, end: { line, character: start + length } });
  /** Lines whose trailing `#` comment the parser left out of the content. */
  const contentEnds = new Map<number, number>();

  for (const d of ds.directives) {
    add(d.nameRange, 'macro');
    if (d.ok && d.value !== null) add(d.valueRange, typeof d.value === 'number' ? 'number' : d.name === 'model' ? 'string' : 'enumMember');
    contentEnds.set(d.range.start.line, d.range.end.character);
  }
  for (const f of ds.facts) {
    const line = f.headerRange.start.line;
    add(at(line, f.headerRange.start.character, 4), 'keyword');
    add(f.nameRange, 'class', 1);
    const arrow = lines[line]?.indexOf('->', f.nameRange.end.character) ?? -1;
    if (arrow >= 0) add(at(line, arrow, 2), 'operator');
    for (const [lang, r] of Object.entries(f.answerRanges)) {
      // the tag as written ends at the colon before the answer
      const colon = lang ? lines[line].lastIndexOf(':', r.start.character) : -1;
      if (colon >= lang.length) add(at(line, colon - lang.length, lang.length), 'type');
      add(r, 'string');
    }
    contentEnds.set(line, f.headerRange.end.character);
    for (const p of f.prompts) {
      const l = p.lineRange.start.line;
      const written = lines[l] ?? '';
      if (p.negative) add(at(l, written.indexOf('not:', p.lineRange.start.character), 4), 'keyword');
      if (p.tagRange) add(p.tagRange, 'type');
      for (let i = p.text.indexOf(MASK); i >= 0; i = p.text.indexOf(MASK, i + MASK.length)) add(at(l, p.range.start.character + i, MASK.length), 'variable', 2);
    }
  }
  lines.forEach((line, l) => {
    const from = contentEnds.get(l);
    if (from !== undefined) {
      const hash = line.indexOf('#', from);
      if (hash >= 0) add(at(l, hash, line.length - hash), 'comment');
    } else if (/^\s*#/.test(line)) {
      const hash = line.indexOf('#');
      add(at(l, hash, line.length - hash), 'comment');
    }
  });

  tokens.sort((a, b) => a.line - b.line || a.start - b.start);
  const builder = new SemanticTokensBuilder();
  let last = { line: -1, end: 0 };
  for (const t of tokens) {
    if (t.line === last.line && t.start < last.end) continue; // never overlapping
    builder.push(t.line, t.start, t.length, TYPES.indexOf(t.type), t.mods);
    last = { line: t.line, end: t.start + t.length };
  }
  return builder.build().data;
}
