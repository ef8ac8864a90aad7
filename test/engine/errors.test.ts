// Bad input: each case gets a specific message that says what is wrong and where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KnError, loadModel, Model, parseNeurons, refineNeurons, coarseNeurons, quadrature, findFact, METHOD_DEFAULTS } from '../../engine/src/index';
import { Runtime } from '../../engine/src/runtime';
import { fixture } from '../helpers';
import { copyFixture, tempDir } from '../synthetic';

async function rejects(p: Promise<unknown> | (() => unknown), pattern: RegExp) {
  await assert.rejects(
    async () => (typeof p === 'function' ? p() : p),
    (e: Error) => {
      assert.ok(e instanceof KnError || e.name === 'KnError', `a KnError, not ${e.name}: ${e.message}`);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('model folder errors name the file and the problem', async () => {
  const empty = tempDir('empty');
  await rejects(loadModel(empty), /config\.json is missing/);

  const unknown = copyFixture('bert-tiny-facts');
  const cfg = JSON.parse(fs.readFileSync(path.join(unknown, 'config.json'), 'utf8'));
  fs.writeFileSync(path.join(unknown, 'config.json'), JSON.stringify({ ...cfg, architectures: ['T5ForConditionalGeneration'] }));
  await rejects(loadModel(unknown), /architecture "T5ForConditionalGeneration" is not supported; supported: BertForMaskedLM, XLMRobertaForMaskedLM/);

  const truncated = copyFixture('bert-tiny-facts');
  const st = path.join(truncated, 'model.safetensors');
  fs.truncateSync(st, fs.statSync(st).size - 1000);
  await rejects(
    loadModel(truncated),
    /model\.safetensors: not a valid safetensors file: tensor '.*' ends at byte \d+ of the data section, which has only \d+ bytes: the file is truncated/,
  );

  const badHeader = copyFixture('bert-tiny-facts');
  const buf = fs.readFileSync(path.join(badHeader, 'model.safetensors'));
  buf.writeBigUInt64LE(BigInt(buf.length * 2), 0);
  fs.writeFileSync(path.join(badHeader, 'model.safetensors'), buf);
  await rejects(loadModel(badHeader), /header length \d+ exceeds the file/);

  const badShape = copyFixture('bert-tiny-facts');
  const b2 = fs.readFileSync(path.join(badShape, 'model.safetensors'));
  const n = Number(b2.readBigUInt64LE(0));
  const header = b2
    .subarray(8, 8 + n)
    .toString()
    .replace('"shape":[807,128]', '"shape":[808,128]');
  fs.writeFileSync(path.join(badShape, 'model.safetensors'), Buffer.concat([b2.subarray(0, 8), Buffer.from(header), b2.subarray(8 + n)]));
  await rejects(loadModel(badShape), /tensor 'bert\.embeddings\.word_embeddings\.weight' has 413184 bytes but dtype F32 × shape \[808,128\] needs 413696/);

  const pickle = tempDir('pickle');
  fs.copyFileSync(fixture('bert-tiny-facts/config.json'), path.join(pickle, 'config.json'));
  fs.writeFileSync(path.join(pickle, 'pytorch_model.bin'), 'not loaded');
  await rejects(loadModel(pickle), /only pickle weights \(pytorch_model\.bin\), which are refused: loading pickle can execute arbitrary code/);

  const noMask = copyFixture('bert-tiny-facts');
  const tc = JSON.parse(fs.readFileSync(path.join(noMask, 'tokenizer_config.json'), 'utf8'));
  delete tc.mask_token;
  fs.writeFileSync(path.join(noMask, 'tokenizer_config.json'), JSON.stringify(tc));
  await rejects(loadModel(noMask), /the tokenizer has no mask token, which a masked language model needs/);
});

test('a missing tensor is named when the model runs', async () => {
  const dir = copyFixture('bert-tiny-facts');
  const st = path.join(dir, 'model.safetensors');
  const b = fs.readFileSync(st);
  const n = Number(b.readBigUInt64LE(0));
  const header = JSON.parse(b.subarray(8, 8 + n).toString());
  // Rename the tensor: the file stays valid, the model lacks the name it needs.
  header['renamed.cls.predictions.bias'] = header['cls.predictions.bias'];
  delete header['cls.predictions.bias'];
  let json = JSON.stringify(header);
  while (json.length % 8) json += ' ';
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  fs.writeFileSync(st, Buffer.concat([len, Buffer.from(json), b.subarray(8 + n)]));
  const model = await loadModel(dir, { device: 'cpu' });
  await rejects(model.predict('The capital of France is <mask>.', 'Paris'), /tensor 'cls\.predictions\.bias' is missing from the model's weights/);
});

test('prompt and answer errors', async () => {
  const bert = await loadModel(fixture('bert-tiny-facts'), { device: 'cpu' });
  await rejects(bert.predict('The capital of France is Paris.', 'Paris'), /the prompt has no <mask>/);
  await rejects(bert.predict('<mask> is the capital of <mask>.', 'Paris'), /the prompt has 2 <mask> tokens; write exactly one/);
  await rejects(bert.predict(`${'word '.repeat(200)}<mask>`, 'Paris'), /the prompt is \d+ tokens long, longer than the model's 128 positions/);
  await rejects(bert.predict('The capital of France is <mask>.', '  '), /the answer is empty/);
  await rejects(bert.predict('The capital of France is <mask>.', '☃'), /the answer '☃' is unknown to the model's vocabulary/);
  await rejects(
    bert.intervene('The capital of France is <mask>.', 'Paris', [{ layer: 4, index: 0 }], { mode: 'suppress' }),
    /layer 4 is out of range \(the model has layers 0–3\)/,
  );
  await rejects(
    bert.intervene('The capital of France is <mask>.', 'Paris', [{ layer: 0, index: 512 }], { mode: 'suppress' }),
    /index 512 is out of range \(layers have neurons 0–511\)/,
  );
  await rejects(bert.scores('The capital of France is <mask>.', 'Paris', { steps: 1 }), /steps must be an integer from 2 to 1000 \(got 1\)/);
  const gpt = await loadModel(fixture('gpt2-tiny-facts'), { device: 'cpu' });
  await rejects(gpt.predict('The <mask> of France is', 'capital'), /a causal model predicts what follows the prompt: <mask> may only stand at its end/);
  await bert.dispose();
  await gpt.dispose();
});

test('method settings are checked', async () => {
  await rejects(() => refineNeurons([], 1), /p must be within \[0, 1\) \(got 1\)/);
  await rejects(() => refineNeurons([], -0.1), /p must be within \[0, 1\)/);
  await rejects(() => quadrature('reference', 1), /steps must be an integer from 2 to 1000/);
  await rejects(() => coarseNeurons([[1]], { kind: 'percentile', value: 120 }), /percentile must be within \[0, 100\]/);
  await rejects(() => parseNeurons('3:5,x', 4, 512), /'x' is not a neuron; write LAYER:INDEX/);
  const bert = await loadModel(fixture('bert-tiny-facts'), { device: 'cpu' });
  const mixed = {
    name: 'mixed',
    answers: { en: 'Paris' },
    prompts: [
      { text: 'The capital of France is <mask>.', lang: 'en', answer: 'Paris', negative: false },
      { text: 'The capital of Germany is <mask>.', lang: 'en', answer: 'Berlin', negative: false },
    ],
  };
  await rejects(findFact(bert as Model, mixed, METHOD_DEFAULTS), /group 'en' of fact 'mixed' mixes answers \(Paris, Berlin\)/);
  await bert.dispose();
});

test('CUDA: an error under device "cuda", a logged fallback to CPU under "auto"', async () => {
  // This machine has no CUDA provider files; where it has, the test checks the success path instead.
  const logs: string[] = [];
  const auto = await Runtime.open({ device: 'auto', log: (m) => logs.push(m) });
  if (auto.device === 'cuda') {
    assert.equal((await Runtime.open({ device: 'cuda' })).device, 'cuda');
    return;
  }
  assert.equal(auto.device, 'cpu');
  assert.match(logs.join('\n'), /CUDA unavailable \(.+\); using CPU/);
  await rejects(Runtime.open({ device: 'cuda' }), /CUDA was requested but is not available: .*ONNXRUNTIME_NODE_INSTALL=cuda12/);
});

test('WebGPU: only on request; without an adapter, an error that says what it needs', async () => {
  assert.notEqual((await Runtime.open({ device: 'auto' })).device, 'webgpu');
  let available = true;
  try {
    await Runtime.open({ device: 'webgpu' });
  } catch (e) {
    available = false;
    assert.ok(e instanceof KnError);
    assert.match((e as Error).message, /WebGPU was requested but is not available: .+Vulkan loader \(libvulkan\.so\.1\); or use --device cpu/);
  }
  if (!available) return;
  // A GPU, or a software Vulkan driver: the scores are the CPU's up to float32 rounding.
  const prompt = 'The capital of France is <mask>.';
  const scores = async (device: 'cpu' | 'webgpu') => {
    const m = await loadModel(fixture('bert-tiny-facts'), { device });
    const s = (await m.scores(prompt, 'Paris', { steps: 8 })).scores.flat();
    await m.dispose();
    return s;
  };
  const [cpu, gpu] = [await scores('cpu'), await scores('webgpu')];
  const max = Math.max(...cpu.map(Math.abs));
  cpu.forEach((x, i) => assert.ok(Math.abs(gpu[i] - x) <= 1e-3 * max, `neuron ${i}: WebGPU ${gpu[i]} vs CPU ${x}`));
});

test('an integrated-gradients run that cannot fit memory is refused with its numbers; one that can runs in chunks of steps, with the same scores', async () => {
  const { igRunBytes } = await import('../../engine/src/model/memory');
  const prompt = 'The capital of France is <mask>.';
  const probe = await loadModel(fixture('bert-tiny-facts'), { device: 'cpu' });
  const T = probe.encode(prompt, 'Paris').ids.length;
  const need = (steps: number, layers = 1) => igRunBytes(probe.config, T, steps, 0, layers - 1);
  const whole = await probe.scores(prompt, 'Paris', { steps: 200 });
  await probe.dispose();
  // Not even one layer of one step fits: refused, with the numbers.
  const tiny = await loadModel(fixture('bert-tiny-facts'), { device: 'cpu', memoryBytes: need(1) / 2 });
  try {
    await rejects(
      tiny.scores(prompt, 'Paris', { steps: 20 }),
      /integrated gradients on a (\d+)-token prompt need [\d.]+ [KMG]?B in one run \(one layer, one step: 2 rows of \1 tokens\), more than the [\d.]+ [KMG]?B of memory here/,
    );
  } finally {
    await tiny.dispose();
  }
  // 200 steps of all layers need more than this limit: they run in chunks, and add up to the same scores.
  const limit = need(200, probe.config.layers) / 4;
  assert.ok(need(20, probe.config.layers) < limit);
  const bert = await loadModel(fixture('bert-tiny-facts'), { device: 'cpu', memoryBytes: limit });
  try {
    const chunked = await bert.scores(prompt, 'Paris', { steps: 200 });
    const max = Math.max(...whole.scores.flat().map(Math.abs));
    let worst = 0;
    whole.scores.forEach((row, l) => row.forEach((x, i) => (worst = Math.max(worst, Math.abs(chunked.scores[l][i] - x)))));
    assert.ok(worst <= 1e-6 * max, `chunked scores differ by ${worst} (max ${max})`);
    assert.equal(chunked.p_target, whole.p_target);
  } finally {
    await bert.dispose();
  }
});
