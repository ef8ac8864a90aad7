/**
 * Masked language models: BERT, RoBERTa / XLM-R and DistilBERT (norms after each block),
 * XLM-R XL / XXL (norms before), ModernBERT (gated MLP, rotary, banded local attention).
 */
import type { Value } from '../../graph/ir';
import { outputEmbeddingKey, type Architecture, type PatchedRows } from '../architectures';
import { Base } from './base';

/** Weight names of a post-norm or pre-norm BERT-like encoder. */
interface EncoderNames {
  word: string;
  position: string;
  tokenType?: string;
  /** The embeddings' LayerNorm (absent in pre-norm XL). */
  embedNorm?: string;
  q(l: number): string;
  k(l: number): string;
  v(l: number): string;
  attnOut(l: number): string;
  /** Post-norm: after attention + residual. Pre-norm (XL): before attention. */
  attnNorm(l: number): string;
  ffnIn(l: number): string;
  ffnOut(l: number): string;
  /** Post-norm: after FFN + residual. Pre-norm (XL): before the FFN. */
  ffnNorm(l: number): string;
  finalNorm?: string;
  head: { dense: string; norm: string; decoder: string; bias: string; decoderBias: string };
}

export function encoderNames(family: string, prefix: string): EncoderNames {
  if (family === 'distilbert') {
    const L = (l: number) => `distilbert.transformer.layer.${l}`;
    return {
      word: 'distilbert.embeddings.word_embeddings.weight',
      position: 'distilbert.embeddings.position_embeddings.weight',
      embedNorm: 'distilbert.embeddings.LayerNorm',
      q: (l) => `${L(l)}.attention.q_lin`,
      k: (l) => `${L(l)}.attention.k_lin`,
      v: (l) => `${L(l)}.attention.v_lin`,
      attnOut: (l) => `${L(l)}.attention.out_lin`,
      attnNorm: (l) => `${L(l)}.sa_layer_norm`,
      ffnIn: (l) => `${L(l)}.ffn.lin1`,
      ffnOut: (l) => `${L(l)}.ffn.lin2`,
      ffnNorm: (l) => `${L(l)}.output_layer_norm`,
      head: {
        dense: 'vocab_transform',
        norm: 'vocab_layer_norm',
        decoder: 'vocab_projector.weight',
        bias: 'vocab_projector.bias',
        decoderBias: 'vocab_projector.bias',
      },
    };
  }
  const e = `${prefix}.embeddings`;
  const L = (l: number) => `${prefix}.encoder.layer.${l}`;
  const xl = family === 'xlm-roberta-xl';
  const bert = family === 'bert';
  return {
    word: `${e}.word_embeddings.weight`,
    position: `${e}.position_embeddings.weight`,
    tokenType: `${e}.token_type_embeddings.weight`,
    embedNorm: xl ? undefined : `${e}.LayerNorm`,
    q: (l) => `${L(l)}.attention.self.query`,
    k: (l) => `${L(l)}.attention.self.key`,
    v: (l) => `${L(l)}.attention.self.value`,
    attnOut: (l) => `${L(l)}.attention.output.dense`,
    attnNorm: (l) => (xl ? `${L(l)}.attention.self_attn_layer_norm` : `${L(l)}.attention.output.LayerNorm`),
    ffnIn: (l) => `${L(l)}.intermediate.dense`,
    ffnOut: (l) => `${L(l)}.output.dense`,
    ffnNorm: (l) => (xl ? `${L(l)}.LayerNorm` : `${L(l)}.output.LayerNorm`),
    finalNorm: xl ? `${prefix}.encoder.LayerNorm` : undefined,
    head: bert
      ? {
          dense: 'cls.predictions.transform.dense',
          norm: 'cls.predictions.transform.LayerNorm',
          decoder: 'cls.predictions.decoder.weight',
          bias: 'cls.predictions.bias',
          decoderBias: 'cls.predictions.decoder.bias',
        }
      : { dense: 'lm_head.dense', norm: 'lm_head.layer_norm', decoder: 'lm_head.decoder.weight', bias: 'lm_head.bias', decoderBias: 'lm_head.decoder.bias' },
  };
}

export class BertLike extends Base implements Architecture {
  private n!: EncoderNames;
  private prefix = '';
  private preNorm = this.cfg.family === 'xlm-roberta-xl';

  init(prefix: string): this {
    this.prefix = prefix;
    this.n = encoderNames(this.cfg.family, prefix);
    return this;
  }

  embed(ids: Value): Value {
    const g = this.g;
    let h = g.add(this.gatherRows(this.n.word, ids), this.positions(this.n.position, this.cfg.positionOffset));
    if (this.n.tokenType && this.has(this.n.tokenType)) h = g.add(h, g.slice(this.w.raw(this.n.tokenType), 0, 0, 1));
    return this.n.embedNorm ? this.layerNorm(h, this.n.embedNorm) : h;
  }

  attention(l: number, h: Value, at?: Value, patched?: PatchedRows): Value {
    const n = this.n;
    const input = this.preNorm ? this.layerNorm(h, n.attnNorm(l)) : h;
    // Post-norm layers project their input h directly: patched rows need projecting at one position only.
    const project = (name: string, x: Value) => (patched && x === h ? this.linearPatched(patched, name) : this.linear(x, `${name}.weight`, `${name}.bias`));
    // Without a mask, queries at `at` alone give that position's output.
    const hq = this.at(h, at);
    const q = this.preNorm ? this.at(input, at) : hq;
    const ctx = this.attend(project(n.q(l), q), project(n.k(l), input), project(n.v(l), input), { scale: this.cfg.attentionScale[l] });
    const out = this.g.add(this.linear(ctx, `${n.attnOut(l)}.weight`, `${n.attnOut(l)}.bias`), hq);
    return this.preNorm ? out : this.layerNorm(out, n.attnNorm(l));
  }

  /** A linear layer over `old` and patched rows: the patched rows are projected at their one position only. */
  private linearPatched(p: PatchedRows, name: string): Value {
    const g = this.g;
    const [weight, bias] = [`${name}.weight`, `${name}.bias`];
    const old = this.linear(p.old, weight, bias);
    const base = g.stopGradient(g.slice(old, 0, 0, 1));
    const rows = g.add(g.mul(base, g.sub(g.scalar(1), p.at)), g.mul(this.linear(p.atRows, weight, bias), p.at));
    return g.concat([old, rows], 0);
  }

  activation(l: number, x: Value): Value {
    const p = this.n.ffnIn(l);
    return this.act(this.linear(this.preNorm ? this.layerNorm(x, this.n.ffnNorm(l)) : x, `${p}.weight`, `${p}.bias`));
  }

  ffnProject(l: number, act: Value, bias: boolean): Value {
    const p = this.n.ffnOut(l);
    return this.linear(act, `${p}.weight`, bias ? `${p}.bias` : undefined);
  }

  ffnCombine(l: number, projected: Value, x: Value): Value {
    const sum = this.g.add(projected, x);
    return this.preNorm ? sum : this.layerNorm(sum, this.n.ffnNorm(l));
  }

  head(h: Value): Value {
    const { dense, norm, decoder, bias, decoderBias } = this.n.head;
    const x = this.layerNorm(this.act(this.linear(this.n.finalNorm ? this.layerNorm(h, this.n.finalNorm) : h, `${dense}.weight`, `${dense}.bias`)), norm);
    // Tied heads use the word embeddings and the head's own bias (transformers ties the decoder's bias to it);
    // untied ones their decoder's weight and bias.
    const out = outputEmbeddingKey(this.cfg, this.prefix, (n) => this.has(n));
    const untied = out === decoder;
    const logits = this.w.timesT(x, out, true);
    return this.g.add(logits, this.w.raw(untied && this.has(decoderBias) ? decoderBias : bias));
  }
}

/** ModernBERT: pre-norm (none before layer 0's attention), fused qkv, rotary, gated MLP, bias-free. */
export class ModernBert extends Base implements Architecture {
  private L = (l: number) => `model.layers.${l}`;

  embed(ids: Value): Value {
    return this.layerNorm(this.gatherRows('model.embeddings.tok_embeddings.weight', ids), 'model.embeddings.norm');
  }

  attention(l: number, h: Value, at?: Value): Value {
    const H = this.cfg.hidden;
    const normName = `${this.L(l)}.attn_norm`;
    const x = this.has(`${normName}.weight`) ? this.layerNorm(h, normName) : h;
    const qkv = this.linear(x, `${this.L(l)}.attn.Wqkv.weight`);
    const [q, k, v] = [0, 1, 2].map((i) => this.cols(qkv, i * H, (i + 1) * H));
    // Rotary positions need every query; the output is cut to `at` afterwards.
    const ctx = this.attend(q, k, v, { mask: this.layerMask(l), rope: this.layerRope(l), scale: this.cfg.attentionScale[l] });
    return this.g.add(this.at(h, at), this.linear(this.at(ctx, at), `${this.L(l)}.attn.Wo.weight`));
  }

  activation(l: number, x: Value): Value {
    const F = this.cfg.ffn;
    const wi = this.linear(this.layerNorm(x, `${this.L(l)}.mlp_norm`), `${this.L(l)}.mlp.Wi.weight`);
    return this.g.mul(this.act(this.cols(wi, 0, F)), this.cols(wi, F, 2 * F));
  }

  ffnProject(l: number, act: Value): Value {
    return this.linear(act, `${this.L(l)}.mlp.Wo.weight`);
  }

  ffnCombine(_l: number, projected: Value, x: Value): Value {
    return this.g.add(x, projected);
  }

  head(h: Value): Value {
    const x = this.layerNorm(this.act(this.linear(this.layerNorm(h, 'model.final_norm'), 'head.dense.weight', 'head.dense.bias')), 'head.norm');
    const logits = this.w.timesT(
      x,
      outputEmbeddingKey(this.cfg, '', (n) => this.has(n)),
      true,
    );
    return this.has('decoder.bias') ? this.g.add(logits, this.w.raw('decoder.bias')) : logits;
  }
}
