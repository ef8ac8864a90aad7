import type { Dataset, Range } from '../../engine/src/prompts';
import { fixturesDir as fixtures, repoRoot as root } from '../helpers';

export { rng } from '../helpers';
export const repoRoot = root();
export const fixturesDir = fixtures();

export function docLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function rangeInside(lines: string[], r: Range): boolean {
  const ok = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) &&
    Number.isInteger(p.character) &&
    p.line >= 0 &&
    p.line < lines.length &&
    p.character >= 0 &&
    p.character <= lines[p.line].length;
  if (!ok(r.start) || !ok(r.end)) return false;
  return r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
}

export function textAt(lines: string[], r: Range): string {
  if (r.start.line !== r.end.line) throw new Error('multi-line range');
  return lines[r.start.line].slice(r.start.character, r.end.character);
}

/** Every range of a parse result, labelled. */
export function allRanges(ds: Dataset): Array<[string, Range]> {
  const out: Array<[string, Range]> = [];
  for (const d of ds.diagnostics) {
    out.push([`diagnostic ${d.code}`, d.range]);
    for (const e of d.fix?.edits ?? []) out.push([`fix ${d.code}`, e.range]);
  }
  for (const d of ds.directives) out.push(['directive', d.range], ['directive name', d.nameRange], ['directive value', d.valueRange]);
  for (const f of ds.facts) {
    out.push(['fact name', f.nameRange], ['fact answer', f.answerRange], ['fact header', f.headerRange]);
    for (const r of Object.values(f.answerRanges)) out.push(['answer', r]);
    for (const p of f.prompts) {
      out.push(['prompt', p.range], ['prompt line', p.lineRange], ['mask', p.maskRange]);
      if (p.tagRange) out.push(['tag', p.tagRange]);
    }
  }
  return out;
}

/** The dataset without ranges: what must survive a format/parse round trip. */
export function content(ds: Dataset): unknown {
  return {
    version: ds.version,
    directives: ds.directives.filter((d) => d.ok && d.name !== 'version').map((d) => ({ name: d.name, value: d.value })),
    facts: ds.facts.map((f) => ({
      name: f.name,
      answers: f.answers,
      ok: f.ok,
      prompts: f.prompts.map((p) => ({ text: p.text, lang: p.lang, negative: p.negative, hasMask: p.hasMask, answer: p.answer, ok: p.ok })),
    })),
  };
}
