/**
 * What every family's forward computation is written with: linear layers from named weights,
 * norms, activations, masks, rotary embeddings and (grouped-query) attention.
 */
import type { Graph, Value } from '../../graph/ir';
import type { ModelConfig, Rope } from '../config';
import type { BoundWeights } from '../weights';

export interface AttendOptions {
  mask?: Value;
  rope?: Rope;
  scale: number;
  softcap?: number;
}

export abstract class Base {
  constructor(
    protected cfg: ModelConfig,
    protected g: Graph,
    protected w: BoundWeights,
    protected T: number,
    /** Prompts padded to T: an additive [1, 1, 1, T] mask over keys that every attention adds. */
    protected keyMask?: Value,
  ) {}

  protected has(name: string): boolean {
    return this.w.weights.has(name);
  }

  /** x·Wᵀ (+ b) for a PyTorch nn.Linear weight; the bias only where named and present. */
  protected linear(x: Value, weight: string, bias?: string): Value {
    const y = this.w.timesT(x, weight);
    return bias && this.has(bias) ? this.g.add(y, this.w.raw(bias)) : y;
  }

  protected conv1d(x: Value, prefix: string): Value {
    return this.g.add(this.g.matmul(x, this.w.raw(`${prefix}.weight`)), this.w.raw(`${prefix}.bias`));
  }

  /** Output features start…end of x's last axis. */
  protected cols(x: Value, start: number, end: number): Value {
    return this.g.slice(x, -1, start, end);
  }

  /** The rows of `v` [R, T, ·] at the one-hot position `at` [1, T, 1], as [R, 1, ·]; `v` itself without `at`. */
  protected at(v: Value, at?: Value): Value {
    return at ? this.g.sum(this.g.mul(v, at), [1], true) : v;
  }

  /** LayerNorm with its weight and (where present) bias. */
  protected layerNorm(x: Value, prefix: string, eps = this.cfg.eps): Value {
    const bias = `${prefix}.bias`;
    const beta = this.has(bias) ? this.w.raw(bias) : this.g.constant(new Float32Array(x.shape[x.shape.length - 1]), [x.shape[x.shape.length - 1]], 'float32');
    return this.g.layerNorm(x, this.w.raw(`${prefix}.weight`), beta, eps);
  }

  /** RMSNorm over the last axis; Gemma's scales by (1 + w). */
  protected rmsNorm(x: Value, weight: string, plusOne = false): Value {
    const g = this.g;
    const ms = g.mean(g.mul(x, x), [-1], true);
    const w = plusOne ? g.add(this.w.raw(weight), g.scalar(1)) : this.w.raw(weight);
    return g.mul(g.div(x, g.sqrt(g.add(ms, g.scalar(this.cfg.eps)))), w);
  }

  protected act(x: Value): Value {
    const g = this.g;
    switch (this.cfg.act) {
      case 'gelu':
        return g.gelu(x, 'none');
      case 'gelu_new':
        return g.gelu(x, 'tanh');
      case 'silu':
        return g.mul(x, g.sigmoid(x));
      case 'relu':
        return g.mul(x, g.sub(g.scalar(1), g.cast(g.lessOrEqual(x, g.scalar(0)), 'float32')));
    }
  }

  protected softcap(x: Value, cap: number): Value {
    return this.g.mul(this.g.tanh(this.g.mul(x, this.g.scalar(1 / cap))), this.g.scalar(cap));
  }

  /** Rows of a position table [P, H] for positions offset … offset+T−1, as [1, T, H]. */
  protected positions(table: string, offset: number): Value {
    return this.g.reshape(this.g.slice(this.w.raw(table), 0, offset, offset + this.T), [1, this.T, this.cfg.hidden]);
  }

  protected gatherRows(table: string, ids: Value): Value {
    return this.g.reshape(this.w.rows(table, ids), [1, this.T, this.cfg.hidden]);
  }

  /**
   * Additive mask [T, T]: 0 where query i may see key j, −1e9 elsewhere. Causal: j ≤ i, and with
   * `local` i − j < window. Bidirectional (`causal` false): with `local`, |i − j| ≤ window / 2.
   */
  protected mask(causal: boolean, local: boolean): Value | undefined {
    const T = this.T;
    if (!causal && !local) return undefined;
    const m = new Float32Array(T * T);
    const half = Math.floor(this.cfg.window / 2);
    for (let i = 0; i < T; i++)
      for (let j = 0; j < T; j++) {
        const hidden = causal ? j > i || (local && i - j >= this.cfg.window) : Math.abs(i - j) > half;
        if (hidden) m[i * T + j] = -1e9;
      }
    return this.g.constant(m, [T, T], 'float32');
  }

  /** Masks by layer kind, built once. */
  private masks?: { global?: Value; local?: Value };
  protected layerMask(l: number): Value | undefined {
    const causal = this.cfg.kind === 'causal';
    this.masks ??= {
      global: this.mask(causal, false),
      local: this.cfg.attentionLayers.includes('local') ? this.mask(causal, true) : undefined,
    };
    return this.masks[this.cfg.attentionLayers[l]];
  }

  /** The rotary embedding of layer l: local layers may use their own. */
  protected layerRope(l: number): Rope | undefined {
    return this.cfg.attentionLayers[l] === 'local' && this.cfg.localRope ? this.cfg.localRope : this.cfg.rope;
  }

  /**
   * Multi-head (grouped-query) attention. Queries [R, Tq, ·] are the last Tq of the Tk positions of
   * keys and values [R, Tk, ·] (Tq = Tk, or 1 for rows that differ only at the last position).
   */
  protected attend(q: Value, k: Value, v: Value, opts: AttendOptions): Value {
    const g = this.g;
    const { heads, kvHeads, headDim: d } = this.cfg;
    const [R, Tq] = q.shape;
    const Tk = k.shape[1];
    let qh = g.transpose(g.reshape(q, [R, Tq, heads, d]), [0, 2, 1, 3]); // [R, nh, Tq, d]
    let kh = g.transpose(g.reshape(k, [k.shape[0], Tk, kvHeads, d]), [0, 2, 1, 3]); // [R, nkv, Tk, d]
    let vh = g.transpose(g.reshape(v, [v.shape[0], Tk, kvHeads, d]), [0, 2, 1, 3]);
    if (opts.rope) {
      qh = this.rotary(qh, opts.rope, Tk - Tq);
      kh = this.rotary(kh, opts.rope, 0);
    }
    if (kvHeads !== heads) {
      const rep = heads / kvHeads;
      const repeat = (x: Value) =>
        g.reshape(g.expand(g.reshape(x, [x.shape[0], kvHeads, 1, Tk, d]), [x.shape[0], kvHeads, rep, Tk, d]), [x.shape[0], heads, Tk, d]);
      kh = repeat(kh);
      vh = repeat(vh);
    }
    let scores = g.bmmT(qh, kh); // [R, nh, Tq, Tk]
    if (opts.scale !== 1) scores = g.mul(scores, g.scalar(opts.scale));
    if (opts.softcap) scores = this.softcap(scores, opts.softcap);
    if (opts.mask) scores = g.add(scores, Tq === Tk ? opts.mask : g.slice(opts.mask, 0, Tk - Tq, Tk));
    if (this.keyMask) scores = g.add(scores, this.keyMask);
    const ctx = g.matmul(g.softmax(scores, -1), vh); // [R, nh, Tq, d]
    return g.reshape(g.transpose(ctx, [0, 2, 1, 3]), [R, Tq, heads * d]);
  }

  /** A norm over each head's d features of q or k [R, T, n·d] (Qwen3, Gemma 3 q_norm / k_norm). */
  protected perHead(x: Value, norm: (x: Value) => Value): Value {
    const [R, T, width] = x.shape;
    const d = this.cfg.headDim;
    return this.g.reshape(norm(this.g.reshape(x, [R, T, width / d, d])), [R, T, width]);
  }

  /**
   * Keys or values for rows that differ from the unpatched row only at the last position: the
   * unpatched row's [1, T, C] for the positions before it, the rows' own [R, 1, C] at it.
   */
  protected withPrefix(base: Value, last: Value): Value {
    const T = base.shape[1];
    const R = last.shape[0];
    if (T === 1) return last;
    return this.g.concat([this.g.expand(this.g.slice(base, 1, 0, T - 1), [R, T - 1, base.shape[2]]), last], 1);
  }

  /**
   * Rotary embeddings on [R, heads, T, d] at positions offset…offset+T−1, on the first 2·|invFreq|
   * features of each head (the rest pass unchanged): rotate_half pairs (i, i + r/2) as Llama and
   * GPT-NeoX, interleaved pairs (2i, 2i+1) as GPT-J. Angles in float32, as transformers computes them.
   */
  private rotary(x: Value, rope: Rope, offset: number): Value {
    const g = this.g;
    const d = this.cfg.headDim;
    const r = 2 * rope.invFreq.length;
    const T = x.shape[2];
    // Tables from position 0, then the rows of these positions: a table's rows never depend on
    // the length, so graphs of any length (onnx/symbolic.ts) share it.
    const n = offset + T;
    const cos = new Float32Array(n * r);
    const sin = new Float32Array(n * r);
    for (let p = 0; p < n; p++)
      rope.invFreq.forEach((f, i) => {
        const angle = Math.fround(Math.fround(f) * p);
        const [a, b] = rope.interleaved ? [2 * i, 2 * i + 1] : [i, i + r / 2];
        cos[p * r + a] = cos[p * r + b] = Math.cos(angle);
        sin[p * r + a] = sin[p * r + b] = Math.sin(angle);
      });
    const xr = r < d ? g.slice(x, -1, 0, r) : x;
    let rotated: Value;
    if (rope.interleaved) {
      // (x₀, x₁, …) → (−x₁, x₀, −x₃, x₂, …) as a product with a signed permutation.
      const P = new Float32Array(r * r);
      for (let i = 0; i < r; i += 2) {
        P[(i + 1) * r + i] = -1;
        P[i * r + i + 1] = 1;
      }
      rotated = g.matmul(xr, g.constant(P, [r, r], 'float32'));
    } else {
      rotated = g.concat([g.neg(g.slice(xr, -1, r / 2, r)), g.slice(xr, -1, 0, r / 2)], -1);
    }
    const rows = (table: Float32Array) => {
      const all = g.constant(table, [n, r], 'float32');
      return offset ? g.slice(all, 0, offset, n) : all;
    };
    const out = g.add(g.mul(xr, rows(cos)), g.mul(rotated, rows(sin)));
    return r < d ? g.concat([out, g.slice(x, -1, r, d)], -1) : out;
  }
}
