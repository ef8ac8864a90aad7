// Models the tests build themselves: a safetensors writer, a WordPiece tokenizer over a small
// vocabulary, and a BERT whose knowledge neurons are planted by construction.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixture } from './helpers';

export type Tensors = Record<string, { shape: number[]; data: Float32Array; dtype?: 'F32' | 'F16' | 'BF16' }>;

export function encodeSafetensors(tensors: Tensors): Buffer {
  const header: Record<string, unknown> = {};
  const parts: Buffer[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const dtype = t.dtype ?? 'F32';
    const bytes = dtype === 'F32' ? Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength) : toHalf(t.data, dtype);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8) json += ' ';
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, Buffer.from(json), ...parts]);
}

function toHalf(data: Float32Array, dtype: 'F16' | 'BF16'): Buffer {
  const out = Buffer.alloc(data.length * 2);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < data.length; i++) {
    f[0] = data[i];
    const x = u[0];
    if (dtype === 'BF16') out.writeUInt16LE(((x + 0x7fff + ((x >> 16) & 1)) >>> 16) & 0xffff, 2 * i);
    else {
      const sign = (x >>> 16) & 0x8000;
      const e = ((x >>> 23) & 0xff) - 127 + 15;
      const m = x & 0x7fffff;
      let h: number;
      if (e <= 0) h = sign | (Math.round((m | 0x800000) / 2 ** (14 - e)) >> 0);
      else if (e >= 31) h = sign | 0x7c00;
      else h = sign | (e << 10) | Math.round(m / 8192);
      out.writeUInt16LE(h & 0xffff, 2 * i);
    }
  }
  return out;
}

/** Writes float32 tensors one at a time (for files too large to hold in one buffer). */
export function writeSafetensorsStreaming(file: string, specs: { name: string; shape: number[] }[], fill: (name: string, data: Float32Array) => void): void {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const { name, shape } of specs) {
    const bytes = 4 * shape.reduce((a, b) => a * b, 1);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8) json += ' ';
  const fd = fs.openSync(file, 'w');
  try {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    fs.writeSync(fd, len);
    fs.writeSync(fd, json);
    for (const { name, shape } of specs) {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      fill(name, data);
      fs.writeSync(fd, new Uint8Array(data.buffer));
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function readSafetensors(file: string): Tensors {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString());
  const out: Tensors = {};
  for (const [name, t] of Object.entries<any>(header)) {
    if (name === '__metadata__') continue;
    const bytes = buf.subarray(8 + n + t.data_offsets[0], 8 + n + t.data_offsets[1]);
    const data = new Float32Array(bytes.length / 4);
    new Uint8Array(data.buffer).set(bytes);
    out[name] = { shape: t.shape, data };
  }
  return out;
}

/**
 * A BERT folder's neuron card computed directly, in float64, from its safetensors file and
 * tokenizer.json (the weight names written out: neurons are the columns of output.dense [H, F]):
 * E·v for every token, the 10 largest and most negative, the norm of v.
 */
export function bertCardFromSafetensors(dir: string): (
  layer: number,
  index: number,
) => {
  score: number[];
  promotes: number[];
  suppresses: number[];
  tokenOf: string[];
  norm: number;
} {
  const tensors = readSafetensors(path.join(dir, 'model.safetensors'));
  const E = tensors['bert.embeddings.word_embeddings.weight'];
  const [V, H] = E.shape;
  const vocab = (JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
  const tokenOf: string[] = [];
  for (const [t, id] of Object.entries(vocab)) tokenOf[id] = t;
  return (layer, index) => {
    const W = tensors[`bert.encoder.layer.${layer}.output.dense.weight`];
    const v = Array.from({ length: H }, (_, i) => W.data[i * W.shape[1] + index]);
    const score = Array.from({ length: V }, (_, t) => v.reduce((s, x, i) => s + x * E.data[t * H + i], 0));
    const order = Array.from(score.keys()).sort((a, b) => score[b] - score[a]);
    return { score, promotes: order.slice(0, 10), suppresses: order.slice(V - 10).reverse(), tokenOf, norm: Math.hypot(...v) };
  };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kn-${prefix}-`));
}

/** A copy of a fixture folder that a test may alter. */
export function copyFixture(name: string): string {
  const dir = tempDir(name);
  for (const f of fs.readdirSync(fixture(name))) if (fs.statSync(fixture(`${name}/${f}`)).isFile()) fs.copyFileSync(fixture(`${name}/${f}`), path.join(dir, f));
  return dir;
}

/**
 * A 2-layer BERT over words, with embeddings one-hot, attention that averages the sequence, and
 * knowledge neurons planted in layer 1: neurons `planted[w]` fire when context word `w` is present
 * and write the embedding of `answers[w]`. Every other FFN neuron has zero weights.
 */
export function plantedBert(contexts: Record<string, { answer: string; neurons: number[] }>): { dir: string; layer: number } {
  const words = [
    '[PAD]',
    '[UNK]',
    '[CLS]',
    '[SEP]',
    '[MASK]',
    'the',
    'is',
    'in',
    'of',
    ...Object.keys(contexts),
    ...new Set(Object.values(contexts).map((c) => c.answer)),
  ];
  const V = words.length;
  const H = 32;
  const F = 64;
  const L = 2;
  if (V > H) throw new Error('vocabulary larger than the hidden size');
  const t: Tensors = {};
  const put = (name: string, shape: number[], fill: (i: number) => number = () => 0) => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = fill(i);
    t[name] = { shape, data };
    return data;
  };
  const eye = (n: number) => (i: number) => (Math.floor(i / n) === i % n ? 1 : 0);
  put('bert.embeddings.word_embeddings.weight', [V, H], (i) => (Math.floor(i / H) === i % H ? 4 : 0));
  put('bert.embeddings.position_embeddings.weight', [64, H]);
  put('bert.embeddings.token_type_embeddings.weight', [2, H]);
  put('bert.embeddings.LayerNorm.weight', [H], () => 1);
  put('bert.embeddings.LayerNorm.bias', [H]);
  const wid = (w: string) => words.indexOf(w);
  for (let l = 0; l < L; l++) {
    const p = `bert.encoder.layer.${l}`;
    for (const n of ['query', 'key']) {
      put(`${p}.attention.self.${n}.weight`, [H, H]);
      put(`${p}.attention.self.${n}.bias`, [H]);
    }
    put(`${p}.attention.self.value.weight`, [H, H], eye(H)); // uniform attention: the mean of the sequence
    put(`${p}.attention.self.value.bias`, [H]);
    put(`${p}.attention.output.dense.weight`, [H, H], eye(H));
    put(`${p}.attention.output.dense.bias`, [H]);
    put(`${p}.attention.output.LayerNorm.weight`, [H], () => 1);
    put(`${p}.attention.output.LayerNorm.bias`, [H]);
    const w1 = put(`${p}.intermediate.dense.weight`, [F, H]);
    const b1 = put(`${p}.intermediate.dense.bias`, [F]);
    const w2 = put(`${p}.output.dense.weight`, [H, F]);
    put(`${p}.output.dense.bias`, [H]);
    put(`${p}.output.LayerNorm.weight`, [H], () => 1);
    put(`${p}.output.LayerNorm.bias`, [H]);
    if (l === 1)
      for (const [ctx, { answer, neurons }] of Object.entries(contexts))
        for (const n of neurons) {
          w1[n * H + wid(ctx)] = 3; // fires on the context word's direction
          b1[n] = -1.5;
          w2[wid(answer) * F + n] = 6 / neurons.length; // writes the answer's direction
        }
  }
  put('cls.predictions.transform.dense.weight', [H, H], eye(H));
  put('cls.predictions.transform.dense.bias', [H]);
  put('cls.predictions.transform.LayerNorm.weight', [H], () => 1);
  put('cls.predictions.transform.LayerNorm.bias', [H]);
  put('cls.predictions.bias', [V]);
  const dir = tempDir('planted');
  fs.writeFileSync(path.join(dir, 'model.safetensors'), encodeSafetensors(t));
  const config = JSON.parse(fs.readFileSync(fixture('bert-tiny-facts/config.json'), 'utf8'));
  Object.assign(config, {
    hidden_size: H,
    intermediate_size: F,
    num_hidden_layers: L,
    num_attention_heads: 2,
    vocab_size: V,
    max_position_embeddings: 64,
    hidden_act: 'gelu',
  });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(wordTokenizer(words)));
  fs.copyFileSync(fixture('bert-tiny-facts/tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  return { dir, layer: 1 };
}

/** The fixture's WordPiece pipeline over another vocabulary. */
export function wordTokenizer(words: string[]): unknown {
  const base = JSON.parse(fs.readFileSync(fixture('bert-tiny-facts/tokenizer.json'), 'utf8'));
  const special = new Set(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  return {
    ...base,
    added_tokens: words.flatMap((w, id) =>
      special.has(w) ? [{ id, content: w, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }] : [],
    ),
    model: { ...base.model, vocab: Object.fromEntries(words.map((w, i) => [w, i])) },
  };
}
