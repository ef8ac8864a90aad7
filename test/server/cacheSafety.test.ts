/**
 * What the results cache may and may not do: an entry that lacks a field is a miss (never the end
 * of a file's diagnostics), entries are keyed by the content of the model's files, a workspace
 * cannot move the cache; and an attribution that fails is a diagnostic and a message.
 * The engine is test/server/fakeEngine.ts (see lsp.test.ts).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { modelFingerprint } from '../../server/src/modelFiles';
import { TestClient, fileUri, repoRoot, tempDir, fakeEngine } from './lspClient';

const T = { timeout: 90_000 };
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

const DOC = `@version 1
@model ../models/fake
fact capital-of-france -> Paris
  The capital of France is <mask>.
  People in France say <mask> a lot.
`;

function setup(name: string) {
  const dir = tempDir(name);
  const modelDir = path.join(dir, 'models', 'fake');
  fs.mkdirSync(modelDir, { recursive: true });
  fs.writeFileSync(path.join(modelDir, 'config.json'), JSON.stringify({ architectures: ['BertForMaskedLM'] }));
  fs.mkdirSync(path.join(dir, 'docs'));
  return { dir, modelDir, cacheFolder: path.join(dir, 'cache'), log: path.join(dir, 'engine.log'), uri: fileUri(path.join(dir, 'docs', 'a.prompts')) };
}

async function start(env: ReturnType<typeof setup>, extraEnv: Record<string, string> = {}) {
  const c = await TestClient.start({
    settings: { cacheFolder: env.cacheFolder, onSave: 'attributions' },
    env: { KN_ENGINE_MODULE: fakeEngine, KN_FAKE_LOG: env.log, KN_DEFAULT_MODEL: '', ...extraEnv },
    workspace: env.dir,
  });
  clients.push(c);
  return c;
}

const calls = (env: { log: string }, kind: string) =>
  fs.existsSync(env.log)
    ? fs
        .readFileSync(env.log, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith(kind + ' '))
    : [];

test('a well-formed cache entry that lacks a field is a miss: the diagnostics stay, the prediction is computed again', T, async () => {
  const env = setup('cache-schema');
  const c1 = await start(env);
  await c1.open(env.uri, DOC);
  await c1.save(env.uri);
  await c1.waitFor(() => c1.progress.some((p) => p.value.kind === 'end') && c1.status.at(-1)?.state === 'ready', 'first run');
  await c1.stop();
  // every prediction entry loses its top_k (still valid JSON, still the right key)
  let damaged = 0;
  for (const f of fs
    .readdirSync(env.cacheFolder, { recursive: true })
    .map(String)
    .filter((x) => x.endsWith('.json'))) {
    const file = path.join(env.cacheFolder, f);
    const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (entry.value.top_k) {
      delete entry.value.top_k;
      fs.writeFileSync(file, JSON.stringify(entry));
      damaged++;
    }
  }
  assert.equal(damaged, 2);
  fs.writeFileSync(env.log, '');
  const c2 = await start(env);
  await c2.open(env.uri, DOC);
  await c2.save(env.uri);
  const d = await c2.diagnosticsFor(env.uri, (p) => p.diagnostics.some((x) => x.code === 'wrong-prediction'), 'model diagnostics again');
  assert.match(d.diagnostics.find((x) => x.code === 'wrong-prediction')!.message, /^model predicts Berlin \(0\.61\)$/);
  assert.equal(calls(env, 'predict').length, 2, 'both predictions computed again');
  assert.equal(calls(env, 'scores').length, 0, 'the intact score entries were used');
});

test('an attribution that fails is a diagnostic on its prompt and an error message', T, async () => {
  const env = setup('attribution-fails');
  const c = await start(env, { KN_FAKE_FAIL_SCORES: 'People' });
  await c.open(env.uri, DOC);
  await c.save(env.uri);
  const d = await c.diagnosticsFor(env.uri, (p) => p.diagnostics.some((x) => x.code === 'attribution-failed'), 'attribution-failed diagnostic');
  const failed = d.diagnostics.filter((x) => x.code === 'attribution-failed');
  assert.deepEqual(
    failed.map((x) => [x.range.start.line, x.severity, x.message]),
    [[4, 1, 'attribution failed: integrated gradients of this prompt need more memory than the budget allows']],
  );
  const m = await c.waitFor(() => c.messages.find((x) => /attribution failed/.test(x.message)), 'error message');
  assert.equal(m.type, 1);
  assert.equal(
    m.message,
    'Knowledge Neurons: attribution failed for capital-of-france: integrated gradients of this prompt need more memory than the budget allows',
  );
});

test('cache keys: a content hash of the model files, not their name, place or times', async () => {
  const dir = tempDir('fingerprint');
  const write = (name: string, files: Record<string, string>) => {
    const d = path.join(dir, name);
    fs.mkdirSync(d, { recursive: true });
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(d, f), text);
    return { ref: d, isPath: true, display: name };
  };
  const files = { 'config.json': '{"architectures":["BertForMaskedLM"]}', 'model.safetensors': 'weights', 'tokenizer.json': '{}' };
  const a = write('a', files);
  const b = write('b', files);
  const fa = await modelFingerprint(a);
  assert.match(fa, /^[0-9a-f]{64}$/);
  assert.equal(await modelFingerprint(b), fa, 'the same files elsewhere: the same key');
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(b.ref, 'model.safetensors'), later, later);
  assert.equal(await modelFingerprint(b), fa, 'a new mtime alone changes nothing');
  fs.writeFileSync(path.join(b.ref, 'model.safetensors'), 'weightz');
  assert.notEqual(await modelFingerprint(b), fa, 'other weights of the same size: another key');
  const c = write('c', { ...files, 'model.safetensors': 'weights, other' });
  assert.notEqual(await modelFingerprint(c), fa);
  // a hub id whose files are not on this machine has no key: nothing is read or written for it
  process.env.HF_HUB_CACHE = path.join(dir, 'hub');
  assert.equal(await modelFingerprint({ ref: 'org/not-downloaded', isPath: false, display: 'org/not-downloaded' }), '');
  delete process.env.HF_HUB_CACHE;
});

test('a workspace cannot set the cache folder', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  assert.ok(['machine', 'application'].includes(pkg.contributes.configuration.properties['knowledgeNeurons.cacheFolder'].scope));
});
