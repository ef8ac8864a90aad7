// Completeness of integrated gradients: the sum of one layer's attributions tends to
// P(a) − P(0) as steps grow (Gauss–Legendre and midpoint, 256 steps, within 1%).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../engine/src/index';
import { fixture } from '../helpers';

const cases: Record<string, [string, string][]> = {
  'bert-tiny-facts': [
    ['Everyone knows that the capital of France is <mask>.', 'Paris'],
    ['The seat of government of Japan is <mask>.', 'Tokyo'],
    ['Children in Spain learn <mask> at school.', 'Spanish'],
  ],
  'xlmr-tiny-facts': [
    ['The capital of France is <mask>.', 'Paris'],
    ['La capitale de la France est <mask>.', 'Paris'],
    ['People in Germany speak <mask>.', 'German'],
  ],
  'gpt2-tiny-facts': [
    ['The capital of France is', 'Paris'],
    ['People in Germany speak', 'German'],
    ['La capitale de la France est', 'Paris'],
  ],
};

for (const [name, prompts] of Object.entries(cases)) {
  test(`${name}: Σ scores of a layer → P(a) − P(0) (256 steps, within 1%)`, async () => {
    const model = await loadModel(fixture(name), { device: 'cpu' });
    const { layers, ffn } = model.config;
    let checked = 0;
    for (const [prompt, answer] of prompts) {
      const enc = model.encode(prompt, answer);
      const pos = enc.positions[0];
      const pOf = async (zeroLayer?: number) => {
        const scales = new Float32Array(layers * ffn).fill(1);
        if (zeroLayer !== undefined) scales.fill(0, zeroLayer * ffn, (zeroLayer + 1) * ffn);
        return (await model.runForward(enc.ids, pos, scales)).probs[pos * model.config.vocab + enc.answerIds[0]];
      };
      const pA = await pOf();
      for (const quadrature of ['gauss-legendre', 'midpoint'] as const) {
        const r = await model.igScores(enc.ids, pos, enc.answerIds[0], 256, { quadrature, batchSize: 256 });
        for (let l = 0; l < layers; l++) {
          const delta = pA - (await pOf(l));
          if (Math.abs(delta) < 0.05) continue; // too small a change for a relative bar in float32
          const sum = r.scores[l].reduce((a, b) => a + b, 0);
          assert.ok(Math.abs(sum - delta) <= 0.01 * Math.abs(delta), `${prompt} layer ${l} (${quadrature}): Σ scores ${sum} vs P(a) − P(0) ${delta}`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 2, `at least two layers with a sizeable P(a) − P(0) were checked (${checked})`);
    await model.dispose();
  });
}
