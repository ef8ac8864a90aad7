/**
 * Neuron cards in the language server, with the real engine on bert-tiny-facts: the fact hover
 * shows, for each refined neuron, the tokens its value vector promotes and suppresses (compact),
 * and the panel's `knowledgeNeurons/neuronCard` request answers the full card. Both are checked
 * against E·v computed here in float64 straight from the fixture's safetensors file (as
 * test/engine/neuronCard.test.ts does), never against the engine's own card.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { NeuronCardRequest } from '../../protocol/lsp';
import { bertCardFromSafetensors } from '../synthetic';
import { TestClient, fileUri, fixturesDir, tempDir } from './lspClient';

const modelDir = path.join(fixturesDir, 'bert-tiny-facts');
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

test('fact hover: each refined neuron with the tokens it promotes and suppresses; the panel request: the full card', { timeout: 240_000 }, async () => {
  assert.ok(fs.existsSync(path.join(modelDir, 'config.json')), `fixture model missing at ${modelDir} (set KN_FIXTURES)`);
  const dir = tempDir('cards');
  const file = path.join(dir, 'france.prompts');
  const text = [
    '@version 1',
    `@model ${modelDir}`,
    '@steps 8',
    'fact capital-of-france -> Paris',
    '  The capital of France is <mask>.',
    '  <mask> is the capital of France.',
    "  France's capital is <mask>.",
    '  The capital city of France is <mask>.',
    '',
  ].join('\n');
  fs.writeFileSync(file, text);
  const uri = fileUri(file);
  const c = await TestClient.start({
    settings: { cacheFolder: path.join(dir, 'cache'), onSave: 'off', device: 'cpu' },
    env: { KN_DEFAULT_MODEL: '' },
    workspace: dir,
  });
  clients.push(c);
  await c.open(uri, text);
  const found = await c.command<{ facts: Array<{ groups: Record<string, { refined: Array<{ layer: number; index: number }> }> }> }>(
    'knowledgeNeurons.server.findNeurons',
    uri,
    'capital-of-france',
  );
  const refined = found.facts[0].groups.all.refined;
  assert.ok(refined.length > 0, 'the fact has refined neurons');

  const hover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 6 } });
  const md = (hover!.contents as { value: string }).value;
  assert.match(md, /\| neuron \| shared by \| promotes \| suppresses \|/);
  const project = bertCardFromSafetensors(modelDir);
  const code = (cell: string) => [...cell.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
  const shown = (t: string) => t.replace(/`/g, "'").replace(/\|/g, '¦');
  for (const n of refined) {
    const label = `L${n.layer}·${n.index}`;
    const row = md.split('\n').find((l) => l.startsWith(`| \`${label}\` |`));
    assert.ok(row, `${label} in the hover:\n${md}`);
    const cells = row.split(/(?<!\\)\|/).slice(1, -1);
    const direct = project(n.layer, n.index);
    assert.deepEqual(
      code(cells[2]),
      direct.promotes.slice(0, 3).map((id) => shown(direct.tokenOf[id])),
      `${label}: promotes`,
    );
    assert.deepEqual(
      code(cells[3]),
      direct.suppresses.slice(0, 3).map((id) => shown(direct.tokenOf[id])),
      `${label}: suppresses`,
    );
  }

  // the panel's drill-down asks for any neuron, refined or not
  for (const n of [refined[0], { layer: 0, index: 0 }, { layer: 3, index: 511 }]) {
    const card = await c.conn.sendRequest(NeuronCardRequest, { uri, neuron: n });
    const direct = project(n.layer, n.index);
    assert.deepEqual(card.neuron, n);
    assert.deepEqual(
      card.promotes.map((t) => [t.id, t.token]),
      direct.promotes.map((id) => [id, direct.tokenOf[id]]),
    );
    assert.deepEqual(
      card.suppresses.map((t) => t.id),
      direct.suppresses,
    );
    for (const t of card.promotes) assert.ok(Math.abs(t.score - direct.score[t.id]) <= 1e-9 * Math.max(1, Math.abs(direct.score[t.id])));
    assert.ok(Math.abs(card.norm - direct.norm) < 1e-9);
  }
  await assert.rejects(c.conn.sendRequest(NeuronCardRequest, { uri, neuron: { layer: 4, index: 0 } }), /layer 4 is out of range/);
});
