/**
 * End-to-end tests of the language server over stdio with a real LSP client. The engine here is
 * test/server/fakeEngine.ts (deterministic, call log, optional delay) so that cache, cancellation,
 * crash recovery and progress can be checked exactly; model.test.ts runs the real engine.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionRequest,
  CodeLensRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  InlayHintRequest,
  WorkDoneProgressCancelNotification,
} from 'vscode-languageserver-protocol/node';
import { TestClient, fakeWorkspace, fileUri, fakeEngine } from './lspClient';

/** A hung server fails its test instead of hanging the run. */
const T = { timeout: 90_000 };
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

const setup = fakeWorkspace;

async function start(env: ReturnType<typeof setup>, settings: Record<string, unknown> = {}, extraEnv: Record<string, string> = {}) {
  const c = await TestClient.start({
    settings: { cacheFolder: env.cacheFolder, onSave: 'attributions', ...settings },
    env: { KN_ENGINE_MODULE: fakeEngine, KN_FAKE_LOG: env.log, KN_DEFAULT_MODEL: '', ...extraEnv },
    workspace: env.dir,
  });
  clients.push(c);
  return c;
}

function engineCalls(env: { log: string }, kind?: string): string[] {
  const lines = fs.existsSync(env.log) ? fs.readFileSync(env.log, 'utf8').split('\n').filter(Boolean) : [];
  return kind ? lines.filter((l) => l.startsWith(kind + ' ')) : lines;
}

const DOC = `@version 1
@model ../models/fake
fact capital-of-france -> Paris
  The capital of France is <mask>.
  [fr] La capitale de la France est <mask>.
  People in France say <mask> a lot.
  not: The capital of Germany is <mask>.
fact city -> New York
  The biggest capital city is <mask>.
`;

test('syntax diagnostics on open and on every change, with exact ranges and messages', T, async () => {
  const env = setup('syntax');
  const c = await start(env);
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  await c.open(uri, 'fact a -> b\n  The capital of France is [MASK].\n@stpes 20\n');
  const d = await c.diagnosticsFor(uri, (p) => p.diagnostics.length === 2);
  assert.deepEqual(
    d.diagnostics.map((x) => [x.range.start.line, x.range.start.character, x.range.end.character, x.severity, x.code, x.source, x.message]),
    [
      [1, 27, 33, 1, 'mask-spelling', 'knowledge-neurons', "write the mask as '<mask>', not '[MASK]'"],
      [2, 0, 6, 1, 'unknown-directive', 'knowledge-neurons', "unknown directive '@stpes'; did you mean '@steps'?"],
    ],
  );
  await c.change(uri, 'fact a -> b\n  The capital of France is <mask>.\n  no mask\n');
  const d2 = await c.diagnosticsFor(uri, (p) => p.diagnostics.length === 1);
  assert.deepEqual(
    d2.diagnostics.map((x) => [x.range.start.line, x.code, x.message]),
    [[2, 'no-mask', 'prompt has no <mask>: mark where the answer goes']],
  );
  await c.change(uri, 'fact a -> b\n  The capital of France is <mask>.\n');
  await c.diagnosticsFor(uri, (p) => p.diagnostics.length === 0, 'no diagnostics');
});

test('quick fixes as code actions', T, async () => {
  const env = setup('actions');
  const c = await start(env);
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  await c.open(uri, '@stpes 20\nfact a -> b\n  The capital of France is [MASK].\n  [FR] La capitale est <mask>.\n');
  await c.diagnosticsFor(uri, (p) => p.diagnostics.length === 3);
  const all = await c.conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } },
    context: { diagnostics: [] },
  });
  const titles = (all ?? []).map((a) => ('title' in a ? a.title : ''));
  assert.deepEqual(titles, ["Change to '@steps'", "Replace '[MASK]' with '<mask>'", "Change to 'fr'"]);
  const mask = await c.conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: { start: { line: 2, character: 30 }, end: { line: 2, character: 30 } },
    context: { diagnostics: [] },
  });
  assert.equal(mask?.length, 1);
  const a = mask![0] as { kind?: string; edit?: { changes?: Record<string, unknown[]> } };
  assert.equal(a.kind, 'quickfix');
  assert.deepEqual(a.edit?.changes?.[uri], [{ range: { start: { line: 2, character: 27 }, end: { line: 2, character: 33 } }, newText: '<mask>' }]);
});

test('robustness: 5,000 prompts, binary content, a 50 MB file', T, async () => {
  const env = setup('big');
  const c = await start(env, { onSave: 'off' });
  const lines = ['@version 1'];
  for (let f = 0; f < 500; f++) {
    lines.push(`fact f${f} -> A${f}`);
    for (let i = 0; i < 10; i++) lines.push(`  Prompt ${i} of fact ${f} is <mask>.`);
  }
  lines.push('  oops no mask');
  const uri = fileUri(path.join(env.docsDir, 'big.prompts'));
  let t0 = Date.now();
  await c.open(uri, lines.join('\n'));
  const d = await c.diagnosticsFor(uri, (p) => p.diagnostics.length === 1);
  console.log(`# 5,000 prompts: diagnostics after ${Date.now() - t0} ms`);
  assert.equal(d.diagnostics[0].code, 'no-mask');

  const bin = fileUri(path.join(env.docsDir, 'bin.prompts'));
  await c.open(bin, 'fact a -> b\n\0\0\0\x01\x02garbage');
  const db = await c.diagnosticsFor(bin, (p) => p.diagnostics.length > 0);
  assert.deepEqual(
    db.diagnostics.map((x) => x.code),
    ['binary-content'],
  );

  const huge = fileUri(path.join(env.docsDir, 'huge.prompts'));
  t0 = Date.now();
  await c.open(huge, 'fact a -> b\n' + '  The capital of France is <mask>.\n'.repeat(1_500_000));
  const dh = await c.diagnosticsFor(huge, (p) => p.diagnostics.length > 0);
  console.log(`# 50 MB: diagnostic after ${Date.now() - t0} ms`);
  assert.deepEqual(
    dh.diagnostics.map((x) => [x.code, x.message]),
    [['too-large', 'file is larger than 5 MB: not parsed']],
  );
  // the server still answers
  const hover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: huge }, position: { line: 1, character: 5 } });
  assert.equal(hover, null);
});

test('save: predictions, model diagnostics, progress n of m, refined neurons, inlay hints, hover, code lenses, status', T, async () => {
  const env = setup('save');
  const c = await start(env);
  const file = path.join(env.docsDir, 'a.prompts');
  const text =
    DOC + '  Zzyzx is the capital city of <mask>.\n  one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen <mask>\n';
  fs.writeFileSync(file, text);
  const before = fs.statSync(file).mtimeMs;
  const uri = fileUri(file);
  await c.open(uri, text);
  await c.diagnosticsFor(uri, (p) => p.diagnostics.length === 0, 'clean syntax');
  await c.save(uri);
  // progress: begin, "n of m" reports, end
  await c.waitFor(() => c.progress.some((p) => p.value.kind === 'end'), 'progress end');
  const begin = c.progress.find((p) => p.value.kind === 'begin')!;
  assert.equal(begin.value.cancellable, true);
  const reports = c.progress.filter((p) => p.value.kind === 'report').map((p) => p.value.message);
  // the prompt that is too long for the model is not attributed
  assert.deepEqual(reports, [
    '1 of 6 · capital-of-france',
    '2 of 6 · capital-of-france',
    '3 of 6 · capital-of-france',
    '4 of 6 · capital-of-france',
    '5 of 6 · city',
    '6 of 6 · city',
  ]);
  const d = await c.diagnosticsFor(uri, (p) => p.diagnostics.some((x) => x.code === 'too-long'), 'model diagnostics');
  const byCode = (code: string) =>
    d.diagnostics.filter((x) => x.code === code).map((x) => [x.range.start.line, x.range.start.character, x.range.end.character, x.severity, x.message]);
  assert.deepEqual(byCode('low-confidence'), [[5, 23, 29, 2, 'low confidence: P(Paris) = 0.05 (rank 2)']]);
  assert.deepEqual(byCode('wrong-prediction'), [[5, 23, 29, 3, 'model predicts Berlin (0.61)']]);
  assert.deepEqual(byCode('multi-token-answer'), [
    [8, 30, 36, 3, "'New York' is 2 tokens for this model: P(New York) is its first token's; all tokens together 0.90"],
    [9, 31, 37, 3, "'New York' is 2 tokens for this model: P(New York) is its first token's; all tokens together 0.90"],
  ]);
  assert.deepEqual(byCode('unknown-token'), [[9, 2, 7, 2, "'Zzyzx' is not in the model's vocabulary: it becomes [UNK]"]]);
  assert.deepEqual(byCode('too-long'), [[10, 2, 105, 1, "the prompt is 17 tokens long, longer than the model's 16 positions"]]);
  // the negative example gets no confidence warnings
  assert.equal(d.diagnostics.filter((x) => x.range.start.line === 6).length, 0);

  await c.waitFor(() => c.status.some((s) => s.state === 'ready' && s.message === undefined) && c.status.some((s) => s.state === 'working'), 'status');
  assert.ok(c.status.some((s) => s.state === 'loading'));
  assert.ok(c.status.some((s) => s.state === 'working' && s.total === 6 && typeof s.done === 'number'));
  assert.equal(c.status.at(-1)!.model, 'fake');
  assert.equal(c.status.at(-1)!.device, 'cpu');

  const hints = await c.conn.sendRequest(InlayHintRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
  });
  const labels = (hints ?? []).map((h) => [h.position.line, h.position.character, h.label]);
  assert.equal(labels.length, 7);
  assert.deepEqual(labels[0].slice(0, 2), [3, 34]);
  assert.match(String(labels[0][2]), /^P\(Paris\) 0\.90 · L1·3 1\.00 · L\d·\d 0\.20 · L\d·\d 0\.20$/);
  assert.deepEqual(labels[labels.length - 1], [10, 105, '⚠']);

  const hover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 10 } });
  const md = (hover!.contents as { value: string }).value;
  assert.match(md, /^\*\*P\(Paris\) = 0\.90\*\* · rank 1/);
  assert.match(md, /\| 1 \| Paris ✓ \| 0\.90 \|/);
  assert.match(md, /\*\*Top neurons\*\* \(integrated gradients; × the top score\)\n\n`L1·3` 1\.00 \(1\.00\)/);
  assert.match(md, /\*\*Attribution per layer\*\*\n\n```\nL0 {3}[█▏▎▍▌▋▊▉]*\s+\d\.\d\d\nL1 {3}█{12}\s+\d\.\d\d\n```/);

  const factHover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 8 } });
  const fmd = (factHover!.contents as { value: string }).value;
  assert.match(fmd, /^\*\*fact capital-of-france\*\* → Paris\n\n3 prompts, 1 negative/);
  assert.match(fmd, /\*\*Refined neurons — all prompts\*\*/);
  assert.match(fmd, /\| `L1·3` \| 3 of 3 prompts \|/);
  assert.match(fmd, /\*\*Refined neurons — `fr`\*\*/);

  const lenses = await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  assert.deepEqual(
    lenses!.map((l) => [l.range.start.line, l.command?.title.replace(/\d+ refined/, 'N refined'), l.command?.command, l.command?.arguments]),
    [
      [2, 'Knowledge neurons: N refined', 'knowledgeNeurons.server.findNeurons', [uri, 'capital-of-france']],
      [2, 'Suppress', 'knowledgeNeurons.server.suppress', [uri, 'capital-of-france']],
      [2, 'Enhance', 'knowledgeNeurons.server.enhance', [uri, 'capital-of-france']],
      [2, 'Compare', 'knowledgeNeurons.server.compare', [uri, 'capital-of-france']],
      [7, 'Knowledge neurons: N refined', 'knowledgeNeurons.server.findNeurons', [uri, 'city']],
      [7, 'Suppress', 'knowledgeNeurons.server.suppress', [uri, 'city']],
      [7, 'Enhance', 'knowledgeNeurons.server.enhance', [uri, 'city']],
      [7, 'Compare', 'knowledgeNeurons.server.compare', [uri, 'city']],
    ],
  );
  assert.ok(c.inlayRefreshes > 0);
  const symbols = (await c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as Array<{
    name: string;
    detail?: string;
    children?: Array<{ name: string }>;
  }>;
  assert.deepEqual(
    symbols.map((x) => [x.name, x.detail, x.children?.length]),
    [
      ['capital-of-france', 'Paris', 4],
      ['city', 'New York', 3],
    ],
  );
  assert.equal(symbols[0].children![3].name, 'not: The capital of Germany is <mask>.');
  const folds = await c.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
  assert.deepEqual(
    folds?.map((f) => [f.startLine, f.endLine]),
    [
      [2, 6],
      [7, 10],
    ],
  );
  // the server never edits the user's file
  assert.equal(fs.readFileSync(file, 'utf8'), text);
  assert.equal(fs.statSync(file).mtimeMs, before);
});

test('commands: findNeurons, suppress, enhance, export, compareData, clearCache', T, async () => {
  const env = setup('commands');
  const c = await start(env, { onSave: 'off' });
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  await c.open(uri, DOC);
  await c.diagnosticsFor(uri);
  const found = await c.command<{
    facts: Array<{ name: string; answer: string; prompts: unknown[]; groups: Record<string, { refined: unknown[] }> }>;
    cancelled: boolean;
  }>('knowledgeNeurons.server.findNeurons', uri, 'capital-of-france');
  assert.equal(found.cancelled, false);
  assert.equal(found.facts.length, 1);
  assert.equal(found.facts[0].answer, 'Paris');
  assert.equal(found.facts[0].prompts.length, 3);
  assert.deepEqual(Object.keys(found.facts[0].groups).sort(), ['all', 'fr']);
  assert.ok(found.facts[0].groups.all.refined.some((n) => JSON.stringify(n) === JSON.stringify({ layer: 1, index: 3 })));
  // only that fact was attributed
  assert.equal(engineCalls(env, 'scores').length, 4);

  const sup = await c.command<Array<{ fact: string; prompts: Array<{ result: { before: { p_target: number }; after: { p_target: number } } }> }>>(
    'knowledgeNeurons.server.suppress',
    uri,
    'capital-of-france',
  );
  assert.equal(sup[0].fact, 'capital-of-france');
  assert.equal(sup[0].prompts.length, 3);
  assert.equal(sup[0].prompts[0].result.after.p_target, 0.1);
  // the result stays readable in the fact's Suppress lens and hover, not in a toast
  assert.deepEqual(c.messages, []);
  const lens = (await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } }))!.find(
    (l) => l.command?.command === 'knowledgeNeurons.server.suppress' && l.range.start.line === 2,
  );
  assert.equal(lens?.command?.title, 'Suppressed: P 0.90 → 0.10 (−89%)');
  const factHover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 8 } });
  assert.match(
    (factHover!.contents as { value: string }).value,
    /\*\*Suppressed\*\* \d+ neurons?: P\(answer\) before → after\n\n\| prompt \| before \| after \|\n\|:--\|--:\|--:\|\n\| The capital of France is \\<mask\\>\. \| 0\.90 \| 0\.10 \(−89%\) \|/,
  );
  const enh = await c.command<Array<{ prompts: Array<{ result: { after: { p_target: number } } }> }>>(
    'knowledgeNeurons.server.enhance',
    uri,
    'capital-of-france',
  );
  assert.equal(enh[0].prompts[0].result.after.p_target, 0.99);

  const csv = await c.command<{ format: string; content: string; suggestedName: string }>('knowledgeNeurons.server.exportResults', uri, 'csv');
  assert.equal(csv.suggestedName, 'a.neurons.csv');
  assert.equal(csv.content.split('\r\n')[0], 'fact,answer,lang,prompt,p_target,coarse,refined_group,refined,before,suppressed,enhanced');
  assert.match(csv.content, /\r\ncapital-of-france,Paris,,The capital of France is <mask>\.,0\.9,[^,]*L1\.3[^,]*,all,/);
  const json = await c.command<{ content: string }>('knowledgeNeurons.server.exportResults', uri, 'json');
  assert.equal(JSON.parse(json.content)[0].name, 'capital-of-france');

  const data = await c.conn.sendRequest<{
    model: string;
    layers: number;
    neurons: number;
    settings: unknown;
    facts: Array<{ name: string; effects?: { own: unknown[]; control: unknown[] } }>;
  }>('knowledgeNeurons/compareData', { uri, facts: ['capital-of-france'] });
  assert.equal(data.model, 'fake');
  assert.equal(data.layers, 2);
  assert.equal(data.neurons, 8);
  assert.deepEqual(data.settings, { rule: { kind: 'adaptive', value: 0.3 }, p: 0.5 });
  assert.equal(data.facts.length, 1);
  assert.deepEqual(data.facts[0].effects?.own[0], { text: 'The capital of France is <mask>.', before: 0.9, suppressed: 0.1, enhanced: 0.99 });
  assert.ok((data.facts[0].effects?.control.length ?? 0) > 0, 'control prompts from the other fact');

  const iv = await c.conn.sendRequest<{ results: unknown[] }>('knowledgeNeurons/intervene', {
    uri,
    fact: 'capital-of-france',
    mode: 'suppress',
    neurons: [{ layer: 1, index: 3 }],
    prompts: ['The capital of France is <mask>.'],
  });
  assert.deepEqual(iv.results, [{ text: 'The capital of France is <mask>.', before: 0.9, after: 0.1 }]);

  const cleared = await c.command<{ removed: number; folder: string }>('knowledgeNeurons.server.clearCache');
  assert.ok(cleared.removed > 0);
  assert.equal(cleared.folder, env.cacheFolder);
  assert.deepEqual(fs.readdirSync(env.cacheFolder), []);
  await assert.rejects(c.command('knowledgeNeurons.server.findNeurons', uri, 'no-such-fact'), /no fact named no-such-fact/);
});

test('cache on disk: atomic files, reopening shows results at once without the model, settings change the key', T, async () => {
  const env = setup('cache');
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  const c1 = await start(env);
  await c1.open(uri, DOC);
  await c1.save(uri);
  await c1.waitFor(() => c1.progress.some((p) => p.value.kind === 'end'), 'attribution done');
  await c1.waitFor(() => c1.status.at(-1)?.state === 'ready', 'ready');
  const files = fs.readdirSync(env.cacheFolder, { recursive: true }).map(String);
  // 5 distinct prompts: 5 predictions + 5 score matrices
  assert.equal(files.filter((f) => f.endsWith('.json')).length, 10, files.join(','));
  assert.equal(files.filter((f) => f.endsWith('.tmp')).length, 0);
  await c1.stop();

  fs.writeFileSync(env.log, '');
  const c2 = await start(env);
  await c2.open(uri, DOC);
  const hints = await c2.waitFor(async () => undefined, 'never', 1).catch(() => undefined);
  void hints;
  const got = await c2.waitFor(() => (c2.inlayRefreshes > 0 ? true : undefined), 'inlay refresh from cache');
  assert.ok(got);
  const list = await c2.conn.sendRequest(InlayHintRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
  });
  assert.equal(list?.length, 5);
  assert.match(String(list![0].label), /^P\(Paris\) 0\.90 · L1·3 1\.00/);
  const fh = await c2.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 8 } });
  assert.match((fh!.contents as { value: string }).value, /`L1·3` \| 3 of 3 prompts/);
  // nothing was computed, no model was loaded
  assert.deepEqual(
    engineCalls(env).filter((l) => !l.startsWith('dispose')),
    [],
  );
  // a save with everything cached does not load the model either
  await c2.save(uri);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(engineCalls(env, 'load'), []);

  // other steps: new scores, same predictions
  await c2.setSettings({ ...c2.settings, steps: 7 });
  await c2.save(uri);
  await c2.waitFor(() => engineCalls(env, 'scores').length === 5 && c2.status.at(-1)?.state === 'ready', 'rescored');
  assert.deepEqual(engineCalls(env, 'predict'), []);
});

test('cancellation: a newer edit cancels attribution; so does the progress cancel button', T, async () => {
  const env = setup('cancel');
  const c = await start(env, {}, { KN_FAKE_DELAY_MS: '250' });
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  await c.open(uri, DOC);
  await c.save(uri);
  await c.waitFor(() => c.progress.some((p) => p.value.kind === 'report' && p.value.message?.startsWith('2 of')), 'second prompt');
  await c.change(uri, DOC + '  The new capital is <mask>.\n');
  await c.waitFor(() => c.progress.some((p) => p.value.kind === 'end'), 'progress end');
  await new Promise((r) => setTimeout(r, 600));
  const scored = engineCalls(env, 'scores').length;
  assert.ok(scored < 5, `cancelled after ${scored} of 5`);
  assert.equal(c.progress.filter((p) => p.value.kind === 'report').length, scored);

  // the user presses cancel on the progress notification
  c.progress.length = 0;
  await c.save(uri);
  const begin = await c.waitFor(() => c.progress.find((p) => p.value.kind === 'begin'), 'begin');
  await c.waitFor(() => c.progress.some((p) => p.value.kind === 'report'), 'report');
  await c.conn.sendNotification(WorkDoneProgressCancelNotification.type, { token: begin.token });
  await c.waitFor(() => c.progress.some((p) => p.value.kind === 'end'), 'end after cancel');
  const reports = c.progress.filter((p) => p.value.kind === 'report').length;
  assert.ok(reports < 6 - scored, `stopped after ${reports}`);
  // results computed before the cancel are kept; the next save finishes the rest
  c.progress.length = 0;
  await c.save(uri);
  await c.waitFor(() => c.progress.some((p) => p.value.kind === 'end'), 'finished');
  await c.waitFor(() => c.status.at(-1)?.state === 'ready', 'ready');
  const all = engineCalls(env, 'scores');
  assert.equal(all.length, 6, 'every prompt scored exactly once overall');
  assert.equal(new Set(all).size, 6);
});

test('while scores are still coming, the find lens says its count is the refined set so far', T, async () => {
  const env = setup('sofar');
  const c = await start(env, {}, { KN_FAKE_DELAY_MS: '300' });
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  await c.open(uri, DOC);
  await c.save(uri);
  const title = async () =>
    ((await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? []).find(
      (l) => l.range.start.line === 2 && l.command?.command === 'knowledgeNeurons.server.findNeurons',
    )?.command?.title;
  let partial: string | undefined;
  for (const deadline = Date.now() + 20_000; !partial && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const t = await title();
    if (t && /refined/.test(t)) partial = t;
  }
  assert.ok(engineCalls(env, 'scores').length < 5, 'asked while scores were still to come');
  assert.match(partial ?? '(no count)', /^Knowledge neurons: \d+ refined so far$/);
  await c.waitFor(() => c.progress.some((p) => p.value.kind === 'end'), 'attribution done');
  assert.match((await title()) ?? '', /^Knowledge neurons: \d+ refined$/);
});

test('a model that fails to load: one error notification, syntax features keep working', T, async () => {
  const env = setup('badmodel');
  const c = await start(env);
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  const text = DOC.replace('../models/fake', './no-such-model');
  await c.open(uri, text);
  await c.save(uri);
  await c.waitFor(() => c.messages.length > 0, 'error message');
  await c.save(uri);
  await c.waitFor(() => c.status.filter((s) => s.state === 'error').length >= 2, 'second attempt');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(c.messages.length, 1);
  assert.equal(c.messages[0].type, 1);
  assert.match(c.messages[0].message, /^Knowledge Neurons: could not load the model '\.\/no-such-model': model folder .*no-such-model does not exist$/);
  // the model's kind is unknown: a prompt without <mask> is no error (issue #20.6: no cascade), two masks are
  await c.change(uri, text + '  broken line\n  two <mask> and <mask>\n');
  const d = await c.diagnosticsFor(uri, (p) => p.diagnostics.length === 2);
  assert.deepEqual(
    d.diagnostics.map((x) => [x.range.start.line, x.range.start.character, x.range.end.character, x.code, x.message]),
    [
      [1, 7, 22, 'model-not-found', `model folder not found: ${path.join(env.docsDir, 'no-such-model')}`],
      [10, 17, 23, 'multiple-masks', 'a prompt has exactly one <mask>; this one has 2'],
    ],
  );
});

test('the @model directive overrides the setting and resolves against the file; the setting against the workspace', T, async () => {
  const env = setup('modelpath');
  const c = await start(env, { model: 'models/fake', onSave: 'predictions' });
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  await c.open(uri, DOC.replace('@model ../models/fake\n', ''));
  await c.save(uri);
  await c.waitFor(() => c.status.at(-1)?.state === 'ready', 'ready');
  assert.deepEqual(engineCalls(env, 'load'), [`load ${env.modelDir}`]);
  assert.equal(engineCalls(env, 'scores').length, 0, 'onSave predictions runs no attribution');
  const other = path.join(env.docsDir, 'sub');
  fs.mkdirSync(path.join(other, 'm'), { recursive: true });
  fs.writeFileSync(path.join(other, 'm', 'config.json'), '{}');
  const uri2 = fileUri(path.join(other, 'b.prompts'));
  await c.open(uri2, DOC.replace('../models/fake', 'm'));
  await c.save(uri2);
  await c.waitFor(() => engineCalls(env, 'load').length === 2, 'second load');
  assert.equal(engineCalls(env, 'load')[1], `load ${path.join(other, 'm')}`);
});

test('a crash of the worker is reported and the worker restarted', T, async () => {
  const env = setup('crash');
  const c = await start(env, { onSave: 'predictions' });
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  await c.open(uri, DOC);
  await c.save(uri);
  await c.waitFor(() => engineCalls(env, 'predict').length === 5 && c.status.at(-1)?.state === 'ready', 'predictions');
  await c.command('knowledgeNeurons.server.test.crashWorker').catch(() => undefined);
  const m = await c.waitFor(() => c.messages.find((x) => /crashed/.test(x.message)), 'crash message');
  assert.equal(m.type, 1);
  assert.match(m.message, /^Knowledge Neurons: the engine crashed \(the engine worker stopped \(exit code 3\)\)\. It has been restarted\.$/);
  await c.change(uri, DOC + '  A new capital is <mask>.\n');
  await c.save(uri);
  await c.waitFor(() => engineCalls(env, 'predict').includes('predict A new capital is <mask>.'), 'predicts after restart');
  assert.equal(engineCalls(env, 'load').length, 2);
});

test('fuzz: random edits and requests at random positions never break the server', T, async () => {
  const env = setup('fuzz');
  const c = await start(env);
  const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
  await c.open(uri, DOC);
  await c.save(uri);
  await c.waitFor(() => c.progress.some((p) => p.value.kind === 'end'), 'first results');
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const pieces = ['<mask>', '[MASK]', '->', '|', '@steps', '#', '\n', '\r\n', '"', '\\', '[fr]', 'not:', 'fact ', '😀', '\0', ' '];
  let text = DOC;
  for (let i = 0; i < 150; i++) {
    const at = Math.floor(rand() * (text.length + 1));
    text =
      rand() < 0.6
        ? text.slice(0, at) + pieces[Math.floor(rand() * pieces.length)] + text.slice(at)
        : text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 5));
    if (rand() < 0.2) text = DOC;
    await c.change(uri, text);
    const lines = text.split(/\r\n|\r|\n/);
    const line = Math.floor(rand() * (lines.length + 2));
    const position = { line, character: Math.floor(rand() * 60) };
    const range = { start: { line: 0, character: 0 }, end: { line: line + 1, character: 0 } };
    await Promise.all([
      c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position }),
      c.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range }),
      c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } }),
      c.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } }),
      c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }),
    ]);
    if (i % 50 === 49) await c.save(uri);
  }
  const d = await c.diagnosticsFor(uri);
  for (const x of d.diagnostics) {
    const lines = text.split(/\r\n|\r|\n/);
    assert.ok(x.range.end.line < lines.length && x.range.end.character <= lines[x.range.end.line].length, JSON.stringify(x));
  }
  assert.equal(c.proc.exitCode, null, 'server still running');
  assert.equal(c.stderr, '');
});
