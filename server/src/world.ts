/**
 * The server's state, in one object (as taplo and rust-analyzer keep it): the open documents, the
 * editor's settings, the results cache, the engine host, and what the client can do. Handlers
 * (features.ts, analysis.ts, commands.ts) receive it; nothing else holds mutable state.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection, Diagnostic, DiagnosticSeverity, MarkupKind, MessageType, ShowMessageNotification } from 'vscode-languageserver/node';
import type { NeuronCard } from '../../engine/src/neuronCard';
import { datasetSettings } from '../../engine/src/prompts';
import { StatusNotification, StatusParams, TrustParams } from '../../protocol/lsp';
import { ResultCache, cacheKey } from './cache';
import { Context, DocState } from './document';
import { Downloads } from './downloads';
import { EngineHost, ModelRef } from './engineHost';
import { modelFingerprint, modelFolder, modelKind } from './modelFiles';
import { promptDiagnostics } from './render';
import { defaultCacheFolder } from '../../engine/src/cacheFolder';
import { UserSettings, effectiveSettings, findDefaultModel, normalizeSettings, resolveModelSpec } from './settings';
import { TRUSTED, modelRefusal } from './trust';

export const SOURCE = 'knowledge-neurons';

export interface Capabilities {
  configuration: boolean;
  workDoneProgress: boolean;
  inlayRefresh: boolean;
  codeLensRefresh: boolean;
  /** The client shows the Compare panel (our VS Code client): it gets Compare lenses. */
  comparePanel: boolean;
  /** The hover format the client prefers. */
  hover: MarkupKind;
  /** The client applies workspace edits the server sends (workspace/applyEdit). */
  applyEdit: boolean;
  /** Its workspace edits may name the document version they were computed on (documentChanges). */
  versionedEdits: boolean;
}

export interface InitOptions {
  settings?: unknown;
  cacheFolder?: string;
  enginePath?: string;
}

export class World {
  readonly documents = new Map<string, DocState>();
  /** Editor settings per document URI, as the client last sent them. */
  readonly userSettings = new Map<string, Promise<UserSettings>>();
  /** Model load failures already shown (one message per model and message). */
  readonly notified = new Set<string>();
  capabilities: Capabilities = {
    configuration: false,
    workDoneProgress: false,
    inlayRefresh: false,
    codeLensRefresh: false,
    comparePanel: false,
    hover: MarkupKind.PlainText,
    applyEdit: false,
    versionedEdits: false,
  };
  initOptions: InitOptions = {};
  /** Settings pushed by workspace/didChangeConfiguration (`settings.knowledgeNeurons`): the latest push wins over the init options. */
  pushed: Record<string, unknown> | undefined;
  /** Neuron cards by model fingerprint and neuron. */
  readonly cards = new Map<string, Promise<NeuronCard>>();
  /** Each document's status (its model, not the last one that ran). */
  readonly docStatus = new Map<string, StatusParams>();
  workspaceRoot: string | undefined;
  /** Workspace Trust as the client tells it, and the workspace folders models may come from (trust.ts). */
  trust: TrustParams = { ...TRUSTED };
  workspaceFolders: string[] = [];
  cache = new ResultCache(defaultCacheFolder());
  readonly defaultModel = findDefaultModel(__dirname);
  status: StatusParams = { model: '', device: '', state: 'idle' };
  readonly host: EngineHost;
  /** Hub models' downloads: their own queue, outside the engine's job slot. */
  readonly downloads = new Downloads(this);
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly connection: Connection,
    readonly testHooks: boolean,
  ) {
    this.host = new EngineHost({
      enginePath: process.env.KN_ENGINE_MODULE,
      testHooks,
      log: (m) => this.log(`[engine] ${m}`),
      onCrash: (message, willRestart) => {
        this.notify(MessageType.Error, `Knowledge Neurons: the engine crashed (${message}).${willRestart ? ' It has been restarted.' : ''}`);
        this.setStatus({ state: willRestart ? 'idle' : 'error', message });
        if (willRestart) this.host.ping().catch(() => undefined);
      },
    });
  }

  /** The client prints a level and a time with each line (`[Info  - 10:23:45] …`). */
  log(msg: string): void {
    this.connection.console.info(msg);
  }

  logError(msg: string): void {
    this.connection.console.error(msg);
  }

  notify(type: MessageType, message: string): void {
    void this.connection.sendNotification(ShowMessageNotification.type, { type, message });
  }

  /** A document's status (with its uri), or the engine's as a whole (without). */
  setStatus(s: Partial<StatusParams>, uri?: string): void {
    let next: StatusParams = { ...(uri ? (this.docStatus.get(uri) ?? { model: '', device: '', state: 'idle' }) : this.status), ...s };
    if (s.state && s.state !== 'working') {
      delete next.done;
      delete next.total;
    }
    if (uri) {
      next = { ...next, uri };
      this.docStatus.set(uri, next);
    } else this.status = next;
    void this.connection.sendNotification(StatusNotification, next);
  }

  /** Asks the client to fetch inlay hints and code lenses again (at most every 50 ms). */
  refreshViews(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.capabilities.inlayRefresh) void this.connection.languages.inlayHint.refresh().catch(() => undefined);
      if (this.capabilities.codeLensRefresh) void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    }, 50);
  }

  settingsFor(uri: string): Promise<UserSettings> {
    let s = this.userSettings.get(uri);
    if (!s) {
      s = (async () => {
        // the init options, then the latest push, then what the client answers for this file, key by key
        let pulled: unknown;
        if (this.capabilities.configuration) {
          try {
            pulled = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'knowledgeNeurons' });
          } catch {
            /* keep the init options and pushes */
          }
        }
        const object = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
        const user = normalizeSettings({ ...object(this.initOptions.settings), ...object(this.pushed), ...object(pulled) });
        if (!user.cacheFolder && this.initOptions.cacheFolder) user.cacheFolder = this.initOptions.cacheFolder;
        return user;
      })();
      this.userSettings.set(uri, s);
    }
    return s;
  }

  /** Resolves a document's settings and model; results of another model or other settings are dropped. */
  async refreshContext(st: DocState): Promise<Context> {
    const user = await this.settingsFor(st.uri);
    const folder = user.cacheFolder || defaultCacheFolder();
    if (this.cache.folder !== folder) this.cache = new ResultCache(folder);
    this.host.concurrency = user.concurrency;
    this.host.cacheFolder = folder;
    const settings = effectiveSettings(user, datasetSettings(st.ds), this.defaultModel);
    const base =
      settings.modelSource === 'directive' ? docFolder(st.uri) : settings.modelSource === 'setting' ? (this.workspaceRoot ?? docFolder(st.uri)) : undefined;
    const resolved = resolveModelSpec(settings.modelSpec, base);
    // The one gate of Workspace Trust: a refused model is neither read nor loaded, nor is its cache.
    // The setting is application-scoped in VS Code: what workspace/configuration returns is the user's.
    const allowed = { ...this.trust, allowModelsOutsideWorkspace: this.trust.allowModelsOutsideWorkspace || user.allowModelsOutsideWorkspace };
    const refused = resolved && modelRefusal({ ...resolved, fromDirective: settings.modelSource === 'directive' }, allowed, this.workspaceFolders);
    const model = refused ? undefined : resolved;
    const fingerprint = model ? await modelFingerprint(model, settings.weights) : '';
    const ref: ModelRef | undefined = model ? { ref: model.ref, device: settings.device, weights: settings.weights, fingerprint } : undefined;
    const id = cacheKey({ fingerprint, steps: settings.steps, batchSize: settings.batchSize, method: settings.method, quadrature: settings.quadrature });
    const ruleKey = JSON.stringify([settings.rule, settings.p]);
    const missing = !!model?.isPath && !fs.existsSync(path.join(model.ref, 'config.json'));
    const ctx: Context = { settings, model, ref, fingerprint, id, ruleKey, missing, refused };
    if (st.ctx?.id !== id) {
      st.entries.clear();
      st.neurons.clear();
    } else if (st.ctx.ruleKey !== ruleKey) st.neurons.clear();
    st.ctx = ctx;
    const kind = ref ? (this.host.infoFor(ref)?.kind ?? modelKind(model)) : undefined;
    // a missing model folder is one error (model-not-found), not a masked-model error per prompt
    st.setCausal(kind === 'causal', missing);
    return ctx;
  }

  /** Before settings arrive: a `@model` folder's config.json says at once whether the model is causal. */
  quickCausal(st: DocState): void {
    const spec = datasetSettings(st.ds).model;
    const model = spec ? resolveModelSpec(spec, docFolder(st.uri)) : undefined;
    if (model && !modelRefusal({ ...model, fromDirective: true }, this.trust, this.workspaceFolders))
      st.setCausal(modelKind(model) === 'causal', model.isPath && !fs.existsSync(path.join(model.ref, 'config.json')));
  }

  /** The document's `@model` names a folder with a config.json that Workspace Trust lets it load. */
  namedModelExists(st: DocState): boolean {
    const spec = datasetSettings(st.ds).model;
    const model = spec ? resolveModelSpec(spec, docFolder(st.uri)) : undefined;
    if (!model || modelRefusal({ ...model, fromDirective: true }, this.trust, this.workspaceFolders)) return false;
    const dir = modelFolder(model);
    return !!dir && fs.existsSync(path.join(dir, 'config.json'));
  }

  /** The open document, or the file read from disk (commands may name a file that is not open). */
  async document(uri: string): Promise<DocState> {
    let st = this.documents.get(uri);
    if (st) return st;
    let text: string;
    try {
      text = await fs.promises.readFile(fileURLToPath(uri), 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${uri}: ${(e as Error).message}`, { cause: e });
    }
    st = new DocState(uri, text, 0);
    this.documents.set(uri, st);
    return st;
  }

  /** Sends a document's diagnostics: the parser's, a missing model folder, and the model's per prompt. */
  publish(st: DocState): void {
    const diagnostics: Diagnostic[] = st.ds.diagnostics.map((d) => ({
      range: d.range,
      severity: d.severity as DiagnosticSeverity,
      code: d.code,
      source: SOURCE,
      message: d.message,
    }));
    if (st.ctx?.missing && st.ctx.settings.modelSource === 'directive') {
      const d = [...st.ds.directives].reverse().find((x) => x.name === 'model' && x.ok);
      if (d)
        diagnostics.push({
          range: d.valueRange,
          severity: DiagnosticSeverity.Error,
          code: 'model-not-found',
          source: SOURCE,
          message: `model folder not found: ${st.ctx.model!.ref}`,
        });
    }
    if (st.ctx && st.entries.size) {
      const low = st.ctx.settings.lowConfidence;
      for (const f of st.ds.facts)
        for (const p of f.prompts)
          for (const d of promptDiagnostics(p, st.entryFor(p), low)) diagnostics.push({ ...d, severity: d.severity as DiagnosticSeverity, source: SOURCE });
    }
    diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    void this.connection.sendDiagnostics({ uri: st.uri, version: st.version, diagnostics });
  }
}

export function docFolder(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? path.dirname(fileURLToPath(uri)) : undefined;
  } catch {
    return undefined;
  }
}
