/**
 * The two graphs the method needs, built per prompt length T:
 *  - `forward`: probabilities at every position, with the FFN activations at one position scaled
 *    per neuron (all ones for a plain prediction; 0 to suppress, 2 to enhance);
 *  - `integratedGradients`: for a range of layers, the reference's attribution in one run. A
 *    stream of rows starts as the unpatched prompt; at each attributed layer l it gains m rows whose
 *    activation at the target position is α_k·a_l, so everything below l (and l's attention) is
 *    computed once, and all layers × steps share one batch. The graph differentiates itself.
 */
import { gradients } from '../graph/autodiff';
import { Graph, Value } from '../graph/ir';
import { buildArchitecture, ffnOut, PatchedRows } from './architectures';
import type { ModelConfig } from './config';
import type { Weights } from './weights';

export interface ForwardGraph {
  graph: Graph;
  ids: Value;
  /** One-hot [T] of the position whose activations `scales` multiplies. */
  position: Value;
  /** [L, F] multipliers of the FFN activation at `position` ([rows, L, F] for several rows). */
  scales: Value;
  /** [T, V] softmax probabilities; with `select`, [P, V] at the positions it picks (row after row). */
  probs: Value;
  /** [P, T] one-hot rows: the positions whose probabilities are computed (the head runs on P rows, not T). */
  select?: Value;
  /** [L, F] FFN activations at `position` (unscaled). */
  activations: Value;
  /** Masked models: additive mask [T] over keys (`keyMask`), so that padded positions are not attended to. */
  keyMask?: Value;
}

/**
 * The additive key mask of a prompt of `length` tokens padded to `T`: 0 over the prompt, −1e9 over
 * the padding (whose softmax weight is then exactly 0). Causal models need none: their causal mask
 * already hides positions after the prompt from it.
 */
export function keyMask(length: number, T: number): Float32Array {
  return new Float32Array(T).fill(-1e9, length);
}

/** With `padded`, a masked model's key-mask input, as the [1, 1, 1, T] that attention scores broadcast with. */
function keyMaskInput(cfg: ModelConfig, g: Graph, T: number, padded: boolean): { keyMask?: Value; scoresMask?: Value } {
  if (!padded || cfg.kind !== 'masked') return {};
  const keyMask = g.input('key_mask', [T]);
  return { keyMask, scoresMask: g.reshape(keyMask, [1, 1, 1, T]) };
}

/**
 * `padded`: prompts may be shorter than T, padded at the end (see `keyMask`). `select`: the number
 * P of positions whose probabilities are wanted (the head of a large vocabulary is most of a
 * forward pass: 250,002 × 768 per position for XLM-R). `rows`: the prompt runs once per row of
 * `scales` ([rows, L, F]), e.g. unchanged, suppressed and enhanced in one run, whose matrix
 * products are then `rows` times taller (three one-row runs of bert-base at 16 tokens take about
 * twice as long: `npm run bench`); `probs` is then [rows · P, V], row by row.
 */
export function buildForward(
  cfg: ModelConfig,
  weights: Weights,
  T: number,
  overrides?: ReadonlyMap<string, Float32Array>,
  padded = false,
  select?: number,
  rows = 1,
): ForwardGraph {
  const g = new Graph();
  const ids = g.input('ids', [T], 'int64');
  const position = g.input('position', [T]);
  const scales = g.input('scales', rows === 1 ? [cfg.layers, cfg.ffn] : [rows, cfg.layers, cfg.ffn]);
  const { keyMask, scoresMask } = keyMaskInput(cfg, g, T, padded);
  const arch = buildArchitecture(cfg, g, weights.bind(g, overrides), T, scoresMask);
  const at = g.reshape(position, [1, T, 1]);
  const notAt = g.sub(g.scalar(1), at);
  let h = arch.embed(ids, T);
  if (rows > 1) h = g.expand(h, [rows, T, cfg.hidden]);
  const acts: Value[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const x = arch.attention(l, h);
    const act = arch.activation(l, x);
    acts.push(g.reshape(g.sum(g.mul(rows > 1 ? g.slice(act, 0, 0, 1) : act, at), [1]), [1, cfg.ffn]));
    const scale = g.reshape(g.slice(scales, rows > 1 ? 1 : 0, l, l + 1), [rows, 1, cfg.ffn]);
    const scaled = g.add(g.mul(act, notAt), g.mul(g.mul(act, scale), at));
    h = ffnOut(arch, l, scaled, x);
  }
  const picked = select === undefined ? undefined : g.input('select', [select, T]);
  const hidden = rows > 1 ? h : g.reshape(h, [T, cfg.hidden]);
  const chosen = picked ? g.matmul(picked, hidden) : hidden;
  const logits = arch.head(rows > 1 ? g.reshape(chosen, [rows * (select ?? T), cfg.hidden]) : chosen);
  const probs = g.output('probs', g.softmax(logits, -1));
  const activations = g.output('activations', g.concat(acts, 0));
  return { graph: g, ids, position, scales, probs, activations, keyMask, select: picked };
}

export interface IgGraph {
  graph: Graph;
  ids: Value;
  position: Value;
  /** One-hot [V] of the target token. */
  target: Value;
  /** Quadrature nodes α_k [m, 1] and weights w_k [m, 1]: score = a · Σ_k w_k ∂P/∂a(α_k a). */
  alphas: Value;
  weights: Value;
  /** [layers in range, F] attribution scores. */
  scores: Value;
  /** [layers in range, m] target probability at each α. */
  pAlpha: Value;
  /** [V] unpatched probabilities at the target position. */
  probs: Value;
  /** [layers in range, F] the unpatched activations a. */
  activations: Value;
  keyMask?: Value;
}

/**
 * `recomputePrefix` builds the straightforward variant instead (what the reference does): one
 * layer, and the m patched rows run the whole model from the embeddings. Kept for the benchmark.
 * `padded`: as in `buildForward`.
 */
export function buildIntegratedGradients(
  cfg: ModelConfig,
  weights: Weights,
  T: number,
  steps: number,
  first: number,
  last_: number,
  recomputePrefix = false,
  padded = false,
): IgGraph {
  if (recomputePrefix && first !== last_) throw new Error('the straightforward variant attributes one layer per run');
  const g = new Graph();
  const ids = g.input('ids', [T], 'int64');
  const position = g.input('position', [T]);
  const target = g.input('target', [cfg.vocab]);
  const alphas = g.input('alphas', [steps, 1]);
  const quadWeights = g.input('weights', [steps, 1]);
  const { keyMask, scoresMask } = keyMaskInput(cfg, g, T, padded);
  const arch = buildArchitecture(cfg, g, weights.bind(g), T, scoresMask);
  const at = g.reshape(position, [1, T, 1]);
  // Row 0 of the stream is the unpatched prompt: it depends on no patch, so no gradient is taken
  // through it (without this, each use would pad a gradient back to the whole stream tensor).
  const baseRow = (v: Value) => g.stopGradient(g.slice(v, 0, 0, 1));

  let h = arch.embed(ids, T);
  if (recomputePrefix) h = g.expand(h, [1 + steps, T, cfg.hidden]);
  const patches: Value[] = [];
  const bases: Value[] = [];
  // Past the last layer's attention only the target position matters: from there on every tensor
  // has one position, so `at` becomes the one-hot of a length-1 axis.
  const single = g.constant(Float32Array.of(1), [1, 1, 1], 'float32');
  // Causal models (the target is the last position): a patched row differs from the unpatched one
  // only at that position, in every layer above the patch, so patched rows are kept as [R, 1, H]
  // (`lastRows`) and attend to the unpatched row's keys and values for the earlier positions.
  const causal = cfg.kind === 'causal' && !recomputePrefix && arch.attentionAtLast !== undefined;
  let lastRows: Value | undefined;
  // Rows just patched differ from the unpatched row at the target position only, up to the next attention.
  let patched: PatchedRows | undefined;
  let atNow = at;
  for (let l = 0; l < cfg.layers; l++) {
    const last = l === cfg.layers - 1 && !recomputePrefix;
    const x = arch.attention(l, h, last ? at : undefined, patched);
    patched = undefined;
    const xRows = lastRows && arch.attentionAtLast!(l, lastRows, h);
    if (last) atNow = single;
    const width = x.shape[1];
    const act = arch.activation(l, x);
    const actRows = xRows && arch.activation(l, xRows);
    const attributed = l >= first && l <= last_;
    if (!attributed) {
      if (xRows) lastRows = ffnOut(arch, l, actRows!, xRows);
      h = ffnOut(arch, l, act, x);
      continue;
    }
    const baseAct = baseRow(act); // [1, T, F]
    const a = g.sum(g.mul(baseAct, atNow), [1]); // [1, F]
    const patch = g.mul(alphas, a); // [m, F]: the values attributed
    patches.push(patch);
    bases.push(a);
    if (recomputePrefix) {
      const patchAt = g.mul(g.reshape(patch, [steps, 1, cfg.ffn]), atNow);
      const notAtNow = g.sub(g.scalar(1), atNow);
      h = ffnOut(arch, l, g.concat([baseAct, g.add(g.mul(g.slice(act, 0, 1, 1 + steps), notAtNow), patchAt)], 0), x);
      continue;
    }
    if (causal) {
      const xAt = g.expand(g.sum(g.mul(x, atNow), [1], true), [steps, 1, x.shape[2]]); // [m, 1, X]: X = H, or 2H for parallel blocks
      const newRows = ffnOut(arch, l, g.reshape(patch, [steps, 1, cfg.ffn]), xAt);
      lastRows = xRows ? g.concat([ffnOut(arch, l, actRows!, xRows), newRows], 0) : newRows;
      h = ffnOut(arch, l, act, x);
      continue;
    }
    // A patched row differs from the unpatched one only at the target position, so its projection
    // is the unpatched projection plus that of (α·a − a) there: [m, F]·[F, H] instead of [m·T, F]·[F, H].
    const projected = arch.ffnProject(l, act, true); // [R, T, H]
    const delta = arch.ffnProject(l, g.sub(patch, a), false); // [m, H]
    const patchedProj = g.add(baseRow(projected), g.mul(g.reshape(delta, [steps, 1, cfg.hidden]), atNow)); // [m, T, H]
    const baseX = g.expand(baseRow(x), [steps, width, x.shape[2]]);
    const old = arch.ffnCombine(l, projected, x);
    const patchedH = arch.ffnCombine(l, patchedProj, baseX); // [m, T, H]
    h = g.concat([old, patchedH], 0);
    patched = { old, at: atNow, atRows: g.sum(g.mul(patchedH, atNow), [1], true) };
  }
  let hAt = g.sum(g.mul(h, atNow), [1]); // [R, H]
  if (lastRows) hAt = g.concat([hAt, g.reshape(lastRows, [lastRows.shape[0], cfg.hidden])], 0);
  const rows = hAt.shape[0];
  const logits = arch.head(hAt); // [R, V]
  const pTarget = g.targetProb(logits, target); // [R]
  const pPatched = g.slice(pTarget, 0, 1, rows);
  const grads = gradients(g, g.sum(pPatched, [0]), patches);
  const scores = grads.map((gr, i) => g.mul(g.sum(g.mul(gr, quadWeights), [0], true), bases[i]));
  return {
    graph: g,
    ids,
    position,
    target,
    alphas,
    weights: quadWeights,
    scores: g.output('scores', g.concat(scores, 0)),
    pAlpha: g.output('p_alpha', g.reshape(pPatched, [last_ - first + 1, steps])),
    probs: g.output('probs', g.reshape(g.softmax(g.slice(logits, 0, 0, 1), -1), [cfg.vocab])),
    activations: g.output('activations', g.concat(bases, 0)),
    keyMask,
  };
}
