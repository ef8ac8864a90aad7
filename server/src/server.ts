/**
 * The `.prompts` language server.
 *
 *  - Syntax diagnostics and quick fixes on every change, from the parser alone (no model).
 *  - On save (knowledgeNeurons.onSave): predictions, then integrated-gradient attributions in the
 *    background (cancellable work-done progress, "n of m"), then each fact's refined neurons.
 *    The engine runs in a worker thread (engineWorker.ts) that owns the model.
 *  - Results are cached on disk (cache.ts); reopening a file shows cached results at once.
 *  - Inlay hints, hovers, code lenses, commands, `knowledgeNeurons/compareData`, status notifications.
 *
 * The server never edits user files: edits only come as code actions the user accepts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CancellationTokenSource,
  CodeAction,
  CodeActionKind,
  CodeLens,
  Connection,
  DocumentSymbol,
  SymbolKind,
  FoldingRange,
  Diagnostic,
  DiagnosticSeverity,
  Hover,
  InitializeParams,
  InitializeResult,
  InlayHint,
  MarkupKind,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Dataset, Fact, Prompt, datasetSettings, exportCsv, exportJson, formatAnswers, parse } from '../../engine/src/prompts';
import type { CompareData, FactEffects, FactResult, InterventionResult, Neuron, PromptResult } from '../../engine/src/types';
import { coarseNeurons } from '../../engine/src/neurons';
import { refineFact, refinedFor } from '../../engine/src/method';
import { ResultCache, StoredScores, TOP_K, cacheKey, predictKey, scoresKey, isIntervention, isPrediction, isStoredScores, packMatrix, unpackMatrix } from './cache';
import { CancelToken, CancelledError, EngineCrashedError, EngineHost, ModelInfo, ModelRef } from './engineHost';
import { modelFingerprint, modelKind } from './modelFiles';
import { TRUSTED, TrustNotification, TrustParams, modelRefusal, trustFromInit } from './trust';
import {
  ClientCommands,
  CompareDataParams,
  CompareDataRequest,
  ExportResultsResult,
  FindNeuronsResult,
  InterveneParams,
  InterveneRequest,
  InterveneResult,
  InterventionSummary,
  ServerCommands,
  StatusNotification,
  StatusParams,
  TestCommands,
} from './protocol';
import { FactNeurons, PromptEntry, factHover, inlayLabel, neuronKey, promptDiagnostics, promptHover } from './render';
import { EDITOR_DEFAULTS, EffectiveSettings, ModelSpec, UserSettings, defaultCacheFolder, effectiveSettings, findDefaultModel, normalizeSettings, resolveModelSpec } from './settings';

const SOURCE = 'knowledge-neurons';
const testHooks = process.env.KN_TEST_HOOKS === '1';

// ------------------------------------------------------------------------------------------ state

interface Context {
  settings: EffectiveSettings;
  model?: ModelSpec;
  /** The model as every engine job names it (undefined without a model). */
  ref?: ModelRef;
  /** Content hash of the model's files: the cache key's model part ('' when its files are not here: no caching). */
  fingerprint: string;
  /** Identifies what entries depend on: model files and attribution settings. */
  id: string;
  ruleKey: string;
  /** The model is a folder without config.json. */
  missing: boolean;
  /** Why the model asked for is not loaded (Workspace Trust, trust.ts); `model` is then unset. */
  refused?: string;
}

interface LineIndex {
  prompts: Map<number, { prompt: Prompt; fact: Fact }>;
  facts: Map<number, Fact>;
}

class DocState {
  ds: Dataset = { version: 1, directives: [], facts: [], diagnostics: [] };
  index: LineIndex = { prompts: new Map(), facts: new Map() };
  causal = false;
  ctx: Context | undefined;
  /** Results by `answer \0 text`, valid for `ctx.id`. */
  entries = new Map<string, PromptEntry>();
  neurons = new Map<string, FactNeurons>();
  cts: CancellationTokenSource | undefined;
  running: Promise<unknown> | undefined;
  constructor(
    public uri: string,
    public text: string,
    public version: number,
  ) {}
}

function entryKey(answer: string, text: string): string {
  return `${answer}\u0000${text}`;
}

// ------------------------------------------------------------------------------------------ server

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const states = new Map<string, DocState>();
  const settingsCache = new Map<string, Promise<UserSettings>>();
  const notified = new Set<string>();
  let capabilities = { configuration: false, workDoneProgress: false, inlayRefresh: false, codeLensRefresh: false };
  let initOptions: { settings?: unknown; cacheFolder?: string; enginePath?: string } = {};
  let workspaceRoot: string | undefined;
  /** Workspace Trust as the client tells it, and the workspace folders models may come from (trust.ts). */
  let trust: TrustParams = { ...TRUSTED };
  let workspaceFolders: string[] = [];
  let cache = new ResultCache(defaultCacheFolder());
  const defaultModel = findDefaultModel(__dirname);
  let status: StatusParams = { model: '', device: '', state: 'idle' };

  const log = (msg: string) => connection.console.log(msg);

  const host = new EngineHost({
    enginePath: process.env.KN_ENGINE_MODULE,
    testHooks,
    log: (m) => log(`[engine] ${m}`),
    onCrash: (message, willRestart) => {
      notify(MessageType.Error, `Knowledge Neurons: the engine crashed (${message}).${willRestart ? ' It has been restarted.' : ''}`);
      setStatus({ state: willRestart ? 'idle' : 'error', message });
      if (willRestart) host.ping().catch(() => undefined);
    },
  });

  function notify(type: MessageType, message: string): void {
    void connection.sendNotification(ShowMessageNotification.type, { type, message });
  }

  function setStatus(s: Partial<StatusParams>): void {
    status = { ...status, ...s };
    if (s.state && s.state !== 'working') {
      delete status.done;
      delete status.total;
    }
    void connection.sendNotification(StatusNotification, status);
  }

  // --------------------------------------------------------------------------------- settings

  function getUserSettings(uri: string): Promise<UserSettings> {
    let s = settingsCache.get(uri);
    if (!s) {
      s = (async () => {
        let raw: unknown = initOptions.settings;
        if (capabilities.configuration) {
          try {
            raw = await connection.workspace.getConfiguration({ scopeUri: uri, section: 'knowledgeNeurons' });
          } catch {
            /* keep the init options */
          }
        }
        const user = normalizeSettings(raw);
        if (!user.cacheFolder && initOptions.cacheFolder) user.cacheFolder = initOptions.cacheFolder;
        return user;
      })();
      settingsCache.set(uri, s);
    }
    return s;
  }

  function docFolder(uri: string): string | undefined {
    try {
      return uri.startsWith('file:') ? path.dirname(fileURLToPath(uri)) : undefined;
    } catch {
      return undefined;
    }
  }

  async function refreshContext(st: DocState): Promise<Context> {
    const user = await getUserSettings(st.uri);
    const folder = user.cacheFolder || defaultCacheFolder();
    if (cache.folder !== folder) cache = new ResultCache(folder);
    host.concurrency = user.concurrency;
    const fileSettings = datasetSettings(st.ds);
    const settings = effectiveSettings(user, fileSettings, defaultModel);
    const base = settings.modelSource === 'directive' ? docFolder(st.uri) : settings.modelSource === 'setting' ? workspaceRoot ?? docFolder(st.uri) : undefined;
    const resolved = resolveModelSpec(settings.modelSpec, base);
    // The one gate of Workspace Trust: a refused model is neither read nor loaded, nor is its cache.
    // The setting is application-scoped in VS Code: what workspace/configuration returns is the user's.
    const allowed = { ...trust, allowModelsOutsideWorkspace: trust.allowModelsOutsideWorkspace || user.allowModelsOutsideWorkspace };
    const refused = resolved && modelRefusal({ ...resolved, fromDirective: settings.modelSource === 'directive' }, allowed, workspaceFolders);
    const model = refused ? undefined : resolved;
    const fingerprint = model ? await modelFingerprint(model) : '';
    const ref: ModelRef | undefined = model ? { ref: model.ref, device: settings.device, fingerprint } : undefined;
    const id = cacheKey({ fingerprint, steps: settings.steps, batchSize: settings.batchSize, method: settings.method, quadrature: settings.quadrature });
    const ruleKey = JSON.stringify([settings.rule, settings.p]);
    const missing = !!model?.isPath && !fs.existsSync(path.join(model.ref, 'config.json'));
    const ctx: Context = { settings, model, ref, fingerprint, id, ruleKey, missing, refused };
    if (st.ctx?.id !== id) {
      st.entries.clear();
      st.neurons.clear();
    } else if (st.ctx.ruleKey !== ruleKey) st.neurons.clear();
    st.ctx = ctx;
    const kind = ref ? host.infoFor(ref)?.kind ?? modelKind(model) : undefined;
    const causal = kind === 'causal';
    if (causal !== st.causal) {
      st.causal = causal;
      reparse(st);
    }
    return ctx;
  }

  // --------------------------------------------------------------------------------- parsing & diagnostics

  function reparse(st: DocState): void {
    st.ds = parse(st.text, { causal: st.causal });
    const index: LineIndex = { prompts: new Map(), facts: new Map() };
    for (const f of st.ds.facts) {
      index.facts.set(f.headerRange.start.line, f);
      for (const p of f.prompts) index.prompts.set(p.range.start.line, { prompt: p, fact: f });
    }
    st.index = index;
  }

  function entryFor(st: DocState, p: Prompt): PromptEntry | undefined {
    if (!p.ok || p.answer === undefined) return undefined;
    return st.entries.get(entryKey(p.answer, p.text));
  }

  function publish(st: DocState): void {
    const diagnostics: Diagnostic[] = st.ds.diagnostics.map((d) => ({
      range: d.range,
      severity: d.severity as DiagnosticSeverity,
      code: d.code,
      source: SOURCE,
      message: d.message,
    }));
    if (st.ctx?.missing && st.ctx.settings.modelSource === 'directive') {
      const d = [...st.ds.directives].reverse().find((x) => x.name === 'model' && x.ok);
      if (d) diagnostics.push({ range: d.valueRange, severity: DiagnosticSeverity.Error, code: 'model-not-found', source: SOURCE, message: `model folder not found: ${st.ctx.model!.ref}` });
    }
    if (st.ctx && st.entries.size) {
      const low = st.ctx.settings.lowConfidence;
      for (const f of st.ds.facts)
        for (const p of f.prompts) {
          for (const d of promptDiagnostics(p, entryFor(st, p), low)) diagnostics.push({ ...d, severity: d.severity as DiagnosticSeverity, source: SOURCE });
        }
    }
    diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    void connection.sendDiagnostics({ uri: st.uri, version: st.version, diagnostics });
  }

  let refreshTimer: NodeJS.Timeout | undefined;
  function refreshViews(): void {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      if (capabilities.inlayRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
      if (capabilities.codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    }, 50);
  }

  // --------------------------------------------------------------------------------- cache

  function modelPrompts(st: DocState, facts?: string[]): Array<{ prompt: Prompt; fact: Fact }> {
    const out: Array<{ prompt: Prompt; fact: Fact }> = [];
    for (const f of st.ds.facts) {
      if (!f.ok || (facts && facts.length && !facts.includes(f.name))) continue;
      for (const p of f.prompts) if (p.ok && p.answer !== undefined) out.push({ prompt: p, fact: f });
    }
    return out;
  }

  function getEntry(st: DocState, p: Prompt): PromptEntry {
    const k = entryKey(p.answer!, p.text);
    let e = st.entries.get(k);
    if (!e) st.entries.set(k, (e = {}));
    return e;
  }

  /** Fills entries from the disk cache (no model needed). */
  async function loadFromCache(st: DocState, ctx: Context, token?: CancelToken): Promise<boolean> {
    if (!ctx.model || !ctx.fingerprint) return false;
    let found = false;
    const list = modelPrompts(st);
    const seen = new Set<string>();
    const todo = list.filter(({ prompt }) => {
      const k = entryKey(prompt.answer!, prompt.text);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    let i = 0;
    const workers = Array.from({ length: Math.min(16, todo.length) }, async () => {
      while (i < todo.length) {
        if (token?.isCancellationRequested || st.ctx !== ctx) return;
        const { prompt } = todo[i++];
        const e = getEntry(st, prompt);
        if (!e.prediction) {
          const pr = await cache.get(predictKey(ctx.fingerprint, prompt.text, prompt.answer!), isPrediction);
          if (pr) {
            e.prediction = pr;
            found = true;
          }
        }
        if (!e.scores) {
          const sc = await cache.get(scoresKey(ctx.fingerprint, prompt.text, prompt.answer!, ctx.settings), isStoredScores);
          if (sc) {
            try {
              e.scores = unpackMatrix(sc.matrix);
              e.scoresP = sc.p_target;
              found = true;
            } catch {
              /* corrupt: recompute */
            }
          }
        }
      }
    });
    await Promise.all(workers);
    return found;
  }

  // --------------------------------------------------------------------------------- model

  /** Loads the context's model in the worker; on failure notifies once (per model and message) and returns undefined. */
  async function loadModel(ctx: Context): Promise<ModelInfo | undefined> {
    if (!ctx.model || !ctx.ref) return undefined;
    setStatus({ model: ctx.model.display, device: ctx.settings.device, state: 'loading', message: `loading ${ctx.model.display}` });
    try {
      const info = await host.ensureModel(ctx.ref);
      setStatus({ model: info.id || ctx.model.display, device: info.device, state: 'ready', message: undefined });
      return info;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      setStatus({ state: 'error', message });
      const key = `${ctx.model.ref}\0${message}`;
      if (!notified.has(key)) {
        notified.add(key);
        notify(MessageType.Error, `Knowledge Neurons: could not load the model '${ctx.settings.modelSpec}': ${message}`);
      }
      return undefined;
    }
  }

  function engineMessage(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
  }

  /** Writes a result under the key of the model it was computed with; not at all when the model's files could not be hashed. */
  async function store(ctx: Context, key: string, value: unknown): Promise<void> {
    if (!ctx.fingerprint) return;
    await cache.set(key, value).catch((err) => log(`cache write failed: ${err}`));
  }

  // --------------------------------------------------------------------------------- analysis

  interface RunOptions {
    attributions: boolean;
    facts?: string[];
    /** Keep going even when a newer edit comes (commands). */
    keepOnEdit?: boolean;
  }

  /** Cancels a document's running analysis (a newer edit made it stale). */
  function cancelRun(st: DocState): void {
    st.cts?.cancel();
    st.cts = undefined;
  }

  async function run(st: DocState, opts: RunOptions): Promise<{ cancelled: boolean; ok: boolean }> {
    cancelRun(st);
    const cts = new CancellationTokenSource();
    st.cts = cts;
    const token = cts.token;
    const job = runInner(st, opts, token).finally(() => {
      if (st.cts === cts) st.cts = undefined;
      cts.dispose();
    });
    st.running = job.catch(() => undefined);
    return job;
  }

  async function runInner(st: DocState, opts: RunOptions, token: CancelToken): Promise<{ cancelled: boolean; ok: boolean }> {
    const ctx = await refreshContext(st);
    if (!ctx.model) {
      setStatus({ model: '', state: 'idle', message: ctx.refused ?? 'no model: set knowledgeNeurons.model or write @model' });
      if (ctx.refused && trust.trusted && !notified.has(ctx.refused)) {
        notified.add(ctx.refused);
        notify(MessageType.Warning, `Knowledge Neurons: ${ctx.refused}`);
      }
      return { cancelled: false, ok: false };
    }
    await loadFromCache(st, ctx, token);
    await computeAllNeurons(st, ctx);
    publish(st);
    refreshViews();
    const list = modelPrompts(st, opts.facts);
    const uniq = (items: typeof list, has: (e: PromptEntry) => boolean) => {
      const seen = new Set<string>();
      return items.filter(({ prompt }) => {
        const k = entryKey(prompt.answer!, prompt.text);
        if (seen.has(k) || has(getEntry(st, prompt))) return false;
        seen.add(k);
        return true;
      });
    };
    const needPred = uniq(list, (e) => !!e.prediction || !!e.predictionError);
    const needScores = opts.attributions ? uniq(list, (e) => !!e.scores || !!e.predictionError || !!e.scoresError) : [];
    if (!needPred.length && !needScores.length) return { cancelled: false, ok: true };
    if (token.isCancellationRequested) return { cancelled: true, ok: false };

    const info = await loadModel(ctx);
    if (!info) return { cancelled: false, ok: false };
    if ((info.kind === 'causal') !== st.causal) {
      st.causal = info.kind === 'causal';
      reparse(st);
      publish(st);
    }
    const display = info.id || ctx.model.display;
    let cancelled = false;
    try {
      // predictions: quick, one per prompt
      for (let i = 0; i < needPred.length; i++) {
        if (token.isCancellationRequested || st.ctx !== ctx) {
          cancelled = true;
          break;
        }
        const { prompt } = needPred[i];
        setStatus({ model: display, state: 'working', done: i, total: needPred.length, message: 'predictions' });
        const e = getEntry(st, prompt);
        try {
          const pr = await host.call('predict', { model: ctx.ref!, prompt: prompt.text, target: prompt.answer!, topK: TOP_K }, token);
          e.prediction = pr;
          await store(ctx, predictKey(ctx.fingerprint, prompt.text, prompt.answer!), pr);
        } catch (err) {
          if (err instanceof CancelledError) {
            cancelled = true;
            break;
          }
          if (err instanceof EngineCrashedError) throw err;
          e.predictionError = engineMessage(err);
        }
        if (i % 50 === 49) publish(st);
      }
      publish(st);
      refreshViews();

      // attributions: slow, in the background, with cancellable progress
      if (!cancelled && needScores.length) {
        const todo = uniq(list, (e) => !!e.scores || !!e.predictionError || !!e.scoresError);
        cancelled = await attribute(st, ctx, todo, token, display);
      }
    } catch (err) {
      if (err instanceof EngineCrashedError) {
        setStatus({ state: 'error', message: err.message });
        return { cancelled: false, ok: false };
      }
      throw err;
    }
    await computeAllNeurons(st, ctx);
    publish(st);
    refreshViews();
    setStatus({ model: display, state: 'ready', message: cancelled ? 'cancelled' : undefined });
    return { cancelled, ok: !cancelled };
  }

  async function attribute(st: DocState, ctx: Context, todo: Array<{ prompt: Prompt; fact: Fact }>, token: CancelToken, display: string): Promise<boolean> {
    const m = todo.length;
    let progress: Awaited<ReturnType<typeof connection.window.createWorkDoneProgress>> | undefined;
    let userCancelled = false;
    const local = new CancellationTokenSource();
    const combined: CancelToken = {
      get isCancellationRequested() {
        return token.isCancellationRequested || local.token.isCancellationRequested;
      },
    };
    if (capabilities.workDoneProgress) {
      try {
        progress = await connection.window.createWorkDoneProgress();
        progress.begin('Knowledge neurons', 0, `0 of ${m}`, true);
        progress.token.onCancellationRequested(() => {
          userCancelled = true;
          local.cancel();
        });
      } catch {
        progress = undefined;
      }
    }
    let cancelled = false;
    const failures: string[] = [];
    const s = ctx.settings;
    try {
      for (let i = 0; i < m; i++) {
        if (combined.isCancellationRequested || st.ctx !== ctx) {
          cancelled = true;
          break;
        }
        const { prompt, fact } = todo[i];
        progress?.report(Math.round((100 * i) / m), `${i + 1} of ${m} · ${fact.name}`);
        setStatus({ model: display, state: 'working', done: i, total: m, message: 'attributions' });
        const e = getEntry(st, prompt);
        try {
          const sc = await host.call(
            'scores',
            { model: ctx.ref!, prompt: prompt.text, target: prompt.answer!, options: { steps: s.steps, batchSize: s.batchSize ?? undefined, method: s.method, quadrature: s.quadrature } },
            combined,
          );
          e.scores = sc.scores;
          e.scoresP = sc.p_target;
          e.coarse = undefined;
          const stored: StoredScores = { p_target: sc.p_target, matrix: packMatrix(sc.scores) };
          await store(ctx, scoresKey(ctx.fingerprint, prompt.text, prompt.answer!, ctx.settings), stored);
        } catch (err) {
          if (err instanceof CancelledError) {
            cancelled = true;
            break;
          }
          e.scoresError = engineMessage(err);
          failures.push(`${fact.name}: ${e.scoresError}`);
          if (err instanceof EngineCrashedError) throw err;
        }
        // a fact is done when its last prompt is: refine it and show its neurons
        if (i + 1 === m || todo[i + 1].fact !== fact) {
          try {
            computeFactNeurons(st, ctx, fact);
          } catch (err) {
            log(`refine failed: ${err}`);
          }
          refreshViews();
        }
      }
    } finally {
      progress?.done();
      local.dispose();
      if (failures.length) {
        publish(st);
        const more = failures.length > 1 ? ` (and ${failures.length - 1} more prompt${failures.length > 2 ? 's' : ''})` : '';
        notify(MessageType.Error, `Knowledge Neurons: attribution failed for ${failures[0]}${more}`);
      }
    }
    if (userCancelled) log('attribution cancelled by the user');
    return cancelled;
  }

  function factSignature(ctx: Context, fact: Fact): string {
    return JSON.stringify([ctx.id, ctx.ruleKey, fact.prompts.map((p) => [p.ok, p.negative, p.lang, p.answer, p.text])]);
  }

  async function computeAllNeurons(st: DocState, ctx: Context): Promise<void> {
    for (const f of st.ds.facts) {
      if (!f.ok) continue;
      try {
        computeFactNeurons(st, ctx, f);
      } catch (err) {
        log(`refine failed: ${err}`);
      }
    }
  }

  /** The method's refined sets (engine/src/method) for a fact, once every usable prompt has scores. */
  function computeFactNeurons(st: DocState, ctx: Context, fact: Fact): FactNeurons | undefined {
    const sig = factSignature(ctx, fact);
    const have = st.neurons.get(fact.name);
    if (have && have.signature === sig) return have;
    // prompts the model refused (too long, …) take no part
    const usable = fact.prompts.filter((p) => {
      const e = p.ok && p.answer !== undefined ? entryFor(st, p) : undefined;
      return p.ok && p.answer !== undefined && !e?.predictionError && !e?.scoresError;
    });
    if (!usable.some((p) => !p.negative)) return undefined;
    const entries = usable.map((p) => entryFor(st, p));
    if (entries.some((e) => !e?.scores)) return undefined;
    for (const e of entries as PromptEntry[]) {
      if (e.coarse && e.coarseRule === ctx.ruleKey) continue;
      e.coarse = coarseNeurons(e.scores!, ctx.settings.rule);
      e.coarseRule = ctx.ruleKey;
    }
    const found = refineFact(
      usable.map((p, i) => ({ lang: p.lang, answer: p.answer!, negative: p.negative, coarse: entries[i]!.coarse })),
      ctx.settings.p,
    );
    const groups: FactNeurons['groups'] = {};
    const shares: FactNeurons['shares'] = {};
    for (const [name, g] of Object.entries(found.groups)) {
      groups[name] = { refined: g.refined };
      shares[name] = { n: g.n, counts: g.counts };
    }
    const result: FactNeurons = { signature: sig, groups, shares, negatives: found.negatives };
    if (st.ctx === ctx) st.neurons.set(fact.name, result);
    return result;
  }

  function currentNeurons(st: DocState, fact: Fact): FactNeurons | undefined {
    const n = st.neurons.get(fact.name);
    return n && st.ctx && n.signature === factSignature(st.ctx, fact) ? n : undefined;
  }

  function neuronsFor(n: FactNeurons | undefined, lang: string): Neuron[] {
    return n ? refinedFor(n, lang) : [];
  }

  function factResult(st: DocState, fact: Fact): FactResult {
    const n = currentNeurons(st, fact);
    const result = (p: Prompt): PromptResult => {
      const e = entryFor(st, p);
      const r: PromptResult = { text: p.text, lang: p.lang, answer: p.answer, p_target: e?.prediction?.p_target ?? e?.scoresP ?? NaN };
      if (e?.scores) r.scores = e.scores;
      if (e?.coarse) r.coarse = e.coarse;
      return r;
    };
    const ok = fact.prompts.filter((p) => p.ok);
    const negatives = ok.filter((p) => p.negative).map(result);
    const keys = Object.keys(fact.answers);
    return {
      name: fact.name,
      answer: keys.length === 1 && keys[0] === '' ? fact.answers[''] : formatAnswers(fact.answers),
      prompts: ok.filter((p) => !p.negative).map(result),
      ...(negatives.length ? { negatives } : {}),
      groups: n?.groups ?? {},
    };
  }

  // --------------------------------------------------------------------------------- interventions

  async function intervene(ctx: Context, text: string, answer: string, neurons: Neuron[], mode: 'suppress' | 'enhance', factor?: number): Promise<InterventionResult> {
    const key = cacheKey({ kind: 'intervene', model: ctx.fingerprint, prompt: text, answer, neurons, mode, factor: factor ?? null });
    const hit = ctx.fingerprint ? await cache.get(key, isIntervention) : undefined;
    if (hit) return hit;
    const r = await host.call('intervene', { model: ctx.ref!, prompt: text, target: answer, neurons, mode, factor });
    await store(ctx, key, r);
    return r;
  }

  async function ensureState(uri: string): Promise<DocState> {
    let st = states.get(uri);
    if (st) return st;
    let text: string;
    try {
      text = await fs.promises.readFile(fileURLToPath(uri), 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${uri}: ${(e as Error).message}`, { cause: e });
    }
    st = new DocState(uri, text, 0);
    reparse(st);
    states.set(uri, st);
    return st;
  }

  function findFacts(st: DocState, names?: string[]): Fact[] {
    const facts = st.ds.facts.filter((f) => f.ok && (!names || !names.length || names.includes(f.name)));
    if (names && names.length && !facts.length) throw new Error(`no fact named ${names.join(', ')} in this file`);
    return facts;
  }

  async function findNeurons(uri: string, fact?: string): Promise<FindNeuronsResult> {
    const st = await ensureState(uri);
    const facts = findFacts(st, fact ? [fact] : undefined);
    const r = await run(st, { attributions: true, facts: facts.map((f) => f.name) });
    return { facts: facts.map((f) => factResult(st, f)), cancelled: r.cancelled };
  }

  async function interveneFact(uri: string, mode: 'suppress' | 'enhance', factName?: string, factor?: number): Promise<InterventionSummary[]> {
    const st = await ensureState(uri);
    const facts = findFacts(st, factName ? [factName] : undefined);
    await run(st, { attributions: true, facts: facts.map((f) => f.name) });
    const ctx = st.ctx!;
    const out: InterventionSummary[] = [];
    for (const fact of facts) {
      const n = currentNeurons(st, fact);
      if (!n) continue;
      const summary: InterventionSummary = { fact: fact.name, mode, neurons: neuronsFor(n, 'all'), prompts: [] };
      for (const p of fact.prompts.filter((x) => x.ok && !x.negative)) {
        const neurons = neuronsFor(n, p.lang);
        if (!neurons.length) continue;
        summary.prompts.push({ text: p.text, lang: p.lang, result: await intervene(ctx, p.text, p.answer!, neurons, mode, factor) });
      }
      out.push(summary);
    }
    const lines = out.map((s) => {
      if (!s.prompts.length) return `${s.fact}: no refined neurons`;
      const before = s.prompts.reduce((a, p) => a + p.result.before.p_target, 0) / s.prompts.length;
      const after = s.prompts.reduce((a, p) => a + p.result.after.p_target, 0) / s.prompts.length;
      const nNeurons = new Set(s.prompts.flatMap((p) => neuronsFor(currentNeurons(st, facts.find((f) => f.name === s.fact)!), p.lang).map(neuronKey))).size;
      return `${s.fact}: ${mode === 'suppress' ? 'suppressing' : 'enhancing'} ${nNeurons} neuron${nNeurons === 1 ? '' : 's'} moves P(answer) ${before.toFixed(2)} → ${after.toFixed(2)} (mean of ${s.prompts.length} prompts)`;
    });
    if (lines.length) notify(MessageType.Info, `Knowledge Neurons: ${lines.join('; ')}`);
    else notify(MessageType.Warning, 'Knowledge Neurons: no refined neurons to ' + mode);
    return out;
  }

  async function compareData(params: CompareDataParams): Promise<CompareData> {
    const st = await ensureState(params.uri);
    const facts = findFacts(st, params.facts);
    await run(st, { attributions: true, facts: facts.map((f) => f.name) });
    const ctx = st.ctx!;
    const info = ctx.ref ? host.infoFor(ctx.ref) : undefined;
    const results: FactResult[] = [];
    const all = st.ds.facts.filter((f) => f.ok);
    for (const fact of facts) {
      const r = factResult(st, fact);
      const n = currentNeurons(st, fact);
      if (n && info) {
        const effects: FactEffects = { own: [], control: [] };
        const triple = async (text: string, answer: string, neurons: Neuron[], before?: number) => {
          const s = await intervene(ctx, text, answer, neurons, 'suppress');
          const e = await intervene(ctx, text, answer, neurons, 'enhance', ctx.settings.factor);
          return { text, before: before ?? s.before.p_target, suppressed: s.after.p_target, enhanced: e.after.p_target };
        };
        try {
          for (const p of fact.prompts.filter((x) => x.ok && !x.negative)) {
            const neurons = neuronsFor(n, p.lang);
            if (neurons.length) effects.own.push(await triple(p.text, p.answer!, neurons, entryFor(st, p)?.prediction?.p_target));
          }
          const i = all.indexOf(fact);
          const control = [...all.slice(i + 1), ...all.slice(0, i)].find((f) => f !== fact && JSON.stringify(f.answers) !== JSON.stringify(fact.answers));
          if (control) {
            for (const p of control.prompts.filter((x) => x.ok && !x.negative).slice(0, 8)) {
              const neurons = neuronsFor(n, p.lang);
              if (neurons.length) effects.control.push(await triple(p.text, p.answer!, neurons));
            }
          }
          r.effects = effects;
        } catch (e) {
          log(`effects of ${fact.name} failed: ${engineMessage(e)}`);
        }
      }
      results.push(r);
    }
    return {
      model: info?.id ?? ctx.model?.display ?? '',
      layers: info?.layers ?? 0,
      neurons: info?.neurons ?? 0,
      settings: { rule: ctx.settings.rule, p: ctx.settings.p },
      facts: results,
    };
  }

  // --------------------------------------------------------------------------------- LSP handlers

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const c = params.capabilities;
    capabilities = {
      configuration: !!c.workspace?.configuration,
      workDoneProgress: !!c.window?.workDoneProgress,
      inlayRefresh: !!c.workspace?.inlayHint?.refreshSupport,
      codeLensRefresh: !!c.workspace?.codeLens?.refreshSupport,
    };
    initOptions = (params.initializationOptions ?? {}) as typeof initOptions;
    trust = trustFromInit((initOptions as { trust?: unknown }).trust);
    workspaceFolders = (params.workspaceFolders ?? []).flatMap((f) => (f.uri.startsWith('file:') ? [fileURLToPath(f.uri)] : []));
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    try {
      workspaceRoot = folder ? fileURLToPath(folder) : undefined;
    } catch {
      workspaceRoot = undefined;
    }
    if (initOptions.cacheFolder) cache = new ResultCache(initOptions.cacheFolder);
    const commands: string[] = [...Object.values(ServerCommands)];
    if (testHooks) commands.push(...Object.values(TestCommands));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        executeCommandProvider: { commands },
      },
      serverInfo: { name: 'knowledge-neurons', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    setStatus({ model: '', device: EDITOR_DEFAULTS.device, state: 'idle' });
  });

  // Trusting the folder starts the analysis at once, as a save would.
  connection.onNotification(TrustNotification, (params: TrustParams) => {
    const granted = params.trusted && !trust.trusted;
    trust = trustFromInit(params);
    notified.clear();
    setStatus({ state: 'idle', message: undefined });
    for (const st of states.values()) {
      void (async () => {
        await afterOpen(st);
        const user = await getUserSettings(st.uri);
        if (granted && user.onSave !== 'off') await run(st, { attributions: user.onSave === 'attributions' });
      })().catch((e) => log(`trust: ${e instanceof Error ? e.stack : e}`));
    }
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    notified.clear();
    host.reset();
    for (const st of states.values()) void afterOpen(st);
  });

  async function afterOpen(st: DocState): Promise<void> {
    try {
      const ctx = await refreshContext(st);
      publish(st);
      if (ctx.model) {
        const info = ctx.ref ? host.infoFor(ctx.ref) : undefined;
        setStatus({ model: info?.id ?? ctx.model.display, device: info?.device ?? ctx.settings.device });
        if (await loadFromCache(st, ctx)) {
          await computeAllNeurons(st, ctx);
          publish(st);
          refreshViews();
        }
      }
    } catch (e) {
      log(`open: ${e instanceof Error ? e.stack : e}`);
    }
  }

  /** Before settings arrive: a `@model` folder's config.json says at once whether the model is causal. */
  function quickCausal(st: DocState): void {
    const spec = datasetSettings(st.ds).model;
    if (!spec) return;
    const model = resolveModelSpec(spec, docFolder(st.uri));
    if (model && modelRefusal({ ...model, fromDirective: true }, trust, workspaceFolders)) return;
    const causal = modelKind(model) === 'causal';
    if (causal !== st.causal) {
      st.causal = causal;
      reparse(st);
    }
  }

  documents.onDidOpen(({ document }) => {
    const st = new DocState(document.uri, document.getText(), document.version);
    states.set(document.uri, st);
    reparse(st);
    quickCausal(st);
    publish(st);
    void afterOpen(st);
  });

  documents.onDidChangeContent(({ document }) => {
    const st = states.get(document.uri);
    if (!st) return;
    if (st.version === document.version && st.text === document.getText()) return;
    cancelRun(st);
    st.text = document.getText();
    st.version = document.version;
    reparse(st);
    publish(st);
  });

  documents.onDidSave(({ document }) => {
    const st = states.get(document.uri);
    if (!st) return;
    void (async () => {
      const user = await getUserSettings(st.uri);
      if (user.onSave === 'off') return;
      await run(st, { attributions: user.onSave === 'attributions' });
    })().catch((e) => log(`save: ${e instanceof Error ? e.stack : e}`));
  });

  documents.onDidClose(({ document }) => {
    const st = states.get(document.uri);
    if (st) cancelRun(st);
    states.delete(document.uri);
    settingsCache.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onCodeAction((params) => {
    const st = states.get(params.textDocument.uri);
    if (!st) return [];
    const r = params.range;
    const actions: CodeAction[] = [];
    for (const d of st.ds.diagnostics) {
      if (!d.fix) continue;
      if (d.range.end.line < r.start.line || d.range.start.line > r.end.line) continue;
      if (d.range.end.line === r.start.line && d.range.end.character < r.start.character) continue;
      if (d.range.start.line === r.end.line && d.range.start.character > r.end.character) continue;
      actions.push({
        title: d.fix.title,
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: [{ range: d.range, severity: d.severity as DiagnosticSeverity, code: d.code, source: SOURCE, message: d.message }],
        edit: { changes: { [st.uri]: d.fix.edits } },
      });
    }
    return actions;
  });

  connection.languages.inlayHint.on((params): InlayHint[] => {
    const st = states.get(params.textDocument.uri);
    if (!st || !st.entries.size) return [];
    const out: InlayHint[] = [];
    const { start, end } = params.range;
    for (const f of st.ds.facts)
      for (const p of f.prompts) {
        const line = p.lineRange.end.line;
        if (line < start.line || line > end.line) continue;
        const e = entryFor(st, p);
        const label = inlayLabel(p, e);
        if (!label) continue;
        out.push({ position: p.lineRange.end, label, paddingLeft: true, tooltip: e?.predictionError ?? `P(${p.answer}) and the top neurons by integrated gradients: layer·index, score as a fraction of the prompt's top score` });
      }
    return out;
  });

  connection.onHover((params): Hover | null => {
    const st = states.get(params.textDocument.uri);
    if (!st) return null;
    const line = params.position.line;
    const hit = st.index.prompts.get(line);
    if (hit) {
      const p = hit.prompt;
      if (params.position.character < p.lineRange.start.character) return null;
      return { contents: { kind: MarkupKind.Markdown, value: promptHover(p, entryFor(st, p)) }, range: p.range };
    }
    const fact = st.index.facts.get(line);
    if (fact) return { contents: { kind: MarkupKind.Markdown, value: factHover(fact, currentNeurons(st, fact)) }, range: fact.headerRange };
    return null;
  });

  connection.onDocumentSymbol((params): DocumentSymbol[] => {
    const st = states.get(params.textDocument.uri);
    if (!st) return [];
    return st.ds.facts.map((f) => {
      const last = f.prompts.length ? f.prompts[f.prompts.length - 1].lineRange.end : f.headerRange.end;
      return {
        name: f.name || '(unnamed fact)',
        detail: Object.entries(f.answers).map(([k, v]) => (k ? `${k}: ${v}` : v)).join(' | '),
        kind: SymbolKind.Class,
        range: { start: f.headerRange.start, end: last },
        selectionRange: f.nameRange,
        children: f.prompts.map((p) => ({
          name: `${p.negative ? 'not: ' : ''}${p.lang ? `[${p.lang}] ` : ''}${p.text}`,
          kind: SymbolKind.String,
          range: p.lineRange,
          selectionRange: p.range,
        })),
      };
    });
  });

  connection.onFoldingRanges((params): FoldingRange[] => {
    const st = states.get(params.textDocument.uri);
    if (!st) return [];
    return st.ds.facts
      .filter((f) => f.prompts.length)
      .map((f) => ({ startLine: f.headerRange.start.line, endLine: f.prompts[f.prompts.length - 1].lineRange.end.line }));
  });

  connection.onCodeLens((params): CodeLens[] => {
    const st = states.get(params.textDocument.uri);
    if (!st) return [];
    const lenses: CodeLens[] = [];
    for (const f of st.ds.facts) {
      if (!f.ok) continue;
      const range = f.headerRange;
      const args = [st.uri, f.name];
      const n = currentNeurons(st, f);
      const count = n ? new Set(Object.values(n.groups).flatMap((g) => g.refined.map(neuronKey))).size : undefined;
      lenses.push(
        { range, command: { title: count === undefined ? 'Find knowledge neurons' : `Knowledge neurons: ${count} refined`, command: ClientCommands.findNeurons, arguments: args } },
        { range, command: { title: 'Suppress', command: ClientCommands.suppress, arguments: args } },
        { range, command: { title: 'Enhance', command: ClientCommands.enhance, arguments: args } },
        { range, command: { title: 'Compare', command: ClientCommands.compare, arguments: args } },
      );
    }
    return lenses;
  });

  connection.onExecuteCommand(async (params) => {
    const args = (params.arguments ?? []) as unknown[];
    const uri = typeof args[0] === 'string' ? args[0] : undefined;
    const fact = typeof args[1] === 'string' ? args[1] : undefined;
    const needUri = () => {
      if (!uri) throw new Error(`${params.command}: the first argument must be a document URI`);
      return uri;
    };
    switch (params.command) {
      case ServerCommands.findNeurons:
        return findNeurons(needUri(), fact);
      case ServerCommands.suppress:
        return interveneFact(needUri(), 'suppress', fact);
      case ServerCommands.enhance:
        return interveneFact(needUri(), 'enhance', fact, typeof args[2] === 'number' ? args[2] : undefined);
      case ServerCommands.exportResults: {
        const st = await ensureState(needUri());
        if (!st.ctx) await refreshContext(st);
        const format = args[1] === 'csv' ? 'csv' : 'json';
        const results = st.ds.facts.filter((f) => f.ok).map((f) => factResult(st, f));
        const base = path.basename(uri!.replace(/[?#].*$/, '')).replace(/\.prompts$/, '') || 'results';
        const r: ExportResultsResult = { format, content: format === 'csv' ? exportCsv(results) : exportJson(results), suggestedName: `${base}.neurons.${format}` };
        return r;
      }
      case ServerCommands.clearCache: {
        for (const st of states.values()) cancelRun(st);
        const removed = await cache.clear();
        for (const st of states.values()) {
          st.entries.clear();
          st.neurons.clear();
          publish(st);
        }
        refreshViews();
        return { removed, folder: cache.folder };
      }
      case ServerCommands.status:
        return { ...status, cacheFolder: cache.folder, defaultModel };
      case TestCommands.crashWorker:
        if (!testHooks) throw new Error('test hooks are off');
        await host.crashForTest();
        return null;
      default:
        throw new Error(`unknown command ${params.command}`);
    }
  });

  connection.onRequest(CompareDataRequest, (params: CompareDataParams) => compareData(params));

  connection.onRequest(InterveneRequest, async (params: InterveneParams): Promise<InterveneResult> => {
    const st = await ensureState(params.uri);
    const fact = findFacts(st, [params.fact])[0];
    const ctx = await refreshContext(st);
    const info = await loadModel(ctx);
    if (!info) throw new Error('the model could not be loaded');
    const wanted = params.prompts && params.prompts.length ? new Set(params.prompts) : undefined;
    const results: InterveneResult['results'] = [];
    for (const p of fact.prompts) {
      if (!p.ok || p.negative || (wanted && !wanted.has(p.text))) continue;
      const r = await intervene(ctx, p.text, p.answer!, params.neurons, params.mode, params.factor);
      results.push({ text: p.text, before: r.before.p_target, after: r.after.p_target });
    }
    return { results };
  });

  connection.onShutdown(async () => {
    for (const st of states.values()) cancelRun(st);
    await host.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

if (require.main === module) {
  startServer(createConnection(ProposedFeatures.all));
}
