// `kn find` reads the file's @method, @quadrature and @device (as the language server does: one
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
