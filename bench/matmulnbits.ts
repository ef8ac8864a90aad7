/**
 * ONNX Runtime's MatMulNBits (com.microsoft; block-quantized weights, 8 or 4 bits) against the
 * engine's integer weights (`qmatmul`: int8 rows with a float32 scale per row, DequantizeLinear just
 * before a Gemm), one product at a time, on the mid-size random Llama's matrices (hidden 1024,
 * FFN 4096, vocabulary 32,000) with random weights: the time of one product (median), the peak
 * resident memory of a process that holds the matrix and runs it, and the difference from float32.
 *
 *   npm run build && node out/bench/matmulnbits.js      → bench/results-matmulnbits.json
 *
 * Each variant runs in a process of its own (`--variant NAME --shape …`), so that its peak is its own.
 * MatMulNBits computes A · Bᵀ only: the gradient the integrated gradients need (gy · W) would take a
 * transposed copy or a dequantization, which is measured too (`backward`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ProtoWriter } from '../engine/src/onnx/protobuf';
import { repoRoot, rng } from '../test/helpers';

type Init = { name: string; dims: number[]; dtype: number; raw: Uint8Array };
type OnnxNode = { op: string; domain?: string; inputs: string[]; attrs?: Record<string, number> };

/** A one-output ONNX model: input `a` [M, K] float32, the initializers, the nodes (the last one's output is `y`). */
function model(M: number, K: number, outDim: number, inits: Init[], nodes: OnnxNode[]): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8);
  w.message(8, (o) => o.string(1, '').int(2, 21));
  w.message(8, (o) => o.string(1, 'com.microsoft').int(2, 1));
  const info = (vi: ProtoWriter, name: string, dims: number[]) =>
    vi.string(1, name).message(2, (t) =>
      t.message(1, (tt) => {
        tt.int(1, 1);
        tt.message(2, (s) => dims.forEach((d) => s.message(1, (dim) => dim.int(1, d))));
      }),
    );
  w.message(7, (g) => {
    nodes.forEach((n, i) =>
      g.message(1, (nw) => {
        n.inputs.forEach((x) => nw.string(1, x));
        nw.string(2, i === nodes.length - 1 ? 'y' : `t${i}`);
        nw.string(3, `n${i}`).string(4, n.op);
        if (n.domain) nw.string(7, n.domain);
        for (const [k, v] of Object.entries(n.attrs ?? {})) nw.message(5, (a) => a.string(1, k).int(3, v).int(20, 2));
      }),
    );
    g.string(2, 'main');
    for (const c of inits) g.message(5, (t) => t.packedInts(1, c.dims).int(2, c.dtype).string(8, c.name).bytes(9, c.raw));
    g.message(11, (vi) => info(vi, 'a', [M, K]));
    g.message(12, (vi) => info(vi, 'y', [M, outDim]));
  });
  return w.finish();
}

const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const FLOAT = 1;
const UINT8 = 2;
const INT8 = 3;

/** A random weight [N, K] (normal, std 0.02 as transformers initializes) and its per-row int8 quantization, the engine's. */
function weight(N: number, K: number) {
  const r = rng(N * 31 + K);
  const w = new Float32Array(N * K);
  for (let i = 0; i < w.length; i += 2) {
    const u = Math.max(r(), 1e-12);
    const v = r();
    const m = 0.02 * Math.sqrt(-2 * Math.log(u));
    w[i] = m * Math.cos(2 * Math.PI * v);
    if (i + 1 < w.length) w[i + 1] = m * Math.sin(2 * Math.PI * v);
  }
  return w;
}

function rowScales(w: Float32Array, N: number, K: number, levels: number) {
  const s = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    let max = 0;
    for (let k = 0; k < K; k++) max = Math.max(max, Math.abs(w[n * K + k]));
    s[n] = max > 0 ? Math.fround(max / levels) : 1;
  }
  return s;
}

/** The engine's int8 storage of w: rows rounded to integers `q` [N, K], a float32 scale per row `s` [N]. */
function int8Rows(w: Float32Array, N: number, K: number): Init[] {
  const s = rowScales(w, N, K, 127);
  const q = Int8Array.from(w, (x, i) => Math.round(x / s[Math.floor(i / K)]));
  return [
    { name: 'q', dims: [N, K], dtype: INT8, raw: bytes(q) },
    { name: 's', dims: [N], dtype: FLOAT, raw: bytes(s) },
  ];
}

/** The variants: each an ONNX model computing a · Wᵀ ([M, K] → [M, N]), or gy · W for `backward` ([M, N] → [M, K]). */
function variant(name: string, M: number, N: number, K: number): Uint8Array {
  const w = weight(N, K);
  switch (name) {
    case 'float32': // as the engine multiplies a table: Gemm with transB
      return model(M, K, N, [{ name: 'w', dims: [N, K], dtype: FLOAT, raw: bytes(w) }], [{ op: 'Gemm', inputs: ['a', 'w'], attrs: { transB: 1 } }]);
    case 'int8-dequantize': // the engine's qmatmul: DequantizeLinear (axis 0), then Gemm transB
      return model(M, K, N, int8Rows(w, N, K), [
        { op: 'DequantizeLinear', inputs: ['q', 's'], attrs: { axis: 0 } },
        { op: 'Gemm', inputs: ['a', 't0'], attrs: { transB: 1 } },
      ]);
    case 'nbits8':
    case 'nbits8-int8compute':
    case 'nbits4': {
      // MatMulNBits: B [N, blocks, blockBytes] unsigned with zero point 2^(bits-1), one scale per block.
      // 8 bits: blocks of 256 (the largest it takes), each with its row's scale: exactly the engine's int8 numbers; 4 bits: blocks of 32, a scale each.
      const bits = name === 'nbits4' ? 4 : 8;
      const block = bits === 8 ? 256 : 32;
      const blocks = K / block;
      const half = 2 ** (bits - 1);
      const rows = rowScales(w, N, K, half - 1);
      const scales = new Float32Array(N * blocks);
      const b = new Uint8Array((N * K * bits) / 8);
      for (let n = 0; n < N; n++)
        for (let j = 0; j < blocks; j++) {
          let max = 0;
          for (let k = 0; k < block; k++) max = Math.max(max, Math.abs(w[n * K + j * block + k]));
          const s = bits === 8 ? rows[n] : max > 0 ? Math.fround(max / (half - 1)) : 1;
          scales[n * blocks + j] = s;
          for (let k = 0; k < block; k++) {
            const i = n * K + j * block + k;
            const u = Math.round(w[i] / s) + half;
            if (bits === 8) b[i] = u;
            else b[i >> 1] |= (i & 1 ? u << 4 : u) & 0xff;
          }
        }
      return model(
        M,
        K,
        N,
        [
          { name: 'b', dims: [N, blocks, (block * bits) / 8], dtype: UINT8, raw: b },
          { name: 's', dims: [N * blocks], dtype: FLOAT, raw: bytes(scales) },
        ],
        [
          {
            op: 'MatMulNBits',
            domain: 'com.microsoft',
            inputs: ['a', 'b', 's'],
            attrs: { K, N, bits, block_size: block, accuracy_level: name === 'nbits8-int8compute' ? 4 : 0 },
          },
        ],
      );
    }
    case 'backward': // gy [M, N] · W [N, K]: what the gradient needs of either storage, dequantized first (as qmatmul's vjp does)
      return model(M, N, K, int8Rows(w, N, K), [
        { op: 'DequantizeLinear', inputs: ['q', 's'], attrs: { axis: 0 } },
        { op: 'MatMul', inputs: ['a', 't0'] },
      ]);
  }
  throw new Error(`unknown variant ${name}`);
}

const VARIANTS = ['float32', 'int8-dequantize', 'nbits8', 'nbits8-int8compute', 'nbits4', 'backward'];
/** The mid-size Llama's products: [rows, out, in]. 336 rows: an integrated-gradients chunk of 21 rows of 16 tokens. */
const SHAPES: Record<string, [number, number, number]> = {
  'up (4096 × 1024), 336 rows': [336, 4096, 1024],
  'down (1024 × 4096), 336 rows': [336, 1024, 4096],
  'up (4096 × 1024), 16 rows': [16, 4096, 1024],
  'head (32000 × 1024), 21 rows': [21, 32000, 1024],
};

const largest = (xs: Float32Array) => xs.reduce((m, x) => Math.max(m, x), 0);

function peakMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** One variant on one shape, in this process: median ms over 20 runs, the output (for the differences), the peak. */
async function child(name: string, shape: string) {
  const [M, N, K] = SHAPES[shape];
  const inDim = name === 'backward' ? N : K;
  const session = await ort.InferenceSession.create(variant(name, M, N, K), { intraOpNumThreads: os.availableParallelism(), graphOptimizationLevel: 'all' });
  const r = rng(7);
  const a = Float32Array.from({ length: M * inDim }, () => r() * 2 - 1);
  const feed = { a: new ort.Tensor('float32', a, [M, inDim]) };
  let y: Float32Array<ArrayBufferLike> = new Float32Array();
  for (let i = 0; i < 3; i++) y = (await session.run(feed)).y.data as Float32Array;
  const ms: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await session.run(feed);
    ms.push(performance.now() - t0);
  }
  ms.sort((x, z) => x - z);
  const out = path.join(os.tmpdir(), `kn-nbits-${process.pid}.f32`);
  fs.writeFileSync(out, y);
  process.stdout.write(JSON.stringify({ median_ms: +ms[10].toFixed(2), peak_resident_mb: peakMb(), output: out }));
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--variant') return child(argv[1], argv[3]);
  const results: Record<string, Record<string, unknown>> = {};
  for (const shape of Object.keys(SHAPES)) {
    results[shape] = {};
    const outputs: Record<string, Float32Array> = {};
    for (const name of VARIANTS) {
      const r = spawnSync(process.execPath, [__filename, '--variant', name, '--shape', shape], { encoding: 'utf8' });
      if (r.status !== 0) {
        results[shape][name] = { error: r.stderr.trim().split('\n').slice(-3).join(' ') };
        process.stderr.write(`${shape}, ${name}: failed: ${r.stderr.slice(-500)}\n`);
        continue;
      }
      const j = JSON.parse(r.stdout) as { median_ms: number; peak_resident_mb: number; output: string };
      outputs[name] = new Float32Array(fs.readFileSync(j.output).buffer.slice(0));
      fs.rmSync(j.output);
      results[shape][name] = { median_ms: j.median_ms, peak_resident_mb: j.peak_resident_mb };
    }
    // differences from float32's product, × its largest magnitude
    const f = outputs.float32;
    const max = largest(f.map(Math.abs));
    for (const name of ['int8-dequantize', 'nbits8', 'nbits8-int8compute', 'nbits4'])
      if (outputs[name])
        (results[shape][name] as Record<string, number>).max_diff_over_max = +(largest(f.map((x, i) => Math.abs(x - outputs[name][i]))) / max).toExponential(2);
    if (outputs.nbits8 && outputs['int8-dequantize'])
      results[shape].nbits8_vs_int8_dequantize = +(largest(outputs.nbits8.map((x, i) => Math.abs(x - outputs['int8-dequantize'][i]))) / max).toExponential(2);
    process.stderr.write(`${shape}: ${JSON.stringify(results[shape])}\n`);
  }
  const file = path.join(repoRoot(), 'bench', 'results-matmulnbits.json');
  const load = os.loadavg().map((x) => +x.toFixed(1));
  fs.writeFileSync(
    file,
    JSON.stringify(
      { date: new Date().toISOString(), load_average: load, 'onnxruntime-node': require('onnxruntime-node/package.json').version, results },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`written to ${path.relative(process.cwd(), file)} (load average ${load.join(', ')})\n`);
}

void main();
