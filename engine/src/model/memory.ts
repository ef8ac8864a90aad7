/**
 * What a run of the engine holds in memory, from the configuration alone (no ONNX Runtime here: the
 * estimate before loading uses it too). Fitted to the bench's measurements (`npm run bench`).
 */
import type { ModelConfig } from './config';

/**
 * Bytes of activations an integrated-gradients run may hold (see `igRunBytes`); a run holds fewer
 * steps (or, failing that, fewer layers) to stay under it (`igPlan`). On the CPU a run of bert-base
 * holds all layers and 3 to 10 of the 20 steps at 24 to 8 tokens. Larger runs are not faster here:
 * each new session's first run faults in every page its arena touches, and a page fault is
 * expensive on a virtual machine (bert-base at 24 tokens, CPU seconds for the first run and a warm
 * one: 20 steps at once 24 and 8.6; chunks within 640 MB 17 and 8.1; within 320 MB 13 and 8.0;
 * within 160 MB 16 and 11). Sessions keep their working memory between runs; the graph cache keeps
 * the total they keep under twice this budget and one copy of the weights.
 */
export const IG_MEMORY_BUDGET = { cpu: 320e6, gpu: 4e9 };

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

/** Working memory of one forward run (one row, probabilities at P positions): the same terms as `igRunBytes`. */
export function forwardRunBytes(cfg: ModelConfig, T: number, P = 1): number {
  return 4 * (T * cfg.layers * (3 * cfg.ffn + 2 * cfg.hidden + cfg.heads * T) + P * 4 * cfg.vocab);
}

/**
 * The shape of the integrated-gradients runs of a T-token prompt: how many layers' rows one run
 * holds and how many of the quadrature's `steps`, within `budget` bytes and `rowLimit` rows. All
 * layers in one run when they fit, in chunks of steps otherwise: chunks share one session and add
 * up, while layer ranges would each build their own. Chunks are of equal size (20 steps within 7
 * a run: 3 chunks of 7). At least one layer and one step, whatever the budget.
 */
export function igPlan(cfg: ModelConfig, T: number, steps: number, budget: number, rowLimit = Infinity): { layers: number; steps: number } {
  const fits = (n: number, m: number) => 1 + n * m <= Math.max(rowLimit, 2) && igRunBytes(cfg, T, m, 0, n - 1) <= budget;
  // The first range is the largest: its rows enter lowest and pass the most layers.
  for (let n = cfg.layers; n >= 1; n--) {
    let m = Math.min(steps, Math.floor((rowLimit - 1) / n) || 1);
    while (m > 1 && !fits(n, m)) m--;
    if (fits(n, m)) return { layers: n, steps: Math.ceil(steps / Math.ceil(steps / m)) };
  }
  return { layers: 1, steps: 1 };
}
