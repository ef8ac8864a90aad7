/**
 * End-to-end tests of the language server with the real engine and the fixture model
 * bert-tiny-facts (fixtures folder: env KN_FIXTURES, default ../shared/fixtures beside the repo).
 * The prompts and the expected neurons come from the fixture's reference.json (the reference
 * implementation's results), never copied by hand.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HoverRequest, InlayHintRequest } from 'vscode-languageserver-protocol/node';
import { TestClient, fileUri, fixturesDir, tempDir } from './lspClient';

const modelDir = path.join(fixturesDir, 'bert-tiny-facts');
interface RefPrompt {
  lang: string;
  split: string;
  text: string;
  p_target: number;
  coarse: Array<[number, number]>;
}
interface RefFact {
  country: string;
  relation: string;
  prompts: RefPrompt[];
  refined_en: Array<[number, number]>;
  refined_fr: Array<[number, number]>;
  refined_all: Array<[number, number]>;
}
const reference = JSON.parse(fs.readFileSync(path.join(modelDir, 'reference.json'), 'utf8')) as { facts: RefFact[] };
const france = reference.facts.find((f) => f.country === 'France' && f.relation === 'capital')!;
const toMask = (t: string) => t.replace('[MASK]', '<mask>');
const pairs = (ns: Array<{ layer: number; index: number }>) => ns.map((n) => [n.layer, n.index]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
const sorted = (ns: Array<[number, number]>) => [...ns].sort((a, b) => a[0] - b[0] || a[1] - b[1]);

const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

test('fixture model: predictions, attributions and refined neurons match the reference', { timeout: 300_000 }, async () => {
  assert.ok(fs.existsSync(path.join(modelDir, 'config.json')), `fixture model missing at ${modelDir} (set KN_FIXTURES)`);
  const dir = tempDir('model');
  const docs = path.join(dir, 'docs');
  fs.mkdirSync(docs);
  const rel = path.relative(docs, modelDir).split(path.sep).join('/');
  const lines = ['@version 1', `@model ${rel}`, 'fact capital-of-france -> Paris'];
  for (const p of france.prompts) lines.push(`  [${p.lang}] ${toMask(p.text)}`);
  lines.push('fact capital-of-germany -> Berlin', '  [en] The capital of Germany is <mask>.');
  lines.push('fact wrong -> Paris', '  [en] The capital of Germany is <mask>.');
  const text = lines.join('\n') + '\n';
  const file = path.join(docs, 'france.prompts');
  fs.writeFileSync(file, text);
  const uri = fileUri(file);

  const c = await TestClient.start({
    settings: { cacheFolder: path.join(dir, 'cache'), onSave: 'attributions' },
    env: { KN_DEFAULT_MODEL: '' },
    workspace: dir,
  });
  clients.push(c);
  await c.open(uri, text);
  await c.diagnosticsFor(uri, (p) => p.diagnostics.length === 0, 'clean syntax');
  await c.save(uri);

  // predictions first: the wrong prompt is flagged
  // (published as they come: wait for the last prompt's, the wrong one)
  const d = await c.diagnosticsFor(
    uri,
    (p) => p.diagnostics.some((x) => x.code === 'wrong-prediction' && x.range.start.line === lines.length - 1),
    'wrong-prediction diagnostic',
    120_000,
  );
  const wrong = d.diagnostics.filter((x) => x.range.start.line === lines.length - 1);
  assert.deepEqual(wrong.map((x) => x.code).sort(), ['low-confidence', 'wrong-prediction']);
  assert.match(wrong.find((x) => x.code === 'wrong-prediction')!.message, /^model predicts Berlin \(\d\.\d\d\)$/);
  // the held-out French prompt the model gets wrong (reference p ≈ 0) is flagged too, nothing else
  const lowLines = d.diagnostics.filter((x) => x.code === 'low-confidence').map((x) => x.range.start.line);
  const expectedLow = france.prompts.map((p, i) => (p.p_target < 0.1 ? i + 3 : -1)).filter((i) => i >= 0);
  assert.deepEqual(lowLines.sort(), [...expectedLow, lines.length - 1].sort());

  // attributions, with progress
  await c.waitFor(() => c.progress.some((p) => p.value.kind === 'end'), 'attributions', 240_000);
  await c.waitFor(() => c.status.at(-1)?.state === 'ready', 'ready', 60_000);
  const reports = c.progress.filter((p) => p.value.kind === 'report').map((p) => p.value.message);
  assert.equal(reports.length, france.prompts.length + 2);
  assert.equal(reports[0], `1 of ${france.prompts.length + 2} · capital-of-france`);
  assert.equal(c.status.at(-1)!.model, 'bert-tiny-facts');

  const found = await c.command<{
    facts: Array<{
      prompts: Array<{ text: string; p_target: number; coarse?: Array<{ layer: number; index: number }> }>;
      groups: Record<string, { refined: Array<{ layer: number; index: number }> }>;
    }>;
  }>('knowledgeNeurons.server.findNeurons', uri, 'capital-of-france');
  const fact = found.facts[0];
  for (const ref of france.prompts) {
    const got = fact.prompts.find((p) => p.text === toMask(ref.text))!;
    assert.ok(Math.abs(got.p_target - ref.p_target) < 1e-3, `${ref.text}: p ${got.p_target} vs ${ref.p_target}`);
    assert.deepEqual(pairs(got.coarse ?? []), sorted(ref.coarse), `coarse neurons of ${ref.text}`);
  }
  assert.deepEqual(pairs(fact.groups.en.refined), sorted(france.refined_en));
  assert.deepEqual(pairs(fact.groups.fr.refined), sorted(france.refined_fr));
  assert.deepEqual(pairs(fact.groups.all.refined), sorted(france.refined_all));

  const hints = await c.conn.sendRequest(InlayHintRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } },
  });
  assert.equal(hints?.length, france.prompts.length + 2);
  assert.match(String(hints![0].label), /^P\(Paris\) 1\.00 · L[23]·\d+ 1\.00 · L[23]·\d+ 0\.\d\d · L[23]·\d+ 0\.\d\d$/);

  const hover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 12 } });
  const md = (hover!.contents as { value: string }).value;
  assert.match(md, /^\*\*P\(Paris\) = 1\.00\*\* · rank 1/);
  assert.match(md, /\| 1 \| Paris ✓ \| 1\.00 \|\n\| 2 \| Prague \| /);
  assert.match(md, /```\nL0 .*\nL1 .*\nL2 .*\nL3 .*\n```/);

  // compare data: suppressing the refined neurons lowers P(Paris), enhancing raises it
  const data = await c.conn.sendRequest<{
    model: string;
    layers: number;
    neurons: number;
    facts: Array<{ name: string; effects?: { own: Array<{ before: number; suppressed: number; enhanced: number }>; control: unknown[] } }>;
  }>('knowledgeNeurons/compareData', { uri, facts: ['capital-of-france'] });
  assert.equal(data.model, 'bert-tiny-facts');
  assert.equal(data.layers, 4);
  assert.equal(data.neurons, 512);
  const own = data.facts[0].effects!.own;
  assert.equal(own.length, france.prompts.length);
  const mean = (k: 'before' | 'suppressed' | 'enhanced') => own.reduce((a, e) => a + e[k], 0) / own.length;
  assert.ok(mean('suppressed') < mean('before'), `suppress lowers P: ${mean('suppressed')} < ${mean('before')}`);
  assert.ok(mean('enhanced') >= mean('before') - 1e-6, 'enhance does not lower P');
  assert.ok(data.facts[0].effects!.control.length > 0);

  // After a reload every result comes from the cache (the model is never loaded for them): the
  // panel's data must still be the same, model shape and effects included (issue #20, item 1).
  await c.stop();
  clients.splice(clients.indexOf(c), 1);
  const again = await TestClient.start({
    settings: { cacheFolder: path.join(dir, 'cache'), onSave: 'attributions' },
    env: { KN_DEFAULT_MODEL: '' },
    workspace: dir,
  });
  clients.push(again);
  await again.open(uri, text);
  await again.save(uri);
  const cached = await again.conn.sendRequest<typeof data>('knowledgeNeurons/compareData', { uri, facts: ['capital-of-france'] });
  assert.equal(again.progress.filter((p) => p.value.kind === 'report').length, 0, 'nothing recomputed: every score came from the cache');
  assert.deepEqual(cached, data, again.logs.join('\n'));
});

test('fixture model: a causal model accepts prompts without <mask>', { timeout: 120_000 }, async () => {
  const gpt2 = path.join(fixturesDir, 'gpt2-tiny-facts');
  const dir = tempDir('causal');
  const file = path.join(dir, 'a.prompts');
  const text = `@model ${gpt2}\nfact capital-of-france -> Paris\n  The capital of France is\n  The capital of France is <mask>\n  The capital of <mask> is France\n`;
  fs.writeFileSync(file, text);
  const uri = fileUri(file);
  const c = await TestClient.start({
    settings: { cacheFolder: path.join(dir, 'cache'), onSave: 'predictions' },
    env: { KN_DEFAULT_MODEL: '' },
    workspace: dir,
  });
  clients.push(c);
  await c.open(uri, text);
  // the server reads config.json to know the model is causal: only the mask in the middle is an error
  const d = await c.diagnosticsFor(uri, (p) => p.diagnostics.length === 1);
  assert.deepEqual(
    d.diagnostics.map((x) => [x.range.start.line, x.code]),
    [[4, 'mask-not-at-end']],
  );
  assert.ok(
    c.diagnosticEvents.every((e) => e.diagnostics.every((x) => x.code !== 'no-mask')),
    'never reported as a masked model',
  );
  await c.save(uri);
  await c.waitFor(() => c.status.at(-1)?.state === 'ready' && c.status.some((s) => s.state === 'working'), 'predictions', 100_000);
  const hints = await c.conn.sendRequest(InlayHintRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
  });
  assert.equal(hints?.length, 2);
  assert.match(String(hints![0].label), /^P\(Paris\) \d\.\d\d$/);
  assert.equal(hints![0].label, hints![1].label, 'a trailing <mask> changes nothing for a causal model');
});
