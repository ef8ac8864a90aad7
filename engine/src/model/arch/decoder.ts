/**
 * Causal decoders with residual blocks: h + attn(…) then x + ffn(…), each family supplying its
 * projections, norms and attention options. Parallel blocks (GPT-J, GPT-NeoX) feed attention and
 * MLP from the same input h: their FFN input x carries [norm(h), h + attn] side by side.
 */
import type { Value } from '../../graph/ir';
import { outputEmbeddingKey, type Architecture } from '../architectures';
import { AttendOptions, Base } from './base';

export abstract class Decoder extends Base implements Architecture {
  abstract embed(ids: Value, T: number): Value;
  abstract ffnProject(l: number, act: Value, bias: boolean): Value;
  abstract head(h: Value): Value;
  /** Queries, keys and values [R, T, ·] of hidden states h (their norm included). */
  protected abstract qkv(l: number, h: Value): Value[];
  /** The attention's output projection. */
  protected abstract attnOut(l: number, ctx: Value): Value;
  /** The norm before the MLP (identity where there is none). */
  protected abstract ffnNorm(l: number, x: Value): Value;
  /** The MLP up to the neurons, from its normed input. */
  protected abstract mlp(l: number, x: Value): Value;
  /** Norms after attention and after the MLP, before the residual (Gemma, OLMo-2); none by default. */
  protected postAttention(_l: number, out: Value): Value {
    return out;
  }
  protected postFfn(_l: number, out: Value): Value {
    return out;
  }

  /** The LM head's matrix (its own, or the tied word embeddings). */
  protected outputEmbedding(): string {
    return outputEmbeddingKey(this.cfg, '', (n) => this.has(n));
  }

  protected attnOptions(l: number): AttendOptions {
    return { mask: this.layerMask(l), rope: this.layerRope(l), scale: this.cfg.attentionScale[l], softcap: this.cfg.attnSoftcap };
  }

  private residual(l: number, h: Value, out: Value): Value {
    const sum = this.g.add(h, this.postAttention(l, out));
    return this.cfg.parallel ? this.g.concat([this.ffnNorm(l, h), sum], -1) : sum;
  }

  attention(l: number, h: Value, at?: Value): Value {
    const [q, k, v] = this.qkv(l, h);
    return this.residual(l, this.at(h, at), this.attnOut(l, this.at(this.attend(q, k, v, this.attnOptions(l)), at)));
  }

  attentionAtLast(l: number, last: Value, base: Value): Value {
    const [q, k, v] = this.qkv(l, last);
    const [, kBase, vBase] = this.qkv(l, base);
    return this.residual(l, last, this.attnOut(l, this.attend(q, this.withPrefix(kBase, k), this.withPrefix(vBase, v), this.attnOptions(l))));
  }

  activation(l: number, x: Value): Value {
    return this.mlp(l, this.cfg.parallel ? this.cols(x, 0, this.cfg.hidden) : this.ffnNorm(l, x));
  }

  ffnCombine(l: number, projected: Value, x: Value): Value {
    const H = this.cfg.hidden;
    return this.g.add(this.cfg.parallel ? this.cols(x, H, 2 * H) : x, this.postFfn(l, projected));
  }
}
