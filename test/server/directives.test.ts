/**
 * Settings written back into a file's directives (#20 item 9): the edits, checked by parsing the
 * edited text again with the engine's parser, and the server command that asks the client to apply
 * them (workspace/applyEdit), only when asked. The engine is test/server/fakeEngine.ts.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetSettings, parse } from '../../engine/src/prompts';
import { ServerCommands, SetDirectivesResult } from '../../protocol/lsp';
import { directiveEdits, DirectiveChanges } from '../../server/src/directiveEdits';
import { TestClient, applyEdits, fakeEngine, fakeWorkspace, fileUri } from './lspClient';

const T = { timeout: 90_000 };
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

const write = (text: string, changes: DirectiveChanges) => applyEdits(text, directiveEdits(text, parse(text), changes));

const BARE = `@version 1
@model ../models/fake   # the model
fact capital-of-france -> Paris
  The capital of France is <mask>.
`;

test('a rule and p the file does not have go after its last directive, and parse back as written', () => {
  const out = write(BARE, { rule: { kind: 'adaptive', value: 0.25 }, p: 0.4 });
  assert.equal(out, BARE.replace('# the model\n', '# the model\n@threshold 0.25\n@p 0.4\n'));
  const s = datasetSettings(parse(out));
  assert.deepEqual(s.rule, { kind: 'adaptive', value: 0.25 });
  assert.equal(s.p, 0.4);
  assert.equal(parse(out).diagnostics.length, 0);
});

test('the directive that applies (the last rule directive of any kind) is the one rewritten; comments and other lines stay', () => {
  const text = `@version 1\n@threshold 0.2\n@percentile 99   # the rule that applies\n@p 0.5\r\nfact a -> b\n  x <mask>.\n`;
  for (const [rule, kind] of [
    [{ kind: 'adaptive', value: 0.35 }, 'adaptive'],
    [{ kind: 'threshold', value: 0.0123 }, 'threshold'],
    [{ kind: 'percentile', value: 99.5 }, 'percentile'],
  ] as const) {
    const out = write(text, { rule, p: 0.3 });
    assert.equal(out.split('\n').length, text.split('\n').length, 'no line added or removed');
    assert.match(out, /^@threshold 0\.2$/m, 'an earlier rule directive is left as written');
    assert.match(out, /# the rule that applies/);
    const s = datasetSettings(parse(out));
    assert.deepEqual(s.rule, { kind, value: rule.value });
    assert.equal(s.p, 0.3);
  }
});

test('numbers are written as the user sees them; nothing to do gives no edit; bad values are refused with the directive’s rule', () => {
  assert.match(write(BARE, { p: 0.1 + 0.2 }), /^@p 0\.3$/m);
  const done = write(BARE, { rule: { kind: 'adaptive', value: 0.25 }, p: 0.4 });
  assert.deepEqual(directiveEdits(done, parse(done), { rule: { kind: 'adaptive', value: 0.25 }, p: 0.4 }), []);
  assert.throws(() => directiveEdits(BARE, parse(BARE), { p: 1 }), /@p 1: expected a sharing fraction, 0 ≤ p < 1/);
  assert.throws(() => directiveEdits(BARE, parse(BARE), { rule: { kind: 'adaptive', value: 1.5 } }), /@threshold 1\.5: expected a fraction of the top score/);
  assert.throws(() => directiveEdits(BARE, parse(BARE), { rule: { kind: 'percentile', value: NaN } }), /@percentile NaN/);
  assert.throws(() => directiveEdits(BARE, parse(BARE), { model: 'a\nfact x -> y' }), /@model: expected/);
});

test('@model is replaced in place (quoted when it needs it); a file without directives gets them first', () => {
  const out = write(BARE, { model: '/models/my model' });
  assert.equal(datasetSettings(parse(out)).model, '/models/my model');
  assert.match(out, /^@model \/models\/my model {3}# the model$/m);
  // a ` #` would start a comment: quoted
  const hash = write(BARE, { model: '/models/run #2' });
  assert.equal(datasetSettings(parse(hash)).model, '/models/run #2');
  assert.match(hash, /^@model "\/models\/run #2"/m);
  const none = 'fact a -> b\n  x <mask>.\n';
  const first = write(none, { p: 0.2, model: 'google-bert/bert-base-cased' });
  assert.equal(first, '@p 0.2\n@model google-bert/bert-base-cased\n' + none);
});

test('setDirectives: the client is asked to apply the edit for the document version it was computed on; nothing is edited unasked', T, async () => {
  const w = fakeWorkspace('directives');
  const c = await TestClient.start({
    settings: { cacheFolder: w.cacheFolder, onSave: 'attributions' },
    env: { KN_ENGINE_MODULE: fakeEngine, KN_FAKE_LOG: w.log, KN_DEFAULT_MODEL: '' },
    workspace: w.dir,
    capabilities: {
      workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } },
      window: { workDoneProgress: true },
      textDocument: { publishDiagnostics: { versionSupport: true } },
    },
  });
  clients.push(c);
  const file = path.join(w.docsDir, 'a.prompts');
  fs.writeFileSync(file, BARE);
  const uri = fileUri(file);
  await c.open(uri, BARE);
  const text = BARE.replace('the model', 'the model, edited');
  await c.change(uri, text);
  await c.save(uri);
  await c.diagnosticsFor(uri);
  // open, edit, save and analysis: the server asked for no edit
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(c.applied.length, 0);

  const r = await c.command<SetDirectivesResult>(ServerCommands.setDirectives, uri, { rule: { kind: 'percentile', value: 99.9 }, p: 0.25 });
  assert.equal(r.applied, true);
  assert.equal(c.applied.length, 1);
  const change = c.applied[0].edit.documentChanges?.[0] as { textDocument: { uri: string; version: number }; edits: typeof r.edits };
  assert.deepEqual(change.textDocument, { uri, version: c.version(uri) });
  assert.deepEqual(change.edits, r.edits);
  const out = applyEdits(text, change.edits);
  assert.deepEqual(datasetSettings(parse(out)).rule, { kind: 'percentile', value: 99.9 });
  assert.equal(datasetSettings(parse(out)).p, 0.25);

  // bad input: one sentence, no edit
  await assert.rejects(c.command(ServerCommands.setDirectives, uri, { p: 'half' }), /p must be a number/);
  await assert.rejects(c.command(ServerCommands.setDirectives, uri, { rule: { kind: 'adaptive', value: 2 } }), /@threshold 2: expected/);
  assert.equal(c.applied.length, 1);

  // the status names the file's @model, which wins over the setting
  const status = await c.command<{ modelDirective?: string }>(ServerCommands.status, uri);
  assert.equal(status.modelDirective, '../models/fake');
});

test('setDirectives: a client that cannot apply edits gets them in the answer, and no request', T, async () => {
  const w = fakeWorkspace('directives-plain');
  const c = await TestClient.start({
    settings: { cacheFolder: w.cacheFolder },
    env: { KN_ENGINE_MODULE: fakeEngine, KN_FAKE_LOG: w.log, KN_DEFAULT_MODEL: '' },
    workspace: w.dir,
    capabilities: { workspace: { configuration: true } },
  });
  clients.push(c);
  const uri = fileUri(path.join(w.docsDir, 'b.prompts'));
  await c.open(uri, BARE);
  const r = await c.command<SetDirectivesResult>(ServerCommands.setDirectives, uri, { p: 0.6 });
  assert.equal(r.applied, false);
  assert.equal(datasetSettings(parse(applyEdits(BARE, r.edits))).p, 0.6);
  assert.ok(!c.requests.includes('workspace/applyEdit'));
});
