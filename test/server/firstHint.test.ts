/**
 * P(answer) shows prompt by prompt (#20 items 3 and 8): the first inlay hint comes after the first
 * prediction, not after the whole file's. The engine is test/server/fakeEngine.ts, 400 ms a prediction.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InlayHintRequest } from 'vscode-languageserver-protocol/node';
import { TestClient, fakeEngine, fakeWorkspace, fileUri } from './lspClient';

const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

const PROMPTS = 6;
const DOC = `@version 1
@model ../models/fake
fact capital-of-france -> Paris
${Array.from({ length: PROMPTS }, (_, i) => `  The capital of France is <mask> ${'again '.repeat(i)}.`).join('\n')}
`;

test('the first P(answer) hint comes after the first prediction, and the others follow one by one', { timeout: 60_000 }, async () => {
  const w = fakeWorkspace('first-hint');
  const c = await TestClient.start({
    settings: { cacheFolder: w.cacheFolder, onSave: 'predictions' },
    env: { KN_ENGINE_MODULE: fakeEngine, KN_FAKE_LOG: w.log, KN_DEFAULT_MODEL: '', KN_FAKE_PREDICT_DELAY_MS: '400' },
    workspace: w.dir,
  });
  clients.push(c);
  const file = path.join(w.docsDir, 'a.prompts');
  fs.writeFileSync(file, DOC);
  const uri = fileUri(file);
  await c.open(uri, DOC);
  await c.diagnosticsFor(uri);
  await c.save(uri);
  const range = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };
  const counts: number[] = [];
  let seen = 0;
  while (counts.at(-1) !== PROMPTS) {
    await c.waitFor(() => c.inlayRefreshes > seen, 'an inlay hint refresh', 30_000);
    seen = c.inlayRefreshes;
    const hints = (await c.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range })) ?? [];
    counts.push(hints.filter((h) => /^P\(Paris\)/.test(typeof h.label === 'string' ? h.label : h.label.map((x) => x.value).join(''))).length);
  }
  // before the fix: one refresh, when all six were predicted ([6]); now several, the first with fewer
  assert.ok(counts.length >= 3, `refreshes: ${JSON.stringify(counts)}`);
  assert.ok(counts.find((n) => n > 0)! < PROMPTS, `the first hints waited for the whole file: ${JSON.stringify(counts)}`);
  assert.deepEqual(
    [...counts].sort((a, b) => a - b),
    counts,
    'hints only come, never go',
  );
});
