import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, datasetSettings, Severity } from '../../engine/src/prompts';
import type { Dataset } from '../../engine/src/prompts';

const EXAMPLE = `@version 1
@model ../models/bert-tiny-facts      # file-level directives
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
`;

/** Diagnostics as [line, startChar, endChar, code, message]. */
function diags(ds: Dataset): Array<[number, number, number, string, string]> {
  return ds.diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.code, d.message]);
}

function one(text: string, opts = {}) {
  const ds = parse(text, opts);
  assert.equal(ds.diagnostics.length, 1, JSON.stringify(diags(ds)));
  return ds.diagnostics[0];
}

test('the example from the brief parses cleanly', () => {
  const ds = parse(EXAMPLE);
  assert.deepEqual(diags(ds), []);
  assert.equal(ds.version, 1);
  assert.equal(ds.directives.length, 2);
  assert.deepEqual(ds.directives[1].valueRange, { start: { line: 1, character: 7 }, end: { line: 1, character: 32 } });
  assert.equal(datasetSettings(ds).model, '../models/bert-tiny-facts');
  assert.equal(ds.facts.length, 2);
  const [cap, lang] = ds.facts;
  assert.equal(cap.name, 'capital-of-france');
  assert.deepEqual(cap.nameRange, { start: { line: 3, character: 5 }, end: { line: 3, character: 22 } });
  assert.deepEqual(cap.answers, { '': 'Paris' });
  assert.deepEqual(cap.answerRange, { start: { line: 3, character: 26 }, end: { line: 3, character: 31 } });
  assert.equal(cap.prompts.length, 5);
  assert.deepEqual(
    cap.prompts.map((p) => [p.lang, p.negative, p.answer, p.ok]),
    [
      ['', false, 'Paris', true],
      ['', false, 'Paris', true],
      ['fr', false, 'Paris', true],
      ['fr', false, 'Paris', true],
      ['', true, 'Paris', true],
    ],
  );
  const fr = cap.prompts[2];
  assert.equal(fr.text, 'La capitale de la France est <mask>');
  assert.deepEqual(fr.range, { start: { line: 6, character: 7 }, end: { line: 6, character: 42 } });
  assert.deepEqual(fr.tagRange, { start: { line: 6, character: 3 }, end: { line: 6, character: 5 } });
  assert.deepEqual(fr.maskRange, { start: { line: 6, character: 36 }, end: { line: 6, character: 42 } });
  assert.equal(cap.prompts[4].text, 'The capital of Germany is <mask>');
  assert.deepEqual(lang.answers, { en: 'French', fr: 'français' });
  assert.deepEqual(
    lang.prompts.map((p) => p.answer),
    ['French', 'français'],
  );
});

test('no mask', () => {
  const d = one('fact a -> b\n  The capital of France is Paris\n');
  assert.deepEqual(
    [d.range, d.severity, d.code, d.message],
    [{ start: { line: 1, character: 2 }, end: { line: 1, character: 32 } }, Severity.Error, 'no-mask', 'prompt has no <mask>: mark where the answer goes'],
  );
});

test('no mask is fine for causal models, and <mask> must then end the prompt', () => {
  const ds = parse('fact a -> Paris\n  The capital of France is\n  The capital of France is <mask>\n', { causal: true });
  assert.deepEqual(diags(ds), []);
  const [p0, p1] = ds.facts[0].prompts;
  assert.equal(p0.hasMask, false);
  assert.deepEqual(p0.maskRange, { start: { line: 1, character: 26 }, end: { line: 1, character: 26 } });
  assert.equal(p1.hasMask, true);
  const d = one('fact a -> Paris\n  <mask> is the capital of France\n', { causal: true });
  assert.deepEqual([d.range.start, d.range.end, d.code], [{ line: 1, character: 2 }, { line: 1, character: 8 }, 'mask-not-at-end']);
});

test('two masks', () => {
  const d = one('fact a -> b\n  <mask> and <mask>\n');
  assert.deepEqual(diags(parse('fact a -> b\n  <mask> and <mask>\n')), [[1, 13, 19, 'multiple-masks', 'a prompt has exactly one <mask>; this one has 2']]);
  assert.equal(d.severity, Severity.Error);
});

test('[MASK] instead of <mask> has a quick fix', () => {
  const d = one('fact a -> b\n  The capital of France is [MASK].\n');
  assert.deepEqual(diags(parse('fact a -> b\n  The capital of France is [MASK].\n')), [
    [1, 27, 33, 'mask-spelling', "write the mask as '<mask>', not '[MASK]'"],
  ]);
  assert.deepEqual(d.fix, {
    title: "Replace '[MASK]' with '<mask>'",
    edits: [{ range: { start: { line: 1, character: 27 }, end: { line: 1, character: 33 } }, newText: '<mask>' }],
  });
  // [MASK] at the start of a line is not a language tag
  assert.equal(one('fact a -> b\n[MASK] est la capitale\n').code, 'mask-spelling');
});

test('missing answer', () => {
  assert.deepEqual(diags(parse('fact capital-of-france\n  x <mask>\n')), [
    [0, 0, 22, 'missing-answer', "fact 'capital-of-france' has no answer: write 'fact capital-of-france -> answer'"],
  ]);
  assert.deepEqual(diags(parse('fact capital-of-france ->   \n  x <mask>\n')), [
    [0, 23, 25, 'missing-answer', "fact 'capital-of-france' has no answer after '->'"],
  ]);
  assert.deepEqual(diags(parse('fact a -> en: French | fr:\n  [en] x <mask>\n')), [[0, 22, 26, 'missing-answer', "empty answer for 'fr'"]]);
  const ds = parse('fact capital-of-france\n  x <mask>\n');
  assert.equal(ds.facts[0].ok, false);
  assert.equal(ds.facts[0].prompts[0].ok, false);
});

test('missing fact name and names with spaces', () => {
  assert.deepEqual(diags(parse('fact -> Paris\n  x <mask>\n')), [[0, 0, 13, 'missing-fact-name', "a fact needs a name: 'fact capital-of-france -> Paris'"]]);
  const d = one('fact capital of france -> Paris\n  x <mask>\n');
  assert.equal(d.code, 'bad-fact-name');
  assert.equal(d.message, "a fact name cannot contain spaces: write 'capital-of-france'");
  assert.deepEqual(d.fix?.edits[0].range, { start: { line: 0, character: 5 }, end: { line: 0, character: 22 } });
});

test('unknown directive suggests the nearest', () => {
  const d = one('@stpes 20\n');
  assert.deepEqual(
    [d.range, d.code, d.message],
    [{ start: { line: 0, character: 0 }, end: { line: 0, character: 6 } }, 'unknown-directive', "unknown directive '@stpes'; did you mean '@steps'?"],
  );
  assert.deepEqual(d.fix, { title: "Change to '@steps'", edits: [{ range: d.range, newText: '@steps' }] });
  assert.equal(one('@batchsize 4\n').fix?.edits[0].newText, '@batch-size');
  const far = one('@temperature 2\n');
  assert.equal(far.fix, undefined);
  assert.match(far.message, /^unknown directive '@temperature' \(known: @version, @model, @steps/);
});

test('bad directive values', () => {
  assert.deepEqual(diags(parse('@steps twenty\n')), [
    [0, 7, 13, 'bad-directive-value', "bad value 'twenty' for '@steps': expected a whole number from 2 to 1000"],
  ]);
  assert.deepEqual(diags(parse('@steps 2.5\n')), [[0, 7, 10, 'bad-directive-value', "bad value '2.5' for '@steps': expected a whole number from 2 to 1000"]]);
  assert.deepEqual(diags(parse('@threshold 1.5\n')), [
    [0, 11, 14, 'bad-directive-value', "bad value '1.5' for '@threshold': expected a fraction of the top score, 0 < t ≤ 1"],
  ]);
  assert.deepEqual(diags(parse('@p 1\n')), [[0, 3, 4, 'bad-directive-value', "bad value '1' for '@p': expected a sharing fraction, 0 ≤ p < 1"]]);
  assert.deepEqual(diags(parse('@device gpu\n')), [
    [0, 8, 11, 'bad-directive-value', "bad value 'gpu' for '@device': expected 'auto', 'cuda', 'cpu' or 'webgpu'"],
  ]);
  assert.equal(one('@device cdua\n').fix?.edits[0].newText, 'cuda');
  assert.deepEqual(diags(parse('@steps   # nothing\n')), [[0, 0, 6, 'missing-directive-value', "'@steps' needs a value: a whole number from 2 to 1000"]]);
  assert.deepEqual(diags(parse('@version 2\n')), [
    [0, 9, 10, 'unsupported-version', 'unsupported format version 2: this version of the extension reads version 1'],
  ]);
});

test('valid directives and settings', () => {
  const ds = parse('@steps 50\n@batch-size 10\n@threshold 0.2\n@p 0.7\n@method activation\n@device cpu\n@model "my models/bert #1"\n');
  assert.deepEqual(diags(ds), []);
  assert.deepEqual(datasetSettings(ds), {
    steps: 50,
    batchSize: 10,
    threshold: 0.2,
    rule: { kind: 'adaptive', value: 0.2 },
    p: 0.7,
    method: 'activation',
    device: 'cpu',
    model: 'my models/bert #1',
  });
  const two = parse('@threshold 0.2\n@percentile 99.5\n');
  assert.deepEqual(diags(two), [[1, 0, 11, 'conflicting-rule', "'@percentile' replaces '@threshold': only one coarse rule applies (the last one)"]]);
  assert.deepEqual(datasetSettings(two).rule, { kind: 'percentile', value: 99.5 });
  assert.deepEqual(diags(parse('@steps 3\n@steps 2\n')), [[1, 0, 6, 'duplicate-directive', "'@steps' is already set on line 1; the last one wins"]]);
});

test('language tags', () => {
  assert.deepEqual(diags(parse('fact a -> b\n  [xq] x <mask>\n')), [[1, 3, 5, 'unknown-language', "unknown language tag 'xq'"]]);
  const d = one('fact a -> b\n  [EN] x <mask>\n');
  assert.deepEqual(
    [d.code, d.message, d.severity, d.fix?.edits[0].newText],
    ['language-case', "language tags are lowercase: write 'en'", Severity.Warning, 'en'],
  );
  assert.deepEqual(diags(parse('fact a -> b\n  [pt-br] x <mask>\n  [zh-hans] y <mask>\n  [fil] z <mask>\n')), []);
  assert.deepEqual(diags(parse('fact a -> en: b | xq: c\n  [en] x <mask>\n')), [[0, 18, 20, 'unknown-language', "unknown language tag 'xq'"]]);
  const fra = one('fact a -> b\n  [fra] x <mask>\n');
  assert.deepEqual([fra.message, fra.fix?.edits[0].newText], ["unknown language tag 'fra'; did you mean 'fr'?", 'fr']);
});

test('per-language answers: tags without an answer, untagged prompts, default answer', () => {
  assert.deepEqual(diags(parse('fact lang -> en: French | fr: français\n  [de] Sie sprechen <mask>\n')), [
    [1, 3, 5, 'no-answer-for-language', "fact 'lang' has no answer for 'de' (answers: en, fr)"],
  ]);
  assert.deepEqual(diags(parse('fact lang -> en: French | fr: français\n  They speak <mask>\n')), [
    [1, 2, 19, 'untagged-prompt', "fact 'lang' has an answer per language (en, fr): tag this prompt, e.g. '[en] …'"],
  ]);
  const ds = parse(
    'fact lang -> French | fr: français\n  They speak <mask>\n  [de] Sie sprechen <mask>\n  [fr] Ils parlent <mask>\n  [fr-ca] Ils parlent <mask>\n',
  );
  assert.deepEqual(diags(ds), []);
  assert.deepEqual(
    ds.facts[0].prompts.map((p) => p.answer),
    ['French', 'French', 'français', 'français'],
  );
  assert.deepEqual(diags(parse('fact a -> Paris | Berlin\n  x <mask>\n')), [
    [0, 18, 24, 'duplicate-answer', "several answers without a language tag: write 'en: French | fr: français'"],
  ]);
  assert.deepEqual(diags(parse('fact a -> en: A | en: B\n  [en] x <mask>\n')), [[0, 22, 23, 'duplicate-answer', "two answers for 'en'"]]);
});

test('duplicate fact names', () => {
  assert.deepEqual(diags(parse('fact a -> b\n  x <mask>\n\nfact a -> c\n  y <mask>\n')), [
    [3, 5, 6, 'duplicate-fact', "duplicate fact name 'a' (first defined on line 1)"],
  ]);
});

test('prompt outside any fact, and a misspelt fact keyword', () => {
  assert.deepEqual(diags(parse('@version 1\n  The capital of France is <mask>\n')), [
    [1, 2, 33, 'prompt-outside-fact', "prompt outside any fact: start a fact above it with 'fact name -> answer'"],
  ]);
  const inside = parse('fact a -> b\n  x <mask>\nFact c -> d\n  y <mask>\n');
  assert.deepEqual(diags(inside), [[2, 0, 4, 'unknown-keyword', "unknown keyword 'Fact'; did you mean 'fact'?"]]);
  assert.equal(inside.facts[0].prompts.length, 2);
  const d = one('fcat a -> b\n');
  assert.deepEqual(
    [d.code, d.message, d.fix?.edits[0]],
    [
      'unknown-keyword',
      "unknown keyword 'fcat'; did you mean 'fact'?",
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } }, newText: 'fact' },
    ],
  );
});

test('negative examples, optionally tagged, in either order', () => {
  const ds = parse('fact a -> en: A | fr: B\n  not: [en] x <mask>\n  [fr] not: y <mask>\n  not:z <mask>\n');
  assert.deepEqual(diags(ds), [[3, 2, 14, 'untagged-prompt', "fact 'a' has an answer per language (en, fr): tag this prompt, e.g. '[en] …'"]]);
  assert.deepEqual(
    ds.facts[0].prompts.map((p) => [p.text, p.lang, p.negative]),
    [
      ['x <mask>', 'en', true],
      ['y <mask>', 'fr', true],
      ['z <mask>', '', true],
    ],
  );
});

test('escapes and comments', () => {
  const ds = parse('fact hash -> "C#" # a comment\n  \\# is <mask>\n  \\fact: <mask>\n  \\not: <mask>\n  # a comment line\n  He ranked #1 in <mask>\n');
  assert.deepEqual(diags(ds), []);
  assert.deepEqual(ds.facts[0].answers, { '': 'C#' });
  assert.deepEqual(
    ds.facts[0].prompts.map((p) => p.text),
    ['# is <mask>', 'fact: <mask>', 'not: <mask>', 'He ranked #1 in <mask>'],
  );
  assert.deepEqual(ds.facts[0].prompts[0].range.start, { line: 1, character: 3 });
});

test('empty fact warns', () => {
  assert.deepEqual(diags(parse('fact a -> b\nfact c -> d\n  x <mask>\n')), [[0, 5, 6, 'empty-fact', "fact 'a' has no prompts"]]);
});

test('binary content: one diagnostic, no parse', () => {
  const ds = parse('fact a -> b\n  x\0y <mask>\n');
  assert.deepEqual(diags(ds), [[1, 3, 4, 'binary-content', 'binary content (NUL byte): this is not a .prompts text file']]);
  assert.equal(ds.facts.length, 0);
});

test('too-large input: one diagnostic, no parse', () => {
  const big = 'fact a -> b\n' + '  x <mask>\n'.repeat(600_000);
  const ds = parse(big);
  assert.deepEqual(diags(ds), [[0, 0, 0, 'too-large', 'file is larger than 5 MB: not parsed']]);
  assert.equal(ds.facts.length, 0);
  // multi-byte characters count as bytes
  const ds2 = parse('é'.repeat(3 * 1024 * 1024));
  assert.equal(ds2.diagnostics[0].code, 'too-large');
  assert.equal(parse('x'.repeat(100), { maxBytes: 50 }).diagnostics[0].message, 'file is larger than 0.0 MB: not parsed');
});

test('line endings and a BOM: UTF-16 columns as LSP counts them', () => {
  const ds = parse('\ufefffact a -> b\r\n  😀 <mask>\r  [fr] é <mask>\n');
  assert.deepEqual(diags(ds), []);
  assert.deepEqual(ds.facts[0].nameRange, { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } });
  assert.deepEqual(ds.facts[0].prompts[0].maskRange, { start: { line: 1, character: 5 }, end: { line: 1, character: 11 } });
  assert.deepEqual(ds.facts[0].prompts[1].maskRange, { start: { line: 2, character: 9 }, end: { line: 2, character: 15 } });
});

test('a 5,000-prompt file parses', () => {
  const lines = ['@version 1'];
  for (let f = 0; f < 500; f++) {
    lines.push(`fact f${f} -> en: A${f} | fr: B${f}`);
    for (let i = 0; i < 10; i++) lines.push(`  [${i % 2 ? 'fr' : 'en'}] Prompt number ${i} of fact ${f} is <mask>.`);
  }
  const t0 = performance.now();
  const ds = parse(lines.join('\n'));
  const ms = performance.now() - t0;
  assert.equal(ds.diagnostics.length, 0);
  assert.equal(
    ds.facts.reduce((n, f) => n + f.prompts.length, 0),
    5000,
  );
  // no time assertion (shared CI machines); printed for the record
  console.log(`# parsed 5,000 prompts in ${ms.toFixed(1)} ms`);
});

test('@weights: float32, int16 or int8; anything else is an error at its place, with the nearest value as a fix', () => {
  for (const w of ['float32', 'int16', 'int8']) {
    const ds = parse(`@version 1\n@weights ${w}\n`);
    assert.deepEqual(diags(ds), []);
    assert.deepEqual(datasetSettings(ds), { version: 1, weights: w });
  }
  const bad = parse('@version 1\n@weights  int4   # four bits\nfact f -> x\n  a <mask>\n');
  assert.deepEqual(diags(bad), [[1, 10, 14, 'bad-directive-value', "bad value 'int4' for '@weights': expected 'float32', 'int16' or 'int8'"]]);
  assert.equal(datasetSettings(bad).weights, undefined);
  assert.deepEqual(
    one('@weights in8\n').fix?.edits.map((e) => e.newText),
    ['int8'],
  );
  assert.deepEqual(diags(parse('@weights\n')), [[0, 0, 8, 'missing-directive-value', "'@weights' needs a value: 'float32', 'int16' or 'int8'"]]);
  assert.deepEqual(diags(parse('@weights int8\n@weights int16\n')), [
    [1, 0, 8, 'duplicate-directive', "'@weights' is already set on line 1; the last one wins"],
  ]);
  assert.equal(datasetSettings(parse('@weights int8\n@weights int16\n')).weights, 'int16');
});
