// The server's editor features as pure functions of the text and its parse: formatting (the engine's
// formatter, nothing lost), semantic tokens, completion, and plain-text hovers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../engine/src/prompts';
import { completions } from '../../server/src/completion';
import { formatEdits } from '../../server/src/formatting';
import { hoverFormat, plainText } from '../../server/src/markup';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from '../../server/src/semanticTokens';
import { applyEdits, repoRoot } from './lspClient';

const MESSY = `@version 1
@model   ../models/bert-tiny-facts      # the model
@steps    20
# a comment

fact   capital-of-france ->   Paris   # the answer
 The capital of France is <mask>.
      [fr]   La capitale de la France est <mask>.
    # between prompts
 not:    The capital of Germany is <mask>.
  [fr] a broken prompt with <mask> <mask>



fact language-of-france -> en: French |   fr: français
  [en] The official language of France is <mask>.
`;

test('formatting: canonical lines from the engine formatter, comments and broken lines kept, idempotent, same dataset', () => {
  const ds = parse(MESSY);
  const out = applyEdits(MESSY, formatEdits(MESSY, ds));
  assert.equal(
    out,
    `@version 1
@model ../models/bert-tiny-facts      # the model
@steps 20
# a comment

fact capital-of-france -> Paris   # the answer
  The capital of France is <mask>.
  [fr] La capitale de la France est <mask>.
  # between prompts
  not: The capital of Germany is <mask>.
  [fr] a broken prompt with <mask> <mask>

fact language-of-france -> en: French | fr: français
  [en] The official language of France is <mask>.
`,
  );
  assert.deepEqual(formatEdits(out, parse(out)), [], 'formatting a formatted file changes nothing');
  const strip = (d: ReturnType<typeof parse>) => d.facts.map((f) => [f.name, f.answers, f.prompts.map((p) => [p.text, p.lang, p.negative])]);
  assert.deepEqual(strip(parse(out)), strip(ds));
  // the examples are already formatted
  for (const f of fs.readdirSync(path.join(repoRoot, 'examples'))) {
    const text = fs.readFileSync(path.join(repoRoot, 'examples', f), 'utf8');
    assert.equal(applyEdits(text, formatEdits(text, parse(text))).replace(/ +$/gm, ''), text.replace(/ +$/gm, ''), f);
  }
});

test('semantic tokens: every token covers the text of what it names', () => {
  const text = MESSY;
  const data = semanticTokens(text, parse(text));
  const lines = text.split('\n');
  const found: Record<string, string[]> = {};
  let line = 0;
  let ch = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    ch = data[i] ? data[i + 1] : ch + data[i + 1];
    const type = SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]];
    (found[type] ??= []).push(lines[line].slice(ch, ch + data[i + 2]));
  }
  assert.deepEqual(found.keyword, ['fact', 'not:', 'fact']);
  assert.deepEqual(found.macro, ['@version', '@model', '@steps']);
  assert.deepEqual(found.class, ['capital-of-france', 'language-of-france']);
  assert.deepEqual(found.variable, ['<mask>', '<mask>', '<mask>', '<mask>', '<mask>', '<mask>']);
  assert.deepEqual(found.type, ['fr', 'fr', 'en', 'fr', 'en']);
  assert.deepEqual(found.string, ['../models/bert-tiny-facts', 'Paris', 'French', 'français']);
  assert.deepEqual(found.number, ['1', '20']);
  assert.deepEqual(found.comment, ['# the model', '# a comment', '# the answer', '# between prompts']);
  assert.deepEqual(found.operator, ['->', '->']);
});

test("completion: directives, their values, model ids from the Hugging Face cache, language tags, <mask>, other facts' prompts after not:", () => {
  const ctx = { cachedModels: () => [{ id: 'google-bert/bert-base-cased', complete: true }] };
  const at = (text: string, line: number, character: number) => completions(text, parse(text), { line, character }, ctx);
  assert.ok(at('@st', 0, 3).some((i) => i.label === '@steps' && i.textEdit && 'range' in i.textEdit && i.textEdit.range.start.character === 0));
  assert.deepEqual(
    at('@device c', 0, 9).map((i) => i.label),
    ['auto', 'cuda', 'cpu', 'webgpu'],
  );
  assert.deepEqual(
    at('@model goo', 0, 10).map((i) => i.label),
    ['google-bert/bert-base-cased'],
  );
  const doc = 'fact lang -> en: French | fr: français\n  [\nfact cap -> Paris\n  The capital is \n  not: \n';
  assert.deepEqual(
    at(doc, 1, 3)
      .slice(0, 2)
      .map((i) => i.label),
    ['[en]', '[fr]'],
  );
  assert.ok(at(doc, 3, 17).some((i) => i.label === '<mask>'));
  const neg = at(doc, 4, 7).filter((i) => i.detail === 'fact lang');
  assert.deepEqual(
    neg.map((i) => i.label),
    [],
  ); // `lang`'s only prompt is broken
  const doc2 = 'fact lang -> French\n  They speak <mask>.\nfact cap -> Paris\n  not: \n';
  assert.deepEqual(
    at(doc2, 3, 7)
      .filter((i) => i.detail === 'fact lang')
      .map((i) => i.label),
    ['They speak <mask>.'],
  );
  assert.deepEqual(
    at('fact a -> en: x | ', 0, 18)
      .slice(0, 1)
      .map((i) => i.label),
    ['en:'],
  );
  assert.deepEqual(at('# comment <', 0, 11), []);
});

test('hovers in the format the client asks: markdown only when listed, plain text without markup otherwise', () => {
  assert.equal(hoverFormat(['markdown', 'plaintext']), 'markdown');
  assert.equal(hoverFormat(['plaintext', 'markdown']), 'plaintext');
  assert.equal(hoverFormat(undefined), 'plaintext');
  const md =
    '**P(Paris) = 0.98** · rank 1\n\n| # | prediction | p |\n|--:|:--|--:|\n| 1 | Paris ✓ | 0.98 |\n| 2 | \\[UNK\\] | 0.01 |\n\n`L2·43` 1.00 · _note_\n```\nL0  ██ 0.1\n```';
  assert.equal(plainText(md), 'P(Paris) = 0.98 · rank 1\n\n#  prediction  p\n1  Paris ✓     0.98\n2  [UNK]       0.01\n\nL2·43 1.00 · note\nL0  ██ 0.1');
});
