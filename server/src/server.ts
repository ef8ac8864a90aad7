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
  CompletionItem,
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
  TextEdit,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Dataset, Fact, Prompt, datasetSettings, exportCsv, exportJson, formatAnswers, parse } from '../../engine/src/prompts';
import type { CompareData, FactEffects, FactResult, InterventionResult, Neuron, PredictionDetail, PromptResult, Scores } from '../../engine/src/types';
import { ResultCache, cacheKey, packMatrix, unpackMatrix } from './cache';
import { CancelToken, CancelledError, EngineCrashedError, EngineError, EngineHost, ModelInfo } from './engineHost';
import {
  COMPARE_PANEL_CAPABILITY,
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
import { FactNeurons, PromptEntry, factHover, inlayLabel, neuronKey, neuronLabel, promptDiagnostics, promptHover, topNeurons } from './render';
import { COMPLETION_TRIGGERS, completions } from './completion';
import { formatEdits } from './formatting';
import { hoverFormat, markup } from './markup';
import { interventionMarkdown, interventionTitle } from './interventionText';
import { neuronCardMarkdown } from './neuronCardText';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './semanticTokens';
import { cachedModels, hubCacheDir } from '../../engine/src/hub';
import type { NeuronCard } from '../../engine/src/neuronCard';
import {
  DEFAULT_SETTINGS,
  EffectiveSettings,
  ResolvedModel,
  UserSettings,
  defaultCacheFolder,
  effectiveSettings,
  findDefaultModel,
  guessModelKind,
  modelFingerprint,
  normalizeSettings,
  packageVersion,
  resolveModel,
} from './settings';

const SOURCE = 'knowledge-neurons';
const HINT_TOOLTIP = "P(answer) and the top neurons by integrated gradients: layer·index, score as a fraction of the prompt's top score";
const TOP_K = 10;
const testHooks = process.env.KN_TEST_HOOKS === '1';

// ------------------------------------------------------------------------------------------ state

interface Context {
  settings: EffectiveSettings;
  model?: ResolvedModel;
  fingerprint: string;
  /** Identifies what entries depend on: model files and attribution settings. */
  id: string;
  ruleKey: string;
  /** The model is a folder without config.json. */
  missing: boolean;
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
  /** The model's kind is unknown (its folder is missing): no mask rules that depend on it. */
  kindUnknown = false;
  /** The last suppress / enhance results per fact, shown in its lenses and hover. */
  interventions = new Map<string, Partial<Record<'suppress' | 'enhance', InterventionSummary>>>();
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
  let capabilities = { configuration: false, workDoneProgress: false, inlayRefresh: false, codeLensRefresh: false, comparePanel: false, hover: MarkupKind.PlainText as MarkupKind };
  /** Settings pushed by workspace/didChangeConfiguration (`settings.knowledgeNeurons`); the latest push wins over the init options. */
  let pushed: Record<string, unknown> | undefined;
  /** Neuron cards by model fingerprint and neuron. */
  const cards = new Map<string, Promise<NeuronCard>>();
  let initOptions: { settings?: unknown; cacheFolder?: string; enginePath?: string } = {};
  let workspaceRoot: string | undefined;
  let cache = new ResultCache(defaultCacheFolder());
  const defaultModel = findDefaultModel(__dirname);
  let status: StatusParams = { model: '', device: '', state: 'idle' };

  // Levels and times: the client prints `[Info  - 10:23:45] …` for each.
  const log = (msg: string) => connection.console.info(msg);
  const logError = (msg: string) => connection.console.error(msg);
  const since = (t0: number) => `${Math.round(performance.now() - t0)} ms`;

  const host = new EngineHost({
    enginePath: process.env.KN_ENGINE_MODULE,
    testHooks,
    log: (m) => log(`[engine] ${m}`),
    onCrash: (message, willRestart) => {
      notify(MessageType.Error, `Knowledge Neurons: the engine crashed (${message}).${willRestart ? ' It has been restarted.' : ''}`);
      setStatus({ state: willRestart ? 'idle' : 'error', message });
      if (willRestart) host.pure('ping', {}).catch(() => undefined);
    },
  });

  function notify(type: MessageType, message: string): void {
    void connection.sendNotification(ShowMessageNotification.type, { type, message });
  }

  /** Each document's status (its model, not the last one that ran), and the engine's own without one. */
  const docStatus = new Map<string, StatusParams>();
  function setStatus(s: Partial<StatusParams>, uri?: string): void {
    let next: StatusParams = { ...(uri ? docStatus.get(uri) ?? { model: '', device: '', state: 'idle' } : status), ...s };
    if (s.state && s.state !== 'working') {
      delete next.done;
      delete next.total;
    }
    if (uri) {
      next = { ...next, uri };
      docStatus.set(uri, next);
    } else status = next;
    void connection.sendNotification(StatusNotification, next);
  }

  // --------------------------------------------------------------------------------- settings

  function getUserSettings(uri: string): Promise<UserSettings> {
    let s = settingsCache.get(uri);
    if (!s) {
      s = (async () => {
        // init options, then a push, then what the client answers for this file, key by key
        let pulled: unknown;
        if (capabilities.configuration) {
          try {
            pulled = await connection.workspace.getConfiguration({ scopeUri: uri, section: 'knowledgeNeurons' });
          } catch {
            /* keep the init options and pushes */
          }
        }
        const object = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
        const user = normalizeSettings({ ...object(initOptions.settings), ...object(pushed), ...object(pulled) });
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
    const model = resolveModel(settings.modelSpec, base);
    const fingerprint = model ? modelFingerprint(model) : '';
    const id = cacheKey({ fingerprint, steps: settings.steps, batchSize: settings.batchSize, method: settings.method, quadrature: settings.quadrature });
    const ruleKey = JSON.stringify([settings.rule, settings.p]);
    const missing = !!model?.isPath && !fs.existsSync(path.join(model.ref, 'config.json'));
    const ctx: Context = { settings, model, fingerprint, id, ruleKey, missing };
    if (st.ctx?.id !== id) {
      st.entries.clear();
      st.neurons.clear();
    } else if (st.ctx.ruleKey !== ruleKey) st.neurons.clear();
    st.ctx = ctx;
    const kind = model ? (host.modelInfo && host.modelInfo.dir === model.ref ? host.modelInfo.kind : guessModelKind(model)) : undefined;
    const causal = kind === 'causal';
    // a missing model folder is one error (model-not-found), not a masked-model error per prompt
    if (causal !== st.causal || missing !== st.kindUnknown) {
      st.causal = causal;
      st.kindUnknown = missing;
      reparse(st);
    }
    return ctx;
  }

  // --------------------------------------------------------------------------------- parsing & diagnostics

  function reparse(st: DocState): void {
    st.ds = parse(st.text, { causal: st.causal, kindUnknown: st.kindUnknown });
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

  function predictKey(ctx: Context, prompt: string, answer: string): string {
    return cacheKey({ kind: 'predict', model: ctx.fingerprint, prompt, answer, topK: TOP_K });
  }
  function scoresKey(ctx: Context, prompt: string, answer: string): string {
    const s = ctx.settings;
    return cacheKey({ kind: 'scores', model: ctx.fingerprint, prompt, answer, steps: s.steps, batchSize: s.batchSize, method: s.method, quadrature: s.quadrature });
  }

  interface StoredScores {
    p_target: number;
    matrix: { rows: number; cols: number; f32: string };
  }

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
    if (!ctx.model) return false;
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
          const pr = await cache.get<PredictionDetail>(predictKey(ctx, prompt.text, prompt.answer!));
          if (pr) {
            e.prediction = pr;
            found = true;
          }
        }
        if (!e.scores) {
          const sc = await cache.get<StoredScores>(scoresKey(ctx, prompt.text, prompt.answer!));
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
  async function loadModel(ctx: Context, uri?: string): Promise<ModelInfo | undefined> {
    if (!ctx.model) return undefined;
    const t0 = performance.now();
    const loaded = host.modelInfo?.dir === ctx.model.ref;
    if (!loaded) setStatus({ model: ctx.model.display, device: ctx.settings.device, state: 'loading', message: `loading ${ctx.model.display}` }, uri);
    try {
      const info = await host.ensureModel(ctx.model.ref, ctx.settings.device, ctx.fingerprint);
      if (!loaded) log(`model ${info.id || ctx.model.display} (${info.architecture}, ${info.layers} × ${info.neurons}) on ${info.device}: ready in ${since(t0)}`);
      setStatus({ model: info.id || ctx.model.display, device: info.device, state: 'ready', message: undefined }, uri);
      return info;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      logError(`model ${ctx.settings.modelSpec}: ${message}`);
      setStatus({ model: ctx.model.display, state: 'error', message }, uri);
      const key = `${ctx.model.ref}\0${message}`;
      if (!notified.has(key)) {
        notified.add(key);
        notify(MessageType.Error, `Knowledge Neurons: could not load the model '${ctx.settings.modelSpec}': ${message}`);
      }
      return undefined;
    }
  }

  function engineMessage(e: unknown): string {
    if (e instanceof EngineError) return e.message;
    return e instanceof Error ? e.message : String(e);
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
      setStatus({ model: '', state: 'idle', message: 'no model: set knowledgeNeurons.model or write @model' }, st.uri);
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

    const info = await loadModel(ctx, st.uri);
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
      const t0 = performance.now();
      for (let i = 0; i < needPred.length; i++) {
        if (token.isCancellationRequested || st.ctx !== ctx) {
          cancelled = true;
          break;
        }
        const { prompt } = needPred[i];
        setStatus({ model: display, state: 'working', done: i, total: needPred.length, message: 'predictions' }, st.uri);
        const e = getEntry(st, prompt);
        try {
          const pr = await host.call<PredictionDetail>('predict', { prompt: prompt.text, target: prompt.answer, topK: TOP_K }, token);
          e.prediction = pr;
          await cache.set(predictKey(ctx, prompt.text, prompt.answer!), pr).catch((err) => log(`cache write failed: ${err}`));
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
      if (needPred.length) log(`predictions: ${needPred.length} prompt${needPred.length === 1 ? '' : 's'} of ${path.basename(st.uri)} in ${since(t0)}`);
      publish(st);
      refreshViews();

      // attributions: slow, in the background, with cancellable progress
      if (!cancelled && needScores.length) {
        const todo = uniq(list, (e) => !!e.scores || !!e.predictionError || !!e.scoresError);
        cancelled = await attribute(st, ctx, todo, token, display);
      }
    } catch (err) {
      if (err instanceof EngineCrashedError) {
        setStatus({ state: 'error', message: err.message }, st.uri);
        return { cancelled: false, ok: false };
      }
      throw err;
    }
    await computeAllNeurons(st, ctx);
    publish(st);
    refreshViews();
    setStatus({ model: display, state: 'ready', message: cancelled ? 'cancelled' : undefined }, st.uri);
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
    const s = ctx.settings;
    try {
      for (let i = 0; i < m; i++) {
        if (combined.isCancellationRequested || st.ctx !== ctx) {
          cancelled = true;
          break;
        }
        const { prompt, fact } = todo[i];
        progress?.report(Math.round((100 * i) / m), `${i + 1} of ${m} · ${fact.name}`);
        setStatus({ model: display, state: 'working', done: i, total: m, message: 'attributions' }, st.uri);
        const e = getEntry(st, prompt);
        const t0 = performance.now();
        try {
          const sc = await host.call<Scores>(
            'scores',
            { prompt: prompt.text, target: prompt.answer, options: { steps: s.steps, batchSize: s.batchSize ?? undefined, method: s.method, quadrature: s.quadrature } },
            combined,
          );
          e.scores = sc.scores;
          e.scoresP = sc.p_target;
          e.coarse = undefined;
          log(`attribution ${i + 1} of ${m} (${fact.name}): ${since(t0)}`);
          const stored: StoredScores = { p_target: sc.p_target, matrix: packMatrix(sc.scores) };
          await cache.set(scoresKey(ctx, prompt.text, prompt.answer!), stored).catch((err) => log(`cache write failed: ${err}`));
        } catch (err) {
          if (err instanceof CancelledError) {
            cancelled = true;
            break;
          }
          if (err instanceof EngineCrashedError) throw err;
          e.scoresError = engineMessage(err);
          logError(`attribution of '${prompt.text}': ${e.scoresError}`);
        }
        // each prompt's neurons show as they come (hints, hovers), and its fact is refined again
        await computeFactNeurons(st, ctx, fact).catch((err) => logError(`refine failed: ${err}`));
        refreshViews();
      }
    } finally {
      progress?.done();
      local.dispose();
    }
    if (userCancelled) log('attribution cancelled by the user');
    return cancelled;
  }

  function factSignature(ctx: Context, fact: Fact, st?: DocState): string {
    // with the document: also which prompts have scores, so that a fact is refined again as they come
    return JSON.stringify([ctx.id, ctx.ruleKey, fact.prompts.map((p) => [p.ok, p.negative, p.lang, p.answer, p.text, st ? !!entryFor(st, p)?.scores : null])]);
  }

  async function computeAllNeurons(st: DocState, ctx: Context): Promise<void> {
    for (const f of st.ds.facts) {
      if (!f.ok) continue;
      await computeFactNeurons(st, ctx, f).catch((err) => log(`refine failed: ${err}`));
    }
  }

  /**
   * Coarse neurons per prompt and refined neurons per group (each language, and `all` when one
   * answer) over the prompts that have scores: refined again as each prompt's scores come, with the
   * number of prompts still to come (`pending`).
   */
  async function computeFactNeurons(st: DocState, ctx: Context, fact: Fact): Promise<FactNeurons | undefined> {
    const sig = factSignature(ctx, fact, st);
    const have = st.neurons.get(fact.name);
    if (have && have.signature === sig) return have;
    // prompts the model refused (too long, …) take no part
    const valid = fact.prompts.filter((p) => {
      const e = p.ok && p.answer !== undefined ? entryFor(st, p) : undefined;
      return p.ok && p.answer !== undefined && !e?.predictionError && !e?.scoresError;
    });
    const usable = valid.filter((p) => entryFor(st, p)?.scores);
    const pending = valid.length - usable.length;
    const positives = usable.filter((p) => !p.negative);
    if (!positives.length) return undefined;
    const entries = usable.map((p) => entryFor(st, p));
    const missing = entries.filter((e) => e && (!e.coarse || e.coarseRule !== ctx.ruleKey)) as PromptEntry[];
    if (missing.length) {
      const coarse = await host.pure<Neuron[][]>('coarse', { items: missing.map((e) => e.scores), rule: ctx.settings.rule });
      missing.forEach((e, i) => {
        e.coarse = coarse[i];
        e.coarseRule = ctx.ruleKey;
      });
    }
    const coarseOf = (p: Prompt) => entryFor(st, p)?.coarse ?? [];
    const negatives = usable.filter((p) => p.negative);
    const groups: FactNeurons['groups'] = {};
    const shares: FactNeurons['shares'] = {};
    const groupMembers = new Map<string, { members: Prompt[]; negatives: Prompt[] }>();
    for (const lang of [...new Set(positives.map((p) => p.lang).filter((l) => l !== ''))]) {
      groupMembers.set(lang, { members: positives.filter((p) => p.lang === lang), negatives: negatives.filter((p) => p.lang === lang || p.lang === '') });
    }
    if (new Set(positives.map((p) => p.answer)).size === 1) groupMembers.set('all', { members: positives, negatives });
    for (const [group, { members, negatives: neg }] of groupMembers) {
      const lists = members.map(coarseOf);
      const refined = await host.pure<Neuron[]>('refine', { coarse: lists, p: ctx.settings.p, negative: neg.map(coarseOf) });
      groups[group] = { refined };
      const counts: Record<string, number> = {};
      for (const n of refined) counts[neuronKey(n)] = lists.filter((l) => l.some((x) => x.layer === n.layer && x.index === n.index)).length;
      shares[group] = { n: members.length, counts };
    }
    const result: FactNeurons = { signature: sig, groups, shares, negatives: negatives.length, ...(pending ? { pending } : {}) };
    if (st.ctx === ctx) st.neurons.set(fact.name, result);
    return result;
  }

  function currentNeurons(st: DocState, fact: Fact): FactNeurons | undefined {
    const n = st.neurons.get(fact.name);
    return n && st.ctx && n.signature === factSignature(st.ctx, fact, st) ? n : undefined;
  }

  function refinedFor(n: FactNeurons | undefined, lang: string): Neuron[] {
    if (!n) return [];
    return (n.groups[lang] ?? n.groups.all ?? Object.values(n.groups)[0])?.refined ?? [];
  }

  function factResult(st: DocState, fact: Fact): FactResult {
    const n = currentNeurons(st, fact);
    const prompts: PromptResult[] = fact.prompts
      .filter((p) => p.ok && !p.negative)
      .map((p) => {
        const e = entryFor(st, p);
        const r: PromptResult = { text: p.text, lang: p.lang, p_target: e?.prediction?.p_target ?? e?.scoresP ?? NaN };
        if (e?.scores) r.scores = e.scores;
        if (e?.coarse) r.coarse = e.coarse;
        return r;
      });
    const keys = Object.keys(fact.answers);
    return { name: fact.name, answer: keys.length === 1 && keys[0] === '' ? fact.answers[''] : formatAnswers(fact.answers), prompts, groups: n?.groups ?? {} };
  }

  // --------------------------------------------------------------------------------- interventions

  async function intervene(ctx: Context, text: string, answer: string, neurons: Neuron[], mode: 'suppress' | 'enhance', factor?: number): Promise<InterventionResult> {
    const key = cacheKey({ kind: 'intervene', model: ctx.fingerprint, prompt: text, answer, neurons, mode, factor: factor ?? null });
    const hit = await cache.get<InterventionResult>(key);
    if (hit) return hit;
    const r = await host.call<InterventionResult>('intervene', { prompt: text, target: answer, neurons, mode, factor });
    await cache.set(key, r).catch(() => undefined);
    return r;
  }

  async function ensureState(uri: string): Promise<DocState> {
    let st = states.get(uri);
    if (st) return st;
    let text: string;
    try {
      text = await fs.promises.readFile(fileURLToPath(uri), 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${uri}: ${(e as Error).message}`);
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
      const summary: InterventionSummary = { fact: fact.name, mode, neurons: refinedFor(n, 'all'), prompts: [] };
      for (const p of fact.prompts.filter((x) => x.ok && !x.negative)) {
        const neurons = refinedFor(n, p.lang);
        if (!neurons.length) continue;
        summary.prompts.push({ text: p.text, lang: p.lang, result: await intervene(ctx, p.text, p.answer!, neurons, mode, factor) });
      }
      out.push(summary);
    }
    // shown where they can be read again: the fact's lenses and hover (no toast)
    for (const summary of out) st.interventions.set(summary.fact, { ...st.interventions.get(summary.fact), [mode]: summary });
    log(`${mode}: ${out.map((x) => `${x.fact} (${x.prompts.length} prompts)`).join(', ') || 'no refined neurons'}`);
    refreshViews();
    return out;
  }

  async function compareData(params: CompareDataParams): Promise<CompareData> {
    const st = await ensureState(params.uri);
    const facts = findFacts(st, params.facts);
    await run(st, { attributions: true, facts: facts.map((f) => f.name) });
    const ctx = st.ctx!;
    const info = host.modelInfo;
    const results: FactResult[] = [];
    const all = st.ds.facts.filter((f) => f.ok);
    for (const fact of facts) {
      const r = factResult(st, fact);
      const n = currentNeurons(st, fact);
      if (n && info) {
        const effects: FactEffects = { own: [], control: [] };
        const triple = async (text: string, answer: string, neurons: Neuron[], before?: number) => {
          const s = await intervene(ctx, text, answer, neurons, 'suppress');
          const e = await intervene(ctx, text, answer, neurons, 'enhance', 2);
          return { text, before: before ?? s.before.p_target, suppressed: s.after.p_target, enhanced: e.after.p_target };
        };
        try {
          for (const p of fact.prompts.filter((x) => x.ok && !x.negative)) {
            const neurons = refinedFor(n, p.lang);
            if (neurons.length) effects.own.push(await triple(p.text, p.answer!, neurons, entryFor(st, p)?.prediction?.p_target));
          }
          const i = all.indexOf(fact);
          const control = [...all.slice(i + 1), ...all.slice(0, i)].find((f) => f !== fact && JSON.stringify(f.answers) !== JSON.stringify(fact.answers));
          if (control) {
            for (const p of control.prompts.filter((x) => x.ok && !x.negative).slice(0, 8)) {
              const neurons = refinedFor(n, p.lang);
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
      comparePanel: (c.experimental as Record<string, unknown> | undefined)?.[COMPARE_PANEL_CAPABILITY] === true,
      hover: hoverFormat(c.textDocument?.hover?.contentFormat),
    };
    initOptions = (params.initializationOptions ?? {}) as typeof initOptions;
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
        inlayHintProvider: { resolveProvider: true },
        codeLensProvider: { resolveProvider: false },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        completionProvider: { triggerCharacters: COMPLETION_TRIGGERS },
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
        executeCommandProvider: { commands },
      },
      serverInfo: { name: 'knowledge-neurons', version: packageVersion() },
    };
  });

  connection.onInitialized(() => {
    setStatus({ model: '', device: DEFAULT_SETTINGS.device, state: 'idle' });
  });

  connection.onDidChangeConfiguration((params) => {
    const section = (params?.settings as { knowledgeNeurons?: unknown } | null | undefined)?.knowledgeNeurons;
    if (section && typeof section === 'object') pushed = section as Record<string, unknown>;
    settingsCache.clear();
    notified.clear();
    host.reset();
    for (const st of states.values()) void afterOpen(st);
  });

  async function afterOpen(st: DocState): Promise<void> {
    try {
      const ctx = await refreshContext(st);
      publish(st);
      if (ctx.missing) setStatus({ model: ctx.model!.display, device: ctx.settings.device, state: 'error', message: `model folder not found: ${ctx.model!.ref}` }, st.uri);
      else if (ctx.model) {
        const loaded = host.modelInfo?.dir === ctx.model.ref;
        setStatus({ model: loaded ? host.modelInfo!.id : ctx.model.display, device: loaded ? host.modelInfo!.device : ctx.settings.device, state: loaded ? 'ready' : 'idle', message: undefined }, st.uri);
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
    const model = resolveModel(spec, docFolder(st.uri));
    const causal = guessModelKind(model) === 'causal';
    const unknown = !!model?.isPath && !fs.existsSync(path.join(model.ref, 'config.json'));
    if (causal !== st.causal || unknown !== st.kindUnknown) {
      st.causal = causal;
      st.kindUnknown = unknown;
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
        // the tooltip, with a card for each neuron of the hint, comes from inlayHint/resolve
        out.push({ position: p.lineRange.end, label, paddingLeft: true, data: { uri: st.uri, line }, tooltip: e?.predictionError ?? HINT_TOOLTIP });
      }
    return out;
  });

  connection.languages.inlayHint.resolve(async (hint) => {
    const { uri, line } = (hint.data ?? {}) as { uri?: string; line?: number };
    const st = uri ? states.get(uri) : undefined;
    const hit = st && line !== undefined ? st.index.prompts.get(line) : undefined;
    const scores = hit && entryFor(st!, hit.prompt)?.scores;
    if (!st || !scores) return hint;
    try {
      const neurons = topNeurons(scores, 3).map((t) => t.neuron);
      const text = await neuronCardsMarkdown(st, neurons);
      if (text) hint.tooltip = markup(`${HINT_TOOLTIP}\n\n---\n\n${text}`, capabilities.hover);
    } catch (e) {
      log(`neuron card: ${engineMessage(e)}`);
    }
    return hint;
  });

  /** Cards of these neurons for the document's model: what each writes, the open facts that refine it, its attribution on the file's prompts. */
  async function neuronCardsMarkdown(st: DocState, neurons: Neuron[]): Promise<string> {
    const ctx = st.ctx ?? (await refreshContext(st));
    if (!ctx.model || !(await loadModel(ctx, st.uri))) return '';
    const parts: string[] = [];
    for (const n of neurons) {
      const key = `${ctx.fingerprint}\0${neuronKey(n)}`;
      let card = cards.get(key);
      if (!card) {
        card = host.call<NeuronCard>('card', { neuron: n, topK: 10 });
        cards.set(key, card);
        card.catch(() => cards.delete(key));
      }
      const uses = [];
      for (const other of states.values()) {
        if (other.ctx?.fingerprint !== ctx.fingerprint) continue;
        for (const f of other.ds.facts) {
          const fn = currentNeurons(other, f);
          if (fn && Object.values(fn.groups).some((g) => g.refined.some((r) => r.layer === n.layer && r.index === n.index)))
            uses.push({ fact: f.name, ...(other === st ? {} : { file: path.basename(other.uri) }) });
        }
      }
      const attributions = [];
      for (const f of st.ds.facts)
        for (const p of f.prompts) {
          const sc = entryFor(st, p)?.scores;
          if (sc) attributions.push({ prompt: p.text, score: sc[n.layer]?.[n.index] ?? 0, max: Math.max(...sc.map((row) => Math.max(...row))) });
        }
      parts.push(neuronCardMarkdown(await card, uses, attributions));
    }
    return parts.join('\n\n---\n\n');
  }

  connection.onHover((params): Hover | null => {
    const st = states.get(params.textDocument.uri);
    if (!st) return null;
    const line = params.position.line;
    const hit = st.index.prompts.get(line);
    if (hit) {
      const p = hit.prompt;
      if (params.position.character < p.lineRange.start.character) return null;
      return { contents: markup(promptHover(p, entryFor(st, p)), capabilities.hover), range: p.range };
    }
    const fact = st.index.facts.get(line);
    if (fact) return { contents: markup(factHover(fact, currentNeurons(st, fact)) + interventionMarkdown(st.interventions.get(fact.name)), capabilities.hover), range: fact.headerRange };
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

  connection.languages.semanticTokens.on((params) => {
    const st = states.get(params.textDocument.uri);
    return { data: st ? semanticTokens(st.text, st.ds) : [] };
  });

  connection.onDocumentFormatting((params): TextEdit[] => {
    const st = states.get(params.textDocument.uri);
    return st ? formatEdits(st.text, st.ds) : [];
  });

  connection.onCompletion((params): CompletionItem[] => {
    const st = states.get(params.textDocument.uri);
    return st ? completions(st.text, st.ds, params.position, { cachedModels: () => cachedModels(hubCacheDir()) }) : [];
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
      const last = st.interventions.get(f.name);
      // the server's own command ids, which it advertises and runs for any client
      lenses.push(
        { range, command: { title: count === undefined ? 'Find knowledge neurons' : `Knowledge neurons: ${count} refined`, command: ServerCommands.findNeurons, arguments: args } },
        { range, command: { title: interventionTitle('Suppress', last?.suppress), command: ServerCommands.suppress, arguments: args } },
        { range, command: { title: interventionTitle('Enhance', last?.enhance), command: ServerCommands.enhance, arguments: args } },
      );
      if (capabilities.comparePanel) lenses.push({ range, command: { title: 'Compare', command: ServerCommands.compare, arguments: args } });
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
      case ServerCommands.compare:
        return compareData({ uri: needUri(), ...(fact ? { facts: [fact] } : {}) });
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
        // with a document: its settings as the server took them (init options, pushes, configuration)
        return { ...status, cacheFolder: cache.folder, defaultModel, ...(uri ? { settings: await getUserSettings(uri) } : {}) };
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
    const info = await loadModel(ctx, st.uri);
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
