// The whole backward graph on each fixture: the gradient of P(target) with respect to one layer's
// FFN activation (times the activation) against central finite differences, all in float64 by the
// reference evaluator; then ONNX Runtime's float32 run of the same graph against the float64 one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../engine/src/index';
import { evaluate } from '../../engine/src/graph/interpret';
import type { Value } from '../../engine/src/graph/ir';
import type { Tensor } from '../../engine/src/graph/ops';
import { buildForward, buildIntegratedGradients } from '../../engine/src/model/graphs';
import { CompiledGraph, Runtime } from '../../engine/src/runtime';
import { fixture } from '../helpers';

const cases = [
  { model: 'bert-tiny-facts', prompt: 'Everyone knows that the capital of France is <mask>.', target: 'Berlin', layer: 2 },
  { model: 'xlmr-tiny-facts', prompt: 'La capitale de la France est <mask>.', target: 'Madrid', layer: 1 },
  { model: 'gpt2-tiny-facts', prompt: 'The capital of France is', target: 'Rome', layer: 2 },
  { model: 'llama-stories260k', prompt: 'Lily went to the park with her', target: 'dad', layer: 3 },
];

const t = (shape: number[], data: ArrayLike<number>): Tensor => ({ shape, data: Float64Array.from(data) });

for (const c of cases) {
  test(`${c.model}: ∂P/∂activation of the backward graph matches finite differences`, async () => {
    const model = await loadModel(fixture(c.model), { device: 'cpu' });
    const cfg = model.config;
    const enc = model.encode(c.prompt, c.target);
    const T = enc.ids.length;
    const pos = enc.positions[0];
    const onehot = Array.from({ length: T }, (_, i) => (i === pos ? 1 : 0));
    const target = Array.from({ length: cfg.vocab }, (_, i) => (i === enc.answerIds[0] ? 1 : 0));
    // One step at α = 1 with weight 1: score = a ⊙ ∂P/∂a at the unpatched activation.
    const ig = buildIntegratedGradients(cfg, model.weights, T, 1, c.layer, c.layer);
    const igFeeds = new Map<Value, Tensor>([
      [ig.ids, t([T], enc.ids)],
      [ig.position, t([T], onehot)],
      [ig.target, t([cfg.vocab], target)],
      [ig.alphas, t([1, 1], [1])],
      [ig.weights, t([1, 1], [1])],
    ]);
    const [analytic] = evaluate(ig.graph, igFeeds, [ig.scores]);

    const fwd = buildForward(cfg, model.weights, T);
    const pAt = (scales: Float64Array) =>
      evaluate(
        fwd.graph,
        new Map<Value, Tensor>([
          [fwd.ids, t([T], enc.ids)],
          [fwd.position, t([T], onehot)],
          [fwd.scales, { shape: [cfg.layers, cfg.ffn], data: scales }],
        ]),
        [fwd.probs],
      )[0].data[pos * cfg.vocab + enc.answerIds[0]];
    const ones = () => new Float64Array(cfg.layers * cfg.ffn).fill(1);
    const order = Array.from(analytic.data.keys()).sort((a, b) => Math.abs(analytic.data[b]) - Math.abs(analytic.data[a]));
    const checked = [...order.slice(0, 4), order[Math.floor(order.length / 2)]];
    const h = 1e-5;
    const scale = Math.max(...Array.from(analytic.data, Math.abs));
    assert.ok(scale > 0, 'the gradient is not identically zero');
    for (const i of checked) {
      const up = ones();
      up[c.layer * cfg.ffn + i] = 1 + h;
      const down = ones();
      down[c.layer * cfg.ffn + i] = 1 - h;
      // P(s·a_i) differentiated in s at s = 1 is a_i ∂P/∂a_i.
      const fd = (pAt(up) - pAt(down)) / (2 * h);
      assert.ok(Math.abs(fd - analytic.data[i]) <= 1e-6 * scale + 1e-10, `neuron ${i}: backward graph ${analytic.data[i]} vs finite difference ${fd}`);
    }

    const compiled = await CompiledGraph.create(ig.graph, await Runtime.open({ device: 'cpu' }));
    const f32 = new Map<Value, Float32Array | number[]>(
      [...igFeeds].map(([v, x]) => [v, v.dtype === 'int64' ? Array.from(x.data) : Float32Array.from(x.data)]),
    );
    const got = (await compiled.run(f32)).get(ig.scores) as Float32Array;
    analytic.data.forEach((x, i) => assert.ok(Math.abs(got[i] - x) <= 1e-4 * scale, `ONNX Runtime float32 ${got[i]} vs float64 ${x}`));
    await compiled.dispose();
    await model.dispose();
  });
}
