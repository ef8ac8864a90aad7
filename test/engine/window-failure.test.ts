// `kn find` scores a window of facts together. A fact of the window that fails fails alone: its error
// names the prompt's place, the other facts' lines are byte for byte those of a run without it, and
// every prompt of the window is scored and reported once. The failure is planted: a prompt whose
// context word makes the model predict a token whose output embedding is huge, so that its logit
// overflows float32 and its probabilities come out NaN (the other prompts give that token a huge
// negative logit: probability exactly 0, nothing changed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { loadModel } from '../../engine/src/index';
import { METHOD_DEFAULTS } from '../../engine/src/method';
import { planDataset } from '../../engine/src/dataset/plan';
import { runDataset } from '../../engine/src/dataset/run';
import { encodeSafetensors, plantedBert, readSafetensors, tempDir } from '../synthetic';

const FILE = [
  'fact capital-of-france -> paris',
  '  the france is <mask>',
  '  <mask> is in the france',
  'fact place-of-zebra -> paris',
  '  the france of <mask>',
  '  the zebra is <mask>',
  'fact capital-of-germany -> berlin',
  '  the germany is <mask>',
  '  <mask> is in the germany',
  '',
];
const BAD_LINE = 6; // 1-based: the prompt with the context word 'zebra'

/** Planted facts france → paris, germany → berlin, zebra → bomb, with bomb's embedding (tied: the output's too) made huge. */
function overflowingModel(): string {
  const { dir } = plantedBert({
    france: { answer: 'paris', neurons: [3, 7] },
    germany: { answer: 'berlin', neurons: [11, 20] },
    zebra: { answer: 'bomb', neurons: [30] },
  });
  const file = path.join(dir, 'model.safetensors');
  const weights = readSafetensors(file);
  const emb = weights['bert.embeddings.word_embeddings.weight'];
  const H = emb.shape[1];
  const vocab = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')).model.vocab;
  // One-hot rows (4 at the word's own dimension): bomb's becomes 3e38 there, finite but no product by it is.
  emb.data[vocab.bomb * H + vocab.bomb] = 3e38;
  fs.writeFileSync(file, encodeSafetensors(weights));
  return dir;
}

test('a window in which one fact fails: the others are done as without it, the error names its prompt, each prompt is reported once', async () => {
  const model = await loadModel(overflowingModel(), { device: 'cpu' });
  const work = tempDir('window-failure');
  const file = path.join(work, 'window.prompts');
  fs.writeFileSync(file, FILE.join('\n'));
  const plan = planDataset([file], { causal: false, strict: false });
  assert.equal(plan.facts.length, 3);
  const settings = { ...METHOD_DEFAULTS, steps: 3 };

  const progress: string[] = [];
  const stderr = new Writable({
    write(chunk, _enc, done) {
      progress.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const withBad = await runDataset(model, plan, settings, { stderr });
  const without = await runDataset(model, { ...plan, facts: plan.facts.filter((f) => f.name !== 'place-of-zebra') }, settings, { quiet: true });

  const [france, bad, germany] = withBad.lines;
  assert.equal(bad.error?.at, `${file}:${BAD_LINE}:1`, bad.error?.message);
  assert.match(bad.error!.message, /came out as NaN/);
  assert.ok(france.fact && germany.fact, 'the other facts are done');
  assert.deepEqual(
    [france, germany].map((l) => JSON.stringify(l)),
    without.lines.map((l) => JSON.stringify(l)),
  );
  // Each of the window's 6 prompts reported once, none twice.
  const reported = progress.map((l) => /^\[\d+\/\d+\] (.*?)  \(/.exec(l)?.[1]);
  const expected = plan.facts.flatMap((f) => f.input.prompts.map((p) => `${f.name}: ${p.text}`));
  assert.deepEqual([...reported].sort(), [...expected].sort());
  assert.equal(withBad.summary.prompts, 6);
  assert.equal(withBad.summary.failed, 1);
  await model.dispose();
});
