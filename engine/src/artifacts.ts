/**
 * Model artifacts kept on disk under the cache folder (cacheFolder.ts), shared by every process of
 * the machine: a model's weights as one float32 file, the ONNX external data its sessions map. It
 * is named by the model's content hash and the layout of its weights (which weights, which shapes:
 * the forward graph's), so `kn` runs and engine workers reuse it instead of writing it again.
 *
 * - Written atomically: a temporary file named for its process, then renamed. Two processes that
 *   start at once may both write it; each rename puts a complete file with the same bytes in place,
 *   and sessions already made keep reading the file they opened.
 * - Verified before use: a 4 KiB header gives the model, layout, size and SHA-256 of the data. The
 *   data are hashed again whenever the file is not the one this machine last verified (a sidecar
 *   `.ok` records its size, mtime, ctime and inode); a truncated or altered file is rebuilt, never used.
 * - Bounded: after a file is written, the least recently used ones (by the sidecar's mtime, touched
 *   at each use) are removed until the total fits the bound. A model whose file alone exceeds the
 *   bound (or a bound of 0) gets a scratch copy instead (scratch.ts), removed when its process ends.
 * - A file removed while in use (eviction by another process, Clear Cache) is rebuilt before the
 *   next session that needs it.
 *
 * Compiled graphs are kept beside the weights file they read (`GraphFile`): ONNX Runtime's optimized
 * model of a graph, whose weights stay references into that file, so a second process, a restarted
 * language server or a reopened editor skips the graph optimizations. Each is named by a hash of the
 * graph as emitted (which names the weights file), the ONNX Runtime version, execution provider and
 * CPU, written atomically with a checksummed header, rebuilt when damaged, and removed with its
 * weights file (eviction, Clear Cache). No ONNX Runtime here: the language server's main thread uses
 * this module to clear the cache.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { artifactsFolder, artifactsMaxBytes, defaultCacheFolder } from './cacheFolder';
import { KnError } from './errors';
import type { Graph, WeightData } from './graph/ir';
import { MEMO_FILE, modelHash } from './model/hash';
import { removeOrphans, ScratchWeights, temporaryName } from './scratch';

/** Where a weight lies in an external data file, relative to the folder ONNX Runtime reads it from. */
export interface Placement {
  location: string;
  offset: number;
  length: number;
}

/** A model's weights as ONNX external data: in the artifact cache (CachedWeights) or a scratch folder (ScratchWeights). */
export interface ExternalWeights {
  /** The folder ONNX Runtime reads the external data from. */
  readonly dir: string;
  /** Makes sure the data file is complete and intact before a session reads it; true when it had to write it (again). */
  prepare(): boolean;
  /** Where a weight lies; undefined when the file lacks it (the graph then holds it inline). */
  place(w: WeightData): Placement | undefined;
  /** Where the compiled graph of this key is kept, when compiled graphs are kept (runtime.ts). */
  compiled?(key: string): GraphFile;
  dispose(): void;
}

export interface ArtifactOptions {
  /** The cache folder (default: defaultCacheFolder()); artifacts go to its `artifacts/` subfolder. */
  cacheFolder?: string;
  /** Bound on the artifacts' total size (default: artifactsMaxBytes()); 0: no cache, a scratch copy. */
  cacheMaxBytes?: number;
  /** The model's content hash (model/hash.ts), when the caller has it already. */
  contentHash?: string;
  log?: (msg: string) => void;
}

const FORMAT = 1;
const HEADER_BYTES = 4096;
const FILE = /^weights-[0-9a-f]+-[0-9a-f]+\.bin$/;
/** A compiled graph of the weights file `weights-….bin` is `weights-….graph-<key>.onnx`. */
const GRAPH = /^(weights-[0-9a-f]+-[0-9a-f]+)\.graph-[0-9a-f]+\.onnx$/;
/** A temporary file (scratch.ts's `temporaryName`) of a weights file, its sidecar, a compiled graph or the file-hash memo (model/hash.ts). */
const TMP = /^(?:weights-[0-9a-f]+-[0-9a-f]+\.(?:bin|ok|graph-[0-9a-f]+\.onnx)|file-hashes\.json)\.(\d+)\.([0-9a-f]+)\.[0-9a-f]+\.tmp$/;

/** Bytes per element of a weight as stored (float32, or int8/int16 rows: --weights). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int16: 2, int8: 1 };

/** A weight of the layout: its key, shape and bytes, where it goes in the file. */
interface Slot {
  data: WeightData;
  shape: readonly number[];
  offset: number;
  length: number;
}

/**
 * The external weights of a model: its cached file, or a scratch copy when the cache is off, the
 * file would exceed the bound, the cache folder cannot be written, or the layout graph cannot be
 * built (weights that do not fit config.json: the model's graphs report it when it runs).
 * `layoutGraph` gives the weights the file holds (the forward graph: every weight of the model, in
 * the layout graphs use).
 */
export async function openWeights(dir: string, layoutGraph: () => Graph, opts: ArtifactOptions = {}): Promise<ExternalWeights> {
  const maxBytes = opts.cacheMaxBytes ?? artifactsMaxBytes();
  if (maxBytes === 0) return new ScratchWeights();
  let slots: Slot[];
  try {
    slots = layout(layoutGraph());
  } catch {
    // Weights that do not fit the model: its graphs say so, with the file, when it runs.
    return new ScratchWeights();
  }
  const bytes = fileBytes(slots);
  if (bytes > maxBytes) {
    opts.log?.(`the weights file (${mb(bytes)}) exceeds the cache bound (${mb(maxBytes)}): using a scratch copy for this run`);
    return new ScratchWeights();
  }
  const root = artifactsFolder(opts.cacheFolder ?? defaultCacheFolder());
  try {
    fs.mkdirSync(root, { recursive: true });
    fs.accessSync(root, fs.constants.W_OK);
  } catch (e) {
    opts.log?.(`the cache folder ${root} cannot be written (${(e as Error).message}): using a scratch copy for this run`);
    return new ScratchWeights();
  }
  return new CachedWeights(root, opts.contentHash ?? (await modelHash(dir)), slots, maxBytes, opts.log);
}

export class CachedWeights implements ExternalWeights {
  readonly file: string;
  private readonly name: string;
  private readonly slots = new Map<string, Slot>();
  private readonly layoutHash: string;
  /** The stamp (size, mtime, ctime, inode) of the file as this process last verified or wrote it. */
  private verified: string | undefined;
  private warned = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly modelHash: string,
    slots: Slot[],
    private readonly maxBytes: number,
    private readonly log?: (msg: string) => void,
  ) {
    for (const s of slots) this.slots.set(s.data.key, s);
    this.layoutHash = sha256(JSON.stringify(slots.map((s) => [s.data.key, s.shape])));
    this.name = `weights-${modelHash.slice(0, 32)}-${this.layoutHash.slice(0, 16)}.bin`;
    this.file = path.join(dir, this.name);
  }

  place(w: WeightData): Placement | undefined {
    const s = this.slots.get(w.key);
    if (s) return { location: this.name, offset: HEADER_BYTES + s.offset, length: s.length };
    if (!this.warned.has(w.key)) {
      this.warned.add(w.key);
      this.log?.(`weight ${w.key} is not in the cached weights file: it is inlined in its graph`);
    }
    return undefined;
  }

  compiled(key: string): GraphFile {
    return new GraphFile(this.file.replace(/\.bin$/, `.graph-${key}.onnx`), this.log);
  }

  prepare(): boolean {
    const st = statOf(this.file);
    const why = !st ? undefined : stamp(st) === this.verified ? '' : this.check(st);
    if (why === '') {
      touch(sidecar(this.file));
      return false;
    }
    if (why) this.log?.(`the cached weights file ${this.file} ${why}: writing it again`);
    this.build();
    return true;
  }

  /** Why the file on disk cannot be used, or '' when it is intact (then marked verified). */
  private check(st: fs.Stats): string {
    const header = readHeader(this.file);
    if (!header) return 'has no valid header';
    const expected = fileBytes([...this.slots.values()]);
    if (header.format !== FORMAT || header.model !== this.modelHash || header.layout !== this.layoutHash || header.bytes !== expected)
      return 'belongs to another model or layout';
    if (st.size !== expected) return `is ${st.size} bytes long instead of ${expected}`;
    const ok = readJson(sidecar(this.file)) as { stamp?: string; sha256?: string } | undefined;
    if (!(ok?.stamp === stamp(st) && ok.sha256 === header.sha256)) {
      if (hashData(this.file, expected) !== header.sha256) return 'does not match its checksum';
      writeSidecar(this.file, st, header.sha256);
    }
    this.verified = stamp(st);
    return '';
  }

  private build(): void {
    const tmp = temporaryName(this.file);
    const bytes = fileBytes([...this.slots.values()]);
    try {
      fs.mkdirSync(this.dir, { recursive: true }); // Clear Cache may have removed it
      const fd = fs.openSync(tmp, 'w');
      try {
        for (const s of this.slots.values()) {
          const n = s.data.write(fd, HEADER_BYTES + s.offset);
          if (n !== s.length) throw new Error(`weight ${s.data.key} wrote ${n} bytes, not the ${s.length} of its shape [${s.shape.join(', ')}]`);
        }
        fs.ftruncateSync(fd, bytes);
        const sha = hashData(tmp, bytes);
        const header = Buffer.alloc(HEADER_BYTES, 0x20);
        header.write(JSON.stringify({ format: FORMAT, model: this.modelHash, layout: this.layoutHash, bytes, sha256: sha }));
        fs.writeSync(fd, header, 0, HEADER_BYTES, 0);
        fs.closeSync(fd);
        fs.renameSync(tmp, this.file);
        const st = fs.statSync(this.file);
        writeSidecar(this.file, st, sha);
        this.verified = stamp(st);
      } catch (e) {
        try {
          fs.closeSync(fd);
        } catch {
          /* closed */
        }
        throw e;
      }
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw new KnError(`cannot write the model's weights file ${this.file}: ${(e as Error).message}`, { file: this.file });
    }
    evictArtifacts(this.dir, this.maxBytes, new Set([this.name]));
  }

  dispose(): void {
    /* the file stays for the next run; the bound keeps the folder's size */
  }
}

/**
 * A compiled graph on disk: a 4 KiB header (format, size and SHA-256 of the model), then ONNX
 * Runtime's optimized model. ONNX Runtime writes it to `scratch` while it builds a session; `keep`
 * then stores it under its name.
 */
export class GraphFile {
  readonly scratch: string;

  constructor(
    readonly file: string,
    private readonly log?: (msg: string) => void,
  ) {
    this.scratch = temporaryName(file);
  }

  /** The optimized model, when the file is there and intact; a damaged one is removed. */
  read(): Uint8Array | undefined {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(this.file);
    } catch {
      return undefined;
    }
    const model = buf.subarray(HEADER_BYTES);
    const header = parseHeader(buf.subarray(0, HEADER_BYTES));
    if (header?.format === FORMAT && header.bytes === model.length && header.sha256 === createHash('sha256').update(model).digest('hex')) {
      touch(this.file);
      return model;
    }
    this.remove(`is damaged (${header ? 'its checksum does not match' : 'no valid header'}): building it again`);
    return undefined;
  }

  /** Stores what ONNX Runtime wrote to `scratch`, atomically. */
  keep(): void {
    const tmp = temporaryName(this.file);
    try {
      const model = fs.readFileSync(this.scratch);
      const header = Buffer.alloc(HEADER_BYTES, 0x20);
      header.write(JSON.stringify({ format: FORMAT, bytes: model.length, sha256: createHash('sha256').update(model).digest('hex') }));
      fs.writeFileSync(tmp, Buffer.concat([header, model]));
      fs.renameSync(tmp, this.file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      this.log?.(`cannot keep the compiled graph ${this.file}: ${(e as Error).message}`);
    } finally {
      fs.rmSync(this.scratch, { force: true });
    }
  }

  /** Removes the file (one ONNX Runtime would not load), saying why. */
  remove(why: string): void {
    this.log?.(`the compiled graph ${this.file} ${why}`);
    fs.rmSync(this.file, { force: true });
  }
}

/**
 * Removes the least recently used weights files (with their compiled graphs) until the folder's
 * total fits `maxBytes` (never those named in `keep`), the compiled graphs whose weights file is
 * gone, and the temporary files of processes that no longer run.
 */
export function evictArtifacts(root: string, maxBytes: number, keep: ReadonlySet<string> = new Set()): number {
  removeOrphans(root, TMP);
  const graphs = graphFiles(root);
  const files = weightsFiles(root)
    .map((name) => {
      const file = path.join(root, name);
      const st = statOf(file);
      const compiled = graphs.get(name) ?? [];
      graphs.delete(name);
      const size = compiled.reduce((sum, g) => sum + (statOf(path.join(root, g))?.size ?? 0), st?.size ?? 0);
      return st && { name, file, size, used: Math.max(st.mtimeMs, statOf(sidecar(file))?.mtimeMs ?? 0) };
    })
    .filter((f) => !!f)
    .sort((a, b) => a.used - b.used);
  for (const orphans of graphs.values()) for (const g of orphans) fs.rmSync(path.join(root, g), { force: true });
  let total = files.reduce((sum, f) => sum + f.size, 0);
  let removed = 0;
  for (const f of files) {
    if (total <= maxBytes) break;
    if (keep.has(f.name)) continue;
    removeEntry(f.file);
    total -= f.size;
    removed++;
  }
  return removed;
}

/** Clear Cache: removes every weights file of a cache folder, the compiled graphs, the file-hash memo, and dead processes' temporary files; returns how many weights files. */
export function clearArtifacts(cacheFolder: string): number {
  const root = artifactsFolder(cacheFolder);
  removeOrphans(root, TMP);
  fs.rmSync(path.join(root, MEMO_FILE), { force: true });
  const files = weightsFiles(root);
  for (const name of files) removeEntry(path.join(root, name));
  for (const graphs of graphFiles(root).values()) for (const g of graphs) fs.rmSync(path.join(root, g), { force: true });
  try {
    fs.rmdirSync(root);
  } catch {
    /* not empty: a live writer's temporary file */
  }
  return files.length;
}

/** The compiled graphs in `root` (names), by the name of the weights file they read. */
function graphFiles(root: string): Map<string, string[]> {
  const byWeights = new Map<string, string[]>();
  let names: string[] = [];
  try {
    names = fs.readdirSync(root);
  } catch {
    /* no folder */
  }
  for (const n of names) {
    const m = GRAPH.exec(n);
    if (m) byWeights.set(`${m[1]}.bin`, [...(byWeights.get(`${m[1]}.bin`) ?? []), n]);
  }
  return byWeights;
}

/** The weights files in `root` (names). */
function weightsFiles(root: string): string[] {
  try {
    return fs.readdirSync(root).filter((n) => FILE.test(n));
  } catch {
    return [];
  }
}

function removeEntry(file: string): void {
  const compiled = graphFiles(path.dirname(file)).get(path.basename(file)) ?? [];
  // A file another process maps stays readable there until it closes it (on Windows the removal fails: it stays).
  for (const f of [file, sidecar(file), ...compiled.map((g) => path.join(path.dirname(file), g))])
    try {
      fs.rmSync(f, { force: true });
    } catch {
      /* in use */
    }
}

/** The weights of a graph, each once, with their places in the file: 64-byte aligned, in the graph's order. */
function layout(g: Graph): Slot[] {
  const slots: Slot[] = [];
  const seen = new Set<string>();
  let end = 0;
  for (const [v, c] of g.constants) {
    if (c.kind !== 'weight' || seen.has(c.key)) continue;
    seen.add(c.key);
    const offset = Math.ceil(end / 64) * 64;
    const length = DTYPE_BYTES[v.dtype] * v.shape.reduce((n, d) => n * d, 1);
    slots.push({ data: c, shape: v.shape, offset, length });
    end = offset + length;
  }
  return slots;
}

function fileBytes(slots: Slot[]): number {
  const last = slots[slots.length - 1];
  return HEADER_BYTES + (last ? last.offset + last.length : 0);
}

type Header = { format?: unknown; model?: unknown; layout?: unknown; bytes?: unknown; sha256?: unknown };

function readHeader(file: string): Header | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(HEADER_BYTES);
      const n = fs.readSync(fd, buf, 0, HEADER_BYTES, 0);
      return parseHeader(buf.subarray(0, n));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

function parseHeader(buf: Buffer): Header | undefined {
  try {
    const v = JSON.parse(buf.toString('utf8').trimEnd());
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** SHA-256 of a file's data (after the header) up to `bytes`. */
function hashData(file: string, bytes: number): string {
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(8 << 20);
    for (let at = HEADER_BYTES; at < bytes;) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, bytes - at), at);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      at += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

const sidecar = (file: string) => file.replace(/\.bin$/, '.ok');
// The change time too: it cannot be set back as the modification time can.
const stamp = (st: fs.Stats) => `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;

/** The sidecar, written atomically: the stamp of the file whose data were found to match `sha`. */
function writeSidecar(file: string, st: fs.Stats, sha: string): void {
  const ok = sidecar(file);
  const tmp = temporaryName(ok);
  try {
    fs.writeFileSync(tmp, JSON.stringify({ stamp: stamp(st), sha256: sha }));
    fs.renameSync(tmp, ok);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

function touch(file: string): void {
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    /* gone: the next check hashes the data again */
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
