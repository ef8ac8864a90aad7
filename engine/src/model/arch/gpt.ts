/** GPT-2, GPT-Neo, GPT-J, GPT-NeoX (Pythia) and OPT: LayerNorm decoders with a plain MLP. */
import type { Value } from '../../graph/ir';
import { Decoder } from './decoder';

export class Gpt2 extends Decoder {
  embed(ids: Value): Value {
    return this.g.add(this.gatherRows('transformer.wte.weight', ids), this.positions('transformer.wpe.weight', 0));
  }

  protected qkv(l: number, h: Value): Value[] {
    const H = this.cfg.hidden;
    const qkv = this.conv1d(this.layerNorm(h, `transformer.h.${l}.ln_1`), `transformer.h.${l}.attn.c_attn`);
    return [0, 1, 2].map((i) => this.cols(qkv, i * H, (i + 1) * H));
  }

  protected attnOut(l: number, ctx: Value): Value {
    return this.conv1d(ctx, `transformer.h.${l}.attn.c_proj`);
  }

  protected ffnNorm(l: number, x: Value): Value {
    return this.layerNorm(x, `transformer.h.${l}.ln_2`);
  }

  protected mlp(l: number, x: Value): Value {
    return this.act(this.conv1d(x, `transformer.h.${l}.mlp.c_fc`));
  }

  ffnProject(l: number, act: Value, bias: boolean): Value {
    const p = `transformer.h.${l}.mlp.c_proj`;
    return bias ? this.conv1d(act, p) : this.g.matmul(act, this.w.raw(`${p}.weight`));
  }

  head(h: Value): Value {
    return this.w.timesT(this.layerNorm(h, 'transformer.ln_f'), this.outputEmbedding(), true);
  }
}

export class GptNeo extends Gpt2 {
  protected qkv(l: number, h: Value): Value[] {
    const a = `transformer.h.${l}.attn.attention`;
    const x = this.layerNorm(h, `transformer.h.${l}.ln_1`);
    return ['q', 'k', 'v'].map((n) => this.linear(x, `${a}.${n}_proj.weight`));
  }

  protected attnOut(l: number, ctx: Value): Value {
    const a = `transformer.h.${l}.attn.attention`;
    return this.linear(ctx, `${a}.out_proj.weight`, `${a}.out_proj.bias`);
  }

  protected mlp(l: number, x: Value): Value {
    const p = `transformer.h.${l}.mlp.c_fc`;
    return this.act(this.linear(x, `${p}.weight`, `${p}.bias`));
  }

  ffnProject(l: number, act: Value, bias: boolean): Value {
    const p = `transformer.h.${l}.mlp.c_proj`;
    return this.linear(act, `${p}.weight`, bias ? `${p}.bias` : undefined);
  }
}

/** GPT-J: attention and MLP in parallel on ln_1, interleaved partial rotary, a head with a bias. */
export class GptJ extends Decoder {
  private L = (l: number) => `transformer.h.${l}`;

  embed(ids: Value): Value {
    return this.gatherRows('transformer.wte.weight', ids);
  }

  protected qkv(l: number, h: Value): Value[] {
    const x = this.layerNorm(h, `${this.L(l)}.ln_1`);
    return ['q', 'k', 'v'].map((n) => this.linear(x, `${this.L(l)}.attn.${n}_proj.weight`));
  }

  protected attnOut(l: number, ctx: Value): Value {
    return this.linear(ctx, `${this.L(l)}.attn.out_proj.weight`);
  }

  protected ffnNorm(l: number, x: Value): Value {
    return this.layerNorm(x, `${this.L(l)}.ln_1`);
  }

  protected mlp(l: number, x: Value): Value {
    return this.act(this.linear(x, `${this.L(l)}.mlp.fc_in.weight`, `${this.L(l)}.mlp.fc_in.bias`));
  }

  ffnProject(l: number, act: Value, bias: boolean): Value {
    const p = `${this.L(l)}.mlp.fc_out`;
    return this.linear(act, `${p}.weight`, bias ? `${p}.bias` : undefined);
  }

  head(h: Value): Value {
    const logits = this.w.timesT(this.layerNorm(h, 'transformer.ln_f'), this.outputEmbedding(), true);
    return this.has('lm_head.bias') ? this.g.add(logits, this.w.raw('lm_head.bias')) : logits;
  }
}

/** GPT-NeoX / Pythia: fused per-head qkv, partial rotary, parallel (or sequential) residual. */
export class GptNeoX extends Decoder {
  private L = (l: number) => `gpt_neox.layers.${l}`;

  embed(ids: Value): Value {
    return this.gatherRows('gpt_neox.embed_in.weight', ids);
  }

  protected qkv(l: number, h: Value): Value[] {
    const { heads, headDim: d } = this.cfg;
    const a = `${this.L(l)}.attention.query_key_value`;
    const qkv = this.linear(this.layerNorm(h, `${this.L(l)}.input_layernorm`), `${a}.weight`, `${a}.bias`);
    const [R, T] = qkv.shape;
    // Laid out per head: [heads, (q, k, v), d].
    const perHead = this.g.reshape(qkv, [R, T, heads, 3 * d]);
    return [0, 1, 2].map((i) => this.g.reshape(this.cols(perHead, i * d, (i + 1) * d), [R, T, heads * d]));
  }

  protected attnOut(l: number, ctx: Value): Value {
    const p = `${this.L(l)}.attention.dense`;
    return this.linear(ctx, `${p}.weight`, `${p}.bias`);
  }

  protected ffnNorm(l: number, x: Value): Value {
    return this.layerNorm(x, `${this.L(l)}.post_attention_layernorm`);
  }

  protected mlp(l: number, x: Value): Value {
    const p = `${this.L(l)}.mlp.dense_h_to_4h`;
    return this.act(this.linear(x, `${p}.weight`, `${p}.bias`));
  }

  ffnProject(l: number, act: Value, bias: boolean): Value {
    const p = `${this.L(l)}.mlp.dense_4h_to_h`;
    return this.linear(act, `${p}.weight`, bias ? `${p}.bias` : undefined);
  }

  head(h: Value): Value {
    return this.w.timesT(this.layerNorm(h, 'gpt_neox.final_layer_norm'), this.outputEmbedding(), true);
  }
}

/** OPT: learned positions offset by 2, pre-norm blocks. */
export class Opt extends Decoder {
  private L = (l: number) => `model.decoder.layers.${l}`;

  embed(ids: Value): Value {
    return this.g.add(
      this.gatherRows('model.decoder.embed_tokens.weight', ids),
      this.positions('model.decoder.embed_positions.weight', this.cfg.positionOffset),
    );
  }

  protected qkv(l: number, h: Value): Value[] {
    const x = this.layerNorm(h, `${this.L(l)}.self_attn_layer_norm`);
    return ['q', 'k', 'v'].map((n) => this.linear(x, `${this.L(l)}.self_attn.${n}_proj.weight`, `${this.L(l)}.self_attn.${n}_proj.bias`));
  }

  protected attnOut(l: number, ctx: Value): Value {
    const p = `${this.L(l)}.self_attn.out_proj`;
    return this.linear(ctx, `${p}.weight`, `${p}.bias`);
  }

  protected ffnNorm(l: number, x: Value): Value {
    return this.layerNorm(x, `${this.L(l)}.final_layer_norm`);
  }

  protected mlp(l: number, x: Value): Value {
    return this.act(this.linear(x, `${this.L(l)}.fc1.weight`, `${this.L(l)}.fc1.bias`));
  }

  ffnProject(l: number, act: Value, bias: boolean): Value {
    return this.linear(act, `${this.L(l)}.fc2.weight`, bias ? `${this.L(l)}.fc2.bias` : undefined);
  }

  head(h: Value): Value {
    return this.w.timesT(this.layerNorm(h, 'model.decoder.final_layer_norm'), this.outputEmbedding(), true);
  }
}
