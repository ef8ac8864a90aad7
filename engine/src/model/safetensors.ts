/**
 * The project's own safetensors reader. It validates everything before any tensor is used: header
 * size, JSON, dtypes, shapes, offsets inside the data section, not overlapping, no holes, and
 * dtype × shape = byte length. Tensors are read one at a time (models larger than memory-mapped
 * buffers are fine) and converted to float32.
 */
import * as fs from 'node:fs';
import { KnError } from '../errors';

const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
const MAX_HEADER = 100 * 1024 * 1024;

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Absolute byte offset of the tensor's data in the file. */
  offset: number;
  length: number;
  file: string;
}

export class SafetensorsFile {
  readonly tensors = new Map<string, TensorInfo>();

  constructor(readonly file: string) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (e) {
      throw new KnError(`cannot open weights file ${file}: ${(e as Error).message}`, { file });
    }
    try {
      const size = fs.fstatSync(fd).size;
      const fail = (msg: string): never => {
        throw new KnError(`${file}: not a valid safetensors file: ${msg}`, { file });
      };
      if (size < 8) fail(`it has ${size} bytes, fewer than the 8-byte header length`);
      const lenBuf = Buffer.alloc(8);
      fs.readSync(fd, lenBuf, 0, 8, 0);
      const headerLen = Number(lenBuf.readBigUInt64LE(0));
      if (headerLen > MAX_HEADER || headerLen > size - 8)
        fail(`header length ${headerLen} exceeds the file (${size} bytes)${size < 1e6 ? '' : ''}; the file may be truncated`);
      const headerBuf = Buffer.alloc(headerLen);
      fs.readSync(fd, headerBuf, 0, headerLen, 8);
      let header: Record<string, unknown>;
      try {
        header = JSON.parse(headerBuf.toString('utf8'));
      } catch (e) {
        return fail(`header is not valid JSON (${(e as Error).message})`);
      }
      if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
      const dataStart = 8 + headerLen;
      const dataLen = size - dataStart;
      const spans: [number, number, string][] = [];
      for (const [name, raw] of Object.entries(header)) {
        if (name === '__metadata__') continue;
        const t = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
        if (typeof t.dtype !== 'string' || !(t.dtype in DTYPE_BYTES)) fail(`tensor '${name}' has unknown dtype ${JSON.stringify(t.dtype)}`);
        if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0))
          fail(`tensor '${name}' has an invalid shape ${JSON.stringify(t.shape)}`);
        const off = t.data_offsets as number[];
        if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[0] > off[1])
          fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(t.data_offsets)}`);
        if (off[1] > dataLen) fail(`tensor '${name}' ends at byte ${off[1]} of the data section, which has only ${dataLen} bytes: the file is truncated`);
        const shape = t.shape as number[];
        const expected = shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[t.dtype as string];
        if (off[1] - off[0] !== expected) fail(`tensor '${name}' has ${off[1] - off[0]} bytes but dtype ${t.dtype} × shape [${shape}] needs ${expected}`);
        spans.push([off[0], off[1], name]);
        this.tensors.set(name, { name, dtype: t.dtype as string, shape, offset: dataStart + off[0], length: off[1] - off[0], file });
      }
      spans.sort((a, b) => a[0] - b[0]);
      let cursor = 0;
      for (const [s, e, name] of spans) {
        if (s < cursor) fail(`tensor '${name}' overlaps the previous tensor`);
        if (s > cursor) fail(`the data section has a hole before tensor '${name}' (bytes ${cursor}–${s})`);
        cursor = e;
      }
      if (cursor !== dataLen) fail(`the data section has ${dataLen - cursor} bytes after the last tensor`);
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * `values` (elements from `first` on of tensor `t`), refused if one is NaN or infinite: no model
   * stores such weights, and they would turn every probability into NaN (float32 bytes labelled F16
   * read as that).
   */
  private finite(values: Float32Array, t: TensorInfo, first: number): Float32Array {
    for (let i = 0; i < values.length; i++)
      if (!Number.isFinite(values[i]))
        throw new KnError(
          `${this.file}: tensor '${t.name}' holds ${values[i]} at element ${first + i}; the file is corrupt or its dtype (${t.dtype}) is not the one its bytes were written in`,
          { file: this.file },
        );
    return values;
  }

  /** Reads a tensor and converts it to float32. */
  readFloat32(name: string): Float32Array {
    const t = this.tensor(name);
    return this.withFile((fd) => {
      if (t.dtype === 'F32') {
        // Straight into the array: no second copy of the bytes.
        const out = new Float32Array(t.length / 4);
        this.readExactly(fd, new Uint8Array(out.buffer), t.offset, name);
        return this.finite(out, t, 0);
      }
      const buf = Buffer.alloc(t.length);
      this.readExactly(fd, buf, t.offset, name);
      return this.finite(toFloat32(buf, t.dtype, name, this.file), t, 0);
    });
  }

  /**
   * Writes a tensor as float32 to `out` at `position`, a slice at a time, so that loading a model's
   * weights into its external data file never holds a whole tensor in memory. Returns the bytes written.
   */
  writeFloat32(name: string, out: number, position: number): number {
    const t = this.tensor(name);
    const width = DTYPE_BYTES[t.dtype];
    const slice = (SLICE_BYTES / 4) * width;
    const buf = Buffer.alloc(Math.min(slice, t.length));
    return this.withFile((fd) => {
      let written = 0;
      for (let at = 0; at < t.length; at += slice) {
        const chunk = buf.subarray(0, Math.min(slice, t.length - at));
        this.readExactly(fd, chunk, t.offset + at, name);
        const f32 = this.finite(
          t.dtype === 'F32' ? new Float32Array(chunk.buffer, chunk.byteOffset, chunk.length / 4) : toFloat32(chunk, t.dtype, name, this.file),
          t,
          at / width,
        );
        written += fs.writeSync(out, f32, 0, f32.byteLength, position + written);
      }
      return written;
    });
  }

  /** Calls `fn` with each row (last axis) of a tensor as float32, reading a slice of rows at a time. */
  forEachRow(name: string, fn: (row: Float32Array, r: number) => void): void {
    const t = this.tensor(name);
    const width = t.shape[t.shape.length - 1] ?? 1;
    const rowBytes = width * DTYPE_BYTES[t.dtype];
    const rows = Math.max(1, Math.floor(SLICE_BYTES / 4 / width));
    const buf = Buffer.alloc(Math.min(rows * rowBytes, t.length));
    this.withFile((fd) => {
      for (let at = 0, r = 0; at < t.length; at += rows * rowBytes) {
        const chunk = buf.subarray(0, Math.min(rows * rowBytes, t.length - at));
        this.readExactly(fd, chunk, t.offset + at, name);
        const f32 = this.finite(toFloat32(chunk, t.dtype, name, this.file), t, at / DTYPE_BYTES[t.dtype]);
        for (let k = 0; k < f32.length; k += width) fn(f32.subarray(k, k + width), r++);
      }
    });
  }

  private tensor(name: string): TensorInfo {
    const t = this.tensors.get(name);
    if (!t) throw new KnError(`tensor '${name}' is missing from ${this.file}`, { file: this.file });
    return t;
  }

  private withFile<T>(fn: (fd: number) => T): T {
    const fd = fs.openSync(this.file, 'r');
    try {
      return fn(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  private readExactly(fd: number, into: Uint8Array, position: number, name: string): void {
    const got = fs.readSync(fd, into, 0, into.length, position);
    if (got !== into.length) throw new KnError(`${this.file}: tensor '${name}' could not be read whole (${got} of ${into.length} bytes)`, { file: this.file });
  }
}

/** Bytes of float32 written per slice when a tensor is streamed to a file. */
const SLICE_BYTES = 4 << 20;

function toFloat32(buf: Buffer, dtype: string, name: string, file: string): Float32Array {
  const n = buf.length / DTYPE_BYTES[dtype];
  switch (dtype) {
    case 'F32': {
      const out = new Float32Array(n);
      new Uint8Array(out.buffer).set(buf);
      return out;
    }
    case 'F64': {
      const src = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
      return Float32Array.from(src);
    }
    case 'BF16': {
      const out = new Float32Array(n);
      const u32 = new Uint32Array(out.buffer);
      // A Uint16Array view where the bytes are aligned for one (little-endian, as safetensors and the machines we run on are).
      if (buf.byteOffset % 2 === 0) {
        const u16 = new Uint16Array(buf.buffer, buf.byteOffset, n);
        for (let i = 0; i < n; i++) u32[i] = u16[i] << 16;
      } else for (let i = 0; i < n; i++) u32[i] = buf.readUInt16LE(2 * i) << 16;
      return out;
    }
    case 'F16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(buf.readUInt16LE(2 * i));
      return out;
    }
    default:
      throw new KnError(`${file}: tensor '${name}' has dtype ${dtype}; weights must be floating point`, { file });
  }
}

export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** All tensors of a model folder: `model.safetensors`, or the shards listed by `model.safetensors.index.json`. */
export class WeightStore {
  private readonly where = new Map<string, SafetensorsFile>();

  constructor(readonly files: SafetensorsFile[]) {
    for (const f of files) for (const name of f.tensors.keys()) this.where.set(name, f);
  }

  has(name: string): boolean {
    return this.where.has(name);
  }

  shape(name: string): number[] {
    return this.info(name).shape;
  }

  info(name: string): TensorInfo {
    const f = this.where.get(name);
    if (!f) throw new KnError(`tensor '${name}' is missing from the model's weights (${this.files.map((x) => x.file).join(', ')})`);
    return f.tensors.get(name)!;
  }

  parameterCount(): number {
    let n = 0;
    for (const f of this.files) for (const t of f.tensors.values()) n += t.shape.reduce((a, b) => a * b, 1);
    return n;
  }

  read(name: string): Float32Array {
    this.info(name);
    return this.where.get(name)!.readFloat32(name);
  }

  /** See SafetensorsFile.forEachRow. */
  forEachRow(name: string, fn: (row: Float32Array, r: number) => void): void {
    this.info(name);
    this.where.get(name)!.forEachRow(name, fn);
  }

  /** See SafetensorsFile.writeFloat32. */
  writeFloat32(name: string, out: number, position: number): number {
    this.info(name);
    return this.where.get(name)!.writeFloat32(name, out, position);
  }
}
