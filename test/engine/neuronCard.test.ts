// The neuron card (Geva et al. 2022): a neuron's value vector projected through the output
// embedding. Checked against the same product computed here, in float64, straight from each
// fixture's safetensors file with the weight names written out by hand, and on a model whose
// neurons are planted to write one answer's embedding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { loadModel, neuronCard } from '../../engine/src/index';
import { fixture, repoRoot, rng } from '../helpers';
import { plantedBert, readSafetensors } from '../synthetic';

/** Per fixture: its FFN output matrix for layer l, as stored, and whether neurons are its columns ([H, F], nn.Linear) or rows ([F, H], GPT-2's Conv1D). */
const fixtures: { name: string; out: (l: number) => string; columns: boolean; embedding: string }[] = [
  { name: 'bert-tiny-facts', out: (l) => `bert.encoder.layer.${l}.output.dense.weight`, columns: true, embedding: 'bert.embeddings.word_embeddings.weight' },
  {
    name: 'xlmr-tiny-facts',
    out: (l) => `roberta.encoder.layer.${l}.output.dense.weight`,
    columns: true,
    embedding: 'roberta.embeddings.word_embeddings.weight',
  },
  { name: 'gpt2-tiny-facts', out: (l) => `transformer.h.${l}.mlp.c_proj.weight`, columns: false, embedding: 'transformer.wte.weight' },
  { name: 'llama-stories260k', out: (l) => `model.layers.${l}.mlp.down_proj.weight`, columns: true, embedding: 'model.embed_tokens.weight' },
];

for (const fx of fixtures) {
  test(`${fx.name}: the card's promoted and suppressed tokens are E·v computed directly from the safetensors weights`, async () => {
    const tensors = readSafetensors(path.join(fixture(fx.name), 'model.safetensors'));
    const model = await loadModel(fixture(fx.name), { device: 'cpu' });
    const E = tensors[fx.embedding];
    const [V, H] = E.shape;
    const r = rng(7);
    const { layers, neurons } = model.info;
    const picks = [
      { layer: 0, index: 0 },
      { layer: layers - 1, index: neurons - 1 },
      ...Array.from({ length: 3 }, () => ({ layer: Math.floor(r() * layers), index: Math.floor(r() * neurons) })),
    ];
    for (const n of picks) {
      const W = tensors[fx.out(n.layer)];
      const v = Array.from({ length: H }, (_, i) => (fx.columns ? W.data[i * W.shape[1] + n.index] : W.data[n.index * W.shape[1] + i]));
      const direct = Array.from({ length: V }, (_, t) => v.reduce((s, x, i) => s + x * E.data[t * H + i], 0));
      const order = Array.from(direct.keys()).sort((a, b) => direct[b] - direct[a]);
      const card = neuronCard(model, n, 8);
      assert.deepEqual(card.neuron, n);
      assert.deepEqual(
        card.promotes.map((t) => t.id),
        order.slice(0, 8),
        `${card.label}: promoted tokens`,
      );
      assert.deepEqual(
        card.suppresses.map((t) => t.id),
        order.slice(V - 8).reverse(),
        `${card.label}: suppressed tokens`,
      );
      for (const t of [...card.promotes, ...card.suppresses])
        assert.ok(Math.abs(t.score - direct[t.id]) <= 1e-9 * Math.max(1, Math.abs(direct[t.id])), `${card.label}: ${t.token}`);
      assert.ok(Math.abs(card.norm - Math.hypot(...v)) < 1e-9);
    }
    assert.throws(() => neuronCard(model, { layer: layers, index: 0 }), /layer .* out of range/);
    await model.dispose();
  });
}

test("a planted neuron, which writes its answer's embedding, promotes that answer first; an unused neuron writes nothing", async () => {
  const { dir, layer } = plantedBert({ atlantis: { answer: 'orichalcum', neurons: [5, 17] }, lemuria: { answer: 'basalt', neurons: [8] } });
  const model = await loadModel(dir, { device: 'cpu' });
  assert.equal(neuronCard(model, { layer, index: 5 }).promotes[0].token, 'orichalcum');
  assert.equal(neuronCard(model, { layer, index: 17 }).promotes[0].token, 'orichalcum');
  assert.equal(neuronCard(model, { layer, index: 8 }).promotes[0].token, 'basalt');
  const unused = neuronCard(model, { layer, index: 40 });
  assert.equal(unused.norm, 0);
  assert.ok(unused.promotes.every((t) => t.score === 0));
  await model.dispose();
});

test('kn neuron prints the card: --json is the card with the model, the text a two-column table; LAYER:INDEX or the label L2·43', async () => {
  const kn = (...args: string[]) => spawnSync(process.execPath, [path.join(repoRoot(), 'out/engine/src/cli/main.js'), ...args], { encoding: 'utf8' });
  const bert = fixture('bert-tiny-facts');
  const r = kn('neuron', '--model', bert, '--device', 'cpu', '--top-k', '4', '--json', '2:43');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), ['model', 'neuron', 'label', 'norm', 'promotes', 'suppresses']);
  const model = await loadModel(bert, { device: 'cpu' });
  assert.deepEqual(j.promotes, neuronCard(model, { layer: 2, index: 43 }, 4).promotes);
  await model.dispose();
  const text = kn('neuron', '--model', bert, '--device', 'cpu', '--top-k', '4', 'L2·43');
  assert.equal(text.status, 0, text.stderr);
  const lines = text.stdout.trim().split('\n');
  assert.equal(lines.length, 2 + 4);
  assert.ok(lines[2].includes(j.promotes[0].token) && lines[2].includes(j.suppresses[0].token));
  assert.equal(kn('neuron', '--model', bert, '--device', 'cpu', '9:1').status, 2);
  assert.equal(kn('neuron', '--model', bert, '--device', 'cpu', '--top-k', '0', '1:1').status, 1);
  assert.equal(kn('neuron', '--model', bert, '--device', 'cpu').status, 1);
});
