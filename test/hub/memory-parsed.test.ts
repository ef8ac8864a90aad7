// The memory check measures the configuration the model is built from (issue 19, item 7): keys the
// builder ignores cannot shrink the estimate, and GPT-Neo's attention_types is counted, not expanded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HubError, checkMemory, countParams, estimateMemory } from '../../engine/src/hub';
import { KnError, loadModel } from '../../engine/src/index';
import { repoRoot } from '../helpers';

const GiB = 1024 ** 3;
const PARITY = path.join(repoRoot(), 'test', 'parity');

/** Parameters stored in a safetensors file. */
function storedParams(file: string): number {
  const buf = fs.readFileSync(file);
  const header = JSON.parse(buf.subarray(8, 8 + Number(buf.readBigUInt64LE(0))).toString('utf8'));
  return Object.entries<any>(header).reduce((n, [k, v]) => (k === '__metadata__' ? n : n + v.shape.reduce((a: number, b: number) => a * b, 1)), 0);
}

/** GPT-3 175B's sizes under GPT-2's names, with BERT-style keys that the GPT-2 builder never reads. */
const GPT2_175B = {
  architectures: ['GPT2LMHeadModel'],
  model_type: 'gpt2',
  n_embd: 12288,
  n_layer: 96,
  n_head: 96,
  n_positions: 2048,
  vocab_size: 50257,
  hidden_size: 64,
  num_hidden_layers: 1,
};

test('GPT-2: estimated from n_embd / n_layer even when hidden_size / num_hidden_layers say otherwise', () => {
  const est = estimateMemory(GPT2_175B, { batchRows: 20, seqLen: 16 });
  assert.ok(Math.abs(est.params - 175e9) / 175e9 < 0.02, `params ${est.params}`);
  assert.throws(
    () => checkMemory(est, { ramBytes: 24 * GiB }, 'gpt2-175b'),
    (e: unknown) => e instanceof HubError && e.code === 'MEMORY' && /needs about 7\d\d\.\d GB \(weights 65\d\.\d GB/.test(e.message),
  );
});

test('GPT-Neo: num_layers counts, not num_hidden_layers', () => {
  const neo = {
    architectures: ['GPTNeoForCausalLM'],
    hidden_size: 4096,
    num_layers: 64,
    num_hidden_layers: 1,
    num_heads: 32,
    vocab_size: 50257,
    max_position_embeddings: 2048,
    attention_types: [[['global', 'local'], 32]],
  };
  assert.ok(countParams(neo) > 12e9, `params ${countParams(neo)}`);
  assert.throws(() => checkMemory(estimateMemory(neo, { batchRows: 20, seqLen: 16 }), { ramBytes: 24 * GiB }, 'neo'), /needs about/);
});

test('GPT-Neo: attention_types repeat counts that disagree with num_layers are refused before anything is expanded', () => {
  const bomb = {
    architectures: ['GPTNeoForCausalLM'],
    hidden_size: 64,
    num_layers: 2,
    num_heads: 4,
    vocab_size: 100,
    max_position_embeddings: 64,
    attention_types: [[['global', 'local'], 1e12]],
  };
  const started = Date.now();
  assert.throws(
    () => estimateMemory(bomb, { batchRows: 20, seqLen: 16 }),
    (e: unknown) => e instanceof KnError && /attention_types describes 2000000000000 layers but num_layers is 2/.test((e as Error).message),
  );
  assert.ok(Date.now() - started < 1000);
});

test('loadModel refuses a GPT-2 folder whose n_embd / n_layer do not fit, before reading weights', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-mem-'));
  try {
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(GPT2_175B));
    // No weights at all: the refusal must come from the estimate, before anything else is read.
    await assert.rejects(
      loadModel(dir, { device: 'cpu' }),
      (e: unknown) => e instanceof HubError && e.code === 'MEMORY' && /needs about/.test((e as Error).message),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const arch of fs.readdirSync(PARITY).filter((d) => fs.existsSync(path.join(PARITY, d, 'config.json')))) {
  test(`parameter count of the parsed ${arch} configuration is within 3 % of its stored tensors`, () => {
    const config = JSON.parse(fs.readFileSync(path.join(PARITY, arch, 'config.json'), 'utf8'));
    const stored = storedParams(path.join(PARITY, arch, 'model.safetensors'));
    // Tied heads are not stored twice but transformers ≥ 5 may store both names; count what the model uses.
    const est = countParams(config);
    assert.ok(Math.abs(est - stored) / stored < 0.03, `${arch}: estimated ${est}, stored ${stored}`);
  });
}

/** Llama-3.1-8B's sizes (transformers' documented config): 8.0 B parameters, 29.9 GB in float32, 7.5 GB in int8. */
const LLAMA_8B = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 4096,
  intermediate_size: 14336,
  num_hidden_layers: 32,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  head_dim: 128,
  vocab_size: 128256,
  max_position_embeddings: 131072,
  rms_norm_eps: 1e-5,
  rope_theta: 500000.0,
  rope_scaling: { factor: 8.0, high_freq_factor: 4.0, low_freq_factor: 1.0, original_max_position_embeddings: 8192, rope_type: 'llama3' },
  tie_word_embeddings: false,
  hidden_act: 'silu',
  torch_dtype: 'bfloat16',
};

test('a Llama-3.1-8B-sized config is refused before loading on 24 GB with the numbers and the smaller storages; with --weights int16 or int8 it passes the check', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-mem-'));
  try {
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(LLAMA_8B));
    assert.ok(Math.abs(countParams(LLAMA_8B) - 8.03e9) / 8.03e9 < 0.01, `params ${countParams(LLAMA_8B)}`);
    // No weights at all: what is refused is refused from config.json alone.
    await assert.rejects(loadModel(dir, { device: 'cpu', ramBytes: 24 * GiB }), (e: unknown) => {
      assert.ok(e instanceof HubError && e.code === 'MEMORY');
      assert.match(
        (e as Error).message,
        /needs about 3\d\.\d GB \(weights 29\.9 GB \+ activations [\d.]+ (GB|MB) \+ runtime [\d.]+ (GB|MB)\) but this machine has 24\.0 GB\. It fits with its weights kept smaller \(README, "Models larger than memory"\): --weights int16 needs about 1\d\.\d GB, --weights int8 needs \d+\.\d GB\./,
      );
      return true;
    });
    // int16 and int8 fit: the load goes on, to the missing weights.
    for (const weights of ['int16', 'int8'] as const)
      await assert.rejects(loadModel(dir, { device: 'cpu', ramBytes: 24 * GiB, weights }), (e: unknown) => {
        assert.ok(!(e instanceof HubError && e.code === 'MEMORY'), (e as Error).message);
        assert.match((e as Error).message, /no model\.safetensors/);
        return true;
      });
    // Too large even in int8 (8 GB of memory): the suggestion is a smaller model, not int8.
    await assert.rejects(
      loadModel(dir, { device: 'cpu', ramBytes: 8 * GiB }),
      /but this machine has 8\.0 GB\. Choose a smaller model or a machine with more memory\./,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
