/**
 * A float64 reference evaluator for graphs: slow and exact enough to check ONNX Runtime's float32
 * results and to take central finite differences of any graph in the gradient tests.
 */
import type { Graph, Value } from './ir';
import { OPS, Tensor } from './ops';

export function evaluate(g: Graph, feeds: Map<Value, Tensor>, outputs: Value[]): Tensor[] {
  const env = new Map<number, Tensor>();
  for (const [v, t] of feeds) env.set(v.id, t);
  for (const [v, c] of g.constants) {
    const data = c.kind === 'inline' ? c.data : c.load();
    env.set(v.id, { shape: [...v.shape], data: Float64Array.from(data as ArrayLike<number | bigint>, Number) });
  }
  for (const n of g.nodes) {
    const ins = n.inputs.map((v) => {
      const t = env.get(v.id);
      if (!t) throw new Error(`evaluate: no value for ${v.name}`);
      return t;
    });
    const rule = OPS[n.op];
    env.set(n.outputs[0].id, rule.evaluate(ins, n.attrs, [...n.outputs[0].shape]));
  }
  return outputs.map((o) => env.get(o.id)!);
}
