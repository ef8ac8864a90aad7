/**
 * Quadrature rules for the path integral ∫₀¹ ∂P/∂a(α·a) dα. `reference` is Dai et al.'s code:
 * α_k = k/(m−1), k = 0…m−1, sum divided by m (a biased Riemann sum, kept as the default so results
 * match); `midpoint` and `gauss-legendre` converge much faster.
 */
import { KnError } from './errors';
import type { Quadrature } from './types';

export interface QuadratureRule {
  alphas: Float32Array;
  weights: Float32Array;
}

/**
 * Integrated-gradient steps allowed: 2 (both ends of the path) to 1000. The reference uses 20 and
 * Gauss-Legendre converges in far fewer; each step is one more row per layer to compute.
 */
export const MIN_STEPS = 2;
export const MAX_STEPS = 1000;

export function quadrature(kind: Quadrature, steps: number): QuadratureRule {
  if (!Number.isInteger(steps) || steps < MIN_STEPS || steps > MAX_STEPS)
    throw new KnError(`steps must be an integer from ${MIN_STEPS} to ${MAX_STEPS} (got ${steps})`);
  const alphas = new Float32Array(steps);
  const weights = new Float32Array(steps);
  switch (kind) {
    case 'reference':
      for (let k = 0; k < steps; k++) {
        alphas[k] = k / (steps - 1);
        weights[k] = 1 / steps;
      }
      break;
    case 'midpoint':
      for (let k = 0; k < steps; k++) {
        alphas[k] = (k + 0.5) / steps;
        weights[k] = 1 / steps;
      }
      break;
    case 'gauss-legendre': {
      const { nodes, w } = gaussLegendre(steps);
      nodes.forEach((x, k) => {
        alphas[k] = (x + 1) / 2;
        weights[k] = w[k] / 2;
      });
      break;
    }
    default:
      throw new KnError(`unknown quadrature '${kind}' (reference, midpoint, gauss-legendre)`);
  }
  return { alphas, weights };
}

/** Nodes and weights on [−1, 1] by Newton's method on the Legendre polynomial P_n. */
export function gaussLegendre(n: number): { nodes: number[]; w: number[] } {
  const nodes: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes.push(x);
    w.push(2 / ((1 - x * x) * dp * dp));
  }
  return { nodes, w };
}
