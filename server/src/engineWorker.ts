/**
 * The engine's worker thread: owns the models, so that loading them and running integrated
 * gradients never block the language server's main thread. The engine module is loaded by path
 * (workerData.enginePath, env KN_ENGINE_MODULE, `engine.js` beside this file in a bundle, or
 * `../../engine/src/index.js` in the tsc build).
 *
 * Jobs and answers: protocol/worker.ts. Every model job names its model; the worker keeps the
 * last few models it was asked for and loads one again when a job needs it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadOptions, Model, ModelInfo } from '../../engine/src/model/model';
import type { NeuronCard } from '../../engine/src/neuronCard';
import type { Neuron } from '../../engine/src/types';
import { JobArgs, JobName, JobRequest, JobResult, ModelRef, WorkerData, WorkerReply, modelRefKey } from '../../protocol/worker';

/** What the worker uses of the engine module. */
interface EngineModule {
  loadModel(ref: string, opts: LoadOptions): Promise<Model>;
  neuronCard(model: Model, neuron: Neuron, topK?: number): NeuronCard;
}

/** Models held at once: a second file on another model does not evict the first one's. */
const MAX_MODELS = 2;

const data = (workerData ?? {}) as WorkerData;
let engine: EngineModule | undefined;

interface Held {
  key: string;
  loading: Promise<Model>;
  /** Jobs running on it: a model in use is never disposed. */
  busy: number;
  used: number;
}
const models = new Map<string, Held>();
let clock = 0;

function post(m: WorkerReply): void {
  parentPort?.postMessage(m);
}

function log(msg: string): void {
  post({ log: msg });
}

export function engineCandidates(dir: string, explicit?: string): string[] {
  return [explicit, process.env.KN_ENGINE_MODULE, path.join(dir, 'engine.js'), path.resolve(dir, '../../engine/src/index.js')].filter((p): p is string => !!p);
}

function loadEngine(): EngineModule {
  if (engine) return engine;
  const candidates = engineCandidates(__dirname, data.enginePath);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw Object.assign(new Error(`the engine is not built: none of ${candidates.join(', ')} exists`), { name: 'KnError' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by path, at run time
  engine = require(found) as EngineModule;
  return engine;
}

/** Runs fn on the named model, loading it first when it is not held. */
async function withModel<T>(ref: ModelRef, fn: (m: Model) => Promise<T>): Promise<T> {
  const key = modelRefKey(ref);
  let held = models.get(key);
  if (!held) {
    // A prediction and an attribution each keep their session: an edit needs both, one after the other.
    const loading = loadEngine().loadModel(ref.ref, { device: ref.device, weights: ref.weights, log, keepSessions: 2 });
    held = { key, loading, busy: 0, used: 0 };
    models.set(key, held);
    loading.catch(() => {
      if (models.get(key) === held) models.delete(key);
    });
  }
  held.busy++;
  held.used = ++clock;
  try {
    return await fn(await held.loading);
  } finally {
    held.busy--;
    void evict();
  }
}

/** Disposes the least recently used idle models beyond MAX_MODELS. */
async function evict(): Promise<void> {
  const idle = [...models.values()].filter((h) => h.busy === 0).sort((a, b) => a.used - b.used);
  while (models.size > MAX_MODELS && idle.length) {
    const h = idle.shift()!;
    models.delete(h.key);
    await h.loading.then((m) => m.dispose()).catch(() => undefined);
  }
}

type Handlers = { [K in JobName]: (args: JobArgs<K>) => Promise<JobResult<K>> };

const handlers: Handlers = {
  ping: async () => 'pong',
  load: ({ model }) => withModel(model, async (m): Promise<ModelInfo> => m.info),
  predict: ({ model, prompt, target, topK }) => withModel(model, (m) => m.predict(prompt, target, { topK })),
  warm: ({ model, prompts }) => withModel(model, async (m) => (await m.warm(prompts), null)),
  scores: ({ model, prompt, target, options }) => withModel(model, (m) => m.scores(prompt, target, options)),
  intervene: ({ model, prompt, target, neurons, mode, factor }) => withModel(model, (m) => m.intervene(prompt, target, neurons, { mode, factor })),
  card: ({ model, neuron, topK }) => withModel(model, async (m) => loadEngine().neuronCard(m, neuron, topK)),
  dispose: async () => {
    const all = [...models.values()];
    models.clear();
    for (const h of all) await h.loading.then((m) => m.dispose()).catch(() => undefined);
    return null;
  },
  crash: async () => {
    if (!data.testHooks) throw new Error('unknown op crash');
    setImmediate(() => process.exit(3));
    return null;
  },
};

function handle<K extends JobName>(msg: JobRequest<K>): Promise<JobResult<K>> {
  const h = handlers[msg.op] as ((args: JobArgs<K>) => Promise<JobResult<K>>) | undefined;
  if (!h) return Promise.reject(new Error(`unknown op ${String(msg.op)}`));
  return h(msg.args);
}

if (parentPort) {
  // The host decides how many jobs run at once (knowledgeNeurons.concurrency, default 1).
  parentPort.on('message', async (msg: JobRequest) => {
    try {
      post({ id: msg.id, ok: true, result: await handle(msg) });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      post({ id: msg.id, ok: false, error: { message: err.message, name: err.name } });
    }
  });
}
