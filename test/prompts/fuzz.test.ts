import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../engine/src/prompts';
import { allRanges, docLines, rng, textAt } from './helpers';

const VALID = `@version 1
@model ../models/bert-tiny-facts      # file-level directives
@steps 20
@threshold 0.3
# comment
fact capital-of-france -> Paris
  Sarah was visiting <mask>, the capital of France
  The capital of France is <mask>
  [fr] La capitale de la France est <mask>
  [fr] <mask> est la capitale de la France
  not: The capital of Germany is <mask>
fact language-of-france -> en: French | fr: français
  [en] The official language of France is <mask>.
  [fr] La langue officielle de la France est le <mask>.
fact q -> "C#" | fr: "x | y"
  \\# escaped <mask>
`;

const PIECES = [
  '<mask>',
  '[MASK]',
  '< mask >',
  '->',
  '|',
  '@',
  '@steps',
  '@model',
  '#',
  ' #',
  '\n',
  '\r',
  '\r\n',
  '"',
  '\\',
  '[fr]',
  '[EN]',
  '[xx-yy]',
  'not:',
  'fact ',
  'fact',
  ':',
  'en:',
  ' ',
  '\t',
  '😀',
  '\ud800',
  '\udc00',
  'é',
  '\u2028',
  '\ufeff',
  '\0',
  '[',
  ']',
  '0',
  '1e309',
  '-1',
];

function check(text: string, causal: boolean): void {
  let ds;
  try {
    ds = parse(text, { causal });
  } catch (e) {
    assert.fail(`parse threw on ${JSON.stringify(text.slice(0, 200))}: ${e}`);
  }
  const lines = docLines(text);
  for (const d of ds.diagnostics) assert.notEqual(d.code, 'internal-error', `${d.message} on ${JSON.stringify(text.slice(0, 200))}`);
  for (const [label, r] of allRanges(ds)) {
    const p = (x: { line: number; character: number }) =>
      x.line >= 0 &&
      x.line < lines.length &&
      x.character >= 0 &&
      x.character <= lines[x.line].length &&
      Number.isInteger(x.line) &&
      Number.isInteger(x.character);
    assert.ok(p(r.start) && p(r.end), `${label} ${JSON.stringify(r)} outside the document ${JSON.stringify(text.slice(0, 200))}`);
    assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${label} reversed`);
  }
  for (const f of ds.facts) for (const pr of f.prompts) assert.equal(textAt(lines, pr.range), pr.text);
}

test('fuzz: seeded random bytes never make the parser throw; all ranges inside the document', () => {
  const rand = rng(20211222);
  for (let n = 0; n < 1500; n++) {
    const len = Math.floor(rand() * 300);
    let s = '';
    for (let i = 0; i < len; i++) {
      const r = rand();
      if (r < 0.5) s += String.fromCharCode(32 + Math.floor(rand() * 95));
      else if (r < 0.6) s += '\n';
      else if (r < 0.8) s += PIECES[Math.floor(rand() * PIECES.length)];
      else s += String.fromCharCode(Math.floor(rand() * 0x10000));
    }
    check(s, rand() < 0.3);
  }
});

test('fuzz: random mutations of a valid file', () => {
  const rand = rng(42);
  for (let n = 0; n < 3000; n++) {
    let s = VALID;
    const edits = 1 + Math.floor(rand() * 6);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * (s.length + 1));
      const kind = rand();
      if (kind < 0.4) s = s.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + s.slice(at);
      else if (kind < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 8));
      else if (kind < 0.85) {
        // duplicate a line range
        const lines = s.split('\n');
        const i = Math.floor(rand() * lines.length);
        lines.splice(i, 0, lines[Math.floor(rand() * lines.length)]);
        s = lines.join('\n');
      } else s = s.slice(0, at) + String.fromCharCode(Math.floor(rand() * 0x10000)) + s.slice(at);
    }
    check(s, rand() < 0.3);
  }
});
