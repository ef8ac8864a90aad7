// Bad input through the command line: exit 2 and one sentence naming what and where, never exit 3
// with a stack trace, and never exit 0 with a no-op or a NaN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixture, repoRoot } from '../helpers';
import { copyFixture, tempDir } from '../synthetic';

const PROMPT = 'The capital of France is <mask>.';
const bert = fixture('bert-tiny-facts');

function kn(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(repoRoot(), 'out/engine/src/cli/main.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Exit 2, nothing on stdout, one line on stderr matching `pattern`. */
function refused(r: ReturnType<typeof kn>, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit ${r.code}: ${r.err}`);
  assert.equal(r.out, '');
  const lines = r.err.split('\n').filter((l) => l && !l.startsWith('kn: CUDA unavailable'));
  assert.equal(lines.length, 1, r.err);
  assert.doesNotMatch(r.err, /internal error|\n\s+at /);
  assert.match(lines[0], pattern);
}

const predict = (model: string, ...more: string[]) => kn('predict', '--model', model, '--device', 'cpu', '--target', 'Paris', ...more, PROMPT);

function editConfig(edit: (c: any) => unknown): string {
  const dir = copyFixture('bert-tiny-facts');
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify(edit(JSON.parse(fs.readFileSync(file, 'utf8')))));
  return dir;
}

/** A copy of bert-tiny-facts whose tensor `name` has the given header entry and data bytes. */
function editTensor(name: string, dtype: string, shape: number[], data: (bytes: Buffer) => Buffer): string {
  const dir = copyFixture('bert-tiny-facts');
  const file = path.join(dir, 'model.safetensors');
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString());
  const parts: Buffer[] = [];
  let offset = 0;
  const out: Record<string, unknown> = { __metadata__: header.__metadata__ };
  for (const [k, t] of Object.entries<any>(header)) {
    if (k === '__metadata__') continue;
    let bytes: Buffer = buf.subarray(8 + n + t.data_offsets[0], 8 + n + t.data_offsets[1]);
    let entry = { dtype: t.dtype, shape: t.shape };
    if (k === name) {
      bytes = data(bytes);
      entry = { dtype, shape };
    }
    out[k] = { ...entry, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  const h = Buffer.from(JSON.stringify(out));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  fs.writeFileSync(file, Buffer.concat([len, h, ...parts]));
  return dir;
}

test('config.json that is null, lacks sizes, or has sizes no model has', () => {
  refused(predict(editConfig(() => null)), /config\.json: must be a JSON object \(got null\)$/);
  refused(predict(editConfig(() => [1])), /config\.json: must be a JSON object \(got an array\)$/);
  refused(predict(editConfig((c) => ({ ...c, hidden_size: undefined }))), /config\.json: 'hidden_size' is missing or not a positive number$/);
  refused(
    predict(editConfig((c) => ({ ...c, num_attention_heads: 3 }))),
    /config\.json: the head size \(hidden size \/ attention heads\) must be a positive integer \(got 42\.66/,
  );
  refused(predict(editConfig((c) => ({ ...c, num_hidden_layers: 2.5 }))), /config\.json: 'num_hidden_layers' must be a positive integer \(got 2\.5\)$/);
});

test('weights whose shapes do not match config.json (reshape errors)', () => {
  refused(
    predict(editConfig((c) => ({ ...c, hidden_size: 64, num_attention_heads: 2 }))),
    /config\.json: the model's weights do not have the sizes it gives \(.*sizes differ|config\.json: the model's weights do not have the sizes it gives/,
  );
  refused(
    predict(editConfig((c) => ({ ...c, intermediate_size: 500 }))),
    /config\.json: the model's weights do not have the sizes it gives \(reshape \[1,512\] to \[1,500\]: sizes differ\)$/,
  );
});

test('a corrupt tokenizer', () => {
  const truncated = copyFixture('bert-tiny-facts');
  const tok = path.join(truncated, 'tokenizer.json');
  fs.writeFileSync(tok, fs.readFileSync(tok).subarray(0, 1000));
  refused(predict(truncated), /tokenizer\.json: not valid JSON \(/);
  const wrong = copyFixture('bert-tiny-facts');
  fs.writeFileSync(path.join(wrong, 'tokenizer.json'), JSON.stringify({ model: 3 }));
  refused(predict(wrong), /tokenizer\.json: not a usable tokenizer \(/);
  const config = copyFixture('bert-tiny-facts');
  fs.writeFileSync(path.join(config, 'tokenizer_config.json'), '"mask"');
  refused(predict(config), /tokenizer_config\.json: must be a JSON object$/);
});

test('float32 bytes labelled F16 and weights that overflow: an error, not P = NaN', () => {
  const name = 'bert.embeddings.word_embeddings.weight';
  // The first half of the float32 bytes, read as float16 (byte count and shape consistent).
  const labelled = editTensor(name, 'F16', [807, 128], (b) => b.subarray(0, b.length / 2));
  refused(
    predict(labelled),
    /model\.safetensors: tensor 'bert\.embeddings\.word_embeddings\.weight' holds (NaN|-?Infinity) at element \d+; the file is corrupt or its dtype \(F16\)/,
  );
  // Finite weights near float32's limit: the embeddings' layer norm overflows.
  const huge = editTensor(name, 'F32', [807, 128], (b) => {
    const f = new Float32Array(b.length / 4).fill(3e38);
    return Buffer.from(f.buffer);
  });
  refused(predict(huge), /a probability came out as NaN: the computation overflowed float32/);
  refused(kn('scores', '--model', huge, '--device', 'cpu', '--target', 'Paris', '--steps', '2', PROMPT), /came out as NaN/);
});

test('flags out of range: --threads, --top-k, --factor, --neurons, --steps, --batch-size', () => {
  refused(predict(bert, '--threads', '-1'), /^kn: --threads must be an integer from 1 to \d+ \(got -1\)$/);
  const t0 = Date.now();
  refused(predict(bert, '--threads', '100000'), new RegExp(`^kn: --threads must be an integer from 1 to ${os.availableParallelism()} \\(got 100000\\)$`));
  assert.ok(Date.now() - t0 < 30_000);
  refused(predict(bert, '--top-k', '-2'), /^kn: --top-k must be an integer of at least 1 \(got -2\)$/);
  refused(
    kn('enhance', '--model', bert, '--device', 'cpu', '--target', 'Paris', '--neurons', '1:2', '--factor', '-1e308', PROMPT),
    /^kn: --factor must be a number from -1000 to 1000 \(got -1e308\)$/,
  );
  refused(kn('suppress', '--model', bert, '--device', 'cpu', '--target', 'Paris', '--neurons', '', PROMPT), /^kn: --neurons lists no neuron/);
  refused(kn('suppress', '--model', bert, '--device', 'cpu', '--target', 'Paris', '--neurons', ' , ', PROMPT), /^kn: --neurons lists no neuron/);
  refused(
    kn('scores', '--model', bert, '--device', 'cpu', '--target', 'Paris', '--steps', '100000', PROMPT),
    /^kn: --steps must be an integer from 2 to 1000 \(got 100000\)$/,
  );
  refused(
    kn('scores', '--model', bert, '--device', 'cpu', '--target', 'Paris', '--batch-size', '0', PROMPT),
    /^kn: --batch-size must be an integer of at least 1 \(got 0\)$/,
  );
});

test('@steps out of range in a .prompts file: file:line:column', () => {
  const dir = tempDir('steps');
  const file = path.join(dir, 'f.prompts');
  fs.writeFileSync(file, `@model ${bert}\n@steps 100000\nfact f -> Paris\n  ${PROMPT}\n`);
  refused(kn('find', file, '--device', 'cpu'), new RegExp(`^kn: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:8: .*from 2 to 1000`));
});

test('kn export of a missing file, bad JSON, or JSON that is not kn find output', () => {
  const dir = tempDir('export');
  refused(kn('export', path.join(dir, 'missing.json')), /missing\.json: cannot be read \(ENOENT\)$/);
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{"facts": [\n  {"name": 1,}]}');
  refused(kn('export', bad), /bad\.json:2:14: not valid JSON \(/);
  const other = path.join(dir, 'other.json');
  fs.writeFileSync(other, JSON.stringify({ facts: [{ name: 'a', answer: 'b', prompts: [{ text: 'x', lang: '', p_target: 0.5 }], groups: {} }] }));
  refused(kn('export', other), /other\.json: not the output of 'kn find --json': facts\[0\]\.prompts\[0\]\.coarse must be a list of \[layer, index\] pairs$/);
  fs.writeFileSync(other, '[]');
  refused(kn('export', other), /other\.json: not the output of 'kn find --json': it has no facts list$/);
});
