/**
 * One rule per operator, side by side: its shape rule (`infer`), its vector-Jacobian product
 * (`vjp`, written with the same graph vocabulary so the backward pass is a graph too), its ONNX
 * emission (`emit`) and a float64 reference evaluation (`evaluate`) that the finite-difference
 * tests use. Adding an operator is one entry here.
 */
import type { Attrs, DType, Graph, Node, OpName, Value } from './ir';
import { broadcastShapes, normAxis, numel } from './ir';

export interface Tensor {
  shape: number[];
  data: Float64Array;
}

export interface OnnxNode {
  op: string;
  /** Operator domain; '' is the default ONNX domain. */
  domain?: string;
  inputs: string[];
  attrs?: Record<string, number | number[] | string>;
}

export interface EmitContext {
  /** Name of an int64 constant holding `values` (1-D). */
  i64(values: number[]): string;
  /** Name of a float32 scalar constant. */
  f32(value: number): string;
  /** Adds a node ahead of the one being emitted; returns its output's name. */
  node(op: string, inputs: string[], attrs?: OnnxNode['attrs'], domain?: string): string;
  /**
   * Matrix products by a transposed matrix as Transpose + MatMul rather than Gemm with transB: for
   * execution providers whose MatMul is much faster than their Gemm (WebGPU), at the price of a
   * folded transposed copy of each weight per session, in device memory.
   */
  transposeForMatMul?: boolean;
}

export interface Rule {
  infer(inputs: Value[], attrs: Attrs): { shape: number[]; dtype: DType }[];
  vjp?(g: Graph, node: Node, gy: Value, needs: boolean[]): (Value | undefined)[];
  emit(node: Node, ctx: EmitContext): OnnxNode;
  evaluate(inputs: Tensor[], attrs: Attrs, outShape: number[]): Tensor;
}

const same = (x: Value) => [{ shape: [...x.shape], dtype: x.dtype }];
const f32 = (shape: number[]) => [{ shape, dtype: 'float32' as DType }];
const bool = (shape: number[]) => [{ shape, dtype: 'bool' as DType }];
const num = (a: unknown) => a as number;
const nums = (a: unknown) => a as number[];

function strides(shape: readonly number[]): number[] {
  const s = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** Index into a tensor of `shape` broadcast to `out`, for each flat index of `out`. */
function broadcastIndex(shape: readonly number[], out: readonly number[]): Int32Array {
  const n = numel(out);
  const idx = new Int32Array(n);
  const os = strides(out);
  const pad = out.length - shape.length;
  const is = strides(shape);
  for (let f = 0; f < n; f++) {
    let rem = f;
    let src = 0;
    for (let d = 0; d < out.length; d++) {
      const c = Math.floor(rem / os[d]);
      rem -= c * os[d];
      const sd = d - pad;
      if (sd >= 0 && shape[sd] !== 1) src += c * is[sd];
    }
    idx[f] = src;
  }
  return idx;
}

function elementwise(inputs: Tensor[], outShape: number[], f: (...xs: number[]) => number): Tensor {
  const idx = inputs.map((t) => broadcastIndex(t.shape, outShape));
  const n = numel(outShape);
  const data = new Float64Array(n);
  const args = new Array(inputs.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inputs.length; k++) args[k] = inputs[k].data[idx[k][i]];
    data[i] = f(...args);
  }
  return { shape: outShape, data };
}

/** Sum `gy` down to `shape` (the adjoint of broadcasting). */
export function unbroadcast(g: Graph, gy: Value, shape: readonly number[]): Value {
  if (gy.shape.length === shape.length && gy.shape.every((d, i) => d === shape[i])) return gy;
  const pad = gy.shape.length - shape.length;
  const axes: number[] = [];
  gy.shape.forEach((d, i) => {
    if (i < pad || (shape[i - pad] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length ? g.sum(gy, axes, true) : gy;
  return g.reshape(summed, [...shape]);
}

function binaryInfer(inputs: Value[]) {
  return f32(broadcastShapes(inputs[0].shape, inputs[1].shape));
}

function binary(onnx: string, f: (a: number, b: number) => number, vjp: Rule['vjp']): Rule {
  return {
    infer: binaryInfer,
    vjp,
    emit: (n) => ({ op: onnx, inputs: n.inputs.map((v) => v.name) }),
    evaluate: (xs, _a, out) => elementwise(xs, out, f),
  };
}

function unary(onnx: string, f: (x: number) => number, vjp: Rule['vjp']): Rule {
  return {
    infer: (xs) => same(xs[0]),
    vjp,
    emit: (n) => ({ op: onnx, inputs: [n.inputs[0].name] }),
    evaluate: (xs, _a, out) => elementwise(xs, out, f),
  };
}

function reduceShape(shape: readonly number[], axes: number[], keep: boolean): number[] {
  const ax = axes.map((a) => normAxis(a, shape.length));
  return keep ? shape.map((d, i) => (ax.includes(i) ? 1 : d)) : shape.filter((_, i) => !ax.includes(i));
}

function reduceEval(x: Tensor, axes: number[], keep: boolean, mean: boolean): Tensor {
  const ax = axes.map((a) => normAxis(a, x.shape.length));
  const kept = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const idx = broadcastIndex(kept, x.shape);
  const data = new Float64Array(numel(kept));
  for (let i = 0; i < x.data.length; i++) data[idx[i]] += x.data[i];
  if (mean) {
    const count = ax.reduce((c, a) => c * x.shape[a], 1);
    for (let i = 0; i < data.length; i++) data[i] /= count;
  }
  return { shape: reduceShape(x.shape, axes, keep), data };
}

function transposeEval(x: Tensor, perm: number[]): Tensor {
  const shape = perm.map((p) => x.shape[p]);
  const is = strides(x.shape);
  const os = strides(shape);
  const data = new Float64Array(x.data.length);
  for (let f = 0; f < data.length; f++) {
    let rem = f;
    let src = 0;
    for (let d = 0; d < shape.length; d++) {
      const c = Math.floor(rem / os[d]);
      rem -= c * os[d];
      src += c * is[perm[d]];
    }
    data[f] = x.data[src];
  }
  return { shape, data };
}

function swapLast(rank: number): number[] {
  const p = [...Array(rank).keys()];
  [p[rank - 2], p[rank - 1]] = [p[rank - 1], p[rank - 2]];
  return p;
}

/** Runs of the axis being sliced or concatenated: outer × axis × inner. */
function axisRuns(shape: readonly number[], axis: number): { outer: number; inner: number } {
  return { outer: numel(shape.slice(0, axis)), inner: numel(shape.slice(axis + 1)) };
}

/**
 * Rules shared by the products a · bᵀ (b's last two axes swapped): their VJP, their float64
 * evaluation, and their emission as `onnx` (an operator that takes b untransposed) or, for
 * `transposeForMatMul`, as Transpose + MatMul.
 */
function timesTransposed(onnx: { op: string; domain?: string; attrs: OnnxNode['attrs'] }): Pick<Rule, 'vjp' | 'emit' | 'evaluate'> {
  return {
    vjp: (g: Graph, n: Node, gy: Value, needs: boolean[]) => {
      const [a, b] = n.inputs;
      return [needs[0] ? g.matmul(gy, b) : undefined, needs[1] ? g.matmul(g.transpose(gy, swapLast(gy.shape.length)), a) : undefined];
    },
    emit: (n: Node, ctx: EmitContext) =>
      ctx.transposeForMatMul
        ? { op: 'MatMul', inputs: [n.inputs[0].name, ctx.node('Transpose', [n.inputs[1].name], { perm: swapLast(n.inputs[1].shape.length) })] }
        : { ...onnx, inputs: n.inputs.map((v) => v.name) },
    evaluate: (xs: Tensor[], attrs: Attrs, out: number[]) => OPS.matmul.evaluate([xs[0], transposeEval(xs[1], swapLast(xs[1].shape.length))], attrs, out),
  };
}

export const OPS: Record<OpName, Rule> = {
  identity: {
    infer: (xs: Value[]) => same(xs[0]),
    vjp: (_g: Graph, _n: Node, gy: Value) => [gy],
    emit: (n: Node) => ({ op: 'Identity', inputs: [n.inputs[0].name] }),
    evaluate: (xs: Tensor[]) => xs[0],
  },
  // The value itself, as a constant for differentiation (see gradients): for values known not to
  // depend on what is differentiated, though the tensors they come from do.
  stopGradient: {
    infer: (xs: Value[]) => same(xs[0]),
    emit: (n: Node) => ({ op: 'Identity', inputs: [n.inputs[0].name] }),
    evaluate: (xs: Tensor[]) => xs[0],
  },
  add: binary(
    'Add',
    (a, b) => a + b,
    (g, n, gy, needs) => [needs[0] ? unbroadcast(g, gy, n.inputs[0].shape) : undefined, needs[1] ? unbroadcast(g, gy, n.inputs[1].shape) : undefined],
  ),
  sub: binary(
    'Sub',
    (a, b) => a - b,
    (g, n, gy, needs) => [needs[0] ? unbroadcast(g, gy, n.inputs[0].shape) : undefined, needs[1] ? unbroadcast(g, g.neg(gy), n.inputs[1].shape) : undefined],
  ),
  mul: binary(
    'Mul',
    (a, b) => a * b,
    (g, n, gy, needs) => [
      needs[0] ? unbroadcast(g, g.mul(gy, n.inputs[1]), n.inputs[0].shape) : undefined,
      needs[1] ? unbroadcast(g, g.mul(gy, n.inputs[0]), n.inputs[1].shape) : undefined,
    ],
  ),
  div: binary(
    'Div',
    (a, b) => a / b,
    (g, n, gy, needs) => [
      needs[0] ? unbroadcast(g, g.div(gy, n.inputs[1]), n.inputs[0].shape) : undefined,
      needs[1] ? unbroadcast(g, g.neg(g.div(g.mul(gy, n.outputs[0]), n.inputs[1])), n.inputs[1].shape) : undefined,
    ],
  ),
  matmul: {
    infer: (xs: Value[]) => {
      const [a, b] = xs;
      if (a.shape.length < 2 || b.shape.length < 2) throw new Error('matmul needs rank >= 2');
      const [m, k] = a.shape.slice(-2);
      const [k2, n] = b.shape.slice(-2);
      if (k !== k2) throw new Error(`matmul: inner dimensions ${k} and ${k2} differ ([${a.shape}] × [${b.shape}])`);
      return f32([...broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n]);
    },
    vjp: (g: Graph, n: Node, gy: Value, needs: boolean[]) => {
      const [a, b] = n.inputs;
      return [
        needs[0] ? unbroadcast(g, b.shape.length === 2 ? g.matmulT(gy, b) : g.matmul(gy, g.transpose(b, swapLast(b.shape.length))), a.shape) : undefined,
        needs[1] ? unbroadcast(g, g.matmul(g.transpose(a, swapLast(a.shape.length)), gy), b.shape) : undefined,
      ];
    },
    emit: (n: Node) => ({ op: 'MatMul', inputs: n.inputs.map((v) => v.name) }),
    evaluate: (xs: Tensor[], _a: Attrs, out: number[]) => {
      const [a, b] = xs;
      const [m, k] = a.shape.slice(-2);
      const nn = b.shape[b.shape.length - 1];
      const batch = out.slice(0, -2);
      const ai = broadcastIndex([...a.shape.slice(0, -2)], batch);
      const bi = broadcastIndex([...b.shape.slice(0, -2)], batch);
      const data = new Float64Array(numel(out));
      for (let t = 0; t < numel(batch); t++) {
        const ao = ai[t] * m * k,
          bo = bi[t] * k * nn,
          oo = t * m * nn;
        for (let i = 0; i < m; i++)
          for (let j = 0; j < nn; j++) {
            let s = 0;
            for (let q = 0; q < k; q++) s += a.data[ao + i * k + q] * b.data[bo + q * nn + j];
            data[oo + i * nn + j] = s;
          }
      }
      return { shape: out, data };
    },
  },
  // a [..., m, k] · b [..., n, k]ᵀ → [..., m, n], batch dims equal: attention scores without a
  // Transpose of the keys (ONNX Runtime would merge it with the head transpose into a slow one).
  bmmT: {
    infer: (xs: Value[]) => {
      const [a, b] = xs;
      const r = a.shape.length;
      if (r < 3 || b.shape.length !== r || a.shape[r - 1] !== b.shape[r - 1] || a.shape.slice(0, -2).some((d, i) => d !== b.shape[i]))
        throw new Error(`bmmT needs [..., m, k] and [..., n, k] with the same batch (got [${a.shape}] and [${b.shape}])`);
      return f32([...a.shape.slice(0, -1), b.shape[r - 2]]);
    },
    ...timesTransposed({ op: 'FusedMatMul', domain: 'com.microsoft', attrs: { transB: 1 } }),
  },
  // a [m, k] · b [n, k]ᵀ → [m, n]: ONNX Gemm with transB (see Graph.matmulT).
  gemmT: {
    infer: (xs: Value[]) => {
      const [a, b] = xs;
      if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== b.shape[1])
        throw new Error(`gemmT needs [m, k] and [n, k] (got [${a.shape}] and [${b.shape}])`);
      return f32([a.shape[0], b.shape[0]]);
    },
    ...timesTransposed({ op: 'Gemm', attrs: { transB: 1 } }),
  },
  // a · Wᵀ (transB 1) or a · W (transB 0) for W = q · scale, an int8 or int16 weight q [n, k] with a
  // float32 scale per row [n] (`--weights int8|int16`). W is dequantized where it is used, a transient float32
  // copy of one weight at a time: ONNX Runtime does not constant-fold DequantizeLinear, but it would
  // run every DequantizeLinear of constants first, all their outputs alive at once; the scales are
  // therefore made to depend on `a` (+ 0·a[0]), so that each runs just before its product. The
  // gradient dequantizes again, through its own copy of the scales, so that no common-subexpression
  // pass merges the two and keeps every layer's weight alive from the forward to the backward pass.
  qmatmul: {
    infer: (xs: Value[], at: Attrs) => {
      const [a, q, s] = xs;
      const [n, k] = q.shape;
      const inner = at.transB ? k : n;
      const integer = q.dtype === 'int8' || q.dtype === 'int16';
      if (a.shape.length !== 2 || q.shape.length !== 2 || !integer || s.shape.length !== 1 || s.shape[0] !== n || a.shape[1] !== inner)
        throw new Error(`qmatmul needs a [m, ${inner}], int8 or int16 q [n, k] and scales [n] (got [${a.shape}], ${q.dtype} [${q.shape}], [${s.shape}])`);
      return f32([a.shape[0], at.transB ? n : k]);
    },
    vjp: (g: Graph, n: Node, gy: Value, needs: boolean[]) => {
      const [, q, s] = n.inputs;
      const scales = g.constants.get(s);
      if (!scales) throw new Error('qmatmul: its scales must be a constant');
      const again = g.weight(`${s.name}_grad${s.id}`, s.shape, scales);
      return [needs[0] ? g.apply('qmatmul', [gy, q, again], { transB: n.attrs.transB ? 0 : 1 })[0] : undefined];
    },
    emit: (n: Node, ctx: EmitContext) => {
      const [a, q, s] = n.inputs.map((v) => v.name);
      const first = ctx.node('Slice', [ctx.node('Reshape', [a, ctx.i64([-1])]), ctx.i64([0]), ctx.i64([1])]);
      const scales = ctx.node('Add', [s, ctx.node('Mul', [first, ctx.f32(0)])]);
      // int16 is dequantized by ONNX Runtime's own DequantizeLinear (the standard one takes 16 bits from opset 21 on).
      const w = ctx.node('DequantizeLinear', [q, scales], { axis: 0 }, n.inputs[1].dtype === 'int16' ? 'com.microsoft' : undefined);
      return n.attrs.transB ? { op: 'Gemm', inputs: [a, w], attrs: { transB: 1 } } : { op: 'MatMul', inputs: [a, w] };
    },
    evaluate: (xs: Tensor[], at: Attrs, out: number[]) => {
      const [a, q, s] = xs;
      const k = q.shape[1];
      const w = { shape: q.shape, data: q.data.map((x, i) => x * s.data[Math.floor(i / k)]) };
      return OPS.matmul.evaluate([a, at.transB ? transposeEval(w, [1, 0]) : w], {}, out);
    },
  },
  transpose: {
    infer: (xs: Value[], at: Attrs) => [{ shape: nums(at.perm).map((p) => xs[0].shape[p]), dtype: xs[0].dtype }],
    vjp: (g: Graph, n: Node, gy: Value) => {
      const perm = nums(n.attrs.perm);
      const inv = perm.map((_, i) => perm.indexOf(i));
      return [g.transpose(gy, inv)];
    },
    emit: (n: Node) => ({ op: 'Transpose', inputs: [n.inputs[0].name], attrs: { perm: nums(n.attrs.perm) } }),
    evaluate: (xs: Tensor[], at: Attrs) => transposeEval(xs[0], nums(at.perm)),
  },
  reshape: {
    infer: (xs: Value[], at: Attrs) => {
      const shape = nums(at.shape);
      if (numel(shape) !== numel(xs[0].shape)) throw new Error(`reshape [${xs[0].shape}] to [${shape}]: sizes differ`);
      return [{ shape: [...shape], dtype: xs[0].dtype }];
    },
    vjp: (g: Graph, n: Node, gy: Value) => [g.reshape(gy, [...n.inputs[0].shape])],
    emit: (n: Node, ctx: EmitContext) => ({ op: 'Reshape', inputs: [n.inputs[0].name, ctx.i64(nums(n.attrs.shape))] }),
    evaluate: (xs: Tensor[], at: Attrs) => ({ shape: [...nums(at.shape)], data: xs[0].data }),
  },
  softmax: {
    infer: (xs: Value[]) => same(xs[0]),
    vjp: (g: Graph, n: Node, gy: Value) => {
      const y = n.outputs[0];
      const axis = num(n.attrs.axis);
      return [g.mul(y, g.sub(gy, g.sum(g.mul(gy, y), [axis], true)))];
    },
    emit: (n: Node) => ({ op: 'Softmax', inputs: [n.inputs[0].name], attrs: { axis: num(n.attrs.axis) } }),
    evaluate: (xs: Tensor[], at: Attrs) => {
      const x = xs[0];
      const axis = normAxis(num(at.axis), x.shape.length);
      const { outer, inner } = axisRuns(x.shape, axis);
      const len = x.shape[axis];
      const data = new Float64Array(x.data.length);
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          const at0 = o * len * inner + i;
          let max = -Infinity;
          for (let k = 0; k < len; k++) max = Math.max(max, x.data[at0 + k * inner]);
          let s = 0;
          for (let k = 0; k < len; k++) s += data[at0 + k * inner] = Math.exp(x.data[at0 + k * inner] - max);
          for (let k = 0; k < len; k++) data[at0 + k * inner] /= s;
        }
      return { shape: [...x.shape], data };
    },
  },
  // softmax(z)[t] per row for logits z [R, V] and a one-hot target [V] → [R], as exp(z_t − logsumexp z):
  // nothing of size R × V is written on the way forward, and the backward pass writes p − e_t only.
  targetProb: {
    infer: (xs: Value[]) => {
      const [z, t] = xs;
      if (z.shape.length !== 2 || t.shape.length !== 1 || t.shape[0] !== z.shape[1])
        throw new Error(`targetProb needs [R, V] and [V] (got [${z.shape}] and [${t.shape}])`);
      return f32([z.shape[0]]);
    },
    vjp: (g: Graph, n: Node, gy: Value) => {
      const [z, t] = n.inputs;
      const [R, V] = z.shape;
      // ∂p_t/∂z = p_t (e_t − softmax z)
      const s = g.reshape(g.mul(gy, n.outputs[0]), [R, 1]);
      return [g.mul(s, g.sub(g.reshape(t, [1, V]), g.softmax(z, -1))), undefined];
    },
    emit: (n: Node, ctx: EmitContext) => {
      const [z, t] = n.inputs;
      const [R, V] = z.shape;
      const zt = ctx.node('MatMul', [z.name, ctx.node('Reshape', [t.name, ctx.i64([V, 1])])]);
      const lse = ctx.node('ReduceLogSumExp', [z.name], { axes: [1], keepdims: 1 });
      return { op: 'Reshape', inputs: [ctx.node('Exp', [ctx.node('Sub', [zt, lse])]), ctx.i64([R])] };
    },
    evaluate: (xs: Tensor[], _a: Attrs, out: number[]) => {
      const p = OPS.softmax.evaluate([xs[0]], { axis: 1 }, xs[0].shape);
      const [R, V] = xs[0].shape;
      const data = new Float64Array(R);
      for (let r = 0; r < R; r++) for (let v = 0; v < V; v++) data[r] += p.data[r * V + v] * xs[1].data[v];
      return { shape: out, data };
    },
  },
  exp: unary('Exp', Math.exp, (g, n, gy) => [g.mul(gy, n.outputs[0])]),
  tanh: unary('Tanh', Math.tanh, (g, n, gy) => {
    const y = n.outputs[0];
    return [g.mul(gy, g.sub(g.scalar(1), g.mul(y, y)))];
  }),
  erf: unary('Erf', erf, (g, n, gy) => {
    const x = n.inputs[0];
    return [g.mul(gy, g.mul(g.scalar(2 / Math.sqrt(Math.PI)), g.exp(g.neg(g.mul(x, x)))))];
  }),
  sqrt: unary('Sqrt', Math.sqrt, (g, n, gy) => [g.div(gy, g.mul(g.scalar(2), n.outputs[0]))]),
  sigmoid: unary(
    'Sigmoid',
    (x) => 1 / (1 + Math.exp(-x)),
    (g, n, gy) => {
      const y = n.outputs[0];
      return [g.mul(gy, g.mul(y, g.sub(g.scalar(1), y)))];
    },
  ),
  reduceSum: {
    infer: (xs: Value[], at: Attrs) => f32(reduceShape(xs[0].shape, nums(at.axes), !!at.keepdims)),
    vjp: (g: Graph, n: Node, gy: Value) => {
      const x = n.inputs[0];
      const kept = reduceShape(x.shape, nums(n.attrs.axes), true);
      return [g.expand(g.reshape(gy, kept), [...x.shape])];
    },
    emit: (n: Node, ctx: EmitContext) => ({
      op: 'ReduceSum',
      inputs: [n.inputs[0].name, ctx.i64(nums(n.attrs.axes))],
      attrs: { keepdims: num(n.attrs.keepdims) },
    }),
    evaluate: (xs: Tensor[], at: Attrs) => reduceEval(xs[0], nums(at.axes), !!at.keepdims, false),
  },
  reduceMean: {
    infer: (xs: Value[], at: Attrs) => f32(reduceShape(xs[0].shape, nums(at.axes), !!at.keepdims)),
    vjp: (g: Graph, n: Node, gy: Value) => {
      const x = n.inputs[0];
      const axes = nums(n.attrs.axes).map((a) => normAxis(a, x.shape.length));
      const count = axes.reduce((c, a) => c * x.shape[a], 1);
      const kept = reduceShape(x.shape, axes, true);
      return [g.expand(g.reshape(g.mul(gy, g.scalar(1 / count)), kept), [...x.shape])];
    },
    emit: (n: Node) => ({
      op: 'ReduceMean',
      inputs: [n.inputs[0].name],
      attrs: { axes: nums(n.attrs.axes), keepdims: num(n.attrs.keepdims) },
    }),
    evaluate: (xs: Tensor[], at: Attrs) => reduceEval(xs[0], nums(at.axes), !!at.keepdims, true),
  },
  slice: {
    infer: (xs: Value[], at: Attrs) => {
      const x = xs[0];
      const axis = normAxis(num(at.axis), x.shape.length);
      const [s, e] = [num(at.start), num(at.end)];
      if (s < 0 || e > x.shape[axis] || s >= e) throw new Error(`slice [${s}, ${e}) outside axis ${axis} of [${x.shape}]`);
      return [{ shape: x.shape.map((d, i) => (i === axis ? e - s : d)), dtype: x.dtype }];
    },
    vjp: (g: Graph, n: Node, gy: Value) => {
      const x = n.inputs[0];
      const axis = normAxis(num(n.attrs.axis), x.shape.length);
      const pads = new Array(2 * x.shape.length).fill(0);
      pads[axis] = num(n.attrs.start);
      pads[x.shape.length + axis] = x.shape[axis] - num(n.attrs.end);
      return [g.pad(gy, pads)];
    },
    emit: (n: Node, ctx: EmitContext) => ({
      op: 'Slice',
      inputs: [n.inputs[0].name, ctx.i64([num(n.attrs.start)]), ctx.i64([num(n.attrs.end)]), ctx.i64([num(n.attrs.axis)])],
    }),
    evaluate: (xs: Tensor[], at: Attrs, out: number[]) => {
      const x = xs[0];
      const axis = normAxis(num(at.axis), x.shape.length);
      const { outer, inner } = axisRuns(x.shape, axis);
      const len = out[axis];
      const data = new Float64Array(numel(out));
      for (let o = 0; o < outer; o++)
        data.set(x.data.subarray((o * x.shape[axis] + num(at.start)) * inner, (o * x.shape[axis] + num(at.start) + len) * inner), o * len * inner);
      return { shape: out, data };
    },
  },
  pad: {
    infer: (xs: Value[], at: Attrs) => {
      const p = nums(at.pads);
      const r = xs[0].shape.length;
      return f32(xs[0].shape.map((d, i) => d + p[i] + p[r + i]));
    },
    vjp: (g: Graph, n: Node, gy: Value) => {
      const p = nums(n.attrs.pads);
      const x = n.inputs[0];
      let out = gy;
      x.shape.forEach((d, i) => {
        if (p[i] || p[x.shape.length + i]) out = g.slice(out, i, p[i], p[i] + d);
      });
      return [out];
    },
    emit: (n: Node, ctx: EmitContext) => ({ op: 'Pad', inputs: [n.inputs[0].name, ctx.i64(nums(n.attrs.pads))] }),
    evaluate: (xs: Tensor[], at: Attrs, out: number[]) => {
      const x = xs[0];
      const p = nums(at.pads);
      const data = new Float64Array(numel(out));
      const os = strides(out);
      const is = strides(x.shape);
      for (let f = 0; f < x.data.length; f++) {
        let rem = f;
        let dst = 0;
        for (let d = 0; d < x.shape.length; d++) {
          const c = Math.floor(rem / is[d]);
          rem -= c * is[d];
          dst += (c + p[d]) * os[d];
        }
        data[dst] = x.data[f];
      }
      return { shape: out, data };
    },
  },
  concat: {
    infer: (xs: Value[], at: Attrs) => {
      const axis = normAxis(num(at.axis), xs[0].shape.length);
      const shape = [...xs[0].shape];
      shape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
      return [{ shape, dtype: xs[0].dtype }];
    },
    vjp: (g: Graph, n: Node, gy: Value, needs: boolean[]) => {
      const axis = normAxis(num(n.attrs.axis), gy.shape.length);
      let off = 0;
      return n.inputs.map((x, i) => {
        const s = off;
        off += x.shape[axis];
        return needs[i] ? g.slice(gy, axis, s, off) : undefined;
      });
    },
    emit: (n: Node) => ({ op: 'Concat', inputs: n.inputs.map((v) => v.name), attrs: { axis: num(n.attrs.axis) } }),
    evaluate: (xs: Tensor[], at: Attrs, out: number[]) => {
      const axis = normAxis(num(at.axis), out.length);
      const { outer, inner } = axisRuns(out, axis);
      const data = new Float64Array(numel(out));
      let off = 0;
      for (const x of xs) {
        const len = x.shape[axis];
        for (let o = 0; o < outer; o++) data.set(x.data.subarray(o * len * inner, (o + 1) * len * inner), (o * out[axis] + off) * inner);
        off += len;
      }
      return { shape: out, data };
    },
  },
  expand: {
    infer: (xs: Value[], at: Attrs) => [{ shape: broadcastShapes(xs[0].shape, nums(at.shape)), dtype: xs[0].dtype }],
    vjp: (g: Graph, n: Node, gy: Value) => [unbroadcast(g, gy, n.inputs[0].shape)],
    emit: (n: Node, ctx: EmitContext) => ({ op: 'Expand', inputs: [n.inputs[0].name, ctx.i64(nums(n.attrs.shape))] }),
    evaluate: (xs: Tensor[], _a: Attrs, out: number[]) => elementwise(xs, out, (x) => x),
  },
  where: {
    infer: (xs: Value[]) => f32(broadcastShapes(xs[0].shape, broadcastShapes(xs[1].shape, xs[2].shape))),
    vjp: (g: Graph, n: Node, gy: Value, needs: boolean[]) => {
      const [c, a, b] = n.inputs;
      const zero = g.scalar(0);
      return [
        undefined,
        needs[1] ? unbroadcast(g, g.where(c, gy, zero), a.shape) : undefined,
        needs[2] ? unbroadcast(g, g.where(c, zero, gy), b.shape) : undefined,
      ];
    },
    emit: (n: Node) => ({ op: 'Where', inputs: n.inputs.map((v) => v.name) }),
    evaluate: (xs: Tensor[], _a: Attrs, out: number[]) => elementwise(xs, out, (c, a, b) => (c ? a : b)),
  },
  gather: {
    infer: (xs: Value[], at: Attrs) => {
      const [d, i] = xs;
      const axis = normAxis(num(at.axis), d.shape.length);
      return [{ shape: [...d.shape.slice(0, axis), ...i.shape, ...d.shape.slice(axis + 1)], dtype: d.dtype }];
    },
    // Gathering from weights (embeddings) is never differentiated; gradients flow through activations.
    emit: (n: Node) => ({ op: 'Gather', inputs: n.inputs.map((v) => v.name), attrs: { axis: num(n.attrs.axis) } }),
    evaluate: (xs: Tensor[], at: Attrs, out: number[]) => {
      const [d, ix] = xs;
      const axis = normAxis(num(at.axis), d.shape.length);
      const { outer, inner } = axisRuns(d.shape, axis);
      const data = new Float64Array(numel(out));
      let o2 = 0;
      for (let o = 0; o < outer; o++)
        for (const k of ix.data) {
          const kk = k < 0 ? k + d.shape[axis] : k;
          data.set(d.data.subarray((o * d.shape[axis] + kk) * inner, (o * d.shape[axis] + kk + 1) * inner), o2);
          o2 += inner;
        }
      return { shape: out, data };
    },
  },
  layerNorm: {
    infer: (xs: Value[]) => same(xs[0]),
    // Recomputes the statistics with primitives; gamma and beta are weights and get no gradient.
    vjp: (g: Graph, n: Node, gy: Value) => {
      const [x, gamma] = n.inputs;
      const xc = g.sub(x, g.mean(x, [-1], true));
      const rstd = g.div(g.scalar(1), g.sqrt(g.add(g.mean(g.mul(xc, xc), [-1], true), g.scalar(num(n.attrs.eps)))));
      const xhat = g.mul(xc, rstd);
      const gxhat = g.mul(gy, gamma);
      const inner = g.sub(g.sub(gxhat, g.mean(gxhat, [-1], true)), g.mul(xhat, g.mean(g.mul(gxhat, xhat), [-1], true)));
      return [g.mul(rstd, inner), undefined, undefined];
    },
    emit: (n: Node) => ({
      op: 'LayerNormalization',
      inputs: n.inputs.map((v) => v.name),
      attrs: { axis: -1, epsilon: num(n.attrs.eps) },
    }),
    evaluate: (xs: Tensor[], at: Attrs) => {
      const [x, gm, bt] = xs;
      const h = x.shape[x.shape.length - 1];
      const data = new Float64Array(x.data.length);
      for (let r = 0; r < x.data.length / h; r++) {
        const row = x.data.subarray(r * h, (r + 1) * h);
        const mu = row.reduce((a, b) => a + b, 0) / h;
        const v = row.reduce((a, b) => a + (b - mu) ** 2, 0) / h;
        const rs = 1 / Math.sqrt(v + num(at.eps));
        for (let i = 0; i < h; i++) data[r * h + i] = (row[i] - mu) * rs * gm.data[i] + bt.data[i];
      }
      return { shape: [...x.shape], data };
    },
  },
  // One operator instead of six elementwise ones: faster, and its backward pass keeps only the
  // input alive instead of every intermediate. ONNX Runtime's contrib ops Gelu / FastGelu.
  gelu: {
    infer: (xs: Value[]) => same(xs[0]),
    vjp: (g: Graph, n: Node, gy: Value) => {
      const x = n.inputs[0];
      if (n.attrs.approximate === 'tanh') {
        // y = ½x(1 + tanh(u)), u = c(x + 0.044715x³): y' = ½(1 + t) + ½x(1 − t²)·c(1 + 3·0.044715x²)
        const c = Math.sqrt(2 / Math.PI);
        const x2 = g.mul(x, x);
        const t = g.tanh(g.mul(g.scalar(c), g.add(x, g.mul(g.scalar(0.044715), g.mul(x2, x)))));
        const du = g.mul(g.scalar(c), g.add(g.scalar(1), g.mul(g.scalar(3 * 0.044715), x2)));
        const dy = g.add(g.mul(g.scalar(0.5), g.add(g.scalar(1), t)), g.mul(g.mul(g.scalar(0.5), x), g.mul(g.sub(g.scalar(1), g.mul(t, t)), du)));
        return [g.mul(gy, dy)];
      }
      // y = xΦ(x): y' = Φ(x) + xφ(x)
      const cdf = g.mul(g.scalar(0.5), g.add(g.scalar(1), g.erf(g.mul(x, g.scalar(Math.SQRT1_2)))));
      const pdf = g.mul(g.scalar(1 / Math.sqrt(2 * Math.PI)), g.exp(g.mul(g.scalar(-0.5), g.mul(x, x))));
      return [g.mul(gy, g.add(cdf, g.mul(x, pdf)))];
    },
    emit: (n: Node) => ({ op: n.attrs.approximate === 'tanh' ? 'FastGelu' : 'Gelu', domain: 'com.microsoft', inputs: [n.inputs[0].name] }),
    evaluate: (xs: Tensor[], at: Attrs, out: number[]) =>
      elementwise(
        xs,
        out,
        at.approximate === 'tanh'
          ? (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))
          : (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2)),
      ),
  },
  cast: {
    infer: (xs: Value[], at: Attrs) => [{ shape: [...xs[0].shape], dtype: at.to as DType }],
    vjp: (g: Graph, n: Node, gy: Value) => [g.cast(gy, n.inputs[0].dtype)],
    emit: (n: Node) => ({ op: 'Cast', inputs: [n.inputs[0].name], attrs: { to: ONNX_DTYPE[n.attrs.to as DType] } }),
    evaluate: (xs: Tensor[], at: Attrs) =>
      at.to === 'bool'
        ? { shape: xs[0].shape, data: xs[0].data.map((v) => (v ? 1 : 0)) }
        : at.to === 'int64'
          ? { shape: xs[0].shape, data: xs[0].data.map(Math.trunc) }
          : xs[0],
  },
  equal: {
    infer: (xs: Value[]) => bool(broadcastShapes(xs[0].shape, xs[1].shape)),
    emit: (n: Node) => ({ op: 'Equal', inputs: n.inputs.map((v) => v.name) }),
    evaluate: (xs: Tensor[], _a: Attrs, out: number[]) => elementwise(xs, out, (a, b) => (a === b ? 1 : 0)),
  },
  lessOrEqual: {
    infer: (xs: Value[]) => bool(broadcastShapes(xs[0].shape, xs[1].shape)),
    emit: (n: Node) => ({ op: 'LessOrEqual', inputs: n.inputs.map((v) => v.name) }),
    evaluate: (xs: Tensor[], _a: Attrs, out: number[]) => elementwise(xs, out, (a, b) => (a <= b ? 1 : 0)),
  },
  and: {
    infer: (xs: Value[]) => bool(broadcastShapes(xs[0].shape, xs[1].shape)),
    emit: (n: Node) => ({ op: 'And', inputs: n.inputs.map((v) => v.name) }),
    evaluate: (xs: Tensor[], _a: Attrs, out: number[]) => elementwise(xs, out, (a, b) => (a && b ? 1 : 0)),
  },
  argmax: {
    infer: (xs: Value[], at: Attrs) => [{ shape: reduceShape(xs[0].shape, [num(at.axis)], false), dtype: 'int64' as DType }],
    emit: (n: Node) => ({ op: 'ArgMax', inputs: [n.inputs[0].name], attrs: { axis: num(n.attrs.axis), keepdims: 0 } }),
    evaluate: (xs: Tensor[], at: Attrs, out: number[]) => {
      const x = xs[0];
      const axis = normAxis(num(at.axis), x.shape.length);
      const { outer, inner } = axisRuns(x.shape, axis);
      const len = x.shape[axis];
      const data = new Float64Array(numel(out));
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          let best = 0;
          for (let k = 1; k < len; k++) if (x.data[(o * len + k) * inner + i] > x.data[(o * len + best) * inner + i]) best = k;
          data[o * inner + i] = best;
        }
      return { shape: out, data };
    },
  },
};

export const ONNX_DTYPE: Record<DType, number> = { float32: 1, int64: 7, bool: 9, int8: 3, int16: 5 };

/** Abramowitz–Stegun 7.1.26 is too coarse for float64 checks; this series/continued-fraction pair is exact to ~1e-15. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series.
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}
