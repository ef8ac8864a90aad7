/**
 * What the editor does before and around a save (issue #14, the editor's targets): a trusted file
 * that is opened, or whose `@model` changes, loads its model and warms its predictions' sessions at
 * once (never in Restricted Mode, never for a file whose results are all cached); predictions do not
 * wait behind a running attribution; the prompts just edited are attributed first. The engine is
 * test/server/fakeEngine.ts, whose call log shows what ran and in which order.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InlayHintRequest } from 'vscode-languageserver-protocol/node';
import { TestClient, fakeEngine, fakeWorkspace, fileUri, fakeEngineCalls } from './lspClient';

const T = { timeout: 60_000 };
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

const DOC = `@version 1
@model ../models/fake
fact capital-of-france -> Paris
  The capital of France is <mask>.
  People in France say <mask> a lot.
fact city -> New York
  The biggest capital city is <mask>.
`;

async function start(
  env: ReturnType<typeof fakeWorkspace>,
  opts: { settings?: Record<string, unknown>; env?: Record<string, string>; trusted?: boolean } = {},
) {
  const c = await TestClient.start({
    settings: { cacheFolder: env.cacheFolder, onSave: 'attributions', ...opts.settings },
    env: { KN_ENGINE_MODULE: fakeEngine, KN_FAKE_LOG: env.log, KN_DEFAULT_MODEL: '', ...opts.env },
    workspace: env.dir,
    initializationOptions: { trust: { trusted: opts.trusted ?? true, allowModelsOutsideWorkspace: false } },
  });
  clients.push(c);
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a trusted file loads its model and warms its predictions when it opens, before any save; an untrusted one does not', T, async () => {
  const env = fakeWorkspace('preload');
  const file = path.join(env.docsDir, 'a.prompts');
  fs.writeFileSync(file, DOC);
  const uri = fileUri(file);

  const untrusted = await start(env, { trusted: false });
  await untrusted.open(uri, DOC);
  await untrusted.diagnosticsFor(uri);
  await sleep(500);
  assert.deepEqual(fakeEngineCalls(env), [], 'Restricted Mode: nothing loaded on open');
  await untrusted.stop();

  const c = await start(env);
  await c.open(uri, DOC);
  await c.waitFor(() => fakeEngineCalls(env).some((l) => l.startsWith('warm ')), 'the warm-up, without a save');
  assert.deepEqual(fakeEngineCalls(env), [
    `load ${env.modelDir}`,
    'warm The capital of France is <mask>. | People in France say <mask> a lot. | The biggest capital city is <mask>.',
  ]);
  await c.waitFor(() => c.logs.some((l) => /^warm-up: fake ready for a\.prompts in \d+ ms$/.test(l)), 'the warm-up logged');
  assert.equal(c.status.filter((s) => s.uri === uri).at(-1)?.state, 'ready');
  // nothing was computed: no hint, no model diagnostic until the save
  const hints = await c.conn.sendRequest(InlayHintRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } },
  });
  assert.deepEqual(hints ?? [], []);
  // the save does not load it again
  await c.save(uri);
  await c.waitFor(() => fakeEngineCalls(env).filter((l) => l.startsWith('scored ')).length === 3, 'the analysis');
  assert.equal(fakeEngineCalls(env).filter((l) => l.startsWith('load ')).length, 1);
});

test('onSave off, or every result cached: opening loads nothing', T, async () => {
  const env = fakeWorkspace('preload-none');
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  const off = await start(env, { settings: { onSave: 'off' } });
  await off.open(uri, DOC);
  await off.diagnosticsFor(uri);
  await sleep(500);
  assert.deepEqual(fakeEngineCalls(env), []);
  await off.stop();

  const c1 = await start(env);
  await c1.open(uri, DOC);
  await c1.save(uri);
  await c1.waitFor(() => c1.progress.some((p) => p.value.kind === 'end') && c1.status.at(-1)?.state === 'ready', 'the first analysis');
  await c1.stop();
  fs.writeFileSync(env.log, '');
  const c2 = await start(env);
  await c2.open(uri, DOC);
  await c2.waitFor(() => (c2.inlayRefreshes > 0 ? true : undefined), 'the cached results');
  await sleep(500);
  assert.deepEqual(fakeEngineCalls(env), [], 'everything was cached: no model loaded');
  // a new @model line loads its model at once, once it names a folder that has one
  fs.mkdirSync(path.join(env.dir, 'models', 'other'), { recursive: true });
  fs.writeFileSync(path.join(env.dir, 'models', 'other', 'config.json'), '{}');
  await c2.change(uri, DOC.replace('@model ../models/fake', '@model ../models/othe'));
  await sleep(1000);
  assert.deepEqual(fakeEngineCalls(env), [], 'a @model folder that does not exist is not loaded while typed');
  assert.ok(!c2.diagnostics.get(uri)?.diagnostics.some((d) => d.code === 'model-not-found'), 'nor reported before the save');
  await c2.change(uri, DOC.replace('@model ../models/fake', '@model ../models/other'));
  await c2.waitFor(() => fakeEngineCalls(env).some((l) => l.startsWith('warm ')), "the new @model's warm-up, without a save", 10_000);
  assert.deepEqual(fakeEngineCalls(env).slice(0, 1), [`load ${path.join(env.dir, 'models', 'other')}`]);
});

test('a prediction does not wait behind a running attribution; the prompts just edited are attributed first', T, async () => {
  const env = fakeWorkspace('priority');
  const c = await start(env, { env: { KN_FAKE_DELAY_MS: '1500' } });
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  await c.open(uri, DOC);
  await c.save(uri);
  await c.waitFor(() => fakeEngineCalls(env).some((l) => l.startsWith('scores ')), 'the first attribution running');
  // a new prompt, in the last fact, saved while the first attribution runs
  const edited = DOC + '  New York is the largest capital city of <mask>.\n';
  await c.change(uri, edited);
  await c.save(uri);
  await c.waitFor(() => fakeEngineCalls(env).filter((l) => l.startsWith('scored ')).length === 4 && c.status.at(-1)?.state === 'ready', 'the analysis', 30_000);
  const log = fakeEngineCalls(env);
  const running = log.find((l) => l.startsWith('scores '))!.slice('scores '.length);
  assert.ok(
    log.indexOf('predict New York is the largest capital city of <mask>.') < log.indexOf(`scored ${running}`),
    `the new prompt was predicted beside the running attribution: ${JSON.stringify(log)}`,
  );
  // after the one that ran, the new prompt first, then its fact's other prompt, then the rest
  assert.deepEqual(log.filter((l) => l.startsWith('scores ')).slice(1), [
    'scores New York is the largest capital city of <mask>.',
    'scores The biggest capital city is <mask>.',
    'scores People in France say <mask> a lot.',
  ]);
  const reports = c.progress.filter((p) => p.value.kind === 'report').map((p) => p.value.message);
  // (the prompt whose job was running is awaited in its turn, not run again)
  assert.deepEqual(reports.slice(-4), ['1 of 4 · city', '2 of 4 · city', '3 of 4 · capital-of-france', '4 of 4 · capital-of-france']);
  // analysed to the end: nothing is new any more, the next edit alone goes first
  const again = edited.replace('People in France say', 'People in Paris say');
  await c.change(uri, again);
  await c.save(uri);
  await c.waitFor(
    () => fakeEngineCalls(env).filter((l) => l.startsWith('scored ')).length === 5 && c.status.at(-1)?.state === 'ready',
    'the third analysis',
    30_000,
  );
  assert.equal(
    fakeEngineCalls(env)
      .filter((l) => l.startsWith('scores '))
      .at(-1),
    'scores People in Paris say <mask> a lot.',
  );
});
