// `kn find` reads the file's @method, @quadrature, @device and @weights (as the language server does: one
// settings function, engine/src/method), and flags still win over directives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { coarseNeurons, loadModel } from '../../engine/src/index';
import { fixture, repoRoot } from '../helpers';
import { tempDir } from '../synthetic';

const kn = (...args: string[]) => spawnSync(process.execPath, [path.join(repoRoot(), 'out/engine/src/cli/main.js'), ...args], { encoding: 'utf8' });

test('kn find honours @method, @quadrature and @device', async () => {
  const bert = fixture('bert-tiny-facts');
  const dir = tempDir('find-directives');
  const file = path.join(dir, 'f.prompts');
  const prompts = ['The capital of France is <mask>.', '<mask> is the capital of France.'];
  fs.writeFileSync(
    file,
    [
      '@version 1',
      `@model ${bert}`,
      '@method activation',
      '@quadrature midpoint',
      '@device cpu',
      '@steps 4',
      'fact capital -> Paris',
      ...prompts.map((p) => `  ${p}`),
      '',
    ].join('\n'),
  );
  const r = kn('find', file, '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { settings: Record<string, unknown>; facts: Array<{ prompts: Array<{ text: string; coarse: Array<[number, number]> }> }> };
  assert.deepEqual([j.settings.method, j.settings.quadrature, j.settings.device, j.settings.steps], ['activation', 'midpoint', 'cpu', 4]);
  // the coarse neurons are those of the directives' method, as the engine computes them
  const model = await loadModel(bert, { device: 'cpu' });
  for (const p of j.facts[0].prompts) {
    const s = await model.scores(p.text, 'Paris', { method: 'activation', quadrature: 'midpoint', steps: 4 });
    assert.deepEqual(
      p.coarse,
      coarseNeurons(s.scores, { kind: 'adaptive', value: 0.3 }).map((n) => [n.layer, n.index]),
      p.text,
    );
  }
  await model.dispose();
  const flags = JSON.parse(kn('find', file, '--json', '--method', 'ig', '--steps', '3').stdout) as { settings: Record<string, unknown> };
  assert.deepEqual([flags.settings.method, flags.settings.quadrature, flags.settings.steps], ['ig', 'midpoint', 3]);
});

test('kn find honours @weights (the flag wins); a bad value is an error at file:line:column; a results file keeps the storage it was made with', async () => {
  const bert = fixture('bert-tiny-facts');
  const dir = tempDir('find-weights');
  const file = path.join(dir, 'w.prompts');
  const text = 'The capital of France is <mask>.';
  const write = (weights: string) =>
    fs.writeFileSync(file, ['@version 1', `@model ${bert}`, `@weights ${weights}`, '@steps 4', 'fact capital -> Paris', `  ${text}`, ''].join('\n'));
  write('int4');
  const bad = kn('find', file, '--json');
  assert.equal(bad.status, 2);
  assert.match(
    bad.stderr,
    new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:10: bad value 'int4' for '@weights': expected 'float32', 'int16' or 'int8'`),
  );
  write('int8');
  type Out = { settings: { weights: string }; facts: Array<{ prompts: Array<{ p_target: number }> }> };
  const p = (o: Out) => o.facts[0].prompts[0].p_target;
  const int8 = JSON.parse(kn('find', file, '--json').stdout) as Out;
  const flag = JSON.parse(kn('find', file, '--json', '--weights', 'float32').stdout) as Out;
  assert.deepEqual([int8.settings.weights, flag.settings.weights], ['int8', 'float32']);
  // the engine's own numbers under each storage
  for (const [out, weights] of [
    [int8, 'int8'],
    [flag, 'float32'],
  ] as const) {
    const model = await loadModel(bert, { device: 'cpu', weights });
    const expected = (await model.predict(text, 'Paris')).p_target;
    await model.dispose();
    assert.ok(Math.abs(p(out) - expected) <= 1e-6 * expected, `${weights}: P ${p(out)} vs the engine's ${expected}`);
  }
  assert.notEqual(p(int8), p(flag));
  // --out: the header names an integer storage, and a run under another is refused rather than mixed in
  const out = path.join(dir, 'r.jsonl');
  assert.equal(kn('find', file, '--out', out).status, 0);
  assert.equal((JSON.parse(fs.readFileSync(out, 'utf8').split('\n')[0]) as { settings: { weights?: string } }).settings.weights, 'int8');
  const mixed = kn('find', file, '--out', out, '--weights', 'float32');
  assert.equal(mixed.status, 2);
  assert.match(mixed.stderr, /holds results of another run .*"weights":"int8"/);
});
