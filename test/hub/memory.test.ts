import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HubError, checkMemory, countParams, estimateMemory, formatBytes } from '../../engine/src/hub';
import { fixturesDir } from './fakeHub';

const FIX = fixturesDir();
const GiB = 1024 ** 3;

/** Parameters actually stored in a safetensors file (tied LM heads are not stored). */
function storedParams(file: string): number {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  let total = 0;
  for (const [k, v] of Object.entries<any>(header)) {
    if (k === '__metadata__' || (/\.(attn\.)?(masked_)?bias$/.test(k) && v.shape.length === 4)) continue; // GPT-2's causal mask buffers, if saved
    total += v.shape.reduce((a: number, b: number) => a * b, 1);
  }
  return total;
}

const XLMR_XXL = {
  model_type: 'xlm-roberta',
  hidden_size: 4096,
  num_hidden_layers: 48,
  intermediate_size: 16384,
  vocab_size: 250880,
  max_position_embeddings: 514,
  num_attention_heads: 32,
  type_vocab_size: 1,
};

describe('estimateMemory', () => {
  for (const name of ['bert-tiny-facts', 'xlmr-tiny-facts', 'gpt2-tiny-facts', 'llama-stories260k']) {
    test(`parameter count matches the stored tensors of ${name} within 1 %`, (t) => {
      const dir = path.join(FIX, name);
      if (!fs.existsSync(dir)) return t.skip(`${dir} missing`);
      const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
      const stored = storedParams(path.join(dir, 'model.safetensors'));
      const est = countParams(config);
      assert.ok(Math.abs(est - stored) / stored < 0.01, `${name}: estimated ${est}, stored ${stored}`);
      const m = estimateMemory(config, { batchRows: 20, seqLen: 16 });
      assert.equal(m.weightsBytes, est * 4);
      assert.ok(m.activationBytes > 0);
      assert.equal(m.totalBytes, m.weightsBytes + m.activationBytes + m.overheadBytes);
    });
  }

  test('GPT-2 names (n_embd, n_layer, n_inner null = 4 × n_embd) and dtype bytes', () => {
    const gpt2 = { model_type: 'gpt2', n_embd: 768, n_layer: 12, n_head: 12, n_inner: null, n_positions: 1024, vocab_size: 50257 };
    const p = countParams(gpt2);
    assert.ok(Math.abs(p - 124.44e6) / 124.44e6 < 0.01, `gpt2 params ${p}`); // GPT-2 small: 124M
    assert.equal(estimateMemory(gpt2, { batchRows: 1, seqLen: 8, dtypeBytes: 2 }).weightsBytes, p * 2);
  });

  test('Llama style (GQA, gated MLP, untied head): Llama-2-7B has 6.74 B parameters', () => {
    const llama = {
      model_type: 'llama',
      hidden_size: 4096,
      num_hidden_layers: 32,
      intermediate_size: 11008,
      num_attention_heads: 32,
      num_key_value_heads: 32,
      vocab_size: 32000,
      max_position_embeddings: 4096,
      tie_word_embeddings: false,
    };
    const p = countParams(llama);
    assert.ok(Math.abs(p - 6.738e9) / 6.738e9 < 0.01, `llama params ${p}`);
  });

  test('activations grow with rows and sequence length', () => {
    const a = estimateMemory(XLMR_XXL, { batchRows: 10, seqLen: 16 });
    const b = estimateMemory(XLMR_XXL, { batchRows: 20, seqLen: 16 });
    const c = estimateMemory(XLMR_XXL, { batchRows: 20, seqLen: 64 });
    assert.ok(Math.abs(b.activationBytes / a.activationBytes - 2) < 1e-9);
    assert.ok(c.activationBytes > 4 * b.activationBytes * 0.99);
    assert.equal(a.weightsBytes, b.weightsBytes);
  });
});

describe('checkMemory', () => {
  test('refuses xlm-roberta-xxl on a 24 GB machine with a clear sentence', () => {
    const est = estimateMemory(XLMR_XXL, { batchRows: 20, seqLen: 16 });
    assert.equal(formatBytes(est.weightsBytes), '39.9 GB');
    assert.throws(
      () => checkMemory(est, { ramBytes: 24 * GiB }, 'xlm-roberta-xxl'),
      (e: unknown) => {
        assert.ok(e instanceof HubError && e.code === 'MEMORY');
        assert.match(
          e.message,
          /^xlm-roberta-xxl needs about \d+\.\d GB \(weights 39\.9 GB \+ activations \d+\.\d GB \+ runtime \d+\.\d GB\) but this machine has 24\.0 GB\./,
        );
        return true;
      },
    );
  });

  test('accepts what fits; suggests a smaller batch when only the activations overflow; checks the GPU when given', () => {
    const small = estimateMemory(JSON.parse(fs.readFileSync(path.join(FIX, 'bert-tiny-facts', 'config.json'), 'utf8')), { batchRows: 20, seqLen: 16 });
    checkMemory(small, { ramBytes: 8 * GiB }, 'bert-tiny-facts');
    const big = estimateMemory(XLMR_XXL, { batchRows: 400, seqLen: 128 });
    assert.throws(() => checkMemory(big, { ramBytes: big.weightsBytes + 2 * GiB + big.overheadBytes }, 'xxl'), /smaller batch/);
    assert.throws(() => checkMemory(big, { ramBytes: 1024 * GiB, gpuBytes: 80 * GiB }, 'xxl'), /but this GPU has 80\.0 GB/);
    const est = estimateMemory(XLMR_XXL, { batchRows: 1, seqLen: 8 });
    checkMemory(est, { ramBytes: 64 * GiB, gpuBytes: 80 * GiB }, 'xxl');
    assert.throws(() => checkMemory(est, { ramBytes: 16 * GiB, gpuBytes: 80 * GiB }, 'xxl'), /but this machine has 16\.0 GB/);
  });
});
