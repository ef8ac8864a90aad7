/**
 * The server's side of the engine worker: starts it, sends it jobs, restarts it after a crash
 * (reporting the crash once per crash), and stops restarting after repeated crashes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelInfo } from '../../engine/src/model/model';
import { makeScratchDir } from '../../engine/src/scratch';
import { JobArgs, JobName, JobResult, ModelJob, ModelRef, WorkerReply, modelRefKey } from '../../protocol/worker';

export type { ModelInfo, ModelRef };

/** An error from the engine: its message is meant for the user as is (KnError). */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly engineName: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
export class EngineCrashedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineCrashedError';
  }
}
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export interface CancelToken {
  readonly isCancellationRequested: boolean;
}

export interface EngineHostOptions {
  workerFile?: string;
  enginePath?: string;
  testHooks?: boolean;
  log?: (msg: string) => void;
  /** Called when the worker dies unexpectedly; it is restarted on the next job. */
  onCrash?: (message: string, willRestart: boolean) => void;
  concurrency?: number;
}

/**
 * The jobs someone is waiting on in the editor (a P(answer) hint, an intervention in the panel, a
 * neuron card): they go before queued attributions and do not wait behind a running one (one of them
 * runs beside it). Loads, warm-ups and attributions take the slots in turn.
 */
const INTERACTIVE: ReadonlySet<JobName> = new Set<JobName>(['predict', 'intervene', 'card']);

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class EngineHost {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** What the worker answered to `load`, by model key (cleared when the worker restarts). */
  private readonly infos = new Map<string, ModelInfo>();
  private readonly loading = new Map<string, Promise<ModelInfo>>();
  private crashes: number[] = [];
  private broken: string | undefined;
  private running = 0;
  private interactiveRunning = 0;
  private readonly waiting: Array<{ interactive: boolean; go: () => void }> = [];
  concurrency: number;
  /** The cache folder whose `artifacts/` the worker keeps model weights files in (artifacts.ts); taken when the worker starts. */
  cacheFolder: string | undefined;

  constructor(private readonly opts: EngineHostOptions = {}) {
    this.concurrency = opts.concurrency ?? 1;
  }

  /** A load of the model is under way (a file opened or saved before it finished). */
  isLoading(model: ModelRef): boolean {
    return this.loading.has(modelRefKey(model));
  }

  /** The loaded model's info, when the worker holds it. */
  infoFor(model: ModelRef): ModelInfo | undefined {
    return this.infos.get(modelRefKey(model));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    if (this.broken) throw new EngineCrashedError(this.broken);
    const file = this.opts.workerFile ?? path.join(__dirname, 'engineWorker.js');
    // The worker's scratch files (a model's weights when the artifact cache is off or too small) go to a folder of its own,
    // removed when it stops, however it stops (a crash or terminate() runs none of its exit handlers).
    const scratch = makeScratchDir();
    const w = new Worker(file, {
      workerData: { enginePath: this.opts.enginePath, testHooks: !!this.opts.testHooks },
      env: { ...process.env, KN_SCRATCH_DIR: scratch, ...(this.cacheFolder ? { KN_CACHE_DIR: this.cacheFolder } : {}) },
    });
    this.worker = w;
    this.scratch.set(w, scratch);
    w.on('exit', () => this.removeScratch(w));
    w.on('message', (m: WorkerReply) => {
      if ('log' in m) {
        this.opts.log?.(m.log);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new EngineError(m.error?.message ?? 'unknown engine error', m.error?.name ?? 'Error'));
    });
    w.on('error', (e) => this.crashed(w, `the engine worker failed: ${e.message}`));
    w.on('exit', (code) => this.crashed(w, `the engine worker stopped (exit code ${code})`, code));
    w.unref();
    return w;
  }

  private intentional = new WeakSet<Worker>();
  private scratch = new Map<Worker, string>();

  private removeScratch(w: Worker): void {
    const dir = this.scratch.get(w);
    this.scratch.delete(w);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }

  private crashed(w: Worker, message: string, code?: number): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    this.infos.clear();
    this.loading.clear();
    const err = new EngineCrashedError(message);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    if (this.intentional.has(w) || code === 0) return;
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < 60_000);
    this.crashes.push(now);
    const willRestart = this.crashes.length < 3;
    if (!willRestart) this.broken = `${message}; it crashed ${this.crashes.length} times in a minute and is not restarted (reload the window to try again)`;
    this.opts.onCrash?.(message, willRestart);
  }

  /** Allows restarts again (after a settings change). */
  reset(): void {
    this.broken = undefined;
    this.crashes = [];
  }

  private send<K extends JobName>(op: K, args: JobArgs<K>): Promise<JobResult<K>> {
    const w = this.start();
    const id = this.nextId++;
    return new Promise<JobResult<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ id, op, args });
    });
  }

  /** Runs a job when a slot is free (INTERACTIVE ones first); throws CancelledError if the token was cancelled while waiting. */
  private async slot<T>(fn: () => Promise<T>, token?: CancelToken, interactive = false): Promise<T> {
    if (token?.isCancellationRequested) throw new CancelledError();
    await new Promise<void>((go) => {
      this.waiting.push({ interactive, go });
      this.startWaiting();
    });
    try {
      if (token?.isCancellationRequested) throw new CancelledError();
      return await fn();
    } finally {
      this.running--;
      if (interactive) this.interactiveRunning--;
      this.startWaiting();
    }
  }

  /** Starts the waiting jobs that may run now: interactive ones first, each kind in its order. */
  private startWaiting(): void {
    const order = [...this.waiting.filter((w) => w.interactive), ...this.waiting.filter((w) => !w.interactive)];
    for (const w of order) {
      // an interactive job also starts when only other kinds of job are running: beside them
      if (this.running >= this.concurrency && !(w.interactive && this.interactiveRunning === 0)) continue;
      this.waiting.splice(this.waiting.indexOf(w), 1);
      this.running++;
      if (w.interactive) this.interactiveRunning++;
      w.go();
    }
  }

  /** Loads a model in the worker (again when its files changed: another fingerprint); concurrent callers share the load. */
  ensureModel(model: ModelRef): Promise<ModelInfo> {
    const key = modelRefKey(model);
    const have = this.infos.get(key);
    if (have && this.worker) return Promise.resolve(have);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise = this.slot(() => this.send('load', { model })).then(
      (info) => {
        if (this.loading.get(key) === promise) this.loading.delete(key);
        this.infos.set(key, info);
        return info;
      },
      (e) => {
        if (this.loading.get(key) === promise) this.loading.delete(key);
        throw e;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  /** A model job: each names its model (`args.model`), so it runs on that model whatever ran before. */
  call<K extends ModelJob>(op: K, args: JobArgs<K>, token?: CancelToken): Promise<JobResult<K>> {
    return this.slot(() => this.send(op, args), token, INTERACTIVE.has(op));
  }

  ping(): Promise<'pong'> {
    return this.send('ping', {});
  }

  /** Test hook: makes the worker exit with code 3. */
  crashForTest(): Promise<null> {
    return this.send('crash', {});
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.intentional.add(w);
    // Let the worker release its models first (a few seconds at most), then stop it.
    await Promise.race([this.send('dispose', {}).catch(() => null), new Promise((r) => setTimeout(r, 5000).unref())]);
    await w.terminate();
    this.removeScratch(w);
  }
}
