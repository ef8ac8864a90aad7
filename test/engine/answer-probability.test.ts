// A multi-token answer's probabilities, named: p_target (the first token's) and p_joint (every token's,
// each at its own position), in `kn predict`, `kn scores` and `kn find`, checked against forward runs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../engine/src';
import type { Model } from '../../engine/src/model/model';
import { fixture, repoRoot } from '../helpers';
import { tempDir } from '../synthetic';

const kn = (...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(repoRoot(), 'out/engine/src/cli/main.js'), ...args, '--device', 'cpu'], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const models: Model[] = [];
after(async () => {
  for (const m of models) await m.dispose();
});

/** Each answer token's probability from one plain forward run (masked: all masks at once; causal: teacher forcing). */
async function tokenProbabilities(model: Model, prompt: string, target: string): Promise<number[]> {
  const enc = model.encode(prompt, target);
  const V = model.config.vocab;
  const ones = new Float32Array(model.config.layers * model.config.ffn).fill(1);
  const causal = model.config.kind === 'causal';
  const ids = causal ? [...enc.ids, ...enc.answerIds.slice(0, -1)] : enc.ids;
  const { probs } = await model.runForward(ids, enc.positions[0], ones);
  return enc.answerIds.map((id, j) => probs[(causal ? enc.positions[0] + j : enc.positions[j]) * V + id]);
}

const CASES = [
  { model: 'bert-tiny-facts', prompt: 'The capital of Argentina is <mask>.', target: 'Buenos Aires' },
  { model: 'gpt2-tiny-facts', prompt: 'The capital of France is', target: 'Paris and Berlin' },
];

for (const c of CASES) {
  test(`${c.model}: p_target is the first token's probability and p_joint the product over every token`, async () => {
    const model = await loadModel(fixture(c.model), { device: 'cpu' });
    models.push(model);
    const probs = await tokenProbabilities(model, c.prompt, c.target);
    assert.ok(probs.length > 1, `${c.target} should be several tokens`);
    const joint = probs.reduce((a, b) => a * b, 1);
    const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(b), 1e-30) + 1e-12, `${what}: ${a} vs ${b}`);

    const p = kn('predict', '--model', fixture(c.model), '--target', c.target, '--json', c.prompt);
    assert.equal(p.code, 0, p.err);
    const pj = JSON.parse(p.out);
    close(pj.p_target, probs[0], 'predict p_target');
    close(pj.p_joint, joint, 'predict p_joint');
    assert.notEqual(pj.p_joint, pj.p_target);

    // Integrated gradients run one graph per answer token; its α = 1 row gives the same probabilities.
    const s = kn('scores', '--model', fixture(c.model), '--target', c.target, '--steps', '2', '--json', c.prompt);
    assert.equal(s.code, 0, s.err);
    const sj = JSON.parse(s.out);
    close(sj.p_target, probs[0], 'scores p_target');
    close(sj.p_joint, joint, 'scores p_joint');

    const text = kn('predict', '--model', fixture(c.model), '--target', c.target, c.prompt);
    assert.ok(text.out.startsWith(`P(${c.target}) = ${joint.toFixed(4)} (joint over its tokens; first token ${probs[0].toFixed(4)})`), text.out);

    const dir = tempDir('joint');
    const file = path.join(dir, 'f.prompts');
    const prompt = model.config.kind === 'causal' ? `${c.prompt} <mask>` : c.prompt;
    fs.writeFileSync(file, `@steps 2\nfact multi -> ${c.target}\n  ${prompt}\n`);
    const f = kn('find', file, '--model', fixture(c.model), '--json');
    assert.equal(f.code, 0, f.err);
    const fp = JSON.parse(f.out).facts[0].prompts[0];
    close(fp.p_target, probs[0], 'find p_target');
    close(fp.p_joint, joint, 'find p_joint');
  });
}

for (const c of CASES)
  test(`${c.model}: suppress and enhance in one run give intervene's effects for a multi-token answer`, async () => {
    const model = await loadModel(fixture(c.model), { device: 'cpu' });
    models.push(model);
    const neurons = [
      { layer: 0, index: 1 },
      { layer: model.config.layers - 1, index: 3 },
    ];
    const both = await model.suppressAndEnhance(c.prompt, c.target, neurons, 2);
    const sup = await model.intervene(c.prompt, c.target, neurons, { mode: 'suppress' });
    const enh = await model.intervene(c.prompt, c.target, neurons, { mode: 'enhance', factor: 2 });
    const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(b), 1e-12) + 1e-9, `${what}: ${a} vs ${b}`);
    close(both.before.p_target, sup.before.p_target, 'before');
    close(both.suppressed.p_target, sup.after.p_target, 'suppressed');
    close(both.enhanced.p_target, enh.after.p_target, 'enhanced');
    assert.notEqual(sup.after.p_target, sup.before.p_target);
  });
