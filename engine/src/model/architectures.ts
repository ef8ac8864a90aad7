/**
 * The forward computation of each supported family (one module per family group under arch/),
 * from named weights, split at the places the
 * knowledge-neuron method needs: a layer is `attention` (→ the FFN's input x), `activation`
 * (→ the FFN's intermediate activation, the neurons being attributed), `ffnProject` and
 * `ffnCombine` (→ the next hidden state). Every tensor carries a leading row dimension R (rows of a batch).
 */
import type { Graph, Value } from '../graph/ir';
import type { ModelConfig } from './config';
import type { BoundWeights } from './weights';
import { BertLike, encoderNames, ModernBert } from './arch/encoders';
import { Gpt2, GptJ, GptNeo, GptNeoX, Opt } from './arch/gpt';
import { Llama } from './arch/llama';

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
    case 'xlm-roberta-xl':
    case 'distilbert':
      return `${encoderNames(cfg.family, prefix).ffnOut(l)}.weight#T`;
    case 'modernbert':
      return `model.layers.${l}.mlp.Wo.weight#T`;
    case 'gpt2':
      return `transformer.h.${l}.mlp.c_proj.weight`;
    case 'gpt-neo':
      return `transformer.h.${l}.mlp.c_proj.weight#T`;
    case 'gpt-j':
      return `transformer.h.${l}.mlp.fc_out.weight#T`;
    case 'gpt-neox':
      return `gpt_neox.layers.${l}.mlp.dense_4h_to_h.weight#T`;
    case 'opt':
      return `model.decoder.layers.${l}.fc2.weight#T`;
    case 'llama':
      return `model.layers.${l}.mlp.down_proj.weight#T`;
  }
}

export function wordEmbeddingsKey(cfg: ModelConfig, prefix: string): string {
  switch (cfg.family) {
    case 'bert':
    case 'xlm-roberta':
    case 'xlm-roberta-xl':
    case 'distilbert':
      return encoderNames(cfg.family, prefix).word;
    case 'modernbert':
      return 'model.embeddings.tok_embeddings.weight';
    case 'gpt2':
    case 'gpt-neo':
    case 'gpt-j':
      return 'transformer.wte.weight';
    case 'gpt-neox':
      return 'gpt_neox.embed_in.weight';
    case 'opt':
      return 'model.decoder.embed_tokens.weight';
    case 'llama':
      return 'model.embed_tokens.weight';
  }
}

/**
 * The output embedding [V, H] that the head's logits are products with: the LM head's own matrix
 * when the checkpoint has one and does not tie it, else the word embeddings.
 */
export function outputEmbeddingKey(cfg: ModelConfig, prefix: string, has: (name: string) => boolean): string {
  const own = (() => {
    switch (cfg.family) {
      case 'bert':
      case 'xlm-roberta':
      case 'xlm-roberta-xl':
      case 'distilbert':
        return encoderNames(cfg.family, prefix).head.decoder;
      case 'modernbert':
        return 'decoder.weight';
      case 'gpt-neox':
        // transformers ≥ 5 names it lm_head, earlier checkpoints embed_out.
        return has('embed_out.weight') ? 'embed_out.weight' : 'lm_head.weight';
      default:
        return 'lm_head.weight';
    }
  })();
  return has(own) && !cfg.tieWordEmbeddings ? own : wordEmbeddingsKey(cfg, prefix);
}

/** The weight-name prefix of BERT-like checkpoints (`bert`, `roberta`, …); '' for the others. */
export function weightPrefix(cfg: ModelConfig, has: (name: string) => boolean): string {
  if (cfg.family === 'bert') return 'bert';
  if (cfg.family === 'xlm-roberta' || cfg.family === 'xlm-roberta-xl') return has('roberta.embeddings.word_embeddings.weight') ? 'roberta' : 'xlm-roberta';
  return '';
}

/** The next hidden state from a layer's activations: projection, then residual (and norm). */
export function ffnOut(arch: Architecture, l: number, act: Value, x: Value): Value {
  return arch.ffnCombine(l, arch.ffnProject(l, act, true), x);
}

/** `keyMask`: an additive [1, 1, 1, T] mask over keys, for prompts padded to T (masked models). */
export function buildArchitecture(cfg: ModelConfig, g: Graph, w: BoundWeights, T: number, keyMask?: Value): Architecture {
  switch (cfg.family) {
    case 'bert':
    case 'xlm-roberta':
    case 'xlm-roberta-xl':
    case 'distilbert':
      return new BertLike(cfg, g, w, T, keyMask).init(weightPrefix(cfg, (n) => w.weights.has(n)));
    case 'modernbert':
      return new ModernBert(cfg, g, w, T, keyMask);
    case 'gpt2':
      return new Gpt2(cfg, g, w, T, keyMask);
    case 'gpt-neo':
      return new GptNeo(cfg, g, w, T, keyMask);
    case 'gpt-j':
      return new GptJ(cfg, g, w, T, keyMask);
    case 'gpt-neox':
      return new GptNeoX(cfg, g, w, T, keyMask);
    case 'opt':
      return new Opt(cfg, g, w, T, keyMask);
    case 'llama':
      return new Llama(cfg, g, w, T, keyMask);
  }
}
