/**
 * Edits that write settings into a file's directives (`@threshold`, `@abs-threshold`, `@percentile`,
 * `@p`, `@model`): the Compare panel's "Write to file" and Select Model's "Edit @model". The server
 * only computes them; they are applied when the user asks (workspace/applyEdit from a command), never
 * unasked. The last directive of a kind is the one that applies, so it is the one rewritten; a
 * directive that is not there yet goes after the last directive (or first in the file).
 */
import type { TextEdit } from 'vscode-languageserver/node';
import { DIRECTIVES, Dataset, formatDirective } from '../../engine/src/prompts';
import type { CoarseRule } from '../../engine/src/types';

export interface DirectiveChanges {
  /** The coarse rule: adaptive → `@threshold`, threshold → `@abs-threshold`, percentile → `@percentile`. */
  rule?: CoarseRule;
  p?: number;
  model?: string;
}

const RULE_DIRECTIVE: Record<CoarseRule['kind'], 'threshold' | 'abs-threshold' | 'percentile'> = {
  adaptive: 'threshold',
  threshold: 'abs-threshold',
  percentile: 'percentile',
};
const RULE_NAMES = new Set(Object.values(RULE_DIRECTIVE));

/** A number as a directive writes it: at most 6 significant digits, no exponent noise (0.30000000000000004 → 0.3). */
function directiveNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/** Checks a value against the directive's own rule (the parser's), with the parser's words. */
function checked(name: keyof typeof DIRECTIVES, value: number | string): string {
  const spec = DIRECTIVES[name];
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || (spec.check && !spec.check(value))) throw new Error(`@${name} ${value}: expected ${spec.expect}`);
    return directiveNumber(value);
  }
  const v = value.trim();
  if (!v || /[\r\n]/.test(v)) throw new Error(`@${name}: expected ${spec.expect}`);
  return v;
}

/** The edits that make the file's directives say `changes` (none for what they already say). */
export function directiveEdits(text: string, ds: Dataset, changes: DirectiveChanges): TextEdit[] {
  const lines = text.split(/\r\n|\r|\n/);
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const wanted: Array<{ name: string; value: string; replaces: (name: string) => boolean }> = [];
  if (changes.rule) {
    const name = RULE_DIRECTIVE[changes.rule.kind];
    if (!name) throw new Error(`unknown coarse rule ${JSON.stringify(changes.rule.kind)}`);
    wanted.push({ name, value: checked(name, changes.rule.value), replaces: (n) => RULE_NAMES.has(n as never) });
  }
  if (changes.p !== undefined) wanted.push({ name: 'p', value: checked('p', changes.p), replaces: (n) => n === 'p' });
  if (changes.model !== undefined) wanted.push({ name: 'model', value: checked('model', changes.model), replaces: (n) => n === 'model' });

  const edits: TextEdit[] = [];
  const inserted: string[] = [];
  for (const w of wanted) {
    const newText = formatDirective({ name: w.name, value: null, raw: w.value });
    const last = [...ds.directives].reverse().find((d) => w.replaces(d.name));
    if (last) {
      if (lines[last.range.start.line]?.slice(last.range.start.character, last.range.end.character) !== newText) edits.push({ range: last.range, newText });
    } else inserted.push(newText);
  }
  if (inserted.length) {
    const after = ds.directives.length ? Math.max(...ds.directives.map((d) => d.range.end.line)) : -1;
    if (after < 0) edits.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: inserted.map((l) => l + eol).join('') });
    else {
      const end = { line: after, character: lines[after].length };
      edits.push({ range: { start: end, end }, newText: inserted.map((l) => eol + l).join('') });
    }
  }
  return edits;
}
