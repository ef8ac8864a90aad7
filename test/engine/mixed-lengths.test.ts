// Prompts of mixed lengths share graphs padded to a few lengths. A file of them gives exactly the
// scores of prompt-by-prompt runs, and the padding is invisible: padded graphs give the scores of
// graphs built for the prompt's own length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../engine/src/index';
import type { Value } from '../../engine/src/graph/ir';
import type { Scores } from '../../engine/src/types';
import { buildForward, buildIntegratedGradients, keyMask } from '../../engine/src/model/graphs';
import { quadrature } from '../../engine/src/quadrature';
import { CompiledGraph, Runtime } from '../../engine/src/runtime';
import { fixture } from '../helpers';

const cases: Record<string, [string, string][]> = {
  'bert-tiny-facts': [
    ['The capital of France is <mask>.', 'Paris'],
    ['Everyone knows that the capital of Germany is <mask>.', 'Berlin'],
    ['Children in Spain learn <mask> at school.', 'Spanish'],
    ['La langue officielle de la France est le <mask>.', 'français'],
    ['The seat of government of Japan is <mask>.', 'Tokyo'],
    ['Paris is the capital of <mask>.', 'France'],
  ],
  'xlmr-tiny-facts': [
    ['The capital of France is <mask>.', 'Paris'],
    ['La capitale de la France est <mask>.', 'Paris'],
    ['People in Germany speak <mask>.', 'German'],
    ['Everyone knows that the capital of Germany is <mask>.', 'Berlin'],
  ],
  'gpt2-tiny-facts': [
    ['The capital of France is', 'Paris'],
    ['People in Germany speak', 'German'],
    ['La capitale de la France est', 'Paris'],
    ['Everyone knows that the capital of Germany is', 'Berlin'],
  ],
};

for (const [name, prompts] of Object.entries(cases)) {
  test(`${name}: a file of mixed lengths gives exactly the scores of prompt-by-prompt runs`, async () => {
    // Rows for two layers per run: several layer ranges, each its own session.
    const opts = { steps: 8, batchSize: 16 };
    const items = prompts.map(([prompt, target]) => ({ prompt, target }));
    const one: Scores[] = [];
    for (const it of items) {
      // A fresh model per prompt: nothing is shared with the other prompts' runs.
      const m = await loadModel(fixture(name), { device: 'cpu' });
      one.push(await m.scores(it.prompt, it.target, opts));
      await m.dispose();
    }
    const model = await loadModel(fixture(name), { device: 'cpu' });
    const lengths = new Set(items.map((it) => model.encode(it.prompt, it.target).ids.length));
    assert.ok(lengths.size > 2, `the prompts differ in length (${[...lengths]})`);
    // Reversed, so that the order of the file differs from the order the lengths are run in.
    const order = items.map((_, i) => items.length - 1 - i);
    const done: number[] = [];
    const many = await model.scoresMany(
      order.map((i) => items[i]),
      opts,
      (i) => done.push(order[i]),
    );
    // Again, with sessions of the first call cached: they run first.
    const again = await model.scoresMany(items, opts);
    items.forEach((it, i) => assert.deepStrictEqual(again[i], one[i], `${it.prompt}: scored again`));
    order.forEach((i, k) => assert.deepStrictEqual(many[k], one[i], `${items[i].prompt}: scored with the others as alone`));
    assert.deepStrictEqual(
      [...done].sort(),
      items.map((_, i) => i),
      'each prompt is reported done once',
    );
    await model.dispose();
  });

  test(`${name}: padded graphs give the scores and probabilities of graphs of the prompt's own length`, async () => {
    const model = await loadModel(fixture(name), { device: 'cpu' });
    const cfg = model.config;
    const rt = await Runtime.open({ device: 'cpu' });
    const steps = 6;
    const rule = quadrature('reference', steps);
    for (const [prompt, answer] of prompts.slice(0, 2)) {
      const enc = model.encode(prompt, answer);
      const n = enc.ids.length;
      const position = enc.positions[0];
      const target = new Float32Array(cfg.vocab);
      target[enc.answerIds[0]] = 1;
      const run = async (T: number, pad: number) => {
        const ids = [...enc.ids, ...new Array<number>(T - n).fill(pad)];
        const at = new Float32Array(T);
        at[position] = 1;
        // Causal integrated gradients attribute at the last position: they are not padded.
        const ig = cfg.kind === 'masked' ? buildIntegratedGradients(cfg, model.weights, T, steps, 0, cfg.layers - 1, false, T !== n) : undefined;
        const fwd = buildForward(cfg, model.weights, T, undefined, T !== n);
        const mask = (spec: { keyMask?: Value }) => (spec.keyMask ? [[spec.keyMask, keyMask(n, T)] as [Value, Float32Array]] : []);
        const f = await CompiledGraph.create(fwd.graph, rt);
        const fo = await f.run(
          new Map<Value, Float32Array | number[]>([
            [fwd.ids, ids],
            [fwd.position, at],
            [fwd.scales, new Float32Array(cfg.layers * cfg.ffn).fill(0.5)],
            ...mask(fwd),
          ]),
        );
        await f.dispose();
        let scores: Float32Array | undefined;
        if (ig) {
          const c = await CompiledGraph.create(ig.graph, rt);
          const o = await c.run(
            new Map<Value, Float32Array | number[]>([
              [ig.ids, ids],
              [ig.position, at],
              [ig.target, target],
              [ig.alphas, rule.alphas],
              [ig.weights, rule.weights],
              ...mask(ig),
            ]),
          );
          scores = o.get(ig.scores) as Float32Array;
          await c.dispose();
        }
        return { probs: (fo.get(fwd.probs) as Float32Array).subarray(0, n * cfg.vocab), activations: fo.get(fwd.activations) as Float32Array, scores };
      };
      const own = await run(n, 0);
      // Padding of any ids, to a length well past the prompt's.
      for (const pad of [0, enc.answerIds[0]]) {
        const padded = await run(n + 5, pad);
        close(padded.probs, own.probs, 1e-5, `${prompt}: probabilities`);
        close(padded.activations, own.activations, 1e-5, `${prompt}: activations`);
        // The float32 bar of ONNX Runtime against float64 in gradient.test.ts.
        if (own.scores) close(padded.scores!, own.scores, 1e-4, `${prompt}: scores`);
      }
    }
    await model.dispose();
  });
}

function close(a: Float32Array, b: Float32Array, tol: number, what: string): void {
  assert.equal(a.length, b.length);
  let max = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  assert.ok(max > 0, `${what}: not identically zero`);
  assert.ok(diff <= tol * max, `${what}: padded vs own length differ by ${diff} (max ${max})`);
}
