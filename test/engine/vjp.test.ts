// Every operator's vector-Jacobian product against central finite differences of the float64
// reference evaluator, on random inputs and several shapes; then the same backward graph through
// ONNX Runtime in float32, which checks the ONNX emission of every forward and backward operator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph, Value } from '../../engine/src/graph/ir';
import { gradients } from '../../engine/src/graph/autodiff';
import { evaluate } from '../../engine/src/graph/interpret';
import { Tensor } from '../../engine/src/graph/ops';
import { CompiledGraph, Runtime } from '../../engine/src/runtime';
import { emitModel } from '../../engine/src/onnx/emit';
import * as ort from 'onnxruntime-node';
import { rng } from '../helpers';

type Case = { name: string; shapes: number[][]; build: (g: Graph, xs: Value[]) => Value; positive?: boolean };

const cases: Case[] = [
  { name: 'add (broadcast)', shapes: [[2, 3, 4], [4]], build: (g, [a, b]) => g.add(a, b) },
  {
    name: 'add (broadcast both)',
    shapes: [
      [2, 1, 4],
      [3, 1],
    ],
    build: (g, [a, b]) => g.add(a, b),
  },
  {
    name: 'sub',
    shapes: [
      [3, 4],
      [1, 4],
    ],
    build: (g, [a, b]) => g.sub(a, b),
  },
  {
    name: 'mul',
    shapes: [
      [2, 3, 4],
      [2, 1, 4],
    ],
    build: (g, [a, b]) => g.mul(a, b),
  },
  {
    name: 'div',
    shapes: [
      [3, 4],
      [3, 4],
    ],
    build: (g, [a, b]) => g.div(a, b),
    positive: true,
  },
  {
    name: 'matmul 2d',
    shapes: [
      [3, 5],
      [5, 2],
    ],
    build: (g, [a, b]) => g.matmul(a, b),
  },
  {
    name: 'matmul batched × 2d',
    shapes: [
      [2, 3, 5],
      [5, 4],
    ],
    build: (g, [a, b]) => g.matmul(a, b),
  },
  {
    name: 'matmul broadcast batch',
    shapes: [
      [2, 1, 3, 4],
      [3, 4, 2],
    ],
    build: (g, [a, b]) => g.matmul(a, b),
  },
  {
    // An int8 weight [4, 5] with a scale per row (--weights int8): its gradient dequantizes again.
    name: 'qmatmulT (a · (q·s)ᵀ, int8 rows and their scales)',
    shapes: [[2, 3, 5]],
    build: (g, [a]) =>
      g.qmatmulT(
        a,
        g.constant(
          Int8Array.from({ length: 20 }, (_, i) => ((i * 37) % 255) - 127),
          [4, 5],
          'int8',
        ),
        g.constant(Float32Array.of(0.01, 0.02, 0.005, 0.03), [4], 'float32'),
      ),
  },
  {
    name: 'matmulT (a · bᵀ, Gemm transB)',
    shapes: [
      [2, 3, 5],
      [4, 5],
    ],
    build: (g, [a, b]) => g.matmulT(a, b),
  },
  {
    name: 'bmmT (batched a · bᵀ, FusedMatMul transB)',
    shapes: [
      [2, 3, 4, 5],
      [2, 3, 6, 5],
    ],
    build: (g, [a, b]) => g.bmmT(a, b),
  },
  { name: 'transpose', shapes: [[2, 3, 4]], build: (g, [a]) => g.transpose(a, [2, 0, 1]) },
  { name: 'reshape', shapes: [[2, 6]], build: (g, [a]) => g.reshape(a, [3, 4]) },
  { name: 'softmax last', shapes: [[2, 5]], build: (g, [a]) => g.softmax(a, -1) },
  { name: 'softmax axis 1', shapes: [[2, 4, 3]], build: (g, [a]) => g.softmax(a, 1) },
  {
    name: 'targetProb',
    shapes: [[3, 7]],
    build: (g, [a]) =>
      g.targetProb(
        g.mul(a, g.scalar(3)),
        g.constant(
          Float32Array.from({ length: 7 }, (_, i) => +(i === 4)),
          [7],
          'float32',
        ),
      ),
  },
  { name: 'exp', shapes: [[7]], build: (g, [a]) => g.exp(a) },
  { name: 'tanh', shapes: [[2, 3]], build: (g, [a]) => g.tanh(a) },
  { name: 'erf', shapes: [[2, 3]], build: (g, [a]) => g.erf(a) },
  { name: 'sqrt', shapes: [[5]], build: (g, [a]) => g.sqrt(a), positive: true },
  { name: 'sigmoid', shapes: [[4, 2]], build: (g, [a]) => g.sigmoid(a) },
  { name: 'gelu (erf)', shapes: [[3, 4]], build: (g, [a]) => g.gelu(g.mul(a, g.scalar(3)), 'none') },
  { name: 'gelu (tanh)', shapes: [[3, 4]], build: (g, [a]) => g.gelu(g.mul(a, g.scalar(3)), 'tanh') },
  { name: 'reduceSum keep', shapes: [[2, 3, 4]], build: (g, [a]) => g.sum(a, [1], true) },
  { name: 'reduceSum drop', shapes: [[2, 3, 4]], build: (g, [a]) => g.sum(a, [0, 2]) },
  { name: 'reduceMean', shapes: [[2, 3, 4]], build: (g, [a]) => g.mean(a, [-1], true) },
  { name: 'slice', shapes: [[3, 5, 2]], build: (g, [a]) => g.slice(a, 1, 1, 4) },
  { name: 'pad', shapes: [[2, 3]], build: (g, [a]) => g.pad(a, [1, 0, 0, 2]) },
  {
    name: 'concat',
    shapes: [
      [2, 3],
      [2, 1],
      [2, 2],
    ],
    build: (g, xs) => g.concat(xs, 1),
  },
  { name: 'expand', shapes: [[1, 3, 1]], build: (g, [a]) => g.expand(a, [2, 3, 4]) },
  {
    name: 'where',
    shapes: [[2, 3], [3]],
    build: (g, [a, b]) => g.where(g.constant(Uint8Array.from([1, 0, 1, 0, 0, 1]), [2, 3], 'bool'), a, b),
  },
  {
    name: 'layerNorm',
    shapes: [[2, 3, 6]],
    build: (g, [a]) => {
      const r = rng(7);
      const gamma = g.constant(
        Float32Array.from({ length: 6 }, () => 1 + r()),
        [6],
        'float32',
      );
      const beta = g.constant(
        Float32Array.from({ length: 6 }, () => r()),
        [6],
        'float32',
      );
      return g.layerNorm(a, gamma, beta, 1e-5);
    },
  },
  {
    name: 'gather (indices constant, data differentiable via downstream)',
    shapes: [[4, 3]],
    build: (g, [a]) =>
      g.mul(
        g.gather(
          g.constant(
            Float32Array.from({ length: 12 }, (_, i) => i / 10),
            [4, 3],
            'float32',
          ),
          g.constant(BigInt64Array.from([2n, 0n]), [2], 'int64'),
        ),
        g.slice(a, 0, 1, 3),
      ),
  },
];

/** y = Σ op(x) ⊙ R: a scalar whose gradient exercises every output element. */
function scalarGraph(c: Case) {
  const g = new Graph();
  const xs = c.shapes.map((s, i) => g.input(`x${i}`, s));
  const y = c.build(g, xs);
  const r = rng(99);
  const weights = g.constant(
    Float32Array.from({ length: y.shape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1),
    y.shape,
    'float32',
  );
  const loss = g.sum(g.mul(y, weights), [...y.shape.keys()]);
  const grads = gradients(g, loss, xs);
  g.output('loss', loss);
  grads.forEach((gr, i) => g.output(`grad${i}`, gr));
  return { g, xs, loss, grads };
}

function randomInputs(c: Case, seed: number): Tensor[] {
  const r = rng(seed);
  return c.shapes.map((s) => ({
    shape: s,
    data: Float64Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => (c.positive ? 0.5 + r() : r() * 2 - 1)),
  }));
}

for (const c of cases) {
  test(`VJP of ${c.name} matches central finite differences (float64)`, () => {
    const { g, xs, loss, grads } = scalarGraph(c);
    const inputs = randomInputs(c, 1);
    const feeds = () => new Map(xs.map((x, i) => [x, inputs[i]] as [Value, Tensor]));
    const analytic = evaluate(g, feeds(), grads);
    const h = 1e-6;
    inputs.forEach((t, i) => {
      for (let k = 0; k < t.data.length; k++) {
        const orig = t.data[k];
        t.data[k] = orig + h;
        const up = evaluate(g, feeds(), [loss])[0].data[0];
        t.data[k] = orig - h;
        const down = evaluate(g, feeds(), [loss])[0].data[0];
        t.data[k] = orig;
        const fd = (up - down) / (2 * h);
        assert.ok(
          Math.abs(fd - analytic[i].data[k]) < 1e-6 * Math.max(1, Math.abs(fd)),
          `input ${i}[${k}]: analytic ${analytic[i].data[k]} vs finite difference ${fd}`,
        );
      }
    });
  });
}

test('the emitted ONNX forward and backward graphs agree with the float64 evaluator', async () => {
  const rt = await Runtime.open({ device: 'cpu' });
  for (const c of cases) {
    const { g, xs, grads } = scalarGraph(c);
    const inputs = randomInputs(c, 2);
    const expected = evaluate(g, new Map(xs.map((x, i) => [x, inputs[i]] as [Value, Tensor])), g.outputs);
    const compiled = await CompiledGraph.create(g, rt);
    const got = await compiled.run(new Map(xs.map((x, i) => [x, Float32Array.from(inputs[i].data)] as [Value, Float32Array])));
    g.outputs.forEach((o, i) => {
      const a = got.get(o)!;
      expected[i].data.forEach((e, k) =>
        assert.ok(Math.abs(Number(a[k]) - e) < 1e-4 * Math.max(1, Math.abs(e)), `${c.name}: ${o.name}[${k}] ORT ${a[k]} vs ${e}`),
      );
    });
    await compiled.dispose();
    void grads;
  }
});

for (const op of ['matmulT', 'bmmT'])
  test(`${op}: a · bᵀ emitted as Transpose + MatMul (for WebGPU) matches the float64 reference`, async () => {
    const c = cases.find((x) => x.name.startsWith(op))!;
    const { g, xs } = scalarGraph(c);
    const inputs = randomInputs(c, 3);
    const expected = evaluate(g, new Map(xs.map((x, i) => [x, inputs[i]] as [Value, Tensor])), g.outputs);
    const session = await ort.InferenceSession.create(emitModel(g, undefined, { transposeForMatMul: true }));
    const out = await session.run(Object.fromEntries(xs.map((x, i) => [x.name, new ort.Tensor('float32', Float32Array.from(inputs[i].data), [...x.shape])])));
    g.outputs.forEach((o, i) =>
      expected[i].data.forEach((e, k) => assert.ok(Math.abs((out[o.name].data as Float32Array)[k] - e) < 1e-4 * Math.max(1, Math.abs(e)))),
    );
    await session.release();
  });

test('stopGradient: the value passes, its gradient does not (d/dx of x·stop(x) is x, not 2x)', () => {
  const g = new Graph();
  const x = g.input('x', [4]);
  const loss = g.sum(g.mul(x, g.stopGradient(x)), [0]);
  const [dx] = gradients(g, loss, [x]);
  g.output('loss', loss);
  g.output('dx', dx);
  const xv: Tensor = { shape: [4], data: Float64Array.of(0.5, -1, 2, 3) };
  const [l, d] = evaluate(g, new Map([[x, xv]]), g.outputs);
  assert.equal(l.data[0], 0.25 + 1 + 4 + 9);
  assert.deepEqual(Array.from(d.data), Array.from(xv.data));
});
