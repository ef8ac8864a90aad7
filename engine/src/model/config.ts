/**
 * config.json → the numbers and switches the graph builders need. Everything that differs between
 * model families (epsilons, activations, norms, rotary variants, local attention, scaling) is read
 * here, not assumed; a config that asks for something the builders do not do is refused, naming the
 * architecture and the feature.
 */
import * as fs from 'node:fs';
import { KnError } from '../errors';

export type Activation = 'gelu' | 'gelu_new' | 'silu' | 'relu';

export type Family = 'bert' | 'xlm-roberta' | 'xlm-roberta-xl' | 'distilbert' | 'modernbert' | 'gpt2' | 'gpt-neo' | 'gpt-j' | 'gpt-neox' | 'opt' | 'llama';

/** Rotary position embeddings of one kind of layer. */
export interface Rope {
  /** Inverse frequency of each rotated pair (rotated dims / 2 of them), scaling applied. */
  invFreq: number[];
  /** GPT-J rotates interleaved pairs (0,1), (2,3), …; the others the two halves (rotate_half). */
  interleaved: boolean;
}

export interface ModelConfig {
  architecture: string;
  family: Family;
  kind: 'masked' | 'causal';
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  vocab: number;
  maxPositions: number;
  eps: number;
  act: Activation;
  /** RoBERTa: position ids start at padding_idx + 1; OPT: at 2. */
  positionOffset: number;
  typeVocab: number;
  tieWordEmbeddings: boolean;
  /** Per layer: `global`, or `local` (a query sees keys less than `window` positions back; masked models: within window/2 either side). */
  attentionLayers: ('global' | 'local')[];
  window: number;
  /** Per layer: the factor on q·k (1/sqrt(d) for most; GPT-Neo 1; GPT-2 may divide by layer + 1; Gemma query_pre_attn_scalar). */
  attentionScale: number[];
  /** Rotary embeddings of global layers, and of local ones where they differ (Gemma 3, ModernBERT). */
  rope?: Rope;
  localRope?: Rope;
  qkvBias: boolean;
  /** Llama family: the attention output and MLP projections' biases. */
  oBias: boolean;
  mlpBias: boolean;
  /** Gemma: soft caps tanh(x / c)·c on attention scores and on logits. */
  attnSoftcap?: number;
  finalSoftcap?: number;
  /** GPT-J, GPT-NeoX (use_parallel_residual): attention and MLP both read the layer's input. */
  parallel: boolean;
}

export const SUPPORTED_ARCHITECTURES = [
  'BertForMaskedLM',
  'XLMRobertaForMaskedLM',
  'RobertaForMaskedLM',
  'GPT2LMHeadModel',
  'GPTNeoForCausalLM',
  'LlamaForCausalLM',
  'MistralForCausalLM',
  'Qwen2ForCausalLM',
  'XLMRobertaXLForMaskedLM',
  'DistilBertForMaskedLM',
  'ModernBertForMaskedLM',
  'GPTJForCausalLM',
  'GPTNeoXForCausalLM',
  'OPTForCausalLM',
  'Qwen3ForCausalLM',
  'Gemma2ForCausalLM',
  'Gemma3ForCausalLM',
  'Phi3ForCausalLM',
  'Olmo2ForCausalLM',
];

/** The Llama-like decoders (RMSNorm, gated MLP, rotary): one builder, switches read below. */
const LLAMA_LIKE = [
  'LlamaForCausalLM',
  'MistralForCausalLM',
  'Qwen2ForCausalLM',
  'Qwen3ForCausalLM',
  'Gemma2ForCausalLM',
  'Gemma3ForCausalLM',
  'Phi3ForCausalLM',
  'Olmo2ForCausalLM',
];

const ACTS: Record<string, Activation> = {
  gelu: 'gelu',
  gelu_new: 'gelu_new',
  gelu_pytorch_tanh: 'gelu_new',
  gelu_fast: 'gelu_new',
  silu: 'silu',
  swish: 'silu',
  relu: 'relu',
};

/** Reads and checks a config.json: its raw JSON (what the memory estimate reads) and the parsed configuration. */
export function readConfig(file: string): { raw: Record<string, unknown>; config: ModelConfig } {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new KnError(`${file}: not valid JSON (${(e as Error).message})`, { file });
  }
  return { raw, config: parseConfig(raw, file) };
}

/** The sizes and options of a config.json, checked: a config that is not an object, or whose sizes cannot build a model, is refused with a KnError. */
export function parseConfig(raw: unknown, file = 'config.json'): ModelConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new KnError(`${file}: must be a JSON object (got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw})`, { file });
  for (const key of INTEGER_KEYS) {
    const v = (raw as Record<string, unknown>)[key];
    if (v !== undefined && v !== null && !(Number.isSafeInteger(v) && (v as number) > 0))
      throw new KnError(`${file}: '${key}' must be a positive integer (got ${JSON.stringify(v)})`, { file });
  }
  let cfg: ModelConfig;
  try {
    cfg = parseFamily(raw as Record<string, any>, file);
  } catch (e) {
    if (e instanceof KnError) throw e;
    throw new KnError(`${file}: cannot be read (${(e as Error).message})`, { file });
  }
  return checkSizes(cfg, file);
}

/** Sizes that are counts wherever they appear. */
const INTEGER_KEYS = [
  'hidden_size',
  'n_embd',
  'num_hidden_layers',
  'n_layer',
  'num_layers',
  'num_attention_heads',
  'n_head',
  'num_heads',
  'num_key_value_heads',
  'intermediate_size',
  'n_inner',
  'vocab_size',
  'max_position_embeddings',
  'n_positions',
  'head_dim',
];

function parseFamily(raw: Record<string, any>, file: string): ModelConfig {
  const arch: string | undefined = Array.isArray(raw.architectures) ? raw.architectures[0] : undefined;
  if (!arch || !SUPPORTED_ARCHITECTURES.includes(arch))
    throw new KnError(
      `${file}: architecture ${JSON.stringify(arch ?? raw.model_type ?? null)} is not supported; supported: ${SUPPORTED_ARCHITECTURES.join(', ')}`,
      { file },
    );
  const unsupported = (feature: string): never => {
    throw new KnError(`${file}: ${arch} with ${feature} is not supported`, { file });
  };
  const need = (key: string): number => {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new KnError(`${file}: '${key}' is missing or not a positive number`, { file });
    return v;
  };
  const act = (name: unknown): Activation => {
    const a = ACTS[String(name)];
    if (!a) unsupported(`activation ${JSON.stringify(name)} (supported: ${Object.keys(ACTS).join(', ')})`);
    return a;
  };
  const tie = (dflt: boolean): boolean => raw.tie_word_embeddings ?? dflt;
  const globalLayers = (n: number) => Array<'global'>(n).fill('global');
  const common = { architecture: arch, positionOffset: 0, typeVocab: 0, oBias: false, mlpBias: false, parallel: false, window: 0 };

  // The common key spellings (hidden_size, num_hidden_layers, num_attention_heads, max_position_embeddings;
  // others where a family names them otherwise): one key and value per head, every layer global, scaled by 1/√d.
  const standardShape = (kind: 'masked' | 'causal', keys = { hidden: 'hidden_size', layers: 'num_hidden_layers', heads: 'num_attention_heads' }) => {
    const hidden = need(keys.hidden);
    const layers = need(keys.layers);
    const heads = need(keys.heads);
    return {
      kind,
      layers,
      hidden,
      heads,
      kvHeads: heads,
      headDim: hidden / heads,
      vocab: need('vocab_size'),
      maxPositions: need('max_position_embeddings'),
      attentionLayers: globalLayers(layers),
      attentionScale: Array<number>(layers).fill(1 / Math.sqrt(hidden / heads)),
    };
  };

  // GPT-2's key spellings (n_embd, n_layer, n_head, n_inner, n_positions), which GPT-J shares.
  const gpt2Shape = () => {
    const hidden = need('n_embd');
    const layers = need('n_layer');
    const heads = need('n_head');
    return {
      kind: 'causal' as const,
      layers,
      hidden,
      heads,
      kvHeads: heads,
      headDim: hidden / heads,
      ffn: raw.n_inner ?? 4 * hidden,
      vocab: need('vocab_size'),
      maxPositions: need('n_positions'),
      eps: raw.layer_norm_epsilon ?? 1e-5,
      act: act(raw.activation_function ?? 'gelu_new'),
    };
  };
  switch (arch) {
    case 'GPT2LMHeadModel': {
      const shape = gpt2Shape();
      // reorder_and_upcast_attn only changes float16 rounding; scale_attn_by_inverse_layer_idx divides by layer + 1.
      const scale = (l: number) => (raw.scale_attn_weights === false ? 1 : 1 / Math.sqrt(shape.headDim)) / (raw.scale_attn_by_inverse_layer_idx ? l + 1 : 1);
      return {
        ...common,
        ...shape,
        family: 'gpt2',
        tieWordEmbeddings: tie(true),
        attentionLayers: globalLayers(shape.layers),
        attentionScale: range(shape.layers).map(scale),
        qkvBias: true,
      };
    }
    case 'GPTNeoForCausalLM': {
      const s = standardShape('causal', { hidden: 'hidden_size', layers: 'num_layers', heads: 'num_heads' });
      const layers = s.layers;
      // attention_types: [[pattern, repeat], …], counted before it is expanded (a huge repeat is refused, not built).
      const spec = raw.attention_types ?? [[['global', 'local'], layers / 2]];
      const valid =
        Array.isArray(spec) &&
        spec.every(
          (e: any) =>
            Array.isArray(e) && Array.isArray(e[0]) && e[0].every((t: unknown) => t === 'global' || t === 'local') && Number.isInteger(e[1]) && e[1] >= 0,
        );
      if (!valid) throw new KnError(`${file}: attention_types must be [[["global" | "local", …], repeat], …]`, { file });
      const count = spec.reduce((n: number, [pattern, repeat]: [string[], number]) => n + pattern.length * repeat, 0);
      if (count !== layers) throw new KnError(`${file}: attention_types describes ${count} layers but num_layers is ${layers}`, { file });
      const types: string[] = [];
      for (const [pattern, repeat] of spec as [string[], number][]) for (let r = 0; r < repeat; r++) types.push(...pattern);
      return {
        ...common,
        ...s,
        family: 'gpt-neo',
        ffn: raw.intermediate_size ?? 4 * s.hidden,
        eps: raw.layer_norm_epsilon ?? 1e-5,
        act: act(raw.activation_function ?? 'gelu_new'),
        tieWordEmbeddings: tie(true),
        attentionLayers: types as ('global' | 'local')[],
        window: raw.window_size ?? 256,
        attentionScale: Array(layers).fill(1),
        qkvBias: false,
      };
    }
    case 'GPTJForCausalLM': {
      const shape = gpt2Shape();
      const d = shape.headDim;
      return {
        ...common,
        ...shape,
        family: 'gpt-j',
        tieWordEmbeddings: tie(false),
        attentionLayers: globalLayers(shape.layers),
        attentionScale: Array(shape.layers).fill(1 / Math.sqrt(d)),
        rope: { invFreq: inverseFrequencies(10000, raw.rotary_dim ?? d), interleaved: true },
        qkvBias: false,
        parallel: true,
      };
    }
    case 'GPTNeoXForCausalLM': {
      const s = standardShape('causal');
      const d = s.headDim;
      const params = ropeParameters(raw);
      const fraction = params.partial_rotary_factor ?? raw.rotary_pct ?? 0.25;
      return {
        ...common,
        ...s,
        family: 'gpt-neox',
        ffn: need('intermediate_size'),
        eps: raw.layer_norm_eps ?? 1e-5,
        act: act(raw.hidden_act ?? 'gelu'),
        tieWordEmbeddings: tie(false),
        rope: rope(params, raw.rotary_emb_base ?? 10000, Math.floor(d * fraction), false, unsupported),
        qkvBias: raw.attention_bias ?? true,
        parallel: raw.use_parallel_residual ?? true,
      };
    }
    case 'OPTForCausalLM': {
      const s = standardShape('causal');
      const hidden = s.hidden;
      if (raw.do_layer_norm_before === false) unsupported('do_layer_norm_before false (norms after the blocks, OPT-350m)');
      if ((raw.word_embed_proj_dim ?? hidden) !== hidden) unsupported(`word_embed_proj_dim ${raw.word_embed_proj_dim} ≠ hidden_size (projected embeddings)`);
      if (raw.enable_bias === false) unsupported('enable_bias false');
      if (raw.layer_norm_elementwise_affine === false) unsupported('layer_norm_elementwise_affine false');
      return {
        ...common,
        ...s,
        family: 'opt',
        ffn: need('ffn_dim'),
        eps: 1e-5,
        act: act(raw.activation_function ?? 'relu'),
        positionOffset: 2,
        tieWordEmbeddings: tie(true),
        qkvBias: true,
      };
    }
    case 'DistilBertForMaskedLM': {
      const s = standardShape('masked', { hidden: 'dim', layers: 'n_layers', heads: 'n_heads' });
      if (raw.sinusoidal_pos_embds) unsupported('sinusoidal_pos_embds');
      return {
        ...common,
        ...s,
        family: 'distilbert',
        ffn: need('hidden_dim'),
        eps: 1e-12,
        act: act(raw.activation ?? 'gelu'),
        tieWordEmbeddings: tie(true),
        qkvBias: true,
      };
    }
    case 'ModernBertForMaskedLM': {
      const s = standardShape('masked');
      const d = s.headDim;
      if (raw.attention_bias || raw.mlp_bias) unsupported('attention_bias or mlp_bias');
      if (raw.norm_bias) unsupported('norm_bias');
      if ((raw.classifier_activation ?? 'gelu') !== (raw.hidden_activation ?? 'gelu'))
        unsupported(`classifier_activation ${JSON.stringify(raw.classifier_activation)} ≠ hidden_activation`);
      const every = raw.global_attn_every_n_layers ?? 3;
      const kinds = layerTypes(raw, s.layers, (l) => (l % every === 0 ? 'global' : 'local'), file);
      const params = raw.rope_parameters;
      const globalParams = params?.full_attention ?? { rope_theta: raw.global_rope_theta ?? 160000 };
      const localParams = params?.sliding_attention ?? { rope_theta: raw.local_rope_theta ?? 10000 };
      return {
        ...common,
        ...s,
        family: 'modernbert',
        ffn: need('intermediate_size'),
        eps: raw.norm_eps ?? 1e-5,
        act: act(raw.hidden_activation ?? 'gelu'),
        tieWordEmbeddings: tie(true),
        attentionLayers: kinds,
        window: raw.local_attention ?? 128,
        rope: rope(globalParams, 160000, d, false, unsupported),
        localRope: rope(localParams, 10000, d, false, unsupported),
        qkvBias: false,
      };
    }
    case 'BertForMaskedLM':
    case 'RobertaForMaskedLM':
    case 'XLMRobertaForMaskedLM':
    case 'XLMRobertaXLForMaskedLM': {
      const roberta = arch !== 'BertForMaskedLM';
      const s = standardShape('masked');
      if (raw.position_embedding_type && raw.position_embedding_type !== 'absolute')
        unsupported(`position_embedding_type ${JSON.stringify(raw.position_embedding_type)}`);
      const offset = roberta ? (raw.pad_token_id ?? 1) + 1 : 0;
      return {
        ...common,
        ...s,
        family: arch === 'XLMRobertaXLForMaskedLM' ? 'xlm-roberta-xl' : roberta ? 'xlm-roberta' : 'bert',
        ffn: need('intermediate_size'),
        maxPositions: s.maxPositions - offset,
        eps: raw.layer_norm_eps ?? 1e-12,
        act: act(raw.hidden_act ?? 'gelu'),
        positionOffset: offset,
        typeVocab: raw.type_vocab_size ?? 2,
        tieWordEmbeddings: tie(true),
        qkvBias: true,
      };
    }
  }
  if (!LLAMA_LIKE.includes(arch)) throw new Error(`no parser for ${arch}`);
  return parseLlamaLike(arch, raw, need, act, unsupported, file);
}

/** Llama, Mistral, Qwen2/3, Gemma 2/3, Phi-3 and OLMo-2. */
function parseLlamaLike(
  arch: string,
  raw: Record<string, any>,
  need: (k: string) => number,
  act: (n: unknown) => Activation,
  unsupported: (f: string) => never,
  file: string,
): ModelConfig {
  const hidden = need('hidden_size');
  const heads = need('num_attention_heads');
  const layers = need('num_hidden_layers');
  const headDim = raw.head_dim ?? hidden / heads;
  const gemma = arch.startsWith('Gemma');
  if (raw.pretraining_tp > 1) unsupported(`pretraining_tp ${raw.pretraining_tp}`);
  if (raw.use_bidirectional_attention) unsupported('use_bidirectional_attention');
  // Which layers attend within a window: layer_types where given (transformers ≥ 4.53 writes it), else each family's older keys.
  const legacy = (l: number): 'global' | 'local' => {
    switch (arch) {
      case 'MistralForCausalLM':
      case 'Phi3ForCausalLM':
        return raw.sliding_window ? 'local' : 'global';
      case 'Qwen2ForCausalLM':
      case 'Qwen3ForCausalLM':
        return raw.use_sliding_window && raw.sliding_window && l >= (raw.max_window_layers ?? 0) ? 'local' : 'global';
      case 'Gemma2ForCausalLM':
        return l % 2 === 0 ? 'local' : 'global';
      case 'Gemma3ForCausalLM':
        return (l + 1) % (raw.sliding_window_pattern ?? raw._sliding_window_pattern ?? 6) === 0 ? 'global' : 'local';
      default:
        return 'global';
    }
  };
  const kinds = layerTypes(raw, layers, legacy, file);
  const window = kinds.includes('local') ? raw.sliding_window : 0;
  if (kinds.includes('local') && !(window > 0)) unsupported('sliding-window layers without a sliding_window size');
  const params = raw.rope_parameters;
  const perKind = params && typeof params === 'object' && ('full_attention' in params || 'sliding_attention' in params);
  const globalParams = perKind ? params.full_attention : ropeParameters(raw);
  const fraction = globalParams.partial_rotary_factor ?? raw.partial_rotary_factor ?? 1;
  const rotated = Math.floor(headDim * fraction);
  // Gemma 3 before transformers 5: rope_local_base_freq for the local layers.
  const localParams = perKind
    ? params.sliding_attention
    : arch === 'Gemma3ForCausalLM'
      ? { rope_type: 'default', rope_theta: raw.rope_local_base_freq ?? 10000 }
      : undefined;
  const scale = gemma ? (raw.query_pre_attn_scalar ?? headDim) ** -0.5 : 1 / Math.sqrt(headDim);
  const softcap = (v: unknown) => (typeof v === 'number' && v > 0 ? v : undefined);
  return {
    architecture: arch,
    family: 'llama',
    kind: 'causal',
    layers,
    hidden,
    heads,
    kvHeads: raw.num_key_value_heads ?? heads,
    headDim,
    ffn: need('intermediate_size'),
    vocab: need('vocab_size'),
    maxPositions: need('max_position_embeddings'),
    eps: raw.rms_norm_eps ?? 1e-6,
    act: act(raw.hidden_activation ?? raw.hidden_act ?? (gemma ? 'gelu_pytorch_tanh' : 'silu')),
    positionOffset: 0,
    typeVocab: 0,
    tieWordEmbeddings: raw.tie_word_embeddings ?? gemma,
    attentionLayers: kinds,
    window: window || 0,
    attentionScale: Array(layers).fill(scale),
    rope: rope(globalParams, 10000, rotated, false, unsupported),
    localRope: localParams ? rope(localParams, 10000, rotated, false, unsupported) : undefined,
    qkvBias: arch === 'Qwen2ForCausalLM' || !!raw.attention_bias,
    oBias: arch !== 'Qwen2ForCausalLM' && !!raw.attention_bias,
    mlpBias: !!raw.mlp_bias,
    attnSoftcap: arch === 'Gemma2ForCausalLM' ? softcap(raw.attn_logit_softcapping) : undefined,
    finalSoftcap: gemma ? softcap(raw.final_logit_softcapping) : undefined,
    parallel: false,
  };
}

/** Sizes a graph can be built from: positive integers, heads that divide the hidden size, key/value heads that divide the heads. */
function checkSizes(cfg: ModelConfig, file: string): ModelConfig {
  const sizes = {
    layers: cfg.layers,
    hidden: cfg.hidden,
    heads: cfg.heads,
    kvHeads: cfg.kvHeads,
    headDim: cfg.headDim,
    ffn: cfg.ffn,
    vocab: cfg.vocab,
    maxPositions: cfg.maxPositions,
  };
  for (const [name, v] of Object.entries(sizes))
    if (!Number.isSafeInteger(v) || v < 1) throw new KnError(`${file}: the ${NAMES[name]} must be a positive integer (got ${v})`, { file });
  if (cfg.heads % cfg.kvHeads !== 0) throw new KnError(`${file}: ${cfg.heads} attention heads cannot be shared by ${cfg.kvHeads} key/value heads`, { file });
  if (!(cfg.eps > 0 && Number.isFinite(cfg.eps))) throw new KnError(`${file}: the normalisation epsilon must be a positive number (got ${cfg.eps})`, { file });
  return cfg;
}

const NAMES: Record<string, string> = {
  layers: 'number of layers',
  hidden: 'hidden size',
  heads: 'number of attention heads',
  kvHeads: 'number of key/value heads',
  headDim: 'head size (hidden size / attention heads)',
  ffn: 'FFN (intermediate) size',
  vocab: 'vocabulary size',
  maxPositions: 'number of positions',
};

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** `layer_types` ('full_attention' / 'sliding_attention'), or the family's rule where it is absent. */
function layerTypes(raw: Record<string, any>, layers: number, legacy: (l: number) => 'global' | 'local', file: string): ('global' | 'local')[] {
  const types = raw.layer_types;
  if (!Array.isArray(types)) return range(layers).map(legacy);
  if (types.length !== layers) throw new KnError(`${file}: layer_types has ${types.length} entries but the model has ${layers} layers`, { file });
  return types.map((t) => {
    if (t === 'full_attention') return 'global';
    if (t === 'sliding_attention') return 'local';
    throw new KnError(`${file}: layer type ${JSON.stringify(t)} is not supported (full_attention, sliding_attention)`, { file });
  });
}

/** Rotary parameters from `rope_parameters` (transformers ≥ 5) or `rope_theta` + `rope_scaling` (before). */
function ropeParameters(raw: Record<string, any>): Record<string, any> {
  if (raw.rope_parameters && typeof raw.rope_parameters === 'object') return { rope_theta: raw.rope_theta, ...raw.rope_parameters };
  return { ...(raw.rope_scaling ?? {}), rope_theta: raw.rope_theta };
}

/** θ^(−2i/d) for i < d/2, as transformers computes it. */
function inverseFrequencies(theta: number, dims: number): number[] {
  return Array.from({ length: dims / 2 }, (_, i) => 1 / theta ** ((2 * i) / dims));
}

/** Inverse frequencies with the rope type's scaling: default, linear, or Llama 3's frequency-band rule. */
function rope(params: Record<string, any>, defaultTheta: number, dims: number, interleaved: boolean, unsupported: (f: string) => never): Rope {
  const type = params.rope_type ?? params.type ?? 'default';
  const base = inverseFrequencies(params.rope_theta ?? defaultTheta, dims);
  if (type === 'default') return { invFreq: base, interleaved };
  if (type === 'linear') return { invFreq: base.map((f) => f / params.factor), interleaved };
  if (type === 'llama3') {
    const { factor, low_freq_factor: low, high_freq_factor: high, original_max_position_embeddings: context } = params;
    const invFreq = base.map((f) => {
      const wavelength = (2 * Math.PI) / f;
      if (wavelength < context / high) return f;
      if (wavelength > context / low) return f / factor;
      const smooth = (context / wavelength - low) / (high - low);
      return (1 - smooth) * (f / factor) + smooth * f;
    });
    return { invFreq, interleaved };
  }
  return unsupported(`rope type ${JSON.stringify(type)} (supported: default, linear, llama3)`);
}
