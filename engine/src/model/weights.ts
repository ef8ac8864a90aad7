/**
 * Model weights by key, in the layout the graphs use: `name` is a tensor as stored, `name#T` a
 * PyTorch nn.Linear weight [out, in] transposed to [in, out]; with int8 (int16) storage, `name#q8`
 * (`#q16`) its rows rounded to integers and `name#s8` (`#s16`) the float32 scale of each row. Nothing is kept in memory here: a
 * graph binds weights lazily, each is read (and converted) when first written to the model's
 * external data file, which every ONNX session of the model then maps. Weight edits are overrides
 * bound into one graph, never changes to the shared weights.
 */
import * as fs from 'node:fs';
import type { Graph, Value } from '../graph/ir';
import type { WeightStorage } from '../types';
import { WeightStore } from './safetensors';

/** Bytes per stored weight (matrices that multiply activations, and token embeddings). */
export const STORAGE_BYTES: Record<WeightStorage, number> = { float32: 4, int16: 2, int8: 1 };

/** A quantized key's bits (`name#q8`, `name#s16`, …), or undefined. */
function quantized(key: string): { name: string; scales: boolean; bits: 8 | 16 } | undefined {
  const m = /^(.*)#(q|s)(8|16)$/.exec(key);
  return m ? { name: m[1], scales: m[2] === 's', bits: Number(m[3]) as 8 | 16 } : undefined;
}

export class Weights {
  constructor(
    readonly store: WeightStore,
    readonly storage: WeightStorage = 'float32',
  ) {}

  has(name: string): boolean {
    return this.store.has(name);
  }

  shape(key: string): number[] {
    const q = quantized(key);
    const shape = this.store.shape(q ? q.name : key.replace(/#T$/, ''));
    if (q?.scales) return [shape[0]];
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

  /** Reads the tensor for any key afresh: `array`'s, or a quantized one (its integer rows, or their scales). */
  load(key: string): Float32Array | Int8Array | Int16Array {
    const q = quantized(key);
    if (!q) return this.array(key);
    const [count, width] = this.store.shape(q.name);
    if (q.scales) {
      const scales = new Float32Array(count);
      this.store.forEachRow(q.name, (row, r) => (scales[r] = rowScale(row, q.bits)));
      return scales;
    }
    const out = q.bits === 8 ? new Int8Array(count * width) : new Int16Array(count * width);
    this.store.forEachRow(q.name, (row, r) => out.set(quantizeRow(row, q.bits), r * width));
    return out;
  }

  /** Writes the tensor for `key` to a file; a transposed one (and scales) held whole on the way, integer rows a row at a time. */
  write(key: string, fd: number, position: number): number {
    const q = quantized(key);
    if (q && !q.scales) {
      let written = 0;
      this.store.forEachRow(q.name, (row) => {
        const ints = quantizeRow(row, q.bits);
        written += fs.writeSync(fd, ints, 0, ints.byteLength, position + written);
      });
      return written;
    }
    if (!key.endsWith('#T') && !q) return this.store.writeFloat32(key, fd, position);
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
        key.endsWith('#q8') ? 'int8' : key.endsWith('#q16') ? 'int16' : 'float32',
      );
      this.values.set(key, v);
    }
    return v;
  }

  raw(name: string): Value {
    return this.get(name);
  }

  /** The bits `name` is kept in here, or undefined for float32 (an edited weight keeps float32: the edit is exact). */
  private bits(name: string): 8 | 16 | undefined {
    const { storage } = this.weights;
    if (storage === 'float32' || this.overrides?.has(name) || this.overrides?.has(`${name}#T`) || this.weights.shape(name).length !== 2) return undefined;
    return storage === 'int8' ? 8 : 16;
  }

  /**
   * x · Wᵀ for a weight W [out, in] as stored (a PyTorch nn.Linear weight, or an embedding table
   * used as the output head): the one place that chooses how such a weight is kept. Float32 linear
   * weights are multiplied as a transposed copy [in, out] (MatMul), tables as they are (Gemm with
   * transB); integer weights as their rows and scales (`qmatmul`).
   */
  timesT(x: Value, name: string, table = false): Value {
    const bits = this.bits(name);
    if (bits) return this.g.qmatmulT(x, this.get(`${name}#q${bits}`), this.get(`${name}#s${bits}`));
    return table ? this.g.matmulT(x, this.get(name)) : this.g.matmul(x, this.get(`${name}#T`));
  }

  /** Rows `ids` of a table [n, H] (token embeddings), float32 whatever the storage. */
  rows(name: string, ids: Value): Value {
    const bits = this.bits(name);
    if (!bits) return this.g.gather(this.get(name), ids, 0);
    const g = this.g;
    const q = g.cast(g.gather(this.get(`${name}#q${bits}`), ids, 0), 'float32');
    return g.mul(q, g.reshape(g.gather(this.get(`${name}#s${bits}`), ids, 0), [...ids.shape, 1]));
  }
}

/** A row's scale (as float32, the value the graph multiplies by): its largest magnitude maps to 127 (int8) or 32767 (int16); 1 for a row of zeros. */
function rowScale(row: Float32Array, bits: 8 | 16): number {
  let max = 0;
  for (let i = 0; i < row.length; i++) max = Math.max(max, Math.abs(row[i]));
  return max > 0 ? Math.fround(max / (bits === 8 ? 127 : 32767)) : 1;
}

function quantizeRow(row: Float32Array, bits: 8 | 16): Int8Array | Int16Array {
  const s = rowScale(row, bits);
  const q = bits === 8 ? new Int8Array(row.length) : new Int16Array(row.length);
  for (let i = 0; i < row.length; i++) q[i] = Math.round(row[i] / s);
  return q;
}
