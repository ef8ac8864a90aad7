// One session for every prompt length (engine/src/onnx/symbolic.ts). An any-length session run at
// lengths and step counts it was never built at gives the numbers of a graph built for exactly
// them, on every architecture; a small graph run at a new length agrees with the float64
// evaluator; graphs that cannot be one model are refused (the engine then builds one per length).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../engine/src/index';
import { Graph, Value } from '../../engine/src/graph/ir';
import { evaluate } from '../../engine/src/graph/interpret';
import { buildForward, buildIntegratedGradients } from '../../engine/src/model/graphs';
import { readConfig } from '../../engine/src/model/config';
import { SafetensorsFile, WeightStore } from '../../engine/src/model/safetensors';
import { Weights } from '../../engine/src/model/weights';
import { SymbolicError, SymbolicPlan, SymbolicSizes } from '../../engine/src/onnx/symbolic';
import { quadrature } from '../../engine/src/quadrature';
import { CompiledGraph, Runtime } from '../../engine/src/runtime';
import { fixture, fixturesDir, repoRoot, rng } from '../helpers';

const IG_SIZES: SymbolicSizes = { names: ['T', 'steps'], max: [40, 16], low: [7, 3], check: [11, 5] };
const FWD_SIZES: SymbolicSizes = { names: ['T'], max: [40], low: [7], check: [11] };

/** Every model the tests have: the parity models of each architecture and the fixtures. */
function allModels(): string[] {
  const parity = path.join(repoRoot(), 'test', 'parity');
  const dirs = fs.readdirSync(parity).map((d) => path.join(parity, d));
  dirs.push(...fs.readdirSync(fixturesDir()).map((d) => fixture(d)));
  return dirs.filter((d) => fs.existsSync(path.join(d, 'config.json')) && fs.existsSync(path.join(d, 'model.safetensors')));
}

function open(dir: string) {
  const { config } = readConfig(path.join(dir, 'config.json'));
  return { config, weights: new Weights(new WeightStore([new SafetensorsFile(path.join(dir, 'model.safetensors'))])) };
}

test('every architecture’s integrated-gradient and forward graphs are built for any length', () => {
  const models = allModels();
  assert.ok(models.length >= 20, `the parity models and fixtures are found (${models.length})`);
  for (const dir of models) {
    const { config, weights } = open(dir);
    const ig = SymbolicPlan.make(([T, m]) => buildIntegratedGradients(config, weights, T, m, 0, config.layers - 1).graph, IG_SIZES);
    const fwd = SymbolicPlan.make(([T]) => buildForward(config, weights, T, undefined, false, 1, 3).graph, FWD_SIZES);
    for (const { graph, plan } of [ig, fwd]) {
      const ids = graph.inputs.find((v) => v.name === 'ids')!;
      assert.equal(plan.dimParam(ids, 0), 'T', `${path.basename(dir)}: the ids are [T]`);
    }
  }
});

for (const name of ['bert-tiny-facts', 'gpt2-tiny-facts', 'llama-stories260k', path.join(repoRoot(), 'test', 'parity', 'gemma2')]) {
  const dir = path.isAbsolute(name) ? name : fixture(name);
  test(`${path.basename(dir)}: an any-length session gives, at each length and step count, the numbers of a graph built for it`, async () => {
    const model = await loadModel(dir, { device: 'cpu' });
    const { config, weights } = model;
    const rt = await Runtime.open({ device: 'cpu' });
    const causal = config.kind === 'causal';
    const any = SymbolicPlan.make(([T, m]) => buildIntegratedGradients(config, weights, T, m, 0, config.layers - 1).graph, IG_SIZES);
    const byName = (g: Graph, n: string) => [...g.inputs, ...g.outputs].find((v) => v.name === n)!;
    const anySession = await CompiledGraph.create(any.graph, rt, undefined, any.plan);
    const anyFwd = SymbolicPlan.make(([T]) => buildForward(config, weights, T, undefined, false, 1, 3).graph, FWD_SIZES);
    const fwdSession = await CompiledGraph.create(anyFwd.graph, rt, undefined, anyFwd.plan);
    const random = rng(7);
    for (const [T, steps] of [
      [5, 3],
      [13, 7],
      [29, 2],
    ]) {
      const ids = Array.from({ length: T }, () => Math.floor(random() * config.vocab));
      const position = causal ? T - 1 : Math.floor(T / 2);
      const at = new Float32Array(T);
      at[position] = 1;
      const target = new Float32Array(config.vocab);
      target[ids[0]] = 1;
      const rule = quadrature('reference', steps);
      const feeds = (g: Graph) =>
        new Map<Value, Float32Array | number[]>([
          [byName(g, 'ids'), ids],
          [byName(g, 'position'), at],
          [byName(g, 'target'), target],
          [byName(g, 'alphas'), rule.alphas],
          [byName(g, 'weights'), rule.weights],
        ]);
      const own = buildIntegratedGradients(config, weights, T, steps, 0, config.layers - 1).graph;
      const ownSession = await CompiledGraph.create(own, rt);
      const want = await ownSession.run(feeds(own));
      const got = await anySession.run(feeds(any.graph));
      await ownSession.dispose();
      for (const out of ['scores', 'p_alpha', 'probs', 'activations'])
        close(got.get(byName(any.graph, out)) as Float32Array, want.get(byName(own, out)) as Float32Array, 1e-5, `T=${T}, steps=${steps}: ${out}`);

      const scales = Float32Array.from({ length: 3 * config.layers * config.ffn }, (_, i) => [1, 0, 2][Math.floor(i / (config.layers * config.ffn))]);
      const select = new Float32Array(T);
      select[position] = 1;
      const fwdFeeds = (g: Graph) =>
        new Map<Value, Float32Array | number[]>([
          [byName(g, 'ids'), ids],
          [byName(g, 'position'), at],
          [byName(g, 'scales'), scales],
          [byName(g, 'select'), select],
        ]);
      const ownFwd = buildForward(config, weights, T, undefined, false, 1, 3).graph;
      const ownFwdSession = await CompiledGraph.create(ownFwd, rt);
      const wantFwd = await ownFwdSession.run(fwdFeeds(ownFwd));
      await ownFwdSession.dispose();
      const gotFwd = await fwdSession.run(fwdFeeds(anyFwd.graph));
      for (const out of ['probs', 'activations'])
        close(gotFwd.get(byName(anyFwd.graph, out)) as Float32Array, wantFwd.get(byName(ownFwd, out)) as Float32Array, 1e-5, `forward, T=${T}: ${out}`);
    }
    await anySession.dispose();
    await fwdSession.dispose();
    await model.dispose();
  });
}

/** A small graph with the shapes that need care: a flattened product R·T, an expand, a sliced table, a slice to T. */
function small(T: number, m: number): Graph {
  const g = new Graph();
  const x = g.input('x', [T, 4]);
  const a = g.input('a', [m, 1]);
  const table = g.constant(
    Float32Array.from({ length: T * 4 }, (_, i) => Math.sin(i)),
    [T, 4],
    'float32',
  );
  const rows = g.expand(g.reshape(g.add(x, table), [1, T, 4]), [m, T, 4]); // [m, T, 4]
  const scaled = g.mul(rows, g.reshape(a, [m, 1, 1]));
  const flat = g.reshape(scaled, [m * T, 4]); // two sizes in one dimension
  const head = g.slice(g.concat([flat, flat], 0), 0, 0, m * T); // a bound that is a product of the sizes
  g.output('y', g.sum(g.mul(head, head), [1]));
  return g;
}

test('a small graph emitted for any size runs at a new size as the float64 evaluator does', async () => {
  const { graph, plan } = SymbolicPlan.make(([T, m]) => small(T, m), { names: ['T', 'm'], max: [20, 9], low: [4, 2], check: [6, 3] });
  const rt = await Runtime.open({ device: 'cpu' });
  const session = await CompiledGraph.create(graph, rt, undefined, plan);
  for (const [T, m] of [
    [13, 5],
    [1, 1],
    [20, 9],
  ]) {
    const x = Float32Array.from({ length: T * 4 }, (_, i) => Math.cos(i / 3));
    const a = Float32Array.from({ length: m }, (_, i) => i + 1);
    const out = await session.run(
      new Map<Value, Float32Array>([
        [graph.inputs[0], x],
        [graph.inputs[1], a],
      ]),
    );
    const g = small(T, m);
    const [want] = evaluate(
      g,
      new Map([
        [g.inputs[0], { shape: [T, 4], data: Float64Array.from(x) }],
        [g.inputs[1], { shape: [m, 1], data: Float64Array.from(a) }],
      ]),
      g.outputs,
    );
    close(out.get(graph.outputs[0]) as Float32Array, Float32Array.from(want.data), 1e-6, `T=${T}, m=${m}`);
  }
  await session.dispose();
});

test('graphs that cannot be one model for every size are refused', () => {
  const sizes = { names: ['T'], max: [16], low: [4], check: [6] };
  const refused = (build: (T: number) => Graph, why: RegExp) =>
    assert.throws(
      () => SymbolicPlan.make(([T]) => build(T), sizes),
      (e: unknown) => e instanceof SymbolicError && why.test((e as Error).message),
    );
  // A table whose rows change with the length (as rotary angles at "the last position" would).
  refused((T) => {
    const g = new Graph();
    const x = g.input('x', [T, 2]);
    g.output(
      'y',
      g.add(
        x,
        g.constant(
          Float32Array.from({ length: 2 * T }, (_, i) => i + T),
          [T, 2],
          'float32',
        ),
      ),
    );
    return g;
  }, /not the same table/);
  // A scalar that depends on the length.
  refused((T) => {
    const g = new Graph();
    g.output('y', g.mul(g.input('x', [T]), g.scalar(1 / T)));
    return g;
  }, /differs between sizes/);
  // A different graph at some lengths.
  refused((T) => {
    const g = new Graph();
    const x = g.input('x', [T]);
    g.output('y', T > 8 ? g.exp(x) : x);
    return g;
  }, /differs/);
  // A size that is not a product-sum of the sizes.
  refused((T) => {
    const g = new Graph();
    const x = g.input('x', [T * T]);
    g.output('y', g.reshape(x, [T * T, 1]));
    return g;
  }, /not a product-sum/);
});

function close(a: Float32Array, b: Float32Array, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  let max = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  assert.ok(diff <= tol * Math.max(max, 1e-30), `${what}: max difference ${diff} against max ${max}`);
}
