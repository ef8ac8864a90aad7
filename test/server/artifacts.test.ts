/**
 * The language server keeps a model's weights file in its cache folder (`artifacts/`, real engine,
 * the embedded bert-tiny-facts): Clear Cache removes it with the results, the engine writes it again
 * when it next needs it, and shutting down leaves it for the next start but no scratch copy.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, fileUri, repoRoot, tempDir } from './lspClient';

const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

const weightsFiles = (cacheFolder: string) => {
  try {
    return fs.readdirSync(path.join(cacheFolder, 'artifacts')).filter((f) => f.endsWith('.bin'));
  } catch {
    return [];
  }
};

test('Clear Cache removes the weights file; the engine writes it again; shutdown keeps it and leaves no scratch copy', { timeout: 300_000 }, async () => {
  const dir = tempDir('artifacts-server');
  const cacheFolder = path.join(dir, 'cache');
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  const file = path.join(dir, 'a.prompts');
  const text = [
    '@version 1',
    `@model ${path.join(repoRoot, 'models', 'bert-tiny-facts')}`,
    '@steps 4',
    'fact capital -> Paris',
    '  The capital of France is <mask>.',
    '',
  ].join('\n');
  fs.writeFileSync(file, text);
  const uri = fileUri(file);
  const c = await TestClient.start({
    settings: { cacheFolder, onSave: 'attributions', device: 'cpu' },
    env: { KN_DEFAULT_MODEL: '', TMPDIR: tmp },
    workspace: dir,
  });
  clients.push(c);
  await c.open(uri, text);
  const find = () => c.command<{ facts: Array<{ prompts: Array<{ p_target?: number }> }>; cancelled: boolean }>('knowledgeNeurons.server.findNeurons', uri);
  const first = await find();
  assert.equal(first.cancelled, false);
  assert.equal(weightsFiles(cacheFolder).length, 1);

  const cleared = await c.command<{ removed: number; folder: string }>('knowledgeNeurons.server.clearCache');
  assert.equal(cleared.folder, cacheFolder);
  assert.deepEqual(weightsFiles(cacheFolder), []);
  assert.ok(cleared.removed >= 2, `results and the weights file: ${cleared.removed}`);

  // The results are gone too, so this runs the model again; a fact of a two-token answer needs a new
  // session (one prediction at two positions), and the file.
  const longer = text + 'fact demonym -> Parisian\n  People of the capital of France are called <mask>.\n';
  await c.change(uri, longer);
  fs.writeFileSync(file, longer);
  const again = await find();
  assert.equal(again.cancelled, false);
  assert.equal(again.facts.length, 2);
  assert.equal(weightsFiles(cacheFolder).length, 1);

  await c.stop();
  clients.pop();
  assert.equal(weightsFiles(cacheFolder).length, 1, 'kept for the next start');
  assert.deepEqual(
    fs.readdirSync(tmp).filter((f) => f.startsWith('kn-external-')),
    [],
  );
});
