// --weights int16 and int8 against float32 on the fixtures, within the tolerances the README states
// ("Models larger than memory", measured on mid-size random models by bench/weights.ts); the float32
// numbers themselves against the fixtures' references (P within 1e-5), as every other test does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { loadModel } from '../../engine/src/index';
import type { WeightStorage } from '../../engine/src/types';
import { fixture, topIndices, WEIGHTS_TOLERANCE as TOLERANCE } from '../helpers';

const bert = JSON.parse(fs.readFileSync(fixture('bert-tiny-facts/reference.json'), 'utf8'));
const llama = JSON.parse(fs.readFileSync(fixture('llama-stories260k/reference.json'), 'utf8'));
const CASES: Record<string, { text: string; target: string; p: number }[]> = {
  'bert-tiny-facts': bert.facts
    .slice(0, 4)
    .map((f: any) => ({ text: f.prompts[0].text.replace('[MASK]', '<mask>'), target: f.prompts[0].answer, p: f.prompts[0].p_target })),
  'llama-stories260k': llama.facts.slice(0, 4).map((f: any) => ({ text: f.text, target: f.target_text.trim(), p: f.p_target })),
};

for (const [name, prompts] of Object.entries(CASES))
  test(`${name}: int16 and int8 weights are within the stated tolerances of float32, which matches the reference`, async () => {
    const runs: Record<string, { p: number; argmax: number; scores: number[] }[]> = {};
    const erased: Record<string, { before: number; after: number }> = {};
    for (const weights of ['float32', 'int16', 'int8'] as WeightStorage[]) {
      const model = await loadModel(fixture(name), { device: 'cpu', weights });
      try {
        runs[weights] = [];
        for (const { text, target } of prompts) {
          const p = await model.predict(text, target);
          runs[weights].push({ p: p.p_target, argmax: p.top_k[0].id, scores: (await model.scores(text, target, { steps: 20 })).scores.flat() });
        }
        // Erasing the first prompt's top 20 neurons (float32's): the edited matrices are float32 copies, whatever the storage.
        const top5 = topIndices(runs.float32[0].scores, 20).map((k) => ({ layer: Math.floor(k / model.config.ffn), index: k % model.config.ffn }));
        const e = await model.editWeights(prompts[0].text, prompts[0].target, top5, { mode: 'erase' });
        erased[weights] = { before: e.before.p_target, after: e.after.p_target };
      } finally {
        await model.dispose();
      }
    }
    prompts.forEach((ref, i) => assert.ok(Math.abs(runs.float32[i].p - ref.p) < 1e-5, `${ref.text}: float32 P ${runs.float32[i].p} vs reference ${ref.p}`));
    for (const weights of ['int16', 'int8'] as const) {
      const tol = TOLERANCE[weights];
      runs[weights].forEach((q, i) => {
        const f = runs.float32[i];
        const at = `${weights}, ${prompts[i].text}`;
        assert.ok(Math.abs(q.p - f.p) <= tol.p * f.p, `${at}: P ${q.p} vs float32 ${f.p}`);
        assert.equal(q.argmax, f.argmax, `${at}: the most probable token`);
        const max = Math.max(...f.scores.map(Math.abs));
        const diff = Math.max(...f.scores.map((x, k) => Math.abs(x - q.scores[k])));
        assert.ok(diff <= tol.scores * max, `${at}: scores differ by ${(diff / max).toExponential(2)} × max`);
        const inFloat32 = new Set(topIndices(f.scores, 20));
        const common = topIndices(q.scores, 20).filter((n) => inFloat32.has(n)).length;
        assert.ok(common >= tol.top20, `${at}: ${common} of the 20 top neurons in common`);
      });
      // The erasure changes P as it does in float32 (an edit that did not reach the int8 matrices would change nothing).
      const change = (r: { before: number; after: number }) => r.after - r.before;
      assert.ok(
        Math.abs(change(erased[weights]) - change(erased.float32)) <= 0.1 * Math.abs(change(erased.float32)),
        `${weights}: erasing moved P by ${change(erased[weights])}, in float32 by ${change(erased.float32)}`,
      );
      // Not the float32 numbers themselves: the storage changes them.
      assert.ok(
        runs[weights].some((q, i) => q.p !== runs.float32[i].p),
        `${weights}: P identical to float32's; were the weights quantized?`,
      );
    }
  });
