// Weights in other forms: float16 / bfloat16 on disk, two shards with an index, and inline
// initializers instead of the default ONNX external data (the path every model, and any over 2 GB,
// takes; the benchmark loads a real one with --large). Predictions agree with the float32 file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../engine/src/index';
import { buildForward, buildIntegratedGradients } from '../../engine/src/model/graphs';
import { fixture } from '../helpers';
import { copyFixture, encodeSafetensors, readSafetensors, Tensors } from '../synthetic';

const prompts = ['The capital of France is <mask>.', 'La langue officielle de la France est le <mask>.', '<mask> is the capital of Japan.'];
const answers = ['Paris', 'français', 'Tokyo'];

async function predictions(dir: string, opts = {}) {
  const m = await loadModel(dir, { device: 'cpu', ...opts });
  const out = [];
  for (let i = 0; i < prompts.length; i++) out.push(await m.predict(prompts[i], answers[i]));
  const scores = await m.scores(prompts[0], answers[0], { steps: 4 });
  await m.dispose();
  return { out, scores };
}

function rewrite(dir: string, convert: (t: Tensors) => Record<string, Tensors>) {
  fs.rmSync(path.join(dir, 'model.safetensors'));
  const files = convert(readSafetensors(fixture('bert-tiny-facts/model.safetensors')));
  for (const [name, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), encodeSafetensors(t));
}

test('float16, bfloat16, two shards and inline initializers give the float32 predictions', async () => {
  const base = await predictions(fixture('bert-tiny-facts'));
  const close = (got: Awaited<ReturnType<typeof predictions>>, tol: number, what: string) => {
    got.out.forEach((r, i) => {
      assert.deepEqual(r.input_ids, base.out[i].input_ids);
      assert.equal(r.top_k[0].id, base.out[i].top_k[0].id, `${what}: same argmax`);
      assert.ok(Math.abs(r.p_target - base.out[i].p_target) <= tol, `${what}: ${r.p_target} vs ${base.out[i].p_target}`);
    });
  };

  const f16 = copyFixture('bert-tiny-facts');
  rewrite(f16, (t) => ({ 'model.safetensors': Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { ...v, dtype: 'F16' as const }])) }));
  close(await predictions(f16), 2e-3, 'float16');

  const bf16 = copyFixture('bert-tiny-facts');
  rewrite(bf16, (t) => ({ 'model.safetensors': Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { ...v, dtype: 'BF16' as const }])) }));
  close(await predictions(bf16), 2e-2, 'bfloat16');

  const sharded = copyFixture('bert-tiny-facts');
  rewrite(sharded, (t) => {
    const names = Object.keys(t);
    const half = Math.floor(names.length / 2);
    const shard = (ns: string[]) => Object.fromEntries(ns.map((n) => [n, t[n]]));
    const files = { 'model-00001-of-00002.safetensors': shard(names.slice(0, half)), 'model-00002-of-00002.safetensors': shard(names.slice(half)) };
    const weight_map = Object.fromEntries(Object.entries(files).flatMap(([f, ts]) => Object.keys(ts).map((n) => [n, f])));
    fs.writeFileSync(path.join(sharded, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map }));
    return files;
  });
  const s = await predictions(sharded);
  close(s, 0, 'two shards');

  const inline = await predictions(fixture('bert-tiny-facts'), { externalDataAbove: Infinity });
  close(inline, 0, 'inline initializers');
  assert.deepEqual(inline.scores.scores, base.scores.scores);
  assert.deepEqual(s.scores.scores, base.scores.scores);
});

test('no graph transposes a weight: ONNX Runtime would fold a private copy of it into every session', async () => {
  for (const name of ['bert-tiny-facts', 'xlmr-tiny-facts', 'gpt2-tiny-facts', 'llama-stories260k']) {
    const model = await loadModel(fixture(name), { device: 'cpu' });
    const cfg = model.config;
    for (const g of [buildForward(cfg, model.weights, 6).graph, buildIntegratedGradients(cfg, model.weights, 6, 3, 0, cfg.layers - 1).graph]) {
      const folded = g.nodes.filter((n) => n.op === 'transpose' && g.weights.has(n.inputs[0])).map((n) => n.inputs[0].name);
      assert.deepEqual(folded, [], `${name}: weights transposed in the graph`);
      // The gradients do multiply by transposed weights: through Gemm's transB.
      assert.ok(
        g.nodes.some((n) => n.op === 'gemmT'),
        `${name}: no Gemm(transB)`,
      );
    }
    await model.dispose();
  }
});
