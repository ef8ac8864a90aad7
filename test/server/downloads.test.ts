/**
 * Hub downloads in the language server (#19 item 5, server half): a model that is being downloaded
 * does not hold the engine's job slot, so a file on a local model is analysed meanwhile; the
 * download reports its progress and can be cancelled from it; a finished download is loaded and its
 * results cached under its files' content hash. Real engine, the fixture bert-tiny-facts, and the
 * hub tests' local Hub server (test/hub/fakeHub.ts) serving the same files under hub ids.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeHub, repoFromFolder } from '../hub/fakeHub';
import { TestClient, fileUri, fixturesDir, tempDir } from './lspClient';

const BERT = path.join(fixturesDir, 'bert-tiny-facts');
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors'];
const T = { timeout: 240_000 };
let hub: FakeHub;
const clients: TestClient[] = [];

before(async () => {
  hub = await new FakeHub().start();
  // one byte every 5 ms: 3.7 MB of weights would take hours (below the minimum rate only after 60 s)
  const slow = repoFromFolder(BERT, FILES);
  slow.files.get('model.safetensors')!.trickleMs = 5;
  hub.repos.set('kn-test/slow', slow);
  hub.repos.set('kn-test/fast', repoFromFolder(BERT, FILES));
});

after(async () => {
  for (const c of clients) await c.stop();
  await hub.stop();
});

const doc = (model: string) => `@version 1
@model ${model}
@steps 4
fact capital-of-france -> Paris
  The capital of France is <mask>.
  Everyone knows that the capital of France is <mask>.
`;

async function start(dir: string): Promise<TestClient> {
  const env: Record<string, string> = { HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: path.join(dir, 'hf'), HF_TOKEN: '', KN_DEFAULT_MODEL: '' };
  const c = await TestClient.start({
    settings: { cacheFolder: path.join(dir, 'cache'), onSave: 'predictions', allowModelsOutsideWorkspace: true },
    env,
    workspace: dir,
  });
  clients.push(c);
  return c;
}

const statusOf = (c: TestClient, uri: string) => c.status.filter((s) => s.uri === uri);

test('a slow download holds no engine slot: a file on a local model is analysed meanwhile; the download is cancelled from its progress', T, async () => {
  const dir = tempDir('downloads');
  const c = await start(dir);
  const a = fileUri(path.join(dir, 'a.prompts'));
  const b = fileUri(path.join(dir, 'b.prompts'));
  await c.open(a, doc('kn-test/slow'));
  await c.open(b, doc(BERT));
  await c.save(a);
  // the download begins, with a cancellable progress of its own
  const begin = await c.waitFor(
    () => c.progress.find((p) => p.value.kind === 'begin' && p.value.title === 'Downloading kn-test/slow'),
    'the download progress',
    60_000,
  );
  assert.equal(begin.value.cancellable, true);
  await c.waitFor(() => statusOf(c, a).some((s) => /^downloading model\.safetensors/.test(String(s.message))), 'progress in the status', 30_000);

  // meanwhile the local-model file gets its predictions (before the fix it waited behind the download)
  await c.save(b);
  await c.waitFor(() => c.logs.some((l) => l.startsWith('predictions: 2 prompts of b.prompts')), 'the local-model file analysed', 120_000);
  assert.ok(!c.progress.some((p) => p.token === begin.token && p.value.kind === 'end'), 'the download was still running');
  assert.ok(!statusOf(c, a).some((s) => s.state === 'ready'), 'a is not ready');

  // Cancel on the download's progress: it stops, says so, and leaves what arrived to resume
  await c.conn.sendNotification('window/workDoneProgress/cancel', { token: begin.token });
  await c.waitFor(() => c.progress.some((p) => p.token === begin.token && p.value.kind === 'end'), 'the download progress ended', 30_000);
  await c.waitFor(() => statusOf(c, a).some((s) => s.message === 'download cancelled'), 'the cancelled status', 30_000);
  assert.ok(!c.messages.some((m) => /cancel/i.test(m.message)), `no error message for a cancel: ${JSON.stringify(c.messages)}`);
  const blobs = path.join(dir, 'hf', 'models--kn-test--slow', 'blobs');
  const partial = fs.readdirSync(blobs).filter((f) => f.endsWith('.incomplete'));
  assert.equal(partial.length, 1, 'the partial weights are kept to resume');
  assert.ok(fs.statSync(path.join(blobs, partial[0])).size > 0);
});

test('a finished download is loaded in the engine and its results are cached under its files’ content hash', T, async () => {
  const dir = tempDir('downloads-fast');
  const c = await start(dir);
  const a = fileUri(path.join(dir, 'a.prompts'));
  await c.open(a, doc('kn-test/fast'));
  await c.save(a);
  await c.waitFor(() => c.logs.some((l) => l.startsWith('predictions: 2 prompts of a.prompts')), 'the hub model analysed', 120_000);
  assert.ok(statusOf(c, a).some((s) => s.state === 'ready' && s.model === 'kn-test/fast'));
  assert.ok(c.progress.some((p) => p.value.kind === 'begin' && p.value.title === 'Downloading kn-test/fast'));
  assert.ok(
    c.logs.some((l) => /model kn-test\/fast: downloaded in \d+ ms/.test(l)),
    c.logs.join('\n'),
  );
  // the predictions were cached (a model whose files could not be hashed would cache nothing)
  const cached = fs.readdirSync(path.join(dir, 'cache'), { recursive: true }).filter((f) => String(f).endsWith('.json'));
  assert.ok(cached.length >= 2, `cache entries: ${cached.join(', ')}`);
});
