// Llama-family models. On llama-stories260k, a real pretrained model (Karpathy's TinyStories 260K),
// everything is checked against its reference.json; random-weight Mistral- and Qwen2-shaped models
// built here are checked by finite differences.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { coarseNeurons, loadModel, Model, refineNeurons } from '../../engine/src/index';
import { evaluate } from '../../engine/src/graph/interpret';
import type { Value } from '../../engine/src/graph/ir';
import type { Tensor } from '../../engine/src/graph/ops';
import { buildForward, buildIntegratedGradients } from '../../engine/src/model/graphs';
import { fixture, rng } from '../helpers';
import { encodeSafetensors, Tensors, tempDir } from '../synthetic';

const ref = JSON.parse(fs.readFileSync(fixture('llama-stories260k/reference.json'), 'utf8'));
let model: Model;
before(async () => {
  model = await loadModel(fixture('llama-stories260k'), { device: 'cpu' });
});
after(() => model.dispose());

test('all 17 facts: input ids exact, p_target and top-5 within 1e-5', async () => {
  assert.equal(ref.facts.length, 17);
  for (const f of ref.facts) {
    const r = await model.predict(f.text, f.target_text.trim());
    assert.deepEqual(r.input_ids, f.input_ids, f.text);
    assert.deepEqual(r.target_ids, [f.target_id], f.text);
    assert.equal(r.position, f.position);
    assert.ok(Math.abs(r.p_target - f.p_target) < 1e-5, `${f.text}: ${r.p_target} vs ${f.p_target}`);
    r.top_k.forEach((t, i) => {
      assert.equal(t.id, f.top5[i][0]);
      assert.ok(Math.abs(t.p - f.top5[i][2]) < 1e-5);
    });
  }
});

test('the three attribution matrices (SwiGLU act(gate)·up) agree to 1e-3 × max, and their coarse sets', async () => {
  const withScores = ref.facts.filter((f: any) => f.scores);
  assert.equal(withScores.length, 3);
  for (const f of withScores) {
    const r = await model.scores(f.text, f.target_text.trim(), { steps: ref.settings.steps });
    const max = Math.max(...f.scores.flat().map(Math.abs));
    r.scores.forEach((row, l) =>
      row.forEach((s, i) => assert.ok(Math.abs(s - f.scores[l][i]) <= 1e-3 * max, `${f.text} L${l}·${i}: ${s} vs ${f.scores[l][i]}`)),
    );
    const coarse = coarseNeurons(r.scores, { kind: 'adaptive', value: ref.settings.coarse_threshold }).map((n) => [n.layer, n.index]);
    assert.deepEqual(coarse, f.coarse);
    // The integrand at every α matches too.
    const enc = model.encode(f.text, f.target_text.trim());
    const ig = await model.igScores(enc.ids, enc.positions[0], enc.answerIds[0], 20);
    ig.pAlpha.forEach((row, l) => row.forEach((p, k) => assert.ok(Math.abs(p - f.p_target_at_alpha[l][k]) < 1e-5)));
  }
});

test('greedy decoding of "Once upon a time" reproduces the stored 60-token sample', async () => {
  const g = ref.greedy_sample;
  const r = await model.generate(g.prompt, g.max_new_tokens);
  assert.deepEqual([...g.input_ids, ...r.ids], g.output_ids);
  assert.equal(r.ids.length, 60);
});

test('suppressing the refined neurons of the "Lily" fact lowers P(Lily) more than random neurons of the same layers', async (t) => {
  const lily = ref.facts.filter((f: any) => f.target_token === '▁Lily');
  assert.ok(lily.length >= 2);
  const coarse = [];
  for (const f of lily) coarse.push(coarseNeurons((await model.scores(f.text, 'Lily')).scores, { kind: 'adaptive', value: 0.3 }));
  const refined = refineNeurons(coarse, 0.5);
  assert.ok(refined.length > 0);
  const drop = async (neurons: { layer: number; index: number }[]) => {
    let total = 0;
    for (const f of lily) {
      const r = await model.intervene(f.text, 'Lily', neurons, { mode: 'suppress' });
      total += (r.before.p_target - r.after.p_target) / r.before.p_target;
    }
    return total / lily.length;
  };
  const own = await drop(refined);
  const r = rng(11);
  const randoms: number[] = [];
  for (let k = 0; k < 5; k++) randoms.push(await drop(refined.map((n) => ({ layer: n.layer, index: Math.floor(r() * model.config.ffn) }))));
  const random = randoms.reduce((a, b) => a + b, 0) / randoms.length;
  t.diagnostic(
    `refined ${refined.map((n) => `L${n.layer}·${n.index}`).join(' ')}: mean relative drop of P(Lily) ${(100 * own).toFixed(1)}%; random neurons of the same layers: ${(100 * random).toFixed(1)}%`,
  );
  assert.ok(own > random + 0.05, `refined ${own} vs random ${random}`);
});

/** A random-weight Llama-family model: Mistral (sliding window, GQA) or Qwen2 (q/k/v biases). */
function randomLlamaFamily(kind: 'MistralForCausalLM' | 'Qwen2ForCausalLM'): string {
  const H = 32,
    F = 48,
    L = 2,
    heads = 4,
    kv = 2,
    d = 8,
    V = 512;
  const r = rng(kind.length);
  const t: Tensors = {};
  const put = (name: string, shape: number[], sd = 0.2, mean = 0) => {
    t[name] = { shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => mean + sd * (r() * 2 - 1)) };
  };
  put('model.embed_tokens.weight', [V, H], 1);
  for (let l = 0; l < L; l++) {
    const p = `model.layers.${l}`;
    put(`${p}.input_layernorm.weight`, [H], 0.1, 1);
    put(`${p}.post_attention_layernorm.weight`, [H], 0.1, 1);
    put(`${p}.self_attn.q_proj.weight`, [heads * d, H]);
    put(`${p}.self_attn.k_proj.weight`, [kv * d, H]);
    put(`${p}.self_attn.v_proj.weight`, [kv * d, H]);
    put(`${p}.self_attn.o_proj.weight`, [H, heads * d]);
    if (kind === 'Qwen2ForCausalLM')
      for (const [n, o] of [
        ['q', heads * d],
        ['k', kv * d],
        ['v', kv * d],
      ] as const)
        put(`${p}.self_attn.${n}_proj.bias`, [o]);
    put(`${p}.mlp.gate_proj.weight`, [F, H]);
    put(`${p}.mlp.up_proj.weight`, [F, H]);
    put(`${p}.mlp.down_proj.weight`, [H, F]);
  }
  put('model.norm.weight', [H], 0.1, 1);
  put('lm_head.weight', [V, H], 0.5);
  const dir = tempDir(kind);
  fs.writeFileSync(path.join(dir, 'model.safetensors'), encodeSafetensors(t));
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      architectures: [kind],
      hidden_size: H,
      intermediate_size: F,
      num_hidden_layers: L,
      num_attention_heads: heads,
      num_key_value_heads: kv,
      head_dim: d,
      vocab_size: V,
      max_position_embeddings: 64,
      rms_norm_eps: 1e-6,
      rope_theta: 1e4,
      hidden_act: 'silu',
      tie_word_embeddings: false,
      ...(kind === 'MistralForCausalLM' ? { sliding_window: 4 } : { use_sliding_window: false, rope_scaling: { type: 'linear', factor: 2 } }),
    }),
  );
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) fs.copyFileSync(fixture(`llama-stories260k/${f}`), path.join(dir, f));
  return dir;
}

for (const kind of ['MistralForCausalLM', 'Qwen2ForCausalLM'] as const) {
  test(`${kind}: a random-weight model loads, runs, and its gradients match finite differences`, async () => {
    const m = await loadModel(randomLlamaFamily(kind), { device: 'cpu' });
    const prompt = 'Once upon a time, there was a little girl named';
    const p = await m.predict(prompt, 'Lily');
    assert.ok(p.p_target > 0 && p.p_target < 1 && p.top_k.length === 5);
    const cfg = m.config;
    const enc = m.encode(prompt, 'Lily');
    const T = enc.ids.length;
    const tt = (shape: number[], data: ArrayLike<number>): Tensor => ({ shape, data: Float64Array.from(data) });
    const onehot = Array.from({ length: T }, (_, i) => (i === T - 1 ? 1 : 0));
    const ig = buildIntegratedGradients(cfg, m.weights, T, 1, 0, 0);
    const [analytic] = evaluate(
      ig.graph,
      new Map<Value, Tensor>([
        [ig.ids, tt([T], enc.ids)],
        [ig.position, tt([T], onehot)],
        [
          ig.target,
          tt(
            [cfg.vocab],
            Array.from({ length: cfg.vocab }, (_, i) => (i === enc.answerIds[0] ? 1 : 0)),
          ),
        ],
        [ig.alphas, tt([1, 1], [1])],
        [ig.weights, tt([1, 1], [1])],
      ]),
      [ig.scores],
    );
    const fwd = buildForward(cfg, m.weights, T);
    const pAt = (s: Float64Array) =>
      evaluate(
        fwd.graph,
        new Map<Value, Tensor>([
          [fwd.ids, tt([T], enc.ids)],
          [fwd.position, tt([T], onehot)],
          [fwd.scales, { shape: [cfg.layers, cfg.ffn], data: s }],
        ]),
        [fwd.probs],
      )[0].data[(T - 1) * cfg.vocab + enc.answerIds[0]];
    const scale = Math.max(...Array.from(analytic.data, Math.abs));
    for (const i of [0, 7, 23, 47]) {
      const up = new Float64Array(cfg.layers * cfg.ffn).fill(1);
      const down = up.slice();
      up[i] = 1 + 1e-5;
      down[i] = 1 - 1e-5;
      const fd = (pAt(up) - pAt(down)) / 2e-5;
      assert.ok(Math.abs(fd - analytic.data[i]) <= 1e-6 * scale + 1e-12, `neuron ${i}: ${analytic.data[i]} vs ${fd}`);
    }
    await m.dispose();
  });
}
