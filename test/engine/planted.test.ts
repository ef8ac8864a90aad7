// A model whose knowledge neurons are planted by construction: integrated gradients must find
// exactly them, and suppressing them must remove the fact while random neurons do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coarseNeurons, findFact, METHOD_DEFAULTS, loadModel, refineNeurons } from '../../engine/src/index';
import { plantedBert } from '../synthetic';
import { rng } from '../helpers';

const planted = { atlantis: { answer: 'orichalcum', neurons: [5, 17, 42] }, lemuria: { answer: 'basalt', neurons: [8, 33] } };
const promptsFor = (w: string) => [`the ${w} is <mask>`, `<mask> is in the ${w}`, `the <mask> of ${w}`, `${w} of the <mask>`];

test('integrated gradients find exactly the planted neurons, and suppressing them removes the fact', async () => {
  const { dir, layer } = plantedBert(planted);
  const model = await loadModel(dir, { device: 'cpu' });
  for (const [ctx, { answer, neurons }] of Object.entries(planted)) {
    const coarse = [];
    for (const p of promptsFor(ctx)) {
      const pred = await model.predict(p, answer);
      assert.equal(pred.top_k[0].token, answer, `${p}: the planted fact is what the model predicts`);
      coarse.push(coarseNeurons((await model.scores(p, answer)).scores, { kind: 'adaptive', value: 0.3 }));
    }
    const refined = refineNeurons(coarse, 0.5);
    assert.deepEqual(
      refined,
      neurons.map((index) => ({ layer, index })),
      `${ctx}: refined neurons`,
    );

    const r = rng(3);
    for (const p of promptsFor(ctx)) {
      const sup = await model.intervene(p, answer, refined, { mode: 'suppress' });
      assert.ok(
        sup.after.p_target < 0.5 * sup.before.p_target,
        `${p}: suppressing the planted neurons drops P from ${sup.before.p_target} to ${sup.after.p_target}`,
      );
      const others = Array.from({ length: refined.length }, () => ({ layer: Math.floor(r() * 2), index: 50 + Math.floor(r() * 14) }));
      const ctrl = await model.intervene(p, answer, others, { mode: 'suppress' });
      assert.ok(ctrl.after.p_target > 0.5 * ctrl.before.p_target, `${p}: random neurons leave P (${ctrl.before.p_target} → ${ctrl.after.p_target})`);
    }
  }
  await model.dispose();
});

test('negative examples remove the neurons they share with the fact', async () => {
  const { dir } = plantedBert(planted);
  const model = await loadModel(dir, { device: 'cpu' });
  const prompts = promptsFor('atlantis').map((text) => ({ text, lang: 'en', answer: 'orichalcum', negative: false }));
  // A negative example that uses the same context word shares the planted neurons: they must go.
  const negatives = ['the atlantis of <mask>', 'atlantis is <mask>'].map((text) => ({ text, lang: 'en', answer: 'orichalcum', negative: true }));
  const plain = await findFact(model, { name: 'f', answers: { '': 'orichalcum' }, prompts }, METHOD_DEFAULTS);
  const withNeg = await findFact(model, { name: 'f', answers: { '': 'orichalcum' }, prompts: [...prompts, ...negatives] }, METHOD_DEFAULTS);
  assert.deepEqual(plain.refined, [
    [1, 5],
    [1, 17],
    [1, 42],
  ]);
  assert.deepEqual(withNeg.refined, []);
  assert.deepEqual(withNeg.removed_by_negatives, [
    [1, 5],
    [1, 17],
    [1, 42],
  ]);
  await model.dispose();
});

test('weight edits: erasing the planted value vectors removes the fact, editing redirects it, and both are undone', async () => {
  const { dir } = plantedBert(planted);
  const model = await loadModel(dir, { device: 'cpu' });
  const prompt = 'the atlantis is <mask>';
  const neurons = planted.atlantis.neurons.map((index) => ({ layer: 1, index }));
  const original = await model.predict(prompt, 'orichalcum');
  const erased = await model.editWeights(prompt, 'orichalcum', neurons, { mode: 'erase' });
  assert.ok(erased.after.p_target < 0.5 * erased.before.p_target, `erase: ${erased.before.p_target} → ${erased.after.p_target}`);
  // In this model the residual stream reads out word embeddings directly, so an edit towards
  // 'basalt' must make it the prediction.
  const edited = await model.editWeights(prompt, 'orichalcum', neurons, { mode: 'edit', newTarget: 'basalt' });
  assert.equal(edited.after.argmax.token, 'basalt');
  assert.ok(edited.p_new_target!.after > edited.p_new_target!.before);
  const again = await model.predict(prompt, 'orichalcum');
  assert.equal(again.p_target, original.p_target, 'weights are restored exactly');
  await model.dispose();
});
