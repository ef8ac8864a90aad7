// The method module (engine/src/method): its defaults are the extension's declared ones, and its
// rule places prompts and negatives the same way for every caller.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { METHOD_DEFAULTS, factGroups, refineFact, resolveMethodSettings } from '../../engine/src/method';
import { parse, datasetSettings } from '../../engine/src/prompts';

const repoRoot = path.resolve(__dirname, '../../..');

test("package.json's declared setting defaults equal METHOD_DEFAULTS", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties as Record<string, { default: unknown }>;
  const d = (k: string) => props[`knowledgeNeurons.${k}`].default;
  assert.equal(METHOD_DEFAULTS.rule.kind, 'adaptive');
  assert.deepEqual(
    {
      steps: d('steps'),
      batchSize: d('batchSize'),
      device: d('device'),
      p: d('sharedFraction'),
      rule: { kind: 'adaptive', value: d('adaptiveThreshold') },
      threshold: d('threshold'),
      percentile: d('percentile'),
    },
    {
      steps: METHOD_DEFAULTS.steps,
      batchSize: METHOD_DEFAULTS.batchSize,
      device: METHOD_DEFAULTS.device,
      p: METHOD_DEFAULTS.p,
      rule: METHOD_DEFAULTS.rule,
      threshold: null,
      percentile: null,
    },
  );
});

test('settings: the first layer that gives a setting decides, then METHOD_DEFAULTS; directives are read by the same function for every caller', () => {
  const file = datasetSettings(parse('@version 1\n@method activation\n@quadrature midpoint\n@device cpu\n@steps 7\n@percentile 99\n'));
  const s = resolveMethodSettings({ steps: 3, rule: undefined }, file, { p: 0.3, steps: 50 });
  assert.deepEqual(s, {
    ...METHOD_DEFAULTS,
    steps: 3,
    method: 'activation',
    quadrature: 'midpoint',
    device: 'cpu',
    rule: { kind: 'percentile', value: 99 },
    p: 0.3,
  });
  assert.deepEqual(resolveMethodSettings(), { ...METHOD_DEFAULTS });
});

test('groups: each language, and all = every positive prompt when one answer, else the untagged ones; negatives by language', () => {
  const P = (lang: string, answer: string, negative = false) => ({ lang, answer, negative });
  const one = [P('en', 'Paris'), P('', 'Paris'), P('fr', 'Paris'), P('', 'Paris', true), P('fr', 'Paris', true), P('en', 'Paris')];
  assert.deepEqual(factGroups(one), {
    en: { members: [0, 5], negatives: [3] },
    fr: { members: [2], negatives: [3, 4] },
    all: { members: [0, 1, 2, 5], negatives: [3, 4] },
  });
  const mixed = [P('en', 'French'), P('fr', 'français'), P('', 'French')];
  assert.deepEqual(Object.keys(factGroups(mixed)), ['en', 'fr', 'all']);
  assert.deepEqual(factGroups(mixed).all.members, [2]);
  assert.deepEqual(Object.keys(factGroups([P('en', 'a'), P('fr', 'b')])), ['en', 'fr']);
});

test('refineFact: negatives remove from each group and from the overall set by one test; shared is in every language', () => {
  const n = (layer: number, index: number) => ({ layer, index });
  const P = (lang: string, coarse: ReturnType<typeof n>[], negative = false) => ({ lang, answer: 'x', negative, coarse });
  const f = refineFact(
    [
      P('en', [n(0, 1), n(1, 2), n(2, 3)]),
      P('en', [n(0, 1), n(1, 2)]),
      P('fr', [n(0, 1), n(1, 2), n(2, 3)]),
      P('fr', [n(0, 1), n(2, 3)]),
      P('fr', [n(1, 2)], true), // applies to fr and all only
      P('', [n(9, 9)], true), // applies everywhere, shares nothing
    ],
    0.5,
  );
  // en: 0:1, 1:2 (2 of 2); negatives there: the untagged one only (1 of 1 lacks 1:2) → kept
  assert.deepEqual(f.groups.en.refined, [n(0, 1), n(1, 2)]);
  // fr: 0:1, 2:3; 1:2 is in 1 of 2 fr prompts anyway
  assert.deepEqual(f.groups.fr.refined, [n(0, 1), n(2, 3)]);
  // all (4 prompts): 0:1 (4), 1:2 (3), 2:3 (3); 1:2 is coarse in 1 of 2 negatives = p × 2, not more → kept
  assert.deepEqual(f.groups.all.refined, [n(0, 1), n(1, 2), n(2, 3)]);
  assert.deepEqual(f.refined, f.groups.all.refined);
  assert.deepEqual(f.shared, [n(0, 1)]);
  assert.deepEqual(f.removedByNegatives, []);
  assert.deepEqual(f.groups.all.counts, { '0:1': 4, '1:2': 3, '2:3': 3 });
  // with the French negative alone, 1:2 is removed from all (1 of 1 > 0.5) but not from en
  const g = refineFact([P('en', [n(1, 2)]), P('en', [n(1, 2)]), P('fr', [n(1, 2)]), P('fr', [n(1, 2)], true)], 0.5);
  assert.deepEqual(g.groups.en.refined, [n(1, 2)]);
  assert.deepEqual(g.groups.fr.refined, []);
  assert.deepEqual(g.groups.all.refined, []);
  assert.deepEqual(g.removedByNegatives, [n(1, 2)]);
});
