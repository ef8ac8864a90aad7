/**
 * The weights' storage as a setting (`knowledgeNeurons.weights`) and a directive (`@weights`, which
 * wins), over LSP with the real engine on bert-tiny-facts: what the server serves under int8 is the
 * engine's int8 result, within the README's tolerances of float32's and not equal to it; the results
 * cache keeps the two apart (an int8 result is never served for float32, nor the reverse); hover and
 * completion know the directive.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompletionRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { loadModel } from '../../engine/src/index';
import type { WeightStorage } from '../../engine/src/types';
import type { FindNeuronsResult } from '../../protocol/lsp';
import { isPrediction, isStoredScores, predictKey, scoresKey, unpackMatrix } from '../../server/src/cache';
import { modelFingerprint } from '../../server/src/modelFiles';
import { WEIGHTS_TOLERANCE } from '../helpers';
import { TestClient, fileUri, repoRoot, tempDir } from './lspClient';

const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

const MODEL = path.join(repoRoot, 'models', 'bert-tiny-facts');
const PROMPTS = ['The capital of France is <mask>.', 'Sarah was visiting <mask>, the capital of France.'];
const STEPS = 4;

test('@weights and knowledgeNeurons.weights reach the engine; the cache never serves one storage for another', { timeout: 300_000 }, async () => {
  const dir = tempDir('weights-setting');
  const cacheFolder = path.join(dir, 'cache');
  const file = path.join(dir, 'a.prompts');
  const uri = fileUri(file);
  const doc = (directive?: WeightStorage) =>
    [`@model ${MODEL}`, `@steps ${STEPS}`, ...(directive ? [`@weights ${directive}`] : []), 'fact capital -> Paris', ...PROMPTS.map((p) => `  ${p}`), ''].join(
      '\n',
    );
  const settings = { cacheFolder, onSave: 'off', device: 'cpu' };
  const c = await TestClient.start({ settings, env: { KN_DEFAULT_MODEL: '' }, workspace: dir });
  clients.push(c);
  fs.writeFileSync(file, doc());
  await c.open(uri, doc());
  const served = async () => {
    const r = await c.command<FindNeuronsResult>('knowledgeNeurons.server.findNeurons', uri);
    assert.equal(r.cancelled, false);
    return r.facts[0].prompts.map((p) => ({ p: p.p_target, scores: p.scores!.flat() }));
  };

  // float32 by default, then int8 from the setting
  const float32 = await served();
  await c.setSettings({ ...settings, weights: 'int8' });
  const int8 = await served();

  // int8 is the engine's int8, within the README's tolerances of float32 and not float32 itself
  const model = await loadModel(MODEL, { device: 'cpu', weights: 'int8' });
  try {
    for (const [i, text] of PROMPTS.entries()) {
      const own = await model.scores(text, 'Paris', { steps: STEPS });
      const p = (await model.predict(text, 'Paris')).p_target;
      const max = Math.max(...own.scores.flat().map(Math.abs));
      assert.ok(Math.abs(int8[i].p - p) <= 1e-5 * p, `${text}: served P ${int8[i].p}, the engine's int8 ${p}`);
      own.scores.flat().forEach((s, k) => assert.ok(Math.abs(s - int8[i].scores[k]) <= 1e-5 * max, `${text}: score ${k}`));
    }
  } finally {
    await model.dispose();
  }
  const tol = WEIGHTS_TOLERANCE.int8;
  for (const [i, text] of PROMPTS.entries()) {
    const f = float32[i];
    const q = int8[i];
    assert.ok(Math.abs(q.p - f.p) <= tol.p * f.p, `${text}: int8 P ${q.p} vs float32 ${f.p}`);
    const max = Math.max(...f.scores.map(Math.abs));
    const diff = Math.max(...f.scores.map((x, k) => Math.abs(x - q.scores[k])));
    assert.ok(diff <= tol.scores * max, `${text}: scores differ by ${(diff / max).toExponential(2)} × max`);
    assert.ok(q.p !== f.p && diff > 0, `${text}: the int8 result is float32's: was the setting passed?`);
  }

  // the cache holds both, each under its own key, with its own numbers
  const read = (key: string) => {
    const f = path.join(cacheFolder, key.slice(0, 2), `${key}.json`);
    return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as { value: unknown }).value : undefined;
  };
  const spec = { ref: MODEL, isPath: true, display: 'bert-tiny-facts' };
  const keys = { float32: await modelFingerprint(spec), int8: await modelFingerprint(spec, 'int8') };
  assert.notEqual(keys.float32, keys.int8);
  const s = { steps: STEPS, batchSize: null, method: 'ig', quadrature: 'reference' };
  for (const [i, text] of PROMPTS.entries())
    for (const [storage, results] of [
      ['float32', float32],
      ['int8', int8],
    ] as const) {
      const pr = read(predictKey(keys[storage], text, 'Paris'));
      const sc = read(scoresKey(keys[storage], text, 'Paris', s));
      assert.ok(isPrediction(pr) && isStoredScores(sc), `${storage}, ${text}: cached`);
      assert.equal(pr.p_target, results[i].p, `${storage}, ${text}: the cached prediction`);
      assert.deepEqual(unpackMatrix(sc.matrix).flat(), results[i].scores.map(Math.fround), `${storage}, ${text}: the cached scores`);
    }
  const cached = () =>
    fs
      .readdirSync(cacheFolder, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.json') && !f.startsWith('artifacts')).length;
  const entries = cached();

  // the directive wins over the setting, both ways; each storage's results come back as they were (nothing new computed)
  await c.change(uri, doc('float32'));
  assert.deepEqual(await served(), float32, '@weights float32 with the setting int8');
  await c.setSettings({ ...settings, weights: 'float32' });
  await c.change(uri, doc('int8'));
  assert.deepEqual(await served(), int8, '@weights int8 with the setting float32');
  assert.equal(cached(), entries, 'nothing was computed again');

  // hover and completion know @weights
  const hover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 3 } });
  const text = (hover!.contents as { value: string }).value;
  assert.match(text, /@weights\*\* int8/);
  assert.match(text, /knowledgeNeurons\.weights/);
  const values = await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 2, character: 9 } });
  assert.deepEqual(
    (Array.isArray(values) ? values : values!.items).map((i) => i.label),
    ['float32', 'int16', 'int8'],
  );
});
