// A model's sessions over its life. Disposed while its integrated gradients run (an editor closing, a
// language server shutting down mid-attribution): the job stops before its next run, and no session
// is released while it runs (ONNX Runtime would abort the process). Kept between jobs: an editor's
// prediction does not evict the session its next attribution needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../engine/src/index';
import { CompiledGraph } from '../../engine/src/runtime';
import { fixture } from '../helpers';

test('dispose during an attribution waits for the run in progress; the job stops with an error', async () => {
  const model = await loadModel(fixture('bert-tiny-facts'), { device: 'cpu' });
  // Two rows a run: hundreds of runs, so the dispose comes in the middle.
  const job = model.scores('The capital of France is <mask>.', 'Paris', { steps: 600, batchSize: 3 });
  job.catch(() => undefined);
  await new Promise((r) => setTimeout(r, 100));
  await model.dispose();
  await assert.rejects(job, /the model was closed/);
  await assert.rejects(model.predict('The capital of France is <mask>.', 'Paris'), /the model was closed/);
});

test('keepSessions: a prediction between two attributions does not evict the integrated-gradient session', async () => {
  const sessions = async (keepSessions: number) => {
    // A memory this small leaves room for one session at a time, as bert-base's weights do on a real machine.
    const model = await loadModel(fixture('bert-tiny-facts'), { device: 'cpu', memoryBytes: 2e6, keepSessions });
    const created = CompiledGraph.create;
    let n = 0;
    CompiledGraph.create = (...args: Parameters<typeof created>) => (n++, created(...args));
    try {
      await model.scores('The capital of France is <mask>.', 'Paris', { steps: 4 });
      await model.predict('Everyone knows that the capital of Germany is <mask>.', 'Berlin');
      await model.scores('Everyone knows that the capital of Germany is <mask>.', 'Berlin', { steps: 4 });
    } finally {
      CompiledGraph.create = created;
      await model.dispose();
    }
    return n;
  };
  assert.equal(await sessions(1), 3, 'one session at a time: the second attribution builds its session again');
  assert.equal(await sessions(2), 2, 'two kept: the attribution session is reused');
});
