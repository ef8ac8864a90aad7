/**
 * The graph IR: values with static shapes, nodes that apply one operator each, in the order they
 * were built (which is a topological order). Models describe their forward computation with a
 * `Graph`; `autodiff.ts` appends the backward pass to the same graph; `onnx/emit.ts` serialises it.
 */
import { OPS } from './ops';

export type OpName =
  | 'identity'
  | 'stopGradient'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'matmul'
  | 'transpose'
  | 'reshape'
  | 'softmax'
  | 'exp'
  | 'tanh'
  | 'erf'
  | 'sqrt'
  | 'sigmoid'
  | 'reduceSum'
  | 'reduceMean'
  | 'slice'
  | 'pad'
  | 'concat'
  | 'expand'
  | 'where'
  | 'gather'
  | 'layerNorm'
  | 'cast'
  | 'equal'
  | 'lessOrEqual'
  | 'and'
  | 'argmax'
  | 'gelu'
  | 'gemmT'
  | 'bmmT'
  | 'targetProb'
  | 'qmatmul';

export type DType = 'float32' | 'int64' | 'bool' | 'int8' | 'int16';

export interface Value {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The node that produced it; absent for inputs and constants. */
  readonly node?: Node;
  /** ONNX name; generated unless the value is a named input, output or weight. */
  name: string;
}

export interface Node {
  readonly op: OpName;
  readonly inputs: Value[];
  readonly attrs: Attrs;
  readonly outputs: Value[];
}

export type Attrs = Record<string, number | number[] | string | undefined>;

/**
 * Where a constant's bytes come from: inline data, or a model weight known by key and loaded only
 * when it is first written (to an external data file, or inline for an evaluator).
 */
export type ConstData = { kind: 'inline'; data: Float32Array | BigInt64Array | Uint8Array | Int8Array | Int16Array } | WeightData;

/** A model weight: `load` reads it whole (for the evaluator); `write` streams it into a file, returning its bytes. */
export interface WeightData {
  kind: 'weight';
  key: string;
  load: () => Float32Array | Int8Array | Int16Array;
  write: (fd: number, position: number) => number;
}

export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  readonly constants = new Map<Value, ConstData>();
  /** Constants that are model weights: bound as session inputs or initializers when emitted. */
  readonly weights = new Set<Value>();
  private nextId = 0;

  private value(shape: readonly number[], dtype: DType, node?: Node, name?: string): Value {
    const id = this.nextId++;
    return { id, shape: [...shape], dtype, node, name: name ?? `v${id}` };
  }

  input(name: string, shape: readonly number[], dtype: DType = 'float32'): Value {
    const v = this.value(shape, dtype, undefined, name);
    this.inputs.push(v);
    return v;
  }

  output(name: string, v: Value): Value {
    // An output that is also an input or another output gets its own Identity node, so names stay unique.
    const out = v.node && !this.outputs.includes(v) && v.name.startsWith('v') ? v : this.apply('identity', [v])[0];
    out.name = name;
    this.outputs.push(out);
    return out;
  }

  constant(data: Float32Array | BigInt64Array | Uint8Array | Int8Array | Int16Array, shape: readonly number[], dtype: DType, name?: string): Value {
    const v = this.value(shape, dtype, undefined, name);
    this.constants.set(v, { kind: 'inline', data });
    return v;
  }

  scalar(x: number): Value {
    return this.constant(Float32Array.of(x), [], 'float32');
  }

  weight(name: string, shape: readonly number[], data: ConstData, dtype: DType = 'float32'): Value {
    const v = this.value(shape, dtype, undefined, name);
    this.constants.set(v, data);
    this.weights.add(v);
    return v;
  }

  apply(op: OpName, inputs: Value[], attrs: Attrs = {}): Value[] {
    const rule = OPS[op];
    const types = rule.infer(inputs, attrs);
    const node: Node = { op, inputs, attrs, outputs: [] };
    for (const t of types) node.outputs.push(this.value(t.shape, t.dtype, node));
    this.nodes.push(node);
    return node.outputs;
  }

  // Convenience builders: the vocabulary models are written in.
  add(a: Value, b: Value): Value {
    return this.apply('add', [a, b])[0];
  }
  sub(a: Value, b: Value): Value {
    return this.apply('sub', [a, b])[0];
  }
  mul(a: Value, b: Value): Value {
    return this.apply('mul', [a, b])[0];
  }
  div(a: Value, b: Value): Value {
    return this.apply('div', [a, b])[0];
  }
  neg(a: Value): Value {
    return this.mul(a, this.scalar(-1));
  }
  matmul(a: Value, b: Value): Value {
    return this.apply('matmul', [a, b])[0];
  }
  transpose(a: Value, perm: number[]): Value {
    return this.apply('transpose', [a], { perm })[0];
  }
  /**
   * a · bᵀ for a matrix b [n, k] and a [..., k]: one Gemm with transB over the rows of a. Gradients
   * use it to multiply by a transposed weight without a Transpose node, which ONNX Runtime would
   * constant-fold into a private copy of the weight in every session.
   */
  matmulT(a: Value, b: Value): Value {
    const k = a.shape[a.shape.length - 1];
    const rows = a.shape.slice(0, -1);
    const y = this.apply('gemmT', [a.shape.length === 2 ? a : this.reshape(a, [rows.reduce((x, y) => x * y, 1), k]), b])[0];
    return a.shape.length === 2 ? y : this.reshape(y, [...rows, b.shape[0]]);
  }
  /**
   * a [..., k] · Wᵀ for a weight stored as int8 or int16 rows q [n, k] with a float32 scale per row [n]
   * (W = q · scale, dequantized where it is multiplied; see the `qmatmul` rule).
   */
  qmatmulT(a: Value, q: Value, scale: Value): Value {
    const k = a.shape[a.shape.length - 1];
    const rows = a.shape.slice(0, -1);
    const y = this.apply('qmatmul', [a.shape.length === 2 ? a : this.reshape(a, [numel(rows), k]), q, scale], { transB: 1 })[0];
    return a.shape.length === 2 ? y : this.reshape(y, [...rows, q.shape[0]]);
  }
  /** a [..., m, k] · b [..., n, k]ᵀ over equal batch dimensions. */
  bmmT(a: Value, b: Value): Value {
    return this.apply('bmmT', [a, b])[0];
  }
  /** softmax(logits [R, V])[target] per row, for a one-hot target [V] → [R]. */
  targetProb(logits: Value, target: Value): Value {
    return this.apply('targetProb', [logits, target])[0];
  }
  /** `a`, through which no gradient flows. */
  stopGradient(a: Value): Value {
    return this.apply('stopGradient', [a])[0];
  }
  reshape(a: Value, shape: number[]): Value {
    return this.apply('reshape', [a], { shape })[0];
  }
  softmax(a: Value, axis = -1): Value {
    return this.apply('softmax', [a], { axis })[0];
  }
  exp(a: Value): Value {
    return this.apply('exp', [a])[0];
  }
  tanh(a: Value): Value {
    return this.apply('tanh', [a])[0];
  }
  erf(a: Value): Value {
    return this.apply('erf', [a])[0];
  }
  sqrt(a: Value): Value {
    return this.apply('sqrt', [a])[0];
  }
  sigmoid(a: Value): Value {
    return this.apply('sigmoid', [a])[0];
  }
  sum(a: Value, axes: number[], keepdims = false): Value {
    return this.apply('reduceSum', [a], { axes, keepdims: keepdims ? 1 : 0 })[0];
  }
  mean(a: Value, axes: number[], keepdims = false): Value {
    return this.apply('reduceMean', [a], { axes, keepdims: keepdims ? 1 : 0 })[0];
  }
  slice(a: Value, axis: number, start: number, end: number): Value {
    return this.apply('slice', [a], { axis, start, end })[0];
  }
  concat(xs: Value[], axis: number): Value {
    return xs.length === 1 ? xs[0] : this.apply('concat', xs, { axis })[0];
  }
  expand(a: Value, shape: number[]): Value {
    return this.apply('expand', [a], { shape })[0];
  }
  where(cond: Value, a: Value, b: Value): Value {
    return this.apply('where', [cond, a, b])[0];
  }
  gather(data: Value, indices: Value, axis = 0): Value {
    return this.apply('gather', [data, indices], { axis })[0];
  }
  pad(a: Value, pads: number[]): Value {
    return this.apply('pad', [a], { pads })[0];
  }
  layerNorm(x: Value, gamma: Value, beta: Value, eps: number): Value {
    return this.apply('layerNorm', [x, gamma, beta], { eps })[0];
  }
  /** GELU, exact (erf) or the tanh approximation (`gelu_new`), as one operator. */
  gelu(x: Value, approximate: 'none' | 'tanh'): Value {
    return this.apply('gelu', [x], { approximate })[0];
  }
  cast(a: Value, to: DType): Value {
    return this.apply('cast', [a], { to })[0];
  }
  equal(a: Value, b: Value): Value {
    return this.apply('equal', [a, b])[0];
  }
  lessOrEqual(a: Value, b: Value): Value {
    return this.apply('lessOrEqual', [a, b])[0];
  }
  and(a: Value, b: Value): Value {
    return this.apply('and', [a, b])[0];
  }
  argmax(a: Value, axis: number): Value {
    return this.apply('argmax', [a], { axis })[0];
  }
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Numpy broadcasting of two shapes; throws with both shapes when they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
    out.push(Math.max(da, db));
  }
  return out;
}
