// Quick fixes for a mask written one letter off and for the answer written where the mask belongs,
// and no mask rules at all while the model's kind is unknown (a bad @model path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../engine/src/prompts';

/** Applies a diagnostic's fix to the text. */
function applyFix(
  text: string,
  fix: { edits: { range: { start: { line: number; character: number }; end: { character: number } }; newText: string }[] },
): string {
  const lines = text.split('\n');
  for (const e of fix.edits) {
    const l = lines[e.range.start.line];
    lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  }
  return lines.join('\n');
}

test('<mak>, <maks>, [Mask] are mask spellings with a fix to <mask>; <task>-like words two letters off and <s> are left alone', () => {
  for (const written of ['<mak>', '<maks>', '[Mask]', '{ mask }', '<msk>']) {
    const text = `fact a -> Paris\n  The capital of France is ${written}.\n`;
    const ds = parse(text);
    assert.deepEqual(
      ds.diagnostics.map((d) => d.code),
      ['mask-spelling'],
      written,
    );
    assert.equal(applyFix(text, ds.diagnostics[0].fix!), 'fact a -> Paris\n  The capital of France is <mask>.\n');
  }
  for (const other of ['<s>', '<tusk>', '[name]']) {
    const ds = parse(`fact a -> Paris\n  The capital of France is ${other} <mask>.\n`);
    assert.deepEqual(ds.diagnostics, [], other);
  }
});

test("an answer written where <mask> belongs ('Spain's capital city is Madrid.') gets a fix that replaces it", () => {
  const text =
    "fact capital-of-spain -> Madrid\n  Spain's capital city is Madrid.\n  [fr] La capitale de l'Espagne est madrid.\n  Madridistas love their city <mask>.\n";
  const ds = parse(text);
  const noMask = ds.diagnostics.filter((d) => d.code === 'no-mask');
  assert.equal(noMask.length, 2);
  assert.equal(noMask[0].fix!.title, "Replace 'Madrid' with <mask>");
  assert.equal(applyFix(text, noMask[0].fix!).split('\n')[1], "  Spain's capital city is <mask>.");
  // any case, whole words only
  assert.equal(applyFix(text, noMask[1].fix!).split('\n')[2], "  [fr] La capitale de l'Espagne est <mask>.");
  // per-language answers: the prompt's own
  const multi = parse('fact lang -> en: French | fr: français\n  [fr] On parle français en France.\n  [en] Frenchmen speak it.\n');
  const fixes = multi.diagnostics.filter((d) => d.code === 'no-mask').map((d) => d.fix?.title);
  assert.deepEqual(fixes, ["Replace 'français' with <mask>", undefined]);
});

test('while the model kind is unknown, prompts without <mask> are not errors; the other rules still apply', () => {
  const text = 'fact a -> Paris\n  The capital of France is Paris.\n  Two <mask> masks <mask>\n';
  assert.deepEqual(
    parse(text).diagnostics.map((d) => d.code),
    ['no-mask', 'multiple-masks'],
  );
  assert.deepEqual(
    parse(text, { kindUnknown: true }).diagnostics.map((d) => d.code),
    ['multiple-masks'],
  );
});
