/**
 * One ONNX model for every size of a graph: a builder's graph at several sizes (the prompt length,
 * the quadrature steps per run) becomes a model whose inputs have symbolic dimensions, so that one
 * session runs prompts of any length without padding. Our IR has static shapes; rather than a
 * second, symbolic IR, the graph is built at a few probe sizes and compared:
 *  - the builds must be the same graph (same nodes, operators, attributes, constants' values);
 *  - every int64 vector the emission asks for (a Reshape's or Expand's shape, a Slice's bounds)
 *    that differs between them is fitted as a product-sum of the sizes (checked on one more probe)
 *    and computed at run time from the inputs' shapes; a Reshape keeps 0 (the input's size) and
 *    −1 where it can, which ONNX Runtime's optimizer prefers to computed shapes;
 *  - a constant whose shape varies (a position table, an attention mask) must be, at each probe,
 *    the leading part of the largest build's: it is written once at the largest size and sliced at
 *    run time. The largest size is then the most a session can run.
 * Anything else that varies throws `SymbolicError`, and the caller builds one graph per size.
 */
import type { ConstData, Graph, Node, Value } from '../graph/ir';
import { EmitContext, OPS } from '../graph/ops';

export class SymbolicError extends Error {}

export interface SymbolicSizes {
  /** Names of the sizes, as the model's dim_params. */
  names: string[];
  /** The sizes the model is emitted at: the most it runs. */
  max: number[];
  /** Two more values of each size, below `max`, for the fit and its check. */
  low: number[];
  check: number[];
}

/** A size as Σ_S coef[S] · Π_{i∈S} size_i, S a bit set of the sizes (multilinear: products like R·T). */
type Poly = number[];

interface Trace {
  values: Map<number, Value>;
  i64: number[][];
  f32: number[];
  emitted: string[];
}

function trace(g: Graph, opts: { transposeForMatMul?: boolean }): Trace {
  const t: Trace = { values: new Map(), i64: [], f32: [], emitted: [] };
  for (const v of [...g.inputs, ...g.constants.keys()]) t.values.set(v.id, v);
  const ctx: EmitContext = {
    i64: (values) => (t.i64.push([...values]), 'i'),
    f32: (value) => (t.f32.push(value), 'f'),
    node: (op, inputs, attrs, domain) => (t.emitted.push(JSON.stringify([op, domain ?? '', attrs ?? {}, inputs.length])), 'n'),
    transposeForMatMul: opts.transposeForMatMul,
  };
  g.nodes.forEach((n) => {
    for (const o of n.outputs) t.values.set(o.id, o);
    const e = OPS[n.op].emit(n, ctx);
    t.emitted.push(JSON.stringify([e.op, e.domain ?? '', e.attrs ?? {}, n.inputs.map((v) => v.id), n.outputs.map((v) => v.id)]));
  });
  return t;
}

export class SymbolicPlan {
  private readonly traces: Trace[];
  /** Probe points: 2^n corners (bit i set: size i at `low`, else at `max`), then the check point. */
  private readonly points: number[][];
  private call = 0;
  private current?: Node;
  private callInNode = 0;

  private constructor(
    private readonly sizes: SymbolicSizes,
    graphs: Graph[],
    points: number[][],
    opts: { transposeForMatMul?: boolean },
  ) {
    this.points = points;
    this.traces = graphs.map((g) => trace(g, opts));
    const [base, ...others] = this.traces;
    for (const [k, t] of others.entries()) {
      const what = (x: string) => new SymbolicError(`the graph at sizes ${points[k + 1]} differs from the one at ${points[0]}: ${x}`);
      if (t.emitted.length !== base.emitted.length || t.emitted.some((e, i) => e !== base.emitted[i])) throw what('nodes');
      if (t.f32.length !== base.f32.length || t.f32.some((x, i) => x !== base.f32[i])) throw what('a scalar');
      if (t.i64.length !== base.i64.length || t.i64.some((c, i) => c.length !== base.i64[i].length)) throw what('a shape’s rank');
    }
    const io = (g: Graph) => JSON.stringify([g.inputs.map((v) => [v.id, v.name, v.dtype]), g.outputs.map((v) => [v.id, v.name, v.dtype])]);
    if (graphs.some((g) => io(g) !== io(graphs[0]))) throw new SymbolicError('the graphs’ inputs or outputs differ');
    for (const g of graphs.slice(1)) {
      const byId = new Map([...g.constants].map(([w, d]) => [w.id, { w, d }]));
      if (byId.size !== graphs[0].constants.size) throw new SymbolicError('the builds have different constants');
      for (const [v, c] of graphs[0].constants) {
        const other = byId.get(v.id);
        if (!other) throw new SymbolicError(`constant ${v.name} is missing from a build`);
        checkPrefix(v, c, other.w, other.d);
      }
    }
    sizes.names.forEach((_, i) => this.source(i, graphs[0].inputs));
    // Every size that varies is fitted now, so that a graph that cannot be one model is refused
    // here (the engine then builds per length), never halfway through its emission.
    base.i64.forEach((call, k) => call.forEach((_, j) => this.fit(this.traces.map((t) => t.i64[k][j]))));
    for (const v of [...graphs[0].inputs, ...graphs[0].outputs]) v.shape.forEach((_, axis) => this.dim(v, axis));
    for (const v of graphs[0].constants.keys()) this.slicedAxes(v);
  }

  /** The graph at `sizes.max`, to emit with its plan; throws SymbolicError where the builds cannot be one model. */
  static make(build: (sizes: number[]) => Graph, sizes: SymbolicSizes, opts: { transposeForMatMul?: boolean } = {}): { graph: Graph; plan: SymbolicPlan } {
    const n = sizes.names.length;
    const points = Array.from({ length: 2 ** n }, (_, mask) => sizes.max.map((m, i) => (mask & (1 << i) ? sizes.low[i] : m)));
    points.push(sizes.check);
    const graphs = points.map(build);
    return { graph: graphs[0], plan: new SymbolicPlan(sizes, graphs, points, opts) };
  }

  /** A dimension of a graph value (by id) as a polynomial of the sizes; a number when it does not vary. */
  private dim(v: Value, axis: number): Poly | number {
    return this.fit(
      this.traces.map((t) => {
        const w = t.values.get(v.id);
        if (!w) throw new SymbolicError(`value ${v.name} is missing from a build`);
        return w.shape[axis];
      }),
    );
  }

  /** The multilinear polynomial through the corner values, checked at the last point; a number when all are equal. */
  private fit(values: number[]): Poly | number {
    if (values.every((x) => x === values[0])) return values[0];
    const corners = 2 ** this.sizes.names.length;
    const basis = (p: number[]) => Array.from({ length: corners }, (_, S) => p.reduce((prod, x, i) => (S & (1 << i) ? prod * x : prod), 1));
    const coef = solve(this.points.slice(0, corners).map(basis), values.slice(0, corners)).map((c) => {
      if (Math.abs(c - Math.round(c)) > 1e-6) throw new SymbolicError(`a size varies as a fraction of the sizes (${values})`);
      return Math.round(c);
    });
    const check = basis(this.points[corners]).reduce((s, b, S) => s + b * coef[S], 0);
    if (check !== values[corners]) throw new SymbolicError(`a size is not a product-sum of the sizes (${values})`);
    return coef;
  }

  /** Called by the emitter before it emits the graph (a plan can be emitted more than once). */
  begin(): void {
    this.call = 0;
  }

  /** Called by the emitter before each node of the graph. */
  enter(n: Node): void {
    this.current = n;
    this.callInNode = 0;
  }

  /** The dim_param of a graph input's or output's dimension, or undefined when it is fixed. */
  dimParam(v: Value, axis: number): string | undefined {
    const d = this.dim(v, axis);
    if (typeof d === 'number') return undefined;
    const i = this.sizes.names.findIndex((_, i) => isSize(d, i));
    return i >= 0 ? this.sizes.names[i] : `${v.name}_${axis}`;
  }

  /**
   * The emitter's next int64 vector: undefined when it is the same in every build; otherwise the
   * name of a tensor that holds it, made with `ctx` (whose own `i64` must be the plain one).
   */
  i64(ctx: EmitContext, sizeOf: (i: number) => string): string | undefined {
    const k = this.call++;
    const first = this.callInNode++ === 0;
    const perBuild = this.traces.map((t) => t.i64[k]);
    const polys = perBuild[0].map((_, j) => this.fit(perBuild.map((b) => b[j])));
    if (polys.every((p) => typeof p === 'number')) return undefined;
    const n = this.current!;
    const out: (number | Poly)[] = [...polys];
    const varies = (p: number | Poly): p is Poly => typeof p !== 'number';
    if (n.op === 'reshape' && first) {
      // 0 keeps the input's size on that axis; one size left unknown is −1.
      const x = n.inputs[0];
      out.forEach((p, j) => {
        if (varies(p) && j < x.shape.length && samePoly(this.dim(x, j), p)) out[j] = 0;
      });
      if (out.filter(varies).length === 1) out[out.findIndex(varies)] = -1;
    } else if (n.op === 'expand' && first) {
      // 1 broadcasts the input's own size.
      const x = n.inputs[0];
      const offset = out.length - x.shape.length;
      out.forEach((p, j) => {
        if (varies(p) && j >= offset && samePoly(this.dim(x, j - offset), p)) out[j] = 1;
      });
    }
    return runtimeVector(ctx, out, sizeOf);
  }

  /** For a constant whose shape varies: the axes to slice at run time, each with the size (index) it runs to. */
  slicedAxes(v: Value): { axis: number; size: number }[] {
    return v.shape.flatMap((_, axis) => {
      const d = this.dim(v, axis);
      if (typeof d === 'number') return [];
      const size = this.sizes.names.findIndex((_, i) => isSize(d, i));
      if (size < 0) throw new SymbolicError(`constant ${v.name}: a dimension is not one of the sizes`);
      return [{ axis, size }];
    });
  }

  /** Where the model reads size i at run time: the first input with it as a dimension. */
  source(i: number, inputs: readonly Value[]): { v: Value; axis: number } {
    for (const v of inputs) for (let axis = 0; axis < v.shape.length; axis++) if (isSize(this.dim(v, axis), i)) return { v, axis };
    throw new SymbolicError(`no input has the size ${this.sizes.names[i]} as a dimension`);
  }
}

/** True when the polynomial is exactly size i. */
function isSize(d: Poly | number, i: number): boolean {
  return typeof d !== 'number' && d.every((c, S) => c === (S === 1 << i ? 1 : 0));
}

function samePoly(a: Poly | number, b: Poly | number): boolean {
  return typeof a === 'number' || typeof b === 'number' ? a === b : a.every((c, k) => c === b[k]);
}

/** Constants may vary in shape only as leading parts of the first build's (position tables, masks). */
function checkPrefix(v: Value, c: ConstData, w: Value, d: ConstData): void {
  if (c.kind === 'weight' || d.kind === 'weight') {
    if (c.kind !== d.kind || (c.kind === 'weight' && d.kind === 'weight' && c.key !== d.key) || v.shape.join() !== w.shape.join())
      throw new SymbolicError(`weight ${v.name} differs between builds`);
    return;
  }
  const full = c.data;
  const part = d.data;
  const big = v.shape;
  const small = w.shape;
  if (big.length !== small.length || small.some((s, i) => s > big[i])) throw new SymbolicError(`constant ${v.name} is larger in a smaller build`);
  const varies = big.some((s, i) => s !== small[i]);
  const n = part.length;
  for (let flat = 0; flat < n; flat++) {
    let rest = flat;
    let at = 0;
    let stride = 1;
    for (let i = small.length - 1; i >= 0; i--) {
      const x = rest % small[i];
      rest = Math.floor(rest / small[i]);
      at += x * stride;
      stride *= big[i];
    }
    if (part[flat] !== full[at])
      throw new SymbolicError(varies ? `constant ${v.name} is not the same table at every size` : `constant ${v.name} differs between sizes`);
  }
}

/** Gaussian elimination with partial pivoting on a small square system. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    if (m[c][c] === 0) throw new SymbolicError('probe sizes must differ');
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/** An int64 vector of fixed entries and polynomials of the sizes, computed by nodes added with `ctx`. */
function runtimeVector(ctx: EmitContext, entries: (number | Poly)[], sizeOf: (i: number) => string): string {
  const parts: string[] = [];
  let fixed: number[] = [];
  const flush = () => {
    if (fixed.length) parts.push(ctx.i64(fixed));
    fixed = [];
  };
  for (const e of entries) {
    if (typeof e === 'number') {
      fixed.push(e);
      continue;
    }
    flush();
    let sum: string | undefined;
    e.forEach((c, S) => {
      if (c === 0) return;
      let term: string | undefined;
      for (let i = 0; 1 << i <= S; i++) if (S & (1 << i)) term = term ? ctx.node('Mul', [term, sizeOf(i)]) : sizeOf(i);
      term = term ? (c === 1 ? term : ctx.node('Mul', [term, ctx.i64([c])])) : ctx.i64([c]);
      sum = sum ? ctx.node('Add', [sum, term]) : term;
    });
    parts.push(sum ?? ctx.i64([0]));
  }
  flush();
  return parts.length === 1 ? parts[0] : ctx.node('Concat', parts, { axis: 0 });
}
