/**
 * Model weights in memory, in the layout the graphs use (linear weights as [in, out]), shared by
 * every graph of a model: a graph binds them by name and each ONNX session is fed the same arrays.
 * Weight edits (erase / edit) change these arrays in place and are undone from a saved copy.
 */
import type { Graph, Value } from '../graph/ir';
import { WeightStore } from './safetensors';

export class Weights {
  private readonly arrays = new Map<string, { data: Float32Array; shape: number[] }>();

  constructor(readonly store: WeightStore) {}

  has(name: string): boolean {
    return this.store.has(name);
  }

  /** A tensor as stored. */
  raw(name: string): { data: Float32Array; shape: number[] } {
    let t = this.arrays.get(name);
    if (!t) {
      t = { data: this.store.read(name), shape: this.store.shape(name) };
      this.arrays.set(name, t);
    }
    return t;
  }

  /** A PyTorch nn.Linear weight [out, in], transposed once to [in, out]. */
  linear(name: string): { data: Float32Array; shape: number[] } {
    const key = `${name}#T`;
    let t = this.arrays.get(key);
    if (!t) {
      const { data, shape } = this.raw(name);
      const [o, i] = shape;
      const out = new Float32Array(data.length);
      for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) out[c * o + r] = data[r * i + c];
      t = { data: out, shape: [i, o] };
      this.arrays.set(key, t);
      this.arrays.delete(name);
    }
    return t;
  }

  /** By in-memory key: `name#T` is the transposed linear weight, `name` the tensor as stored. */
  array(key: string): { data: Float32Array; shape: number[] } {
    return key.endsWith('#T') ? this.linear(key.slice(0, -2)) : this.raw(key);
  }

  /** Binds weights into one graph, creating each graph value once. */
  bind(g: Graph): BoundWeights {
    return new BoundWeights(this, g);
  }
}

export class BoundWeights {
  private readonly values = new Map<string, Value>();

  constructor(
    readonly weights: Weights,
    private readonly g: Graph,
  ) {}

  private get(key: string, t: { data: Float32Array; shape: number[] }): Value {
    let v = this.values.get(key);
    if (!v) {
      v = this.g.weight(key.replace(/[^A-Za-z0-9_.]/g, '_'), t.shape, { kind: 'inline', data: t.data });
      this.values.set(key, v);
    }
    return v;
  }

  raw(name: string): Value {
    return this.get(name, this.weights.raw(name));
  }

  linear(name: string): Value {
    return this.get(`${name}#T`, this.weights.linear(name));
  }
}
