/**
 * What a run of the engine holds in memory, from the configuration alone (no ONNX Runtime here: the
 * estimate before loading uses it too). Fitted to the bench's measurements (`npm run bench`).
 */
import type { ModelConfig } from './config';

/**
 * Bytes of activations an integrated-gradients run may hold (see `igRunBytes`); layer ranges are
 * split to stay under it. On the CPU one run holds all of bert-base's layers up to about 20 tokens;
 * fewer, larger runs are faster (the layers below a range are not recomputed, and each run maps
 * the weights once more). Sessions keep their working memory between runs; the graph cache keeps
 * the total they keep under the same budget.
 */
export const IG_MEMORY_BUDGET = { cpu: 1.5e9, gpu: 4e9 };

/**
 * Working memory of one integrated-gradients run over layers first…last: about 3F + 2H floats per
 * token for every layer a row passes (the unpatched row passes all L, each patched row of layer l
 * the L − l from l up), plus the vocabulary-wide head tensors of each row. Fitted to the peak
 * anonymous resident memory of bert-base runs at 13, 24 and 36 tokens (`npm run bench` reports
 * both).
 */
export function igRunBytes(cfg: ModelConfig, T: number, steps: number, first: number, last: number): number {
  let rowLayers = cfg.layers;
  for (let l = first; l <= last; l++) rowLayers += steps * (cfg.layers - l);
  const rows = 1 + steps * (last - first + 1);
  return 4 * (rowLayers * T * (3 * cfg.ffn + 2 * cfg.hidden + cfg.heads * T) + rows * 4 * cfg.vocab);
}

/** Working memory of one forward run (one row, probabilities at every position): the same terms as `igRunBytes`. */
export function forwardRunBytes(cfg: ModelConfig, T: number): number {
  return 4 * T * (cfg.layers * (3 * cfg.ffn + 2 * cfg.hidden + cfg.heads * T) + 4 * cfg.vocab);
}

/** How many layers the first (largest: its rows enter lowest and pass the most layers) integrated-gradients run holds within `budget`; at least one. */
export function layersWithin(cfg: ModelConfig, T: number, steps: number, budget: number): number {
  for (let n = cfg.layers; n > 1; n--) if (igRunBytes(cfg, T, steps, 0, n - 1) <= budget) return n;
  return 1;
}
