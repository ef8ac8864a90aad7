/**
 * Model weights by key, in the layout the graphs use: `name` is a tensor as stored, `name#T` a
 * PyTorch nn.Linear weight [out, in] transposed to [in, out]; with int8 storage, `name#q8` its rows
 * rounded to int8 and `name#s8` the float32 scale of each row. Nothing is kept in memory here: a
 * graph binds weights lazily, each is read (and converted) when first written to the model's
 * external data file, which every ONNX session of the model then maps. Weight edits are overrides
 * bound into one graph, never changes to the shared weights.
 */
import * as fs from 'node:fs';
import type { Graph, Value } from '../graph/ir';
import { WeightStore } from './safetensors';

/**
 * How the weights that multiply activations are kept: `float32` (the default), or `int8`, rows
 * rounded to int8 with a float32 scale per row (absmax / 127), a quarter of the memory, dequantized
 * where they are used (README, "Models larger than memory").
 */
export type WeightStorage = 'float32' | 'int8';
export const WEIGHT_STORAGES: readonly WeightStorage[] = ['float32', 'int8'];

export class Weights {
  constructor(
    readonly store: WeightStore,
    readonly storage: WeightStorage = 'float32',
  ) {}

  has(name: string): boolean {
    return this.store.has(name);
  }

  shape(key: string): number[] {
    const shape = this.store.shape(key.replace(/#(T|q8|s8)$/, ''));
    if (key.endsWith('#s8')) return [shape[0]];
    return key.endsWith('#T') ? [shape[1], shape[0]] : shape;
  }

  /** Reads the tensor for `key` afresh (a new array the caller may change); int8 keys as `int8Array`. */
  array(key: string): Float32Array {
    if (!key.endsWith('#T')) return this.store.read(key);
    const name = key.slice(0, -2);
    const data = this.store.read(name);
    const [o, i] = this.store.shape(name);
    const out = new Float32Array(data.length);
    for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) out[c * o + r] = data[r * i + c];
    return out;
  }

  /** `name#q8` (its rows in int8) or `name#s8` (their scales), read afresh. */
  int8Array(key: string): Int8Array | Float32Array {
    const name = key.slice(0, -3);
    const [count, width] = this.store.shape(name);
    const out = key.endsWith('#q8') ? new Int8Array(count * width) : new Float32Array(count);
    this.store.forEachRow(name, (row, r) => (out instanceof Int8Array ? out.set(quantizeRow(row), r * width) : (out[r] = rowScale(row))));
    return out;
  }

  /** Reads the tensor for any key afresh. */
  load(key: string): Float32Array | Int8Array {
    return /#(q8|s8)$/.test(key) ? this.int8Array(key) : this.array(key);
  }

  /** Writes the tensor for `key` to a file; a transposed one (and int8 scales) held whole on the way, int8 rows a row at a time. */
  write(key: string, fd: number, position: number): number {
    if (key.endsWith('#q8')) {
      let written = 0;
      this.store.forEachRow(key.slice(0, -3), (row) => {
        const q = quantizeRow(row);
        written += fs.writeSync(fd, q, 0, q.length, position + written);
      });
      return written;
    }
    if (!key.endsWith('#T') && !key.endsWith('#s8')) return this.store.writeFloat32(key, fd, position);
    const data = this.load(key);
    return fs.writeSync(fd, data, 0, data.byteLength, position);
  }

  /** Binds weights into one graph, each graph value created once; `overrides` replace some by key. */
  bind(g: Graph, overrides?: ReadonlyMap<string, Float32Array>): BoundWeights {
    return new BoundWeights(this, g, overrides);
  }
}

export class BoundWeights {
  private readonly values = new Map<string, Value>();

  constructor(
    readonly weights: Weights,
    private readonly g: Graph,
    private readonly overrides?: ReadonlyMap<string, Float32Array>,
  ) {}

  private get(key: string): Value {
    let v = this.values.get(key);
    if (!v) {
      const name = key.replace(/[^A-Za-z0-9_.]/g, '_');
      const edited = this.overrides?.get(key);
      v = this.g.weight(
        name,
        this.weights.shape(key),
        edited
          ? { kind: 'inline', data: edited }
          : { kind: 'weight', key, load: () => this.weights.load(key), write: (fd, at) => this.weights.write(key, fd, at) },
        key.endsWith('#q8') ? 'int8' : 'float32',
      );
      this.values.set(key, v);
    }
    return v;
  }

  raw(name: string): Value {
    return this.get(name);
  }

  /** Whether `name` is multiplied in int8 here (an edited weight keeps float32: the edit is exact). */
  private int8(name: string): boolean {
    return this.weights.storage === 'int8' && !this.overrides?.has(name) && this.weights.shape(name).length === 2;
  }

  /**
   * x · Wᵀ for a weight W [out, in] as stored (a PyTorch nn.Linear weight, or an embedding table
   * used as the output head): the one place that chooses how such a weight is kept. Float32 linear
   * weights are multiplied as a transposed copy [in, out] (MatMul), tables as they are (Gemm with
   * transB); int8 weights as their rows and scales (`qmatmul`).
   */
  timesT(x: Value, name: string, table = false): Value {
    if (this.int8(name)) return this.g.qmatmulT(x, this.get(`${name}#q8`), this.get(`${name}#s8`));
    return table ? this.g.matmulT(x, this.get(name)) : this.g.matmul(x, this.get(`${name}#T`));
  }

  /** Rows `ids` of a table [n, H] (token embeddings), float32 whatever the storage. */
  rows(name: string, ids: Value): Value {
    if (!this.int8(name)) return this.g.gather(this.get(name), ids, 0);
    const g = this.g;
    const q = g.cast(g.gather(this.get(`${name}#q8`), ids, 0), 'float32');
    return g.mul(q, g.reshape(g.gather(this.get(`${name}#s8`), ids, 0), [...ids.shape, 1]));
  }
}

/** A row's int8 scale (as float32, the value the graph multiplies by): its largest magnitude maps to 127 (1 for a row of zeros). */
function rowScale(row: Float32Array): number {
  let max = 0;
  for (let i = 0; i < row.length; i++) max = Math.max(max, Math.abs(row[i]));
  return max > 0 ? Math.fround(max / 127) : 1;
}

function quantizeRow(row: Float32Array): Int8Array {
  const s = rowScale(row);
  const q = new Int8Array(row.length);
  for (let i = 0; i < row.length; i++) q[i] = Math.round(row[i] / s);
  return q;
}
