/**
 * The engine's public data types: what the CLI prints, what the language server caches and
 * what the compare panel renders. A neuron is `{layer, index}` everywhere.
 */

/** Where a model runs: `auto` is CUDA when present, else the CPU; `webgpu` only on request. */
export const DEVICES = ['auto', 'cuda', 'cpu', 'webgpu'] as const;
export type Device = (typeof DEVICES)[number];

/**
 * How the weights that multiply activations are kept: `float32` (the default), or rows rounded to
 * integers with a float32 scale per row (absmax / 32767 or / 127), dequantized where they are used:
 * `int16` (half the memory) or `int8` (a quarter). README, "Models larger than memory".
 */
export type WeightStorage = 'float32' | 'int16' | 'int8';
export const WEIGHT_STORAGES: readonly WeightStorage[] = ['float32', 'int16', 'int8'];

export interface Neuron {
  layer: number;
  index: number;
}

/** One token of a tokenized prompt, aligned to the prompt text (character offsets, end exclusive). */
export interface TokenSpan {
  id: number;
  token: string;
  start: number;
  end: number;
}

export interface TopToken {
  id: number;
  token: string;
  p: number;
}

/** `kn predict --json` prints exactly this object (plus nothing else). */
export interface Prediction {
  prompt: string;
  target: string;
  target_ids: number[];
  input_ids: number[];
  /** Mask index (masked LMs) or index of the last prompt token (causal LMs). */
  position: number;
  /** Softmax probability of the target's first token at `position`. */
  p_target: number;
  top_k: TopToken[];
}

/** Prediction plus what the editor needs beyond the JSON contract. */
export interface PredictionDetail extends Prediction {
  /** Rank of the target's first token (1 = argmax). */
  rank: number;
  /** Joint probability of all target tokens (masked: one mask per sub-token; causal: teacher forcing). */
  p_joint: number;
  tokens: TokenSpan[];
  /** Tokens of the prompt that the tokenizer mapped to its unknown token. */
  unknown: TokenSpan[];
  max_positions: number;
}

export type IgMethod = 'ig' | 'activation';
/** `reference`: α_k = k/(m−1), k = 0…m−1, sum / m (Dai et al.'s code). */
export type Quadrature = 'reference' | 'midpoint' | 'gauss-legendre';

export interface ScoreOptions {
  steps?: number;
  batchSize?: number;
  method?: IgMethod;
  quadrature?: Quadrature;
}

export interface Scores {
  prompt: string;
  target: string;
  /** Probability of the target's first token at its position. */
  p_target: number;
  /** Product of every target token's probability at its own position (see PredictionDetail.p_joint). */
  p_joint: number;
  layers: number;
  neurons: number;
  /** [layer][neuron] attribution scores. */
  scores: number[][];
}

export type CoarseRule = { kind: 'adaptive'; value: number } | { kind: 'threshold'; value: number } | { kind: 'percentile'; value: number };

export interface Effect {
  p_target: number;
  argmax: { id: number; token: string };
}

export interface InterventionResult {
  before: Effect;
  after: Effect;
}

/** One prompt's results, as the language server caches them and the compare panel shows them. */
export interface PromptResult {
  text: string;
  /** Language tag (`en`, `fr`, …) or `''` when the prompt has none. */
  lang: string;
  /** The answer it asks for (absent: the fact's answer). Groups are formed by the method's rule (engine/src/method). */
  answer?: string;
  p_target: number;
  /** [layer][neuron] attribution scores, absent until integrated gradients ran. */
  scores?: number[][];
  coarse?: Neuron[];
}

export interface FactEffects {
  /** Per prompt of the fact (`own`) and of an unrelated fact (`control`): target probability before, with the refined neurons suppressed, and enhanced. */
  own: Array<{ text: string; before: number; suppressed: number; enhanced: number }>;
  control: Array<{ text: string; before: number; suppressed: number; enhanced: number }>;
}

export interface FactResult {
  name: string;
  answer: string;
  prompts: PromptResult[];
  /** The fact's negative examples (`not:` lines): the panel removes what they share, as the method does. */
  negatives?: PromptResult[];
  /** Refined neurons per group: a language tag, or `all` for every prompt of the fact. */
  groups: Record<string, { refined: Neuron[] }>;
  effects?: FactEffects;
}

/** What the compare panel is sent: everything it shows comes from here. */
export interface CompareData {
  model: string;
  layers: number;
  neurons: number;
  settings: { rule: CoarseRule; p: number };
  facts: FactResult[];
}
