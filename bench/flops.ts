/** Floating-point operations of a graph, counted from its static shapes: 2·M·K·N per MatMul (the rest is negligible). */
import type { Graph } from '../engine/src/graph/ir';

export function countFlops(g: Graph): number {
  let flops = 0;
  for (const n of g.nodes) {
    if (n.op !== 'matmul') continue;
    const [a, b] = n.inputs;
    const out = n.outputs[0].shape;
    const k = a.shape[a.shape.length - 1];
    void b;
    flops += 2 * k * out.reduce((x, y) => x * y, 1);
  }
  return flops;
}
