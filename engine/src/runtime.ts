/**
 * ONNX Runtime sessions: device choice with an explicit CUDA → CPU fallback (onnxruntime-node does
 * not fall back by itself), WebGPU on request, and a small wrapper that feeds a compiled graph's
 * weights and inputs.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { ExternalWeights } from './artifacts';
import type { Graph, Value } from './graph/ir';
import { emitModel } from './onnx/emit';
import type { SymbolicPlan } from './onnx/symbolic';
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
  /** Per input, the axis whose size is symbolic (symbolic.ts), read from the length of its feed. */
  private readonly free: number[];

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly graph: Graph,
    plan?: SymbolicPlan,
  ) {
    this.free = graph.inputs.map((v) => (plan ? v.shape.findIndex((_, axis) => plan.dimParam(v, axis) !== undefined) : -1));
  }

  /**
   * Compiles a graph; with `external`, its weights are references into the model's external data
   * file (artifacts.ts), which ONNX Runtime reads from that file's folder. A file removed by another
   * process between `prepare` and the session's reading it is written again, once.
   */
  static async create(g: Graph, rt: Runtime, external?: ExternalWeights, plan?: SymbolicPlan): Promise<CompiledGraph> {
    const opts = rt.emitOptions;
    if (!external) return new CompiledGraph(await rt.createSession(emitModel(g, undefined, opts, plan)), g, plan);
    external.prepare();
    const bytes = emitModel(g, (w) => external.place(w), opts, plan);
    // The optimized model kept from an earlier session of this graph (artifacts.ts, GraphFile).
    const kept = external.compiled?.(rt.graphKey(bytes));
    const optimized = kept?.read();
    if (optimized)
      try {
        return new CompiledGraph(await rt.createSession(optimized, external.dir, { optimized: true }), g, plan);
      } catch (e) {
        kept!.remove(`cannot be loaded (${String((e as Error).message ?? e).split('\n')[0]}): building it again`);
      }
    const create = () => rt.createSession(bytes, external.dir, { saveTo: kept?.scratch });
    let session: ort.InferenceSession;
    try {
      session = await create();
    } catch (e) {
      if (!external.prepare()) throw e;
      session = await create();
    }
    kept?.keep();
    return new CompiledGraph(session, g, plan);
  }

  async run(feeds: Feeds): Promise<Map<Value, Float32Array | BigInt64Array>> {
    const input: Record<string, ort.Tensor> = {};
    this.graph.inputs.forEach((v, i) => {
      const data = feeds.get(v);
      if (!data) throw new Error(`missing feed for graph input ${v.name}`);
      const shape = [...v.shape];
      const free = this.free[i];
      if (free >= 0) shape[free] = data.length / shape.reduce((n, d, axis) => (axis === free ? n : n * d), 1);
      input[v.name] =
        v.dtype === 'int64'
          ? new ort.Tensor('int64', BigInt64Array.from((data as number[]).map((x) => BigInt(x))), shape)
          : v.dtype === 'bool'
            ? new ort.Tensor('bool', Uint8Array.from(data as number[]), shape)
            : new ort.Tensor('float32', data instanceof Float32Array ? data : Float32Array.from(data), shape);
    });
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

  /** How graphs are written for this device (ops.ts, `transposeForMatMul`). */
  get emitOptions(): { transposeForMatMul: boolean } {
    return { transposeForMatMul: this.device === 'webgpu' };
  }

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

  /**
   * A session of an ONNX model; `externalDir`: the folder its external data files are in. With
   * `saveTo`, ONNX Runtime also writes the optimized model there (its weights stay references into
   * the external data file); `optimized`: the model is such a file, and is not optimized again.
   */
  createSession(model: Uint8Array, externalDir?: string, how: { saveTo?: string; optimized?: boolean } = {}): Promise<ort.InferenceSession> {
    const options: ort.InferenceSession.SessionOptions = { ...this.options };
    if (how.saveTo) options.optimizedModelFilePath = how.saveTo;
    if (how.optimized) options.graphOptimizationLevel = 'disabled';
    if (!externalDir) return ort.InferenceSession.create(model, options);
    const extra = this.options.extra as { session: Record<string, string> };
    const session = { ...extra.session, model_external_initializers_file_folder_path: externalDir };
    return ort.InferenceSession.create(model, { ...options, extra: { ...extra, session } });
  }

  /**
   * What names a compiled graph on disk: the graph as emitted (its operators and the weights file it
   * reads), the ONNX Runtime version, the execution provider, the CPU and the optimization level.
   */
  graphKey(model: Uint8Array): string {
    const h = createHash('sha256').update(model);
    h.update(JSON.stringify([ort.env.versions, this.device, os.cpus()[0]?.model ?? '', os.arch(), this.options.graphOptimizationLevel]));
    return h.digest('hex').slice(0, 32);
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
