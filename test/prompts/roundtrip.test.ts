import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, formatDataset } from '../../engine/src/prompts';
import { content, repoRoot } from './helpers';
import { datasetSettings } from '../../engine/src/prompts';
import { resolveModelSpec } from '../../server/src/settings';
import { modelKind } from '../../server/src/modelFiles';

const SAMPLES = [
  `@version 1\n@model ../models/bert-tiny-facts # c\n@steps 20\n@threshold 0.3\n@p 0.5\n\nfact capital-of-france -> Paris\n  Sarah was visiting <mask>, the capital of France\n  [fr] La capitale de la France est <mask>\n  not: The capital of Germany is <mask>\nfact language-of-france -> en: French | fr: français\n  [en] The official language of France is <mask>.\n  not: [fr] La langue officielle de l'Allemagne est le <mask>.\n`,
  `fact hash -> "C#"\n  \\# is <mask>\n  \\fact x <mask>\n  \\[fr] literal tag <mask>\n  \\not: <mask>\n  \\@ at <mask>\n  \\\\ backslash <mask>\nfact q -> "en: x" | fr: "a | b"\n  [fr] y <mask>\n  z <mask>\nfact sp -> " padded "\n  p <mask>\n`,
  `@model "folder with # hash"\nfact a -> x\n  [MASK] bad\n  two <mask> <mask>\nfact a -> dup\n  b <mask>\n`,
];

for (const [i, sample] of SAMPLES.entries()) {
  test(`round trip ${i}: parse(format(parse(x))) has the same content, and formatting is idempotent`, () => {
    const ds = parse(sample);
    const text = formatDataset(ds);
    const again = parse(text);
    assert.deepEqual(content(again), content(ds));
    assert.equal(formatDataset(again), text);
  });
}

test('round trip of the examples', () => {
  for (const f of fs.readdirSync(path.join(repoRoot, 'examples')).filter((n) => n.endsWith('.prompts'))) {
    const text = fs.readFileSync(path.join(repoRoot, 'examples', f), 'utf8');
    // causal or masked: the example's @model says (its config.json), as in the language server
    const model = datasetSettings(parse(text)).model;
    const causal = modelKind(resolveModelSpec(model ?? '', path.join(repoRoot, 'examples'))) === 'causal';
    const ds = parse(text, { causal });
    assert.deepEqual(ds.diagnostics, [], f);
    const again = parse(formatDataset(ds), { causal });
    assert.deepEqual(content(again), content(ds), f);
  }
});
