/**
 * Hub models are downloaded here, in the language server's own thread (network and disk I/O only),
 * in a queue of their own: never in the engine's job slot, so a slow download delays no file whose
 * model is already on this machine. One download runs at a time; the files that ask for the same
 * model share it. Each is cancellable (the Cancel of its progress, or shutdown: what arrived stays,
 * and the next download resumes it), reports its progress (work-done progress and the file's
 * status), and refuses a model that cannot fit memory from its config.json, before any weight
 * (checkConfigFits, as the engine's loadModel does).
 */
import { HubError, checkConfigFits, formatProgress, resolveModel } from '../../engine/src/hub';
import type { WeightStorage } from '../../engine/src/types';
import type { ModelSpec } from './settings';
import type { World } from './world';

interface Download {
  promise: Promise<void>;
  controller: AbortController;
}

export class Downloads {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly active = new Map<string, Download>();

  constructor(private readonly world: World) {}

  /** Resolves when the hub model's files are in the local hub cache; rejects with the hub's error (code CANCELLED when cancelled). */
  fetch(model: ModelSpec, uri: string, weights: WeightStorage): Promise<void> {
    let d = this.active.get(model.ref);
    if (!d) {
      const controller = new AbortController();
      const promise = this.queue.then(() => this.run(model, uri, weights, controller.signal));
      this.queue = promise.catch(() => undefined);
      d = { promise, controller };
      this.active.set(model.ref, d);
      const done = d;
      promise.then(
        () => this.active.get(model.ref) === done && this.active.delete(model.ref),
        () => this.active.get(model.ref) === done && this.active.delete(model.ref),
      );
    }
    return d.promise;
  }

  /** Stops every download (shutdown). */
  dispose(): void {
    for (const d of this.active.values()) d.controller.abort();
  }

  private async run(model: ModelSpec, uri: string, weights: WeightStorage, signal: AbortSignal): Promise<void> {
    const { world } = this;
    if (signal.aborted) throw new HubError('CANCELLED', `The download of ${model.display} was cancelled.`);
    let progress: Awaited<ReturnType<typeof world.connection.window.createWorkDoneProgress>> | undefined;
    if (world.capabilities.workDoneProgress) {
      try {
        progress = await world.connection.window.createWorkDoneProgress();
        progress.begin(`Downloading ${model.display}`, 0, 'config.json', true);
        progress.token.onCancellationRequested(() => {
          world.log(`download of ${model.display} cancelled by the user`);
          this.active.get(model.ref)?.controller.abort();
        });
      } catch {
        progress = undefined;
      }
    }
    const t0 = performance.now();
    let last = 0;
    try {
      world.setStatus({ model: model.display, state: 'loading', message: `downloading ${model.display}` }, uri);
      const r = await resolveModel(model.ref, {
        signal,
        onConfig: (file) => checkConfigFits(file, model.ref, { weights }),
        onProgress: (p) => {
          const now = performance.now();
          if (now - last < 250 && p.bytes < p.total) return;
          last = now;
          const text = formatProgress(p);
          progress?.report(p.total > 0 ? Math.floor((100 * p.bytes) / p.total) : 0, text);
          world.setStatus({ model: model.display, state: 'loading', message: `downloading ${text}` }, uri);
        },
      });
      if (r.source === 'download') world.log(`model ${model.display}: downloaded in ${Math.round(performance.now() - t0)} ms to ${r.dir}`);
    } finally {
      progress?.done();
    }
  }
}
