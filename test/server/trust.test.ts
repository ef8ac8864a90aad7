/**
 * Workspace Trust in the language server (server/src/trust.ts), over stdio with the fake engine:
 * untrusted, only syntax features run (no engine call, no cache written); the trust notification
 * starts the analysis without a save; a `@model` folder outside the workspace is refused unless the
 * user-level setting allows it.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeLensRequest } from 'vscode-languageserver-protocol/node';
import { NO_COMMAND, RESTRICTED_LENS_TITLE, ServerCommands, TrustNotification } from '../../protocol/lsp';
import { TestClient, fileUri, tempDir, fakeEngine, fakeEngineCalls } from './lspClient';

const T = { timeout: 90_000 };
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

/** A workspace with a fake model folder and a document that names it (and has a syntax error). */
function setup(name: string) {
  const dir = tempDir(name);
  const modelDir = path.join(dir, 'models', 'fake');
  fs.mkdirSync(modelDir, { recursive: true });
  fs.writeFileSync(path.join(modelDir, 'config.json'), JSON.stringify({ architectures: ['BertForMaskedLM'] }));
  const docsDir = path.join(dir, 'docs');
  fs.mkdirSync(docsDir);
  const file = path.join(docsDir, 'a.prompts');
  const text = '@version 1\n@model ../models/fake\nfact capital-of-france -> Paris\n  The capital of France is <mask>.\n  The capital of <mask> is <mask>.\n';
  fs.writeFileSync(file, text);
  return { dir, docsDir, file, text, uri: fileUri(file), cacheFolder: path.join(dir, 'cache'), log: path.join(dir, 'engine.log') };
}

async function start(env: ReturnType<typeof setup>, workspace: string, trust: Record<string, unknown>) {
  const c = await TestClient.start({
    settings: { cacheFolder: env.cacheFolder, onSave: 'attributions' },
    env: { KN_ENGINE_MODULE: fakeEngine, KN_FAKE_LOG: env.log, KN_DEFAULT_MODEL: '' },
    workspace,
    initializationOptions: { trust },
  });
  clients.push(c);
  return c;
}

const modelDiagnostics = (c: TestClient, uri: string) =>
  (c.diagnostics.get(uri)?.diagnostics ?? []).filter((d) => d.code === 'low-confidence' || d.code === 'wrong-prediction');

test('untrusted: syntax diagnostics only, no model, no cache; trusting starts the analysis at once', T, async () => {
  const env = setup('untrusted');
  const c = await start(env, env.dir, { trusted: false, allowModelsOutsideWorkspace: false });
  await c.open(env.uri, env.text);
  const syntax = await c.diagnosticsFor(env.uri, (p) => p.diagnostics.some((d) => d.severity === 1), 'the two-mask syntax error');
  assert.deepEqual(
    syntax.diagnostics.filter((d) => d.severity === 1).map((d) => d.range.start.line),
    [4],
  );
  await c.save(env.uri);
  await c.waitFor(() => c.status.some((s) => typeof s.message === 'string' && /Restricted Mode/.test(s.message)), 'the Restricted Mode status');
  assert.deepEqual(fakeEngineCalls(env), []);
  assert.equal(fs.existsSync(env.cacheFolder), false);
  assert.deepEqual(c.messages, [], 'no notification in Restricted Mode (the status item explains)');
  // no lens whose command would do nothing: one line, with no command, says why
  const lenses = async () => ((await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: env.uri } })) ?? []).map((l) => l.command);
  assert.deepEqual(await lenses(), [{ title: RESTRICTED_LENS_TITLE, command: NO_COMMAND }]);
  const refreshes = c.requests.filter((r) => r === 'workspace/codeLens/refresh').length;

  await c.conn.sendNotification(TrustNotification, {
    trusted: true,
    allowModelsOutsideWorkspace: false,
  });
  await c.waitFor(() => c.requests.filter((r) => r === 'workspace/codeLens/refresh').length > refreshes, 'a code-lens refresh after the grant');
  assert.deepEqual(
    (await lenses()).map((l) => l?.command),
    [ServerCommands.findNeurons, ServerCommands.suppress, ServerCommands.enhance, ServerCommands.compare],
    'every command once trusted',
  );
  // No save: the grant alone runs predictions and attributions.
  await c.waitFor(() => fakeEngineCalls(env).some((l) => l.startsWith('scores ')), 'attributions after the grant', 30_000);
  assert.ok(fakeEngineCalls(env).some((l) => l.startsWith('load ')));
  assert.ok(fs.existsSync(env.cacheFolder));
});

test('trusted: a @model folder outside the workspace is refused unless the user setting allows it', T, async () => {
  const env = setup('outside');
  // The workspace is docs/: the model folder (../models/fake) lies outside it.
  const c = await start(env, env.docsDir, { trusted: true, allowModelsOutsideWorkspace: false });
  await c.open(env.uri, env.text);
  await c.save(env.uri);
  await c.waitFor(() => c.messages.find((m) => /outside the workspace/.test(m.message)), 'the refusal');
  const refusal = c.messages.find((m) => /outside the workspace/.test(m.message))!;
  assert.match(refusal.message, /knowledgeNeurons\.allowModelsOutsideWorkspace/);
  assert.ok(refusal.message.includes(path.join(env.dir, 'models', 'fake')));
  assert.deepEqual(fakeEngineCalls(env), []);
  assert.deepEqual(modelDiagnostics(c, env.uri), []);

  await c.conn.sendNotification(TrustNotification, {
    trusted: true,
    allowModelsOutsideWorkspace: true,
  });
  await c.save(env.uri);
  await c.waitFor(() => fakeEngineCalls(env).some((l) => l.startsWith('scores ')), 'attributions once allowed', 30_000);
});
