/**
 * The engine's worker thread: owns the model, so that loading it and running integrated gradients
 * never block the language server's main thread. The engine module is loaded by path
 * (workerData.enginePath, env KN_ENGINE_MODULE, `engine.js` beside this file in a bundle, or
 * `../../engine/src/index.js` in the tsc build).
 *
 * Protocol: the server posts `{id, op, args}`; the worker answers `{id, ok, result}` or
 * `{id, ok: false, error: {message, name}}`, and posts `{log}` lines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

interface EngineModule {
  loadModel(ref: string, opts: { device?: string; log?: (m: string) => void }): Promise<EngineModel>;
  coarseNeurons(scores: number[][], rule: unknown): Array<{ layer: number; index: number }>;
  refineNeurons(coarse: Array<Array<{ layer: number; index: number }>>, p: number): Array<{ layer: number; index: number }>;
  withoutNegatives?(refined: Array<{ layer: number; index: number }>, negative: Array<Array<{ layer: number; index: number }>>, p: number): Array<{ layer: number; index: number }>;
  neuronCard(model: EngineModel, neuron: { layer: number; index: number }, topK?: number): unknown;
}
interface EngineModel {
  info: Record<string, unknown>;
  predict(prompt: string, target: string, opts: { topK?: number }): Promise<unknown>;
  scores(prompt: string, target: string, opts: unknown): Promise<unknown>;
  intervene(prompt: string, target: string, neurons: unknown, opts: unknown): Promise<unknown>;
  dispose(): Promise<void>;
}

interface WorkerData {
  enginePath?: string;
  testHooks?: boolean;
}

const data = (workerData ?? {}) as WorkerData;
let engine: EngineModule | undefined;
let model: EngineModel | undefined;
let modelKey = '';

function log(msg: string): void {
  parentPort?.postMessage({ log: msg });
}

export function engineCandidates(dir: string, explicit?: string): string[] {
  return [explicit, process.env.KN_ENGINE_MODULE, path.join(dir, 'engine.js'), path.resolve(dir, '../../engine/src/index.js')].filter(
    (p): p is string => !!p,
  );
}

function loadEngine(): EngineModule {
  if (engine) return engine;
  const candidates = engineCandidates(__dirname, data.enginePath);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw Object.assign(new Error(`the engine is not built: none of ${candidates.join(', ')} exists`), { name: 'KnError' });
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  engine = require(found) as EngineModule;
  return engine;
}

async function handle(op: string, args: Record<string, any>): Promise<unknown> {
  switch (op) {
    case 'ping':
      return 'pong';
    case 'load': {
      const e = loadEngine();
      const key = `${args.ref}\0${args.device}\0${args.fingerprint ?? ''}`;
      if (model && modelKey === key) return model.info;
      if (model) {
        const old = model;
        model = undefined;
        modelKey = '';
        await old.dispose().catch(() => undefined);
      }
      const m = await e.loadModel(args.ref, { device: args.device, log });
      model = m;
      modelKey = key;
      return m.info;
    }
    case 'predict':
      return need().predict(args.prompt, args.target, { topK: args.topK });
    case 'scores':
      return need().scores(args.prompt, args.target, args.options);
    case 'intervene':
      return need().intervene(args.prompt, args.target, args.neurons, { mode: args.mode, factor: args.factor });
    case 'card':
      return loadEngine().neuronCard(need(), args.neuron, args.topK);
    case 'coarse': {
      const e = loadEngine();
      return (args.items as number[][][]).map((s) => e.coarseNeurons(s, args.rule));
    }
    case 'refine': {
      const e = loadEngine();
      const refined = e.refineNeurons(args.coarse, args.p);
      const neg = args.negative as Array<Array<{ layer: number; index: number }>> | undefined;
      if (neg && neg.length) {
        if (e.withoutNegatives) return e.withoutNegatives(refined, neg, args.p);
        const shared = new Set(e.refineNeurons(neg, args.p).map((n) => `${n.layer}:${n.index}`));
        return refined.filter((n) => !shared.has(`${n.layer}:${n.index}`));
      }
      return refined;
    }
    case 'dispose': {
      const m = model;
      model = undefined;
      modelKey = '';
      if (m) await m.dispose();
      return null;
    }
    case 'crash':
      if (data.testHooks) {
        setImmediate(() => process.exit(3));
        return null;
      }
      throw new Error('unknown op crash');
    default:
      throw new Error(`unknown op ${op}`);
  }
}

function need(): EngineModel {
  if (!model) throw Object.assign(new Error('no model is loaded'), { name: 'KnError' });
  return model;
}

if (parentPort) {
  // The host decides how many jobs run at once (knowledgeNeurons.concurrency, default 1).
  parentPort.on('message', async (msg: { id: number; op: string; args: Record<string, unknown> }) => {
    try {
      const result = await handle(msg.op, msg.args ?? {});
      parentPort!.postMessage({ id: msg.id, ok: true, result });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      parentPort!.postMessage({ id: msg.id, ok: false, error: { message: err.message, name: err.name } });
    }
  });
}
