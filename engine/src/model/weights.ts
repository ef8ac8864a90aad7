/**
 * Model weights by key, in the layout the graphs use: `name` is a tensor as stored, `name#T` a
 * PyTorch nn.Linear weight [out, in] transposed to [in, out]. Nothing is kept in memory here: a
 * graph binds weights lazily, each is read (and converted) when first written to the model's
 * external data file, which every ONNX session of the model then maps. Weight edits are overrides
 * bound into one graph, never changes to the shared weights.
 */
import * as fs from 'node:fs';
import type { Graph, Value } from '../graph/ir';
import { WeightStore } from './safetensors';

export class Weights {
  constructor(readonly store: WeightStore) {}

  has(name: string): boolean {
    return this.store.has(name);
  }

  shape(key: string): number[] {
    const shape = this.store.shape(key.replace(/#T$/, ''));
    return key.endsWith('#T') ? [shape[1], shape[0]] : shape;
  }

  /** Reads the tensor for `key` afresh (a new array the caller may change). */
  array(key: string): Float32Array {
    if (!key.endsWith('#T')) return this.store.read(key);
    const name = key.slice(0, -2);
    const data = this.store.read(name);
    const [o, i] = this.store.shape(name);
    const out = new Float32Array(data.length);
    for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) out[c * o + r] = data[r * i + c];
    return out;
  }

  /** Writes the tensor for `key` as float32 to a file; only a transposed one is held whole on the way. */
  write(key: string, fd: number, position: number): number {
    if (!key.endsWith('#T')) return this.store.writeFloat32(key, fd, position);
    const data = this.array(key);
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
          : { kind: 'weight', key, load: () => this.weights.array(key), write: (fd, at) => this.weights.write(key, fd, at) },
      );
      this.values.set(key, v);
    }
    return v;
  }

  raw(name: string): Value {
    return this.get(name);
  }

  linear(name: string): Value {
    return this.get(`${name}#T`);
  }
}
