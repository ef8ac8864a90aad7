// A model disposed while its integrated gradients run (an editor closing, a language server shutting
// down mid-attribution): the job stops before its next run, and no session is released while it runs
// (ONNX Runtime would abort the process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../engine/src/index';
import { fixture } from '../helpers';

test('dispose during an attribution waits for the run in progress; the job stops with an error', async () => {
  const model = await loadModel(fixture('bert-tiny-facts'), { device: 'cpu' });
  // Two rows a run: hundreds of runs, so the dispose comes in the middle.
  let runs = 0;
  const job = model.scores('The capital of France is <mask>.', 'Paris', { steps: 600, batchSize: 3 });
  const started = Date.now();
  job.catch(() => undefined);
  while (Date.now() - started < 100) {
    await new Promise((r) => setTimeout(r, 10));
    runs++;
  }
  await model.dispose();
  await assert.rejects(job, /the model was closed/);
  assert.ok(runs > 0);
  await assert.rejects(model.predict('The capital of France is <mask>.', 'Paris'), /the model was closed/);
});
