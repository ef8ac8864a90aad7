/**
 * Floating-point operations of a graph, counted from its static shapes: 2·M·K·N per matrix product
 * (MatMul, and the products by a transposed b: Gemm and batched), the rest being negligible.
 */
import type { Graph } from '../engine/src/graph/ir';

export function countFlops(g: Graph): number {
  let flops = 0;
  for (const n of g.nodes) {
    if (n.op !== 'matmul' && n.op !== 'gemmT' && n.op !== 'bmmT') continue;
    // The contracted dimension is a's last in both.
    const a = n.inputs[0];
    const k = a.shape[a.shape.length - 1];
    flops += 2 * k * n.outputs[0].shape.reduce((x, y) => x * y, 1);
  }
  return flops;
}
