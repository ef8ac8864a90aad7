// The `kn` command line: the --json contracts, human output, exit codes (0 ok, 1 usage, 2 bad input).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixture, repoRoot } from '../helpers';
import { tempDir } from '../synthetic';

const kn = (...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(repoRoot(), 'out/engine/src/cli/main.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const bert = fixture('bert-tiny-facts');

test('kn predict --json prints exactly the contract object, matching the reference', () => {
  const ref = JSON.parse(fs.readFileSync(fixture('bert-tiny-facts/reference.json'), 'utf8')).facts[0].prompts[0];
  const r = kn('predict', '--model', bert, '--target', 'Paris', '--device', 'cpu', '--json', ref.text.replace('[MASK]', '<mask>'));
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim().split('\n').length, 1);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['prompt', 'target', 'target_ids', 'input_ids', 'position', 'p_target', 'p_joint', 'top_k']);
  assert.deepEqual(j.input_ids, ref.input_ids);
  assert.equal(j.position, ref.position);
  assert.ok(Math.abs(j.p_target - ref.p_target) < 1e-5);
  assert.deepEqual(Object.keys(j.top_k[0]), ['id', 'token', 'p']);
});

test('kn scores --json has the contract keys and timing', () => {
  const r = kn('scores', '--model', bert, '--target', 'Paris', '--steps', '4', '--device', 'cpu', '--json', 'The capital of France is <mask>.');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j).sort(), ['layers', 'neurons', 'p_joint', 'p_target', 'prompt', 'scores', 'target', 'timing']);
  assert.equal(j.scores.length, 4);
  assert.equal(j.scores[0].length, 512);
  assert.ok(j.timing.load_ms > 0 && j.timing.compute_ms > 0);
});

test('kn find on a .prompts file gives refined, per-group and shared neurons with effects', () => {
  const dir = tempDir('find');
  const file = path.join(dir, 'f.prompts');
  fs.writeFileSync(
    file,
    `@model ${bert}\n@steps 4\nfact capital-of-france -> Paris\n  [en] The capital of France is <mask>.\n  [en] <mask> is the capital of France.\n  [fr] La capitale de la France est <mask>.\n`,
  );
  const r = kn('find', file, '--device', 'cpu', '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  const f = j.facts[0];
  assert.equal(f.name, 'capital-of-france');
  assert.deepEqual(Object.keys(f.groups).sort(), ['all', 'en', 'fr']);
  assert.equal(f.prompts.length, 3);
  assert.ok(f.prompts.every((p: any) => Array.isArray(p.coarse) && p.p_target > 0.5));
  assert.ok(f.refined.length > 0);
  assert.equal(f.effects.length, 3);
  assert.match(r.err, /\[3\/3\] capital-of-france/);
  const human = kn('find', file, '--device', 'cpu');
  assert.match(human.out, /fact capital-of-france -> Paris\n  refined: L\d·\d+/);
});

test('exit codes: 1 for usage, 2 for bad input, with the place of a .prompts error', () => {
  assert.equal(kn('frobnicate').code, 1);
  assert.equal(kn('predict', '--model', bert, 'no target <mask>').code, 1);
  const two = kn('find', 'x.prompts', '--threshold', '0.1', '--percentile', '90');
  assert.equal(two.code, 2); // the file is missing: bad input comes first
  const dir = tempDir('bad');
  const file = path.join(dir, 'bad.prompts');
  fs.writeFileSync(file, `@model ${bert}\nfact f -> Paris\n  The capital of <mask> is <mask>.\n`);
  const bad = kn('find', file, '--device', 'cpu');
  assert.equal(bad.code, 2);
  assert.match(bad.err, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: `));
  const thresholds = kn('find', file, '--threshold', '0.1', '--percentile', '90', '--device', 'cpu');
  assert.equal(thresholds.code, 1);
  assert.match(thresholds.err, /give one of --adaptive-threshold, --threshold and --percentile, not several/);
  const neuron = kn('suppress', '--model', bert, '--target', 'Paris', '--neurons', '9:1', '--device', 'cpu', 'The capital of France is <mask>.');
  assert.equal(neuron.code, 2);
  assert.match(neuron.err, /layer 9 is out of range/);
});

test('kn suppress / enhance / erase / edit report before and after', () => {
  const args = ['--model', bert, '--target', 'Paris', '--neurons', '2:43,2:70,3:51,3:469', '--device', 'cpu', '--json', 'The capital of France is <mask>.'];
  for (const cmd of ['suppress', 'enhance', 'erase']) {
    const r = kn(cmd, ...args);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.ok(j.before.p_target > 0.99 && typeof j.after.p_target === 'number' && j.after.argmax.token, cmd);
  }
  const edit = JSON.parse(kn('edit', ...args, '--new-target', 'Berlin').out);
  assert.ok(edit.after.p_target !== edit.before.p_target, 'the edit changes the prediction');
  assert.ok(edit.p_new_target.before > 0 && edit.p_new_target.after > 0);
});

test('kn import converts PARAREL json into .prompts', () => {
  const dir = tempDir('import');
  const file = path.join(dir, 'pararel.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      u1: { sentences: ['The capital of France is [MASK].', '[MASK] is the capital of France.'], relation_name: 'capital', obj_label: 'Paris' },
    }),
  );
  const r = kn('import', file);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /-> Paris/);
  assert.match(r.out, /The capital of France is <mask>\./);
});
