/**
 * Reverse-mode differentiation of a `Graph`: walks the forward nodes backwards and appends each
 * node's vector-Jacobian product to the same graph, only for values that lie between `wrt` and `y`.
 * `wrt` may be intermediate values (an activation that is patched in): gradients stop there.
 */
import type { Graph, Value } from './ir';
import { OPS } from './ops';

export function gradients(g: Graph, y: Value, wrt: Value[], seed?: Value): Value[] {
  const forward = g.nodes.slice();
  const dependsOnWrt = new Set<number>(wrt.map((v) => v.id));
  for (const n of forward) if (n.op !== 'stopGradient' && n.inputs.some((v) => dependsOnWrt.has(v.id))) for (const o of n.outputs) dependsOnWrt.add(o.id);
  if (!dependsOnWrt.has(y.id)) throw new Error('gradients: the output does not depend on the requested values');

  const adjoint = new Map<number, Value>();
  adjoint.set(y.id, seed ?? g.constant(new Float32Array(y.shape.reduce((a, b) => a * b, 1)).fill(1), y.shape, 'float32'));
  const accumulate = (v: Value, gv: Value) => {
    const prev = adjoint.get(v.id);
    adjoint.set(v.id, prev ? g.add(prev, gv) : gv);
  };

  for (let i = forward.length - 1; i >= 0; i--) {
    const n = forward[i];
    const gy = adjoint.get(n.outputs[0].id);
    if (!gy) continue;
    const needs = n.inputs.map((v) => dependsOnWrt.has(v.id) && v.dtype === 'float32');
    if (!needs.some(Boolean)) continue;
    const rule = OPS[n.op];
    if (!rule.vjp) throw new Error(`gradients: operator '${n.op}' has no vector-Jacobian product`);
    const grads = rule.vjp(g, n, gy, needs);
    n.inputs.forEach((v, k) => {
      const gv = grads[k];
      if (needs[k] && gv) accumulate(v, gv);
    });
  }
  return wrt.map((w) => adjoint.get(w.id) ?? g.constant(new Float32Array(w.shape.reduce((a, b) => a * b, 1)), w.shape, 'float32'));
}
