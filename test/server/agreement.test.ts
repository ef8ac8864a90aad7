/**
 * The method's contract between the parts: for a fact with `not:` lines, untagged prompts and two
 * languages, `kn find --json`, the server's hover and code lens (over LSP, real engine, fixture
 * model bert-tiny-facts) and the compare panel's data give the same refined set for every group.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeLensRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import * as C from '../../media/src/model/compare';
import type { CompareData } from '../../engine/src/types';
import { TestClient, fileUri, fixturesDir, repoRoot, tempDir } from './lspClient';

const modelDir = path.join(fixturesDir, 'bert-tiny-facts');
const cli = path.join(repoRoot, 'out', 'engine', 'src', 'cli', 'main.js');
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

/** Prompts of the fixture's reference (France's capital), with two negatives: one untagged, one French. */
function promptsFile(): string {
  const ref = JSON.parse(fs.readFileSync(path.join(modelDir, 'reference.json'), 'utf8')) as {
    facts: Array<{ country: string; relation: string; prompts: Array<{ lang: string; split: string; text: string }> }>;
  };
  const france = ref.facts.find((f) => f.country === 'France' && f.relation === 'capital')!.prompts.filter((p) => p.split === 'train');
  const en = france.filter((p) => p.lang === 'en');
  const fr = france.filter((p) => p.lang === 'fr');
  const mask = (t: string) => t.replace('[MASK]', '<mask>');
  return [
    '@version 1',
    `@model ${modelDir}`,
    'fact capital-of-france -> Paris',
    ...en.slice(0, 3).map((p) => `  [en] ${mask(p.text)}`),
    ...fr.slice(0, 3).map((p) => `  [fr] ${mask(p.text)}`),
    ...en.slice(3, 5).map((p) => `  ${mask(p.text)}`),
    `  not: ${mask(en[6].text)}`,
    `  [fr] not: ${mask(fr[3].text)}`,
    '',
  ].join('\n');
}

type Sets = Record<string, string[]>;
const label = (n: { layer: number; index: number }) => `L${n.layer}·${n.index}`;
const sorted = (xs: string[]) => [...xs].sort();

/** The refined sets a fact hover lists, per group (`all` or the language tag). */
function hoverSets(md: string): Sets {
  const out: Sets = {};
  let group: string | undefined;
  for (const line of md.split('\n')) {
    const head = /^\*\*Refined neurons — (?:all prompts|`([^`]+)`)\*\* \((\d+)\)$/.exec(line);
    if (head) out[(group = head[1] ?? 'all')] = [];
    const row = /^\| `(L\d+·\d+)` \| /.exec(line);
    if (row && group) out[group].push(row[1]);
  }
  return out;
}

test('kn find, the hover, the code lens and the compare panel agree on every refined set', { timeout: 600_000 }, async () => {
  assert.ok(fs.existsSync(path.join(modelDir, 'config.json')), `fixture model missing at ${modelDir} (set KN_FIXTURES)`);
  const dir = tempDir('agree');
  const file = path.join(dir, 'france.prompts');
  const text = promptsFile();
  fs.writeFileSync(file, text);

  const found = JSON.parse(
    execFileSync(process.execPath, [cli, 'find', file, '--json', '--device', 'cpu'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
  ) as {
    facts: Array<{ groups: Record<string, { refined: Array<[number, number]> }>; removed_by_negatives: Array<[number, number]> }>;
  };
  const fact = found.facts[0];
  const cliSets: Sets = Object.fromEntries(
    Object.entries(fact.groups).map(([g, v]) => [g, sorted(v.refined.map(([layer, index]) => label({ layer, index })))]),
  );
  assert.deepEqual(Object.keys(cliSets).sort(), ['all', 'en', 'fr']);
  // the negatives matter here: they remove neurons, so a part that ignored them would disagree
  assert.ok(fact.removed_by_negatives.length > 0, 'the negative examples remove some neurons');

  const c = await TestClient.start({
    settings: { cacheFolder: path.join(dir, 'cache'), onSave: 'off', device: 'cpu' },
    env: { KN_DEFAULT_MODEL: '' },
    workspace: dir,
  });
  clients.push(c);
  const uri = fileUri(file);
  await c.open(uri, text);
  await c.diagnosticsFor(uri);
  await c.command('knowledgeNeurons.server.findNeurons', uri, 'capital-of-france');

  const hover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 8 } });
  const hovered = hoverSets((hover!.contents as { value: string }).value);
  assert.deepEqual(Object.fromEntries(Object.entries(hovered).map(([g, v]) => [g, sorted(v)])), cliSets, 'hover');

  const lenses = await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  const union = new Set(Object.values(cliSets).flat());
  assert.equal(lenses![0].command!.title, `Knowledge neurons: ${union.size} refined`, 'code lens');

  const data = await c.conn.sendRequest<CompareData>('knowledgeNeurons/compareData', { uri, facts: ['capital-of-france'] });
  const f = data.facts[0];
  const panel = C.compareModel(data, { facts: [f.name], groups: C.factGroups(f) }, data.settings);
  const panelSets: Sets = Object.fromEntries(panel.sets.map((s) => [s.group, sorted(s.refined.map(label))]));
  assert.ok(
    panel.sets.every((s) => s.source === 'scores'),
    'the panel re-refines from the scores',
  );
  assert.deepEqual(panelSets, cliSets, 'compare panel');
  // and the data's own lists are the server's
  assert.deepEqual(Object.fromEntries(Object.entries(f.groups).map(([g, v]) => [g, sorted(v.refined.map(label))])), cliSets, 'compare data groups');
});
