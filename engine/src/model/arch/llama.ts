/**
 * Llama-like decoders: RMSNorm, gated MLP act(gate)·up, rotary. Llama, Mistral, Qwen2 and Qwen3
 * (q/k norms per head), Phi-3 (fused qkv and gate_up projections), Gemma 2 and 3 (norms before
 * and after each block, (1 + w) norms, scaled embeddings, soft caps), OLMo-2 (norms after only,
 * q/k norms over all heads).
 */
import type { Value } from '../../graph/ir';
import { Decoder } from './decoder';

export class Llama extends Decoder {
  private L = (l: number) => `model.layers.${l}`;
  private gemma = this.cfg.architecture.startsWith('Gemma');
  private olmo = this.cfg.architecture === 'Olmo2ForCausalLM';
  private fused = this.cfg.architecture === 'Phi3ForCausalLM';

  private norm(x: Value, weight: string): Value {
    return this.rmsNorm(x, weight, this.gemma);
  }

  embed(ids: Value): Value {
    const h = this.gatherRows('model.embed_tokens.weight', ids);
    return this.gemma ? this.g.mul(h, this.g.scalar(Math.sqrt(this.cfg.hidden))) : h;
  }

  protected qkv(l: number, h: Value): Value[] {
    const { heads, kvHeads, headDim: d, qkvBias } = this.cfg;
    const a = `${this.L(l)}.self_attn`;
    const x = this.olmo ? h : this.norm(h, `${this.L(l)}.input_layernorm.weight`);
    let q: Value, k: Value, v: Value;
    if (this.fused) {
      const qkv = this.linear(x, `${a}.qkv_proj.weight`, qkvBias ? `${a}.qkv_proj.bias` : undefined);
      [q, k, v] = [
        this.cols(qkv, 0, heads * d),
        this.cols(qkv, heads * d, (heads + kvHeads) * d),
        this.cols(qkv, (heads + kvHeads) * d, (heads + 2 * kvHeads) * d),
      ];
    } else {
      [q, k, v] = ['q', 'k', 'v'].map((n) => this.linear(x, `${a}.${n}_proj.weight`, qkvBias ? `${a}.${n}_proj.bias` : undefined));
    }
    // q/k norms: over each head's features (Qwen3, Gemma 3) or over the whole projection (OLMo-2).
    const qkNorm = (y: Value, name: string) => {
      const weight = `${a}.${name}.weight`;
      if (!this.has(weight)) return y;
      return this.w.weights.shape(weight)[0] === d ? this.perHead(y, (z) => this.norm(z, weight)) : this.norm(y, weight);
    };
    return [qkNorm(q, 'q_norm'), qkNorm(k, 'k_norm'), v];
  }

  protected attnOut(l: number, ctx: Value): Value {
    const p = `${this.L(l)}.self_attn.o_proj`;
    return this.linear(ctx, `${p}.weight`, this.cfg.oBias ? `${p}.bias` : undefined);
  }

  protected postAttention(l: number, out: Value): Value {
    return this.gemma || this.olmo ? this.norm(out, `${this.L(l)}.post_attention_layernorm.weight`) : out;
  }

  protected ffnNorm(l: number, x: Value): Value {
    if (this.olmo) return x;
    return this.norm(x, `${this.L(l)}.${this.gemma ? 'pre_feedforward_layernorm' : 'post_attention_layernorm'}.weight`);
  }

  protected postFfn(l: number, out: Value): Value {
    return this.gemma || this.olmo ? this.norm(out, `${this.L(l)}.post_feedforward_layernorm.weight`) : out;
  }

  protected mlp(l: number, x: Value): Value {
    const p = `${this.L(l)}.mlp`;
    const F = this.cfg.ffn;
    const bias = (n: string) => (this.cfg.mlpBias ? `${p}.${n}.bias` : undefined);
    if (this.fused) {
      const gateUp = this.linear(x, `${p}.gate_up_proj.weight`, bias('gate_up_proj'));
      return this.g.mul(this.act(this.cols(gateUp, 0, F)), this.cols(gateUp, F, 2 * F));
    }
    return this.g.mul(this.act(this.linear(x, `${p}.gate_proj.weight`, bias('gate_proj'))), this.linear(x, `${p}.up_proj.weight`, bias('up_proj')));
  }

  ffnProject(l: number, act: Value, bias: boolean): Value {
    const p = `${this.L(l)}.mlp.down_proj`;
    return this.linear(act, `${p}.weight`, bias && this.cfg.mlpBias ? `${p}.bias` : undefined);
  }

  head(h: Value): Value {
    const logits = this.w.timesT(this.norm(h, 'model.norm.weight'), this.outputEmbedding(), true);
    return this.cfg.finalSoftcap ? this.softcap(logits, this.cfg.finalSoftcap) : logits;
  }
}
