/**
 * Analysis of a document: predictions, then integrated-gradient attributions in the background
 * (cancellable work-done progress, "n of m"), then each fact's refined neurons. Every engine job
 * names the model of the document's context; every result is cached under that model's key.
 * A newer edit cancels the running analysis.
 */
import { CancellationTokenSource, MessageType } from 'vscode-languageserver/node';
import type { Fact, Prompt } from '../../engine/src/prompts';
import type { InterventionResult, Neuron, ScoreOptions, Scores } from '../../engine/src/types';
import { StoredScores, TOP_K, cacheKey, isIntervention, packMatrix, predictKey, scoresKey } from './cache';
import type { Context, DocState } from './document';
import { entryKey } from './document';
import { CancelToken, CancelledError, EngineCrashedError, ModelInfo } from './engineHost';
import type { PromptEntry } from './render';
import { allFactNeurons, factNeurons, loadFromCache } from './results';
import { HubError } from '../../engine/src/hub';
import { modelFolder } from './modelFiles';
import type { World } from './world';

export interface RunOptions {
  attributions: boolean;
  facts?: string[];
}

export interface RunResult {
  cancelled: boolean;
  ok: boolean;
}

type Todo = Array<{ prompt: Prompt; fact: Fact }>;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Writes a result under the key of the model it was computed with; not at all when the model's files could not be hashed. */
async function store(world: World, ctx: Context, key: string, value: unknown): Promise<void> {
  if (!ctx.fingerprint) return;
  await world.cache.set(key, value).catch((err) => world.logError(`cache write failed: ${err}`));
}

const since = (t0: number) => `${Math.round(performance.now() - t0)} ms`;

/** Loads the context's model in the worker; on failure notifies once (per model and message) and returns undefined. */
export async function loadModel(world: World, ctx: Context, uri?: string): Promise<ModelInfo | undefined> {
  if (!ctx.model || !ctx.ref) return undefined;
  const loaded = world.host.infoFor(ctx.ref);
  // a load already under way (the warm-up of an opened file) is logged by the caller that started it
  const starts = !loaded && !world.host.isLoading(ctx.ref);
  const t0 = performance.now();
  if (!loaded) world.setStatus({ model: ctx.model.display, device: ctx.settings.device, state: 'loading', message: `loading ${ctx.model.display}` }, uri);
  try {
    const info = await world.host.ensureModel(ctx.ref);
    if (starts)
      world.log(`model ${info.id || ctx.model.display} (${info.architecture}, ${info.layers} × ${info.neurons}) on ${info.device}: ready in ${since(t0)}`);
    world.setStatus({ model: info.id || ctx.model.display, device: info.device, state: 'ready', message: undefined }, uri);
    return info;
  } catch (e) {
    modelFailed(world, ctx, e, uri);
    return undefined;
  }
}

/** A model that could not be downloaded or loaded: the status, the log and one message (per model and message). */
function modelFailed(world: World, ctx: Context, e: unknown, uri?: string): void {
  const text = message(e);
  world.logError(`model ${ctx.settings.modelSpec}: ${text}`);
  world.setStatus({ model: ctx.model!.display, state: 'error', message: text }, uri);
  const key = `${ctx.model!.ref}\0${text}`;
  if (!world.notified.has(key)) {
    world.notified.add(key);
    world.notify(MessageType.Error, `Knowledge Neurons: could not load the model '${ctx.settings.modelSpec}': ${text}`);
  }
}

/**
 * A hub model not on this machine yet is downloaded first, in the downloads' own queue (downloads.ts),
 * not in the engine's job slot: files on local models go on meanwhile. False when it failed or was cancelled.
 */
async function download(world: World, st: DocState, ctx: Context): Promise<boolean> {
  try {
    await world.downloads.fetch(ctx.model!, st.uri, ctx.settings.weights);
    return true;
  } catch (e) {
    if (e instanceof HubError && e.code === 'CANCELLED') world.setStatus({ model: ctx.model!.display, state: 'idle', message: 'download cancelled' }, st.uri);
    else modelFailed(world, ctx, e, st.uri);
    return false;
  }
}

/**
 * A file opened (or whose `@model` changed) whose next save has work for its model: the model loads
 * now, in the background, and so do the forward sessions its predictions will use, so that the save
 * waits for neither. Not for a model Workspace Trust refuses (`ctx.model` is then unset), a missing
 * folder, a hub model not on this machine (downloads wait for a save), `onSave: off`, nor a file
 * whose results the cache holds: no model is loaded for it. Nothing is shown but the model's status.
 */
export async function preload(world: World, st: DocState, ctx: Context): Promise<void> {
  if (!ctx.model || !ctx.ref || ctx.missing || !modelFolder(ctx.model)) return;
  const { onSave } = await world.settingsFor(st.uri);
  const list = st.modelPrompts();
  const needPred = missing(st, list, hasPrediction);
  if (onSave === 'off' || (!needPred.length && !(onSave === 'attributions' && missing(st, list, hasScores).length))) return;
  const t0 = performance.now();
  const info = await loadModel(world, ctx, st.uri);
  if (!info || !needPred.length || st.ctx !== ctx) return;
  try {
    await world.host.call('warm', { model: ctx.ref, prompts: needPred.map(({ prompt }) => ({ prompt: prompt.text, target: prompt.answer! })) });
    world.log(`warm-up: ${info.id || ctx.model.display} ready for ${st.uri.slice(st.uri.lastIndexOf('/') + 1)} in ${since(t0)}`);
  } catch (e) {
    world.log(`warm-up failed: ${message(e)}`);
  }
}

/** Runs the analysis of a document, cancelling the one before. */
export function run(world: World, st: DocState, opts: RunOptions): Promise<RunResult> {
  st.cancel();
  const cts = new CancellationTokenSource();
  st.cts = cts;
  const job = analyse(world, st, opts, cts.token).finally(() => {
    if (st.cts === cts) st.cts = undefined;
    cts.dispose();
  });
  st.running = job.catch(() => undefined);
  return job;
}

/** The prompts whose entry lacks what `has` asks for, each (answer, text) once. */
function missing(st: DocState, list: Todo, has: (e: PromptEntry) => boolean): Todo {
  const seen = new Set<string>();
  return list.filter(({ prompt }) => {
    const k = entryKey(prompt.answer!, prompt.text);
    if (seen.has(k) || has(st.getEntry(prompt))) return false;
    seen.add(k);
    return true;
  });
}

const hasPrediction = (e: PromptEntry) => !!e.prediction || !!e.predictionError;
const hasScores = (e: PromptEntry) => !!e.scores || !!e.predictionError || !!e.scoresError;

async function analyse(world: World, st: DocState, opts: RunOptions, token: CancelToken): Promise<RunResult> {
  let ctx = await world.refreshContext(st);
  if (!ctx.model) {
    world.setStatus({ model: '', state: 'idle', message: ctx.refused ?? 'no model: set knowledgeNeurons.model or write @model' }, st.uri);
    if (ctx.refused && world.trust.trusted && !world.notified.has(ctx.refused)) {
      world.notified.add(ctx.refused);
      world.notify(MessageType.Warning, `Knowledge Neurons: ${ctx.refused}`);
    }
    return { cancelled: false, ok: false };
  }
  if (!ctx.model.isPath && !modelFolder(ctx.model)) {
    if (!(await download(world, st, ctx))) return { cancelled: false, ok: false };
    if (token.isCancellationRequested) return { cancelled: true, ok: false };
    // its files are here now: their content hash keys the cache
    ctx = await world.refreshContext(st);
    if (!ctx.model) return { cancelled: false, ok: false };
  }
  await loadFromCache(world, st, ctx, token);
  allFactNeurons(world, st, ctx);
  world.publish(st);
  world.refreshViews();
  const list = st.editedFirst(st.modelPrompts(opts.facts));
  const needPred = missing(st, list, hasPrediction);
  const needScores = opts.attributions ? missing(st, list, hasScores) : [];
  if (!needPred.length && !needScores.length) return { cancelled: false, ok: true };
  if (token.isCancellationRequested) return { cancelled: true, ok: false };

  const info = await loadModel(world, ctx, st.uri);
  if (!info) return { cancelled: false, ok: false };
  if (st.setCausal(info.kind === 'causal')) world.publish(st);
  const display = info.id || ctx.model.display;
  let cancelled: boolean;
  try {
    cancelled = await predict(world, st, ctx, needPred, token, display);
    world.publish(st);
    world.refreshViews();
    if (!cancelled && needScores.length) cancelled = await attribute(world, st, ctx, missing(st, list, hasScores), token, display);
  } catch (err) {
    if (err instanceof EngineCrashedError) {
      world.setStatus({ state: 'error', message: err.message }, st.uri);
      return { cancelled: false, ok: false };
    }
    throw err;
  }
  allFactNeurons(world, st, ctx);
  world.publish(st);
  world.refreshViews();
  if (!cancelled && !opts.facts?.length) st.remember();
  world.setStatus({ model: display, state: 'ready', message: cancelled ? 'cancelled' : undefined }, st.uri);
  return { cancelled, ok: !cancelled };
}

/** Predictions: quick, one per prompt. Returns true when cancelled. */
async function predict(world: World, st: DocState, ctx: Context, todo: Todo, token: CancelToken, display: string): Promise<boolean> {
  const t0 = performance.now();
  let shown = t0;
  for (let i = 0; i < todo.length; i++) {
    if (token.isCancellationRequested || st.ctx !== ctx) return true;
    const { prompt } = todo[i];
    world.setStatus({ model: display, state: 'working', done: i, total: todo.length, message: 'predictions' }, st.uri);
    const e = st.getEntry(prompt);
    try {
      const pr = await world.host.call('predict', { model: ctx.ref!, prompt: prompt.text, target: prompt.answer!, topK: TOP_K }, token);
      e.prediction = pr;
      await store(world, ctx, predictKey(ctx.fingerprint, prompt.text, prompt.answer!), pr);
    } catch (err) {
      if (err instanceof CancelledError) return true;
      if (err instanceof EngineCrashedError) throw err;
      e.predictionError = message(err);
    }
    // each P(answer) shows as it comes (the first one at once, then at most every 250 ms), not after the whole file
    if (i === 0 || performance.now() - shown >= 250) {
      shown = performance.now();
      world.publish(st);
      world.refreshViews();
    }
  }
  if (todo.length)
    world.log(`predictions: ${todo.length} prompt${todo.length === 1 ? '' : 's'} of ${st.uri.slice(st.uri.lastIndexOf('/') + 1)} in ${since(t0)}`);
  return false;
}

/** Attributions: slow, with cancellable progress; a fact's refined sets as soon as its last prompt is done. Returns true when cancelled. */
async function attribute(world: World, st: DocState, ctx: Context, todo: Todo, token: CancelToken, display: string): Promise<boolean> {
  const m = todo.length;
  const local = new CancellationTokenSource();
  const combined: CancelToken = {
    get isCancellationRequested() {
      return token.isCancellationRequested || local.token.isCancellationRequested;
    },
  };
  let progress: Awaited<ReturnType<typeof world.connection.window.createWorkDoneProgress>> | undefined;
  if (world.capabilities.workDoneProgress) {
    try {
      progress = await world.connection.window.createWorkDoneProgress();
      progress.begin('Knowledge neurons', 0, `0 of ${m}`, true);
      progress.token.onCancellationRequested(() => {
        world.log('attribution cancelled by the user');
        local.cancel();
      });
    } catch {
      progress = undefined;
    }
  }
  const failures: string[] = [];
  const s = ctx.settings;
  try {
    for (let i = 0; i < m; i++) {
      if (combined.isCancellationRequested || st.ctx !== ctx) return true;
      const { prompt, fact } = todo[i];
      progress?.report(Math.round((100 * i) / m), `${i + 1} of ${m} · ${fact.name}`);
      world.setStatus({ model: display, state: 'working', done: i, total: m, message: 'attributions' }, st.uri);
      const e = st.getEntry(prompt);
      const t0 = performance.now();
      // a result that came meanwhile (from the job an older analysis of this file had running) is not asked for again
      if (!hasScores(e))
        try {
          const options = { steps: s.steps, batchSize: s.batchSize ?? undefined, method: s.method, quadrature: s.quadrature };
          const sc = await scoresOnce(world, st, ctx, prompt, options, combined);
          e.scores = sc.scores;
          e.scoresP = sc.p_target;
          e.coarse = undefined;
          world.log(`attribution ${i + 1} of ${m} (${fact.name}): ${since(t0)}`);
          const stored: StoredScores = { p_target: sc.p_target, matrix: packMatrix(sc.scores) };
          await store(world, ctx, scoresKey(ctx.fingerprint, prompt.text, prompt.answer!, s), stored);
        } catch (err) {
          if (err instanceof CancelledError) return true;
          // an attribution that fails (over memory, a crashed worker, …) is a diagnostic and a message
          e.scoresError = message(err);
          failures.push(`${fact.name}: ${e.scoresError}`);
          if (err instanceof EngineCrashedError) throw err;
        }
      // each prompt's neurons show as they come (hints, hovers), and its fact is refined again
      try {
        factNeurons(st, ctx, fact);
      } catch (err) {
        world.logError(`refine failed: ${err}`);
      }
      world.refreshViews();
    }
    return false;
  } finally {
    progress?.done();
    local.dispose();
    if (failures.length) {
      world.publish(st);
      const more = failures.length > 1 ? ` (and ${failures.length - 1} more prompt${failures.length > 2 ? 's' : ''})` : '';
      world.notify(MessageType.Error, `Knowledge Neurons: attribution failed for ${failures[0]}${more}`);
    }
  }
}

/**
 * One prompt's scores. A job already running for it (started by an analysis of this file that an
 * edit cancelled: predictions no longer wait for it) is awaited, not run a second time.
 */
async function scoresOnce(world: World, st: DocState, ctx: Context, prompt: Prompt, options: ScoreOptions, token: CancelToken): Promise<Scores> {
  const key = `${ctx.id}\0${entryKey(prompt.answer!, prompt.text)}`;
  const running = st.scoring.get(key);
  if (running)
    try {
      return await running;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e; // it was still waiting when its analysis was cancelled: run it here
    }
  const job = world.host.call('scores', { model: ctx.ref!, prompt: prompt.text, target: prompt.answer!, options }, token);
  st.scoring.set(key, job);
  try {
    return await job;
  } finally {
    if (st.scoring.get(key) === job) st.scoring.delete(key);
  }
}

/** Suppresses or enhances neurons on one prompt (cached under the context's model). */
export async function intervene(
  world: World,
  ctx: Context,
  text: string,
  answer: string,
  neurons: Neuron[],
  mode: 'suppress' | 'enhance',
  factor?: number,
): Promise<InterventionResult> {
  const key = cacheKey({ kind: 'intervene', model: ctx.fingerprint, prompt: text, answer, neurons, mode, factor: factor ?? null });
  const hit = ctx.fingerprint ? await world.cache.get(key, isIntervention) : undefined;
  if (hit) return hit;
  const r = await world.host.call('intervene', { model: ctx.ref!, prompt: text, target: answer, neurons, mode, factor });
  await store(world, ctx, key, r);
  return r;
}
