/**
 * ONNX Runtime sessions: device choice with an explicit CUDA → CPU fallback (onnxruntime-node does
 * not fall back by itself), WebGPU on request, and a small wrapper that feeds a compiled graph's
 * weights and inputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Graph, Value, WeightData } from './graph/ir';
import { emitModel } from './onnx/emit';
import { KnError } from './errors';
import { makeScratchDir } from './scratch';
import type { Device } from './types';

export type ResolvedDevice = 'cpu' | 'cuda' | 'webgpu';

// ONNX Runtime's own logger would print provider-load failures natively on stderr; the engine
// reports them once, in words, and every real failure still arrives as an exception.
ort.env.logLevel = 'fatal';

export interface RuntimeOptions {
  device: Device;
  log?: (msg: string) => void;
  intraOpThreads?: number;
}

/** Float32 feeds by input value; int64 inputs are given as number arrays. */
export type Feeds = Map<Value, Float32Array | number[]>;

export class CompiledGraph {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly graph: Graph,
  ) {}

  /** Compiles a graph; with `external`, weights go to its data file and the session loads from disk. */
  static async create(g: Graph, rt: Runtime, external?: ExternalWeights): Promise<CompiledGraph> {
    const opts = { transposeForMatMul: rt.device === 'webgpu' };
    if (!external) return new CompiledGraph(await rt.createSession(emitModel(g, undefined, opts)), g);
    const file = external.modelFile();
    fs.writeFileSync(
      file,
      emitModel(g, (w) => external.place(w), opts),
    );
    try {
      return new CompiledGraph(await rt.createSession(file), g);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }

  async run(feeds: Feeds): Promise<Map<Value, Float32Array | BigInt64Array>> {
    const input: Record<string, ort.Tensor> = {};
    for (const v of this.graph.inputs) {
      const data = feeds.get(v);
      if (!data) throw new Error(`missing feed for graph input ${v.name}`);
      input[v.name] =
        v.dtype === 'int64'
          ? new ort.Tensor('int64', BigInt64Array.from((data as number[]).map((x) => BigInt(x))), [...v.shape])
          : v.dtype === 'bool'
            ? new ort.Tensor('bool', Uint8Array.from(data as number[]), [...v.shape])
            : new ort.Tensor('float32', data instanceof Float32Array ? data : Float32Array.from(data), [...v.shape]);
    }
    const out = await this.session.run(input);
    const result = new Map<Value, Float32Array | BigInt64Array>();
    for (const o of this.graph.outputs) result.set(o, out[o.name].data as Float32Array | BigInt64Array);
    return result;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

export class Runtime {
  private constructor(
    readonly device: ResolvedDevice,
    private readonly options: ort.InferenceSession.SessionOptions,
  ) {}

  /** Chooses the device: `auto` tries CUDA and falls back to CPU, logging why. */
  static async open(opts: RuntimeOptions): Promise<Runtime> {
    const log = opts.log ?? (() => undefined);
    const base: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: opts.intraOpThreads ?? 0,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      // An arena keeps a session's peak working memory between runs: without it every run asks the
      // kernel for fresh pages (260,000 page faults per bert-base prompt, ~20% of its time).
      // Model's graph cache bounds what the arenas of cached sessions keep. No memory pattern: from
      // the second run on it would allocate the whole plan as one new block beside what the first
      // run left in the arena (or in malloc's heap), doubling the peak.
      enableCpuMemArena: true,
      enableMemPattern: false,
      // Prepacked copies of every MatMul weight would double the weights' memory for no measurable gain.
      extra: { session: { disable_prepacking: '1' } },
      logSeverityLevel: 3,
    };
    if (opts.device === 'cpu') return new Runtime('cpu', { ...base, executionProviders: ['cpu'] });
    if (opts.device === 'webgpu') {
      // Opt-in only: onnxruntime-node bundles the WebGPU provider (Dawn, over Vulkan on Linux); any
      // operator it lacks runs on the CPU provider, so it is never chosen by `auto`.
      const webgpu = { ...base, executionProviders: ['webgpu'] };
      const why = await probeSession(webgpu);
      // ONNX Runtime prefixes the reason with the failed check's source location; keep the reason.
      if (why)
        throw new KnError(
          `WebGPU was requested but is not available: ${why.replace(/^.* was false\. /, '')}. It needs a GPU with a Vulkan driver and the Vulkan loader (libvulkan.so.1); or use --device cpu.`,
        );
      return new Runtime('webgpu', webgpu);
    }
    const cuda = { ...base, executionProviders: ['cuda'] };
    const reason = await probeSession(cuda);
    if (!reason) return new Runtime('cuda', cuda);
    if (opts.device === 'cuda')
      throw new KnError(
        `CUDA was requested but is not available: ${reason}. Install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12 on a machine with CUDA 12, or use --device cpu.`,
      );
    log(`CUDA unavailable (${reason}); using CPU`);
    return new Runtime('cpu', { ...base, executionProviders: ['cpu'] });
  }

  createSession(model: Uint8Array | string): Promise<ort.InferenceSession> {
    return typeof model === 'string' ? ort.InferenceSession.create(model, this.options) : ort.InferenceSession.create(model, this.options);
  }
}

/** A one-node model, to learn whether an execution provider can start; returns why not, or undefined. */
async function probeSession(options: ort.InferenceSession.SessionOptions): Promise<string | undefined> {
  const { Graph } = await import('./graph/ir');
  const g = new Graph();
  g.output('y', g.add(g.input('x', [1]), g.scalar(1)));
  try {
    const s = await ort.InferenceSession.create(emitModel(g), { ...options, logSeverityLevel: 4 });
    await s.release();
    return undefined;
  } catch (e) {
    return String((e as Error).message ?? e).split('\n')[0];
  }
}

/**
 * A model's weights as ONNX external data: each weight is loaded and appended once to a data file
 * in a private temporary folder, next to which each graph's model file is written (ONNX Runtime only
 * reads external data from the model's own folder). ONNX Runtime maps the file, so all sessions of
 * a model share one copy of the weights, and protobuf's 2 GB limit does not apply.
 *
 * The folder (as large as the model in float32) never outlives its process: it is removed on
 * dispose and on any exit of the process or worker thread (normal, error, or a signal the CLI turns
 * into an exit); see scratch.ts for a process killed outright and for the language server's workers.
 */
export class ExternalWeights {
  readonly dir: string;
  private readonly placed = new Map<string, { offset: number; length: number }>();
  private readonly fd: number;
  private size = 0;
  private models = 0;
  private disposed = false;

  constructor() {
    this.dir = makeScratchDir();
    this.fd = fs.openSync(path.join(this.dir, 'weights.bin'), 'w');
    live.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => {
        for (const w of live) w.dispose();
      });
    }
  }

  place(w: WeightData): { location: string; offset: number; length: number } {
    let at = this.placed.get(w.key);
    if (!at) {
      // 64-byte alignment, so that mapped tensors start on cache lines.
      const offset = Math.ceil(this.size / 64) * 64;
      at = { offset, length: w.write(this.fd, offset) };
      this.size = offset + at.length;
      this.placed.set(w.key, at);
    }
    return { location: 'weights.bin', ...at };
  }

  modelFile(): string {
    return path.join(this.dir, `graph-${this.models++}.onnx`);
  }

  /** Closes and removes the folder; synchronous, so that an exit handler can call it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    live.delete(this);
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const live = new Set<ExternalWeights>();
let exitHookInstalled = false;
