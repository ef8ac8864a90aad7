// The editor settings as the server reads them (server/src/settings.ts), against package.json's declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { METHOD_DEFAULTS } from '../../engine/src/method';
import { normalizeSettings } from '../../server/src/settings';
import { repoRoot } from './lspClient';

const props = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).contributes.configuration.properties as Record<
  string,
  { default: unknown; deprecationMessage?: string; markdownDeprecationMessage?: string }
>;
/** What VS Code answers to workspace/configuration for the section when the user set `set`: every declared default, then theirs. */
const answer = (set: Record<string, unknown>) => ({
  ...Object.fromEntries(Object.entries(props).map(([k, v]) => [k.replace(/^knowledgeNeurons\./, ''), v.default])),
  ...set,
});

test('sharing fraction: "Shared Fraction" (sharedFraction) is the setting; the old "P" (p) is deprecated but honoured while set', () => {
  assert.equal(normalizeSettings(answer({})).p, METHOD_DEFAULTS.p);
  assert.equal(normalizeSettings(answer({ sharedFraction: 0.3 })).p, 0.3);
  assert.equal(normalizeSettings(answer({ p: 0.2 })).p, 0.2);
  assert.equal(normalizeSettings(answer({ sharedFraction: 1.5 })).p, METHOD_DEFAULTS.p, 'out of range: the default');
  assert.ok(props['knowledgeNeurons.p'].markdownDeprecationMessage?.includes('knowledgeNeurons.sharedFraction'));
  // VS Code titles a setting from its key: no setting may be titled by a single letter any more
  for (const [key, v] of Object.entries(props)) if (!v.markdownDeprecationMessage && !v.deprecationMessage) assert.ok(key.split('.').pop()!.length > 1, key);
});

test('weights: knowledgeNeurons.weights is float32, int16 or int8 as package.json declares, float32 otherwise', () => {
  assert.deepEqual((props['knowledgeNeurons.weights'] as unknown as { enum: string[] }).enum, ['float32', 'int16', 'int8']);
  assert.equal(normalizeSettings(answer({})).weights, METHOD_DEFAULTS.weights);
  assert.equal(normalizeSettings(answer({ weights: 'int8' })).weights, 'int8');
  assert.equal(normalizeSettings(answer({ weights: 'int4' })).weights, 'float32', 'not a storage: the default');
});
