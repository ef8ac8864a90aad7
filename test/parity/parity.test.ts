// Every architecture against Hugging Face transformers itself: small random models that
// scripts/parity/make_references.py built, saved and ran (in float64) beside each reference.json.
// Input ids exact; P(answer) and the top-k within 1e-5 (and 1e-4 relative: random models give small
// probabilities); ∂P/∂(neuron) per layer and integrated-gradient scores within 1e-4 × their max.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Model } from '../../engine/src/index';
import { buildArchitecture, ffnOut } from '../../engine/src/model/architectures';
import { Graph } from '../../engine/src/graph/ir';
import { gradients } from '../../engine/src/graph/autodiff';
import { CompiledGraph, Runtime } from '../../engine/src/runtime';
import { repoRoot } from '../helpers';

const ROOT = path.join(repoRoot(), 'test', 'parity');
const ARCHS = fs.readdirSync(ROOT).filter((d) => fs.existsSync(path.join(ROOT, d, 'reference.json')));

interface RefPrompt {
  prompt: string;
  answer: string;
  input_ids: number[];
  position: number;
  target_id: number;
  p_target: number;
  top_k: [number, string, number][];
  gradients: number[][];
  ig_scores?: number[][];
}

function closeP(got: number, want: number, what: string): number {
  const d = Math.abs(got - want);
  assert.ok(d <= 1e-5 && d <= 1e-4 * want + 1e-9, `${what}: ${got} vs ${want}`);
  return d;
}

function closeMatrix(got: ArrayLike<number>[], want: number[][], what: string) {
  const max = Math.max(...want.flat().map(Math.abs));
  let worst = 0;
  want.forEach((row, l) => row.forEach((w, i) => (worst = Math.max(worst, Math.abs(got[l][i] - w)))));
  assert.ok(max > 0, `${what}: the reference is all zeros`);
  assert.ok(worst <= 1e-4 * max, `${what}: largest difference ${worst.toExponential(2)} = ${(worst / max).toExponential(2)} × max ${max.toExponential(2)}`);
  return worst / max;
}

/**
 * ∂P(target)/∂(neuron) per layer at each prompt's position: the architecture's forward graph with a
 * zero offset added to the neurons there, differentiated with respect to that offset. One graph
 * holds every prompt (one compilation).
 */
async function neuronGradients(model: Model, rt: Runtime, prompts: RefPrompt[]): Promise<Float32Array[][]> {
  const cfg = model.config;
  const g = new Graph();
  const weights = model.weights.bind(g);
  const feeds = new Map<any, any>();
  const outputs = prompts.map((p, n) => {
    const T = p.input_ids.length;
    const ids = g.input(`ids${n}`, [T], 'int64');
    const offset = g.input(`offset${n}`, [cfg.layers, cfg.ffn]);
    feeds.set(ids, p.input_ids).set(offset, new Float32Array(cfg.layers * cfg.ffn));
    const at = g.constant(
      Float32Array.from({ length: T }, (_, t) => (t === p.position ? 1 : 0)),
      [1, T, 1],
      'float32',
    );
    const arch = buildArchitecture(cfg, g, weights, T);
    let h = arch.embed(ids, T);
    for (let l = 0; l < cfg.layers; l++) {
      const x = arch.attention(l, h);
      const act = g.add(arch.activation(l, x), g.mul(g.reshape(g.slice(offset, 0, l, l + 1), [1, 1, cfg.ffn]), at));
      h = ffnOut(arch, l, act, x);
    }
    const logits = arch.head(g.sum(g.mul(h, at), [1]));
    const target = g.constant(
      Float32Array.from({ length: cfg.vocab }, (_, v) => (v === p.target_id ? 1 : 0)),
      [cfg.vocab],
      'float32',
    );
    const [grad] = gradients(g, g.sum(g.targetProb(logits, target), [0]), [offset]);
    return g.output(`grad${n}`, grad);
  });
  const compiled = await CompiledGraph.create(g, rt);
  try {
    const r = await compiled.run(feeds);
    return outputs.map((o) => {
      const flat = r.get(o) as Float32Array;
      return Array.from({ length: cfg.layers }, (_, l) => flat.subarray(l * cfg.ffn, (l + 1) * cfg.ffn));
    });
  } finally {
    await compiled.dispose();
  }
}

let rt: Runtime;
before(async () => {
  rt = await Runtime.open({ device: 'cpu' });
});

for (const arch of ARCHS) {
  const dir = path.join(ROOT, arch);
  const ref = JSON.parse(fs.readFileSync(path.join(dir, 'reference.json'), 'utf8'));
  describe(`${arch} (${ref.architecture}) against transformers ${ref.transformers}`, () => {
    let model: Model;
    before(async () => {
      model = await Model.load(dir, { device: 'cpu' });
    });
    after(() => model?.dispose());

    test('input ids, P(answer) and the top-k', async (t) => {
      let worst = 0;
      for (const p of ref.prompts as RefPrompt[]) {
        const r = await model.predict(p.prompt, p.answer, { topK: p.top_k.length });
        assert.deepEqual(r.input_ids, p.input_ids, p.prompt);
        assert.equal(r.position, p.position, p.prompt);
        assert.deepEqual(r.target_ids, [p.target_id], p.prompt);
        worst = Math.max(worst, closeP(r.p_target, p.p_target, `${p.prompt} P(${p.answer})`));
        r.top_k.forEach((k, i) => {
          assert.equal(k.id, p.top_k[i][0], `${p.prompt}: top ${i + 1}`);
          worst = Math.max(worst, closeP(k.p, p.top_k[i][2], `${p.prompt}: top ${i + 1}`));
        });
      }
      t.diagnostic(`largest |ΔP| ${worst.toExponential(1)}`);
    });

    test('∂P/∂neuron per layer at the answer position', async (t) => {
      const prompts = ref.prompts as RefPrompt[];
      const got = await neuronGradients(model, rt, prompts);
      t.diagnostic(`largest difference ${Math.max(...prompts.map((p, n) => closeMatrix(got[n], p.gradients, p.prompt))).toExponential(1)} × max`);
    });

    test(`integrated-gradient scores (${ref.ig.steps} steps, ${ref.ig.quadrature} quadrature)`, async (t) => {
      const withScores = (ref.prompts as RefPrompt[]).filter((p) => p.ig_scores);
      assert.ok(withScores.length >= 2);
      let worst = 0;
      for (const p of withScores) {
        const r = await model.scores(p.prompt, p.answer, { steps: ref.ig.steps, quadrature: ref.ig.quadrature });
        closeP(r.p_target, p.p_target, `${p.prompt} P(${p.answer})`);
        worst = Math.max(worst, closeMatrix(r.scores, p.ig_scores!, p.prompt));
      }
      t.diagnostic(`largest difference ${worst.toExponential(1)} × max`);
    });
  });
}
