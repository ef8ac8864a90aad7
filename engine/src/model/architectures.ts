/**
 * The forward computation of each supported family, from named weights, split at the places the
 * knowledge-neuron method needs: a layer is `attention` (→ the FFN's input x), `activation`
 * (→ the FFN's intermediate activation, the neurons being attributed), `ffnProject` and
 * `ffnCombine` (→ the next hidden state). Every tensor carries a leading row dimension R (rows of a batch).
 */
import type { Graph, Value } from '../graph/ir';
import type { ModelConfig } from './config';
import type { BoundWeights } from './weights';

export interface Architecture {
  /** Token ids [T] → hidden states [1, T, H]. */
  embed(ids: Value, T: number): Value;
  /**
   * Self-attention block → the FFN's input. With `at` (a one-hot [1, T, 1]) only that position's
   * output is computed ([R, 1, H]): the last layer needs no other. With `patched`, the last rows of
   * `h` are known to equal row 0 except at one position, which an architecture may use to project
   * them there only (ignoring it is correct, only slower).
   */
  attention(l: number, h: Value, at?: Value, patched?: PatchedRows): Value;
  /**
   * Causal models: attention for rows [R, 1, H] that differ from the unpatched row `base` [1, T, H]
   * only at the last position (earlier positions cannot see a change after them). → [R, 1, H].
   */
  attentionAtLast?(l: number, last: Value, base: Value): Value;
  activation(l: number, x: Value): Value;
  /** The FFN's output projection of activations (with its bias unless `bias` is false). */
  ffnProject(l: number, act: Value, bias: boolean): Value;
  /** Projected FFN output + the residual x → the next hidden state. */
  ffnCombine(l: number, projected: Value, x: Value): Value;
  /** Hidden states at the target position [R, H] → logits [R, V]. */
  head(h: Value): Value;
}

/**
 * Rows of a hidden state [R, T, H] split as `old` [R − m, T, H] and m rows that equal old's row 0
 * except at the one-hot position `at` [1, T, 1], where they hold `atRows` [m, 1, H]. Row 0 is the
 * unpatched prompt, which depends on nothing that integrated gradients differentiate.
 */
export interface PatchedRows {
  old: Value;
  at: Value;
  atRows: Value;
}

/**
 * The in-memory key (see `Weights.array`) of layer l's FFN value vectors, laid out [F, H]: row i is
 * what neuron i writes into the residual stream.
 */
export function valueVectorsKey(cfg: ModelConfig, prefix: string, l: number): string {
  switch (cfg.family) {
    case 'bert':
    case 'xlm-roberta':
      return `${prefix}.encoder.layer.${l}.output.dense.weight#T`;
    case 'gpt2':
      return `transformer.h.${l}.mlp.c_proj.weight`;
    case 'gpt-neo':
      return `transformer.h.${l}.mlp.c_proj.weight#T`;
    case 'llama':
      return `model.layers.${l}.mlp.down_proj.weight#T`;
  }
}

export function wordEmbeddingsKey(cfg: ModelConfig, prefix: string): string {
  switch (cfg.family) {
    case 'bert':
    case 'xlm-roberta':
      return `${prefix}.embeddings.word_embeddings.weight`;
    case 'gpt2':
    case 'gpt-neo':
      return 'transformer.wte.weight';
    case 'llama':
      return 'model.embed_tokens.weight';
  }
}

/**
 * The output embedding [V, H] that the head's logits are products with: the LM head's own matrix
 * when the checkpoint has one and does not tie it, else the word embeddings.
 */
export function outputEmbeddingKey(cfg: ModelConfig, prefix: string, has: (name: string) => boolean): string {
  const own = cfg.family === 'bert' ? 'cls.predictions.decoder.weight' : cfg.family === 'xlm-roberta' ? 'lm_head.decoder.weight' : 'lm_head.weight';
  return has(own) && !cfg.tieWordEmbeddings ? own : wordEmbeddingsKey(cfg, prefix);
}

/** The weight-name prefix of BERT-like checkpoints (`bert`, `roberta`, …); '' for the others. */
export function weightPrefix(cfg: ModelConfig, has: (name: string) => boolean): string {
  if (cfg.family === 'bert') return 'bert';
  if (cfg.family === 'xlm-roberta') return has('roberta.embeddings.word_embeddings.weight') ? 'roberta' : 'xlm-roberta';
  return '';
}

/** The next hidden state from a layer's activations: projection, then residual (and norm). */
export function ffnOut(arch: Architecture, l: number, act: Value, x: Value): Value {
  return arch.ffnCombine(l, arch.ffnProject(l, act, true), x);
}

export function buildArchitecture(cfg: ModelConfig, g: Graph, w: BoundWeights, T: number): Architecture {
  switch (cfg.family) {
    case 'bert':
    case 'xlm-roberta':
      return new BertLike(cfg, g, w, T);
    case 'gpt2':
      return new Gpt2(cfg, g, w, T);
    case 'gpt-neo':
      return new GptNeo(cfg, g, w, T);
    case 'llama':
      return new Llama(cfg, g, w, T);
  }
}

abstract class Base {
  constructor(
    protected cfg: ModelConfig,
    protected g: Graph,
    protected w: BoundWeights,
    protected T: number,
  ) {}

  protected linear(x: Value, weight: string, bias?: string): Value {
    const y = this.g.matmul(x, this.w.linear(weight));
    return bias && this.w.weights.has(bias) ? this.g.add(y, this.w.raw(bias)) : y;
  }

  protected conv1d(x: Value, prefix: string): Value {
    return this.g.add(this.g.matmul(x, this.w.raw(`${prefix}.weight`)), this.w.raw(`${prefix}.bias`));
  }

  /** The rows of `v` [R, T, ·] at the one-hot position `at` [1, T, 1], as [R, 1, ·]; `v` itself without `at`. */
  protected at(v: Value, at?: Value): Value {
    return at ? this.g.sum(this.g.mul(v, at), [1], true) : v;
  }

  protected layerNorm(x: Value, prefix: string, eps = this.cfg.eps): Value {
    return this.g.layerNorm(x, this.w.raw(`${prefix}.weight`), this.w.raw(`${prefix}.bias`), eps);
  }

  protected rmsNorm(x: Value, weight: string): Value {
    const g = this.g;
    const ms = g.mean(g.mul(x, x), [-1], true);
    return g.mul(g.div(x, g.sqrt(g.add(ms, g.scalar(this.cfg.eps)))), this.w.raw(weight));
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
    }
  }

  /** Rows of a position table [P, H] for positions offset … offset+T−1, as [1, T, H]. */
  protected positions(table: string, offset: number): Value {
    return this.g.reshape(this.g.slice(this.w.raw(table), 0, offset, offset + this.T), [1, this.T, this.cfg.hidden]);
  }

  protected gatherRows(table: string, ids: Value): Value {
    return this.g.reshape(this.g.gather(this.w.raw(table), ids, 0), [1, this.T, this.cfg.hidden]);
  }

  /** Additive mask [T, T]: 0 where query i may see key j, −1e9 elsewhere (causal, optionally windowed). */
  protected causalMask(local: boolean): Value {
    const T = this.T;
    const m = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) if (j > i || (local && i - j >= this.cfg.window)) m[i * T + j] = -1e9;
    return this.g.constant(m, [T, T], 'float32');
  }

  /**
   * Multi-head (grouped-query) attention. Queries [R, Tq, ·] are the last Tq of the Tk positions of
   * keys and values [R, Tk, ·] (Tq = Tk, or 1 for rows that differ only at the last position).
   */
  protected attend(q: Value, k: Value, v: Value, opts: { mask?: Value; rope?: boolean }): Value {
    const g = this.g;
    const { heads, kvHeads, headDim: d } = this.cfg;
    const [R, Tq] = q.shape;
    const Tk = k.shape[1];
    let qh = g.transpose(g.reshape(q, [R, Tq, heads, d]), [0, 2, 1, 3]); // [R, nh, Tq, d]
    let kh = g.transpose(g.reshape(k, [k.shape[0], Tk, kvHeads, d]), [0, 2, 1, 3]); // [R, nkv, Tk, d]
    let vh = g.transpose(g.reshape(v, [v.shape[0], Tk, kvHeads, d]), [0, 2, 1, 3]);
    if (opts.rope) {
      qh = this.rope(qh, Tk - Tq);
      kh = this.rope(kh, 0);
    }
    if (kvHeads !== heads) {
      const rep = heads / kvHeads;
      const repeat = (x: Value) => g.reshape(g.expand(g.reshape(x, [x.shape[0], kvHeads, 1, Tk, d]), [x.shape[0], kvHeads, rep, Tk, d]), [x.shape[0], heads, Tk, d]);
      kh = repeat(kh);
      vh = repeat(vh);
    }
    let scores = g.bmmT(qh, kh); // [R, nh, Tq, Tk]
    if (this.cfg.scaleAttention) scores = g.mul(scores, g.scalar(1 / Math.sqrt(d)));
    if (opts.mask) scores = g.add(scores, Tq === Tk ? opts.mask : g.slice(opts.mask, 0, Tk - Tq, Tk));
    const ctx = g.matmul(g.softmax(scores, -1), vh); // [R, nh, Tq, d]
    return g.reshape(g.transpose(ctx, [0, 2, 1, 3]), [R, Tq, heads * d]);
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

  /** Rotary embeddings as in Hugging Face Llama (rotate_half), on [R, heads, T, d] at positions offset…offset+T−1. */
  private rope(x: Value, offset: number): Value {
    const g = this.g;
    const d = this.cfg.headDim;
    const T = x.shape[2];
    const { theta, linearFactor } = this.cfg.rope!;
    const cos = new Float32Array(T * d);
    const sin = new Float32Array(T * d);
    for (let p = 0; p < T; p++)
      for (let i = 0; i < d / 2; i++) {
        const angle = ((p + offset) / linearFactor) * theta ** (-(2 * i) / d);
        cos[p * d + i] = cos[p * d + i + d / 2] = Math.cos(angle);
        sin[p * d + i] = sin[p * d + i + d / 2] = Math.sin(angle);
      }
    const half1 = g.slice(x, -1, 0, d / 2);
    const half2 = g.slice(x, -1, d / 2, d);
    const rotated = g.concat([g.neg(half2), half1], -1);
    return g.add(g.mul(x, g.constant(cos, [T, d], 'float32')), g.mul(rotated, g.constant(sin, [T, d], 'float32')));
  }
}

class BertLike extends Base implements Architecture {
  private readonly p = weightPrefix(this.cfg, (n) => this.w.weights.has(n));

  embed(ids: Value): Value {
    const g = this.g;
    const e = `${this.p}.embeddings`;
    let h = g.add(this.gatherRows(`${e}.word_embeddings.weight`, ids), this.positions(`${e}.position_embeddings.weight`, this.cfg.positionOffset));
    if (this.w.weights.has(`${e}.token_type_embeddings.weight`)) h = g.add(h, g.slice(this.w.raw(`${e}.token_type_embeddings.weight`), 0, 0, 1));
    return this.layerNorm(h, `${e}.LayerNorm`);
  }

  attention(l: number, h: Value, at?: Value, patched?: PatchedRows): Value {
    const a = `${this.p}.encoder.layer.${l}.attention.self`;
    const o = `${this.p}.encoder.layer.${l}.attention.output`;
    const project = (n: string, x: Value) => (patched && x === h ? this.linearPatched(patched, `${a}.${n}.weight`, `${a}.${n}.bias`) : this.linear(x, `${a}.${n}.weight`, `${a}.${n}.bias`));
    // Without a mask, queries at `at` alone give that position's output.
    const hq = this.at(h, at);
    const ctx = this.attend(project('query', hq), project('key', h), project('value', h), {});
    return this.layerNorm(this.g.add(this.linear(ctx, `${o}.dense.weight`, `${o}.dense.bias`), hq), `${o}.LayerNorm`);
  }

  /** A linear layer over `old` and patched rows: the patched rows are projected at their one position only. */
  private linearPatched(p: PatchedRows, weight: string, bias: string): Value {
    const g = this.g;
    const old = this.linear(p.old, weight, bias);
    const base = g.stopGradient(g.slice(old, 0, 0, 1));
    const rows = g.add(g.mul(base, g.sub(g.scalar(1), p.at)), g.mul(this.linear(p.atRows, weight, bias), p.at));
    return g.concat([old, rows], 0);
  }

  activation(l: number, x: Value): Value {
    const p = `${this.p}.encoder.layer.${l}.intermediate.dense`;
    return this.act(this.linear(x, `${p}.weight`, `${p}.bias`));
  }

  ffnProject(l: number, act: Value, bias: boolean): Value {
    const p = `${this.p}.encoder.layer.${l}.output.dense`;
    return this.linear(act, `${p}.weight`, bias ? `${p}.bias` : undefined);
  }

  ffnCombine(l: number, projected: Value, x: Value): Value {
    return this.layerNorm(this.g.add(projected, x), `${this.p}.encoder.layer.${l}.output.LayerNorm`);
  }

  head(h: Value): Value {
    const g = this.g;
    const bert = this.cfg.family === 'bert';
    const t = bert ? 'cls.predictions.transform' : 'lm_head';
    let x = this.act(this.linear(h, `${t}.dense.weight`, `${t}.dense.bias`));
    x = this.layerNorm(x, bert ? `${t}.LayerNorm` : 'lm_head.layer_norm');
    const logits = g.matmulT(x, this.w.raw(outputEmbeddingKey(this.cfg, this.p, (n) => this.w.weights.has(n))));
    return g.add(logits, this.w.raw(bert ? 'cls.predictions.bias' : 'lm_head.bias'));
  }
}

/**
 * Causal decoders with pre-norm residual blocks (GPT-2, GPT-Neo, Llama): h + out(attend(q, k, v))
 * and x + ffn. Each family supplies its projections and attention options.
 */
abstract class Decoder extends Base {
  /** Queries, keys and values [R, T, ·] of hidden states h (their norm included). */
  protected abstract qkv(l: number, h: Value): Value[];
  /** The attention's output projection. */
  protected abstract attnOut(l: number, ctx: Value): Value;
  protected abstract attnOptions(l: number): { mask: Value; rope?: boolean };

  attention(l: number, h: Value, at?: Value): Value {
    const [q, k, v] = this.qkv(l, h);
    return this.g.add(this.at(h, at), this.attnOut(l, this.at(this.attend(q, k, v, this.attnOptions(l)), at)));
  }

  attentionAtLast(l: number, last: Value, base: Value): Value {
    const [q, k, v] = this.qkv(l, last);
    const [, kBase, vBase] = this.qkv(l, base);
    return this.g.add(last, this.attnOut(l, this.attend(q, this.withPrefix(kBase, k), this.withPrefix(vBase, v), this.attnOptions(l))));
  }

  ffnCombine(_l: number, projected: Value, x: Value): Value {
    return this.g.add(x, projected);
  }
}

class Gpt2 extends Decoder implements Architecture {
  private mask = this.causalMask(false);

  embed(ids: Value): Value {
    return this.g.add(this.gatherRows('transformer.wte.weight', ids), this.positions('transformer.wpe.weight', 0));
  }

  protected qkv(l: number, h: Value): Value[] {
    const p = `transformer.h.${l}`;
    const H = this.cfg.hidden;
    const qkv = this.conv1d(this.layerNorm(h, `${p}.ln_1`), `${p}.attn.c_attn`);
    return [0, 1, 2].map((i) => this.g.slice(qkv, -1, i * H, (i + 1) * H));
  }

  protected attnOptions(_l: number): { mask: Value } {
    return { mask: this.mask };
  }

  protected attnOut(l: number, ctx: Value): Value {
    return this.conv1d(ctx, `transformer.h.${l}.attn.c_proj`);
  }

  activation(l: number, x: Value): Value {
    const p = `transformer.h.${l}`;
    return this.act(this.conv1d(this.layerNorm(x, `${p}.ln_2`), `${p}.mlp.c_fc`));
  }

  ffnProject(l: number, act: Value, bias: boolean): Value {
    const p = `transformer.h.${l}.mlp.c_proj`;
    return bias ? this.conv1d(act, p) : this.g.matmul(act, this.w.raw(`${p}.weight`));
  }

  head(h: Value): Value {
    return this.g.matmulT(this.layerNorm(h, 'transformer.ln_f'), this.w.raw(outputEmbeddingKey(this.cfg, '', (n) => this.w.weights.has(n))));
  }
}

class GptNeo extends Gpt2 {
  private masks = { global: this.causalMask(false), local: this.causalMask(true) };

  protected qkv(l: number, h: Value): Value[] {
    const p = `transformer.h.${l}`;
    const a = `${p}.attn.attention`;
    const x = this.layerNorm(h, `${p}.ln_1`);
    return ['q', 'k', 'v'].map((n) => this.linear(x, `${a}.${n}_proj.weight`));
  }

  protected attnOptions(l: number): { mask: Value } {
    return { mask: this.masks[this.cfg.attentionLayers[l]] };
  }

  protected attnOut(l: number, ctx: Value): Value {
    const a = `transformer.h.${l}.attn.attention`;
    return this.linear(ctx, `${a}.out_proj.weight`, `${a}.out_proj.bias`);
  }

  activation(l: number, x: Value): Value {
    const p = `transformer.h.${l}`;
    return this.act(this.linear(this.layerNorm(x, `${p}.ln_2`), `${p}.mlp.c_fc.weight`, `${p}.mlp.c_fc.bias`));
  }

  ffnProject(l: number, act: Value, bias: boolean): Value {
    const p = `transformer.h.${l}.mlp.c_proj`;
    return this.linear(act, `${p}.weight`, bias ? `${p}.bias` : undefined);
  }
}

class Llama extends Decoder implements Architecture {
  private mask = this.causalMask(this.cfg.attentionLayers[0] === 'local');

  embed(ids: Value): Value {
    return this.gatherRows('model.embed_tokens.weight', ids);
  }

  protected qkv(l: number, h: Value): Value[] {
    const p = `model.layers.${l}`;
    const a = `${p}.self_attn`;
    const x = this.rmsNorm(h, `${p}.input_layernorm.weight`);
    return ['q', 'k', 'v'].map((n) => this.linear(x, `${a}.${n}_proj.weight`, this.cfg.qkvBias ? `${a}.${n}_proj.bias` : undefined));
  }

  protected attnOptions(_l: number): { mask: Value; rope: boolean } {
    return { mask: this.mask, rope: true };
  }

  protected attnOut(l: number, ctx: Value): Value {
    return this.linear(ctx, `model.layers.${l}.self_attn.o_proj.weight`);
  }

  activation(l: number, x: Value): Value {
    const p = `model.layers.${l}`;
    const n = this.rmsNorm(x, `${p}.post_attention_layernorm.weight`);
    return this.g.mul(this.act(this.linear(n, `${p}.mlp.gate_proj.weight`)), this.linear(n, `${p}.mlp.up_proj.weight`));
  }

  ffnProject(l: number, act: Value): Value {
    return this.linear(act, `model.layers.${l}.mlp.down_proj.weight`);
  }

  head(h: Value): Value {
    return this.g.matmulT(this.rmsNorm(h, 'model.norm.weight'), this.w.raw(outputEmbeddingKey(this.cfg, '', (n) => this.w.weights.has(n))));
  }
}
