/**
 * ONNX Runtime sessions: device choice with an explicit CUDA → CPU fallback (onnxruntime-node does
 * not fall back by itself), WebGPU on request, and a small wrapper that feeds a compiled graph's
 * weights and inputs.
 */
import * as os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { ExternalWeights } from './artifacts';
import type { Graph, Value } from './graph/ir';
import { emitModel } from './onnx/emit';
import { KnError } from './errors';
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

  /**
   * Compiles a graph; with `external`, its weights are references into the model's external data
   * file (artifacts.ts), which ONNX Runtime reads from that file's folder. A file removed by another
   * process between `prepare` and the session's reading it is written again, once.
   */
  static async create(g: Graph, rt: Runtime, external?: ExternalWeights): Promise<CompiledGraph> {
    const opts = { transposeForMatMul: rt.device === 'webgpu' };
    if (!external) return new CompiledGraph(await rt.createSession(emitModel(g, undefined, opts)), g);
    external.prepare();
    const bytes = emitModel(g, (w) => external.place(w), opts);
    try {
      return new CompiledGraph(await rt.createSession(bytes, external.dir), g);
    } catch (e) {
      if (!external.prepare()) throw e;
      return new CompiledGraph(await rt.createSession(bytes, external.dir), g);
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
      // Every CPU this process may use. ONNX Runtime's own default (0) counts physical cores, and
      // finds one in some virtual machines with two: the realistic bench then ran on one core.
      intraOpNumThreads: opts.intraOpThreads ?? os.availableParallelism(),
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

  /** A session of an ONNX model; `externalDir`: the folder its external data files are in. */
  createSession(model: Uint8Array, externalDir?: string): Promise<ort.InferenceSession> {
    if (!externalDir) return ort.InferenceSession.create(model, this.options);
    const extra = this.options.extra as { session: Record<string, string> };
    const session = { ...extra.session, model_external_initializers_file_folder_path: externalDir };
    return ort.InferenceSession.create(model, { ...this.options, extra: { ...extra, session } });
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
