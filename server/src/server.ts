/**
 * The `.prompts` language server: wiring only, one line per LSP method. The state is world.ts;
 * the analysis (predict → attribute → refined neurons, cancellation) analysis.ts; editor features
 * features.ts; commands and custom requests commands.ts; the custom protocol protocol/lsp.ts.
 *
 *  - Syntax diagnostics and quick fixes on every change, from the parser alone (no model).
 *  - On save (knowledgeNeurons.onSave): predictions, then attributions in the background, then
 *    each fact's refined neurons. The engine runs in a worker thread (engineWorker.ts).
 *  - Results are cached on disk (cache.ts); reopening a file shows cached results at once.
 *
 * The server never edits user files: edits only come as code actions the user accepts.
 */
import { fileURLToPath } from 'node:url';
import {
  Connection,
  InitializeParams,
  InitializeResult,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  CodeActionKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { COMPARE_PANEL_CAPABILITY, CompareDataRequest, InterveneRequest, NeuronCardRequest, TrustNotification, TrustParams } from '../../protocol/lsp';
import { preload, run } from './analysis';
import { ResultCache } from './cache';
import { compareData, executeCommand, interveneRequest, neuronCardRequest, serverCommandIds } from './commands';
import { DocState } from './document';
import {
  codeActions,
  codeLenses,
  completion,
  documentSymbols,
  foldingRanges,
  formatting,
  hover,
  inlayHints,
  resolveInlayHint,
  semanticTokensFull,
} from './features';
import { COMPLETION_TRIGGERS } from './completion';
import { hoverFormat } from './markup';
import { SEMANTIC_TOKENS_LEGEND } from './semanticTokens';
import { allFactNeurons, loadFromCache } from './results';
import { EDITOR_DEFAULTS, packageVersion } from './settings';
import { trustFromInit } from './trust';
import { InitOptions, World } from './world';
import { datasetSettings } from '../../engine/src/prompts';

/** How long a changed `@model` line must stay as it is before its model is loaded. */
const MODEL_EDIT_DELAY_MS = 500;

/** After open or a settings change: the context, then whatever the cache already holds, then the model for what it lacks (in the background). */
async function afterOpen(world: World, st: DocState): Promise<void> {
  try {
    const ctx = await world.refreshContext(st);
    world.publish(st);
    if (!ctx.model) return;
    const info = ctx.ref ? world.host.infoFor(ctx.ref) : undefined;
    // the document's own model in the status, and an error there when its folder is missing
    if (ctx.missing)
      world.setStatus({ model: ctx.model.display, device: ctx.settings.device, state: 'error', message: `model folder not found: ${ctx.model.ref}` }, st.uri);
    else
      world.setStatus(
        { model: info?.id ?? ctx.model.display, device: info?.device ?? ctx.settings.device, state: info ? 'ready' : 'idle', message: undefined },
        st.uri,
      );
    if (await loadFromCache(world, st, ctx)) {
      allFactNeurons(world, st, ctx);
      world.publish(st);
      world.refreshViews();
    }
    void preload(world, st, ctx).catch((e) => world.log(`preload: ${e instanceof Error ? e.stack : e}`));
  } catch (e) {
    world.log(`open: ${e instanceof Error ? e.stack : e}`);
  }
}

function initialize(world: World, params: InitializeParams): InitializeResult {
  const c = params.capabilities;
  world.capabilities = {
    configuration: !!c.workspace?.configuration,
    workDoneProgress: !!c.window?.workDoneProgress,
    inlayRefresh: !!c.workspace?.inlayHint?.refreshSupport,
    codeLensRefresh: !!c.workspace?.codeLens?.refreshSupport,
    comparePanel: (c.experimental as Record<string, unknown> | undefined)?.[COMPARE_PANEL_CAPABILITY] === true,
    hover: hoverFormat(c.textDocument?.hover?.contentFormat),
    applyEdit: !!c.workspace?.applyEdit,
    versionedEdits: !!c.workspace?.workspaceEdit?.documentChanges,
  };
  world.initOptions = (params.initializationOptions ?? {}) as InitOptions;
  world.trust = trustFromInit((params.initializationOptions as { trust?: unknown } | undefined)?.trust);
  world.workspaceFolders = (params.workspaceFolders ?? []).flatMap((f) => (f.uri.startsWith('file:') ? [fileURLToPath(f.uri)] : []));
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  try {
    world.workspaceRoot = folder ? fileURLToPath(folder) : undefined;
  } catch {
    world.workspaceRoot = undefined;
  }
  if (world.initOptions.cacheFolder) world.cache = new ResultCache(world.initOptions.cacheFolder);
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
      executeCommandProvider: { commands: serverCommandIds(world.testHooks) },
    },
    serverInfo: { name: 'knowledge-neurons', version: packageVersion() },
  };
}

export function startServer(connection: Connection): void {
  const world = new World(connection, process.env.KN_TEST_HOOKS === '1');
  const documents = new TextDocuments(TextDocument);

  connection.onInitialize((params) => initialize(world, params));
  connection.onInitialized(() => world.setStatus({ model: '', device: EDITOR_DEFAULTS.device, state: 'idle' }));
  // Trusting the folder starts the analysis at once, as a save would.
  connection.onNotification(TrustNotification, (params: TrustParams) => {
    const granted = params.trusted && !world.trust.trusted;
    world.trust = trustFromInit(params);
    world.notified.clear();
    world.setStatus({ state: 'idle', message: undefined });
    world.refreshViews(); // the lenses: commands in place of the Restricted Mode line, or back
    for (const st of world.documents.values()) {
      void (async () => {
        await afterOpen(world, st);
        const user = await world.settingsFor(st.uri);
        if (granted && user.onSave !== 'off') await run(world, st, { attributions: user.onSave === 'attributions' });
      })().catch((e) => world.log(`trust: ${e instanceof Error ? e.stack : e}`));
    }
  });
  connection.onDidChangeConfiguration((params) => {
    // a push of `{settings: {knowledgeNeurons: {…}}}` sets them (a push without the section, as VS Code sends, does not)
    const section = (params?.settings as { knowledgeNeurons?: unknown } | null | undefined)?.knowledgeNeurons;
    if (section && typeof section === 'object') world.pushed = section as Record<string, unknown>;
    world.userSettings.clear();
    world.notified.clear();
    world.host.reset();
    for (const st of world.documents.values()) void afterOpen(world, st);
  });

  documents.onDidOpen(({ document }) => {
    const st = new DocState(document.uri, document.getText(), document.version);
    world.documents.set(document.uri, st);
    world.quickCausal(st);
    world.publish(st);
    void afterOpen(world, st);
  });
  documents.onDidChangeContent(({ document }) => {
    const st = world.documents.get(document.uri);
    if (!st || (st.version === document.version && st.text === document.getText())) return;
    st.cancel();
    const model = datasetSettings(st.ds).model;
    st.text = document.getText();
    st.version = document.version;
    st.reparse();
    world.publish(st);
    // a new @model that names a folder here: load it before the save, as on open (not while it is being typed)
    if (datasetSettings(st.ds).model !== model) {
      clearTimeout(st.modelTimer);
      st.modelTimer = setTimeout(() => {
        if (world.documents.get(st.uri) === st && world.namedModelExists(st)) void afterOpen(world, st);
      }, MODEL_EDIT_DELAY_MS);
    }
  });
  documents.onDidSave(({ document }) => {
    const st = world.documents.get(document.uri);
    if (!st) return;
    void (async () => {
      const user = await world.settingsFor(st.uri);
      if (user.onSave !== 'off') await run(world, st, { attributions: user.onSave === 'attributions' });
    })().catch((e) => world.log(`save: ${e instanceof Error ? e.stack : e}`));
  });
  documents.onDidClose(({ document }) => {
    const st = world.documents.get(document.uri);
    st?.cancel();
    clearTimeout(st?.modelTimer);
    world.documents.delete(document.uri);
    world.userSettings.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onCodeAction((params) => codeActions(world, params));
  connection.languages.inlayHint.on((params) => inlayHints(world, params));
  connection.languages.inlayHint.resolve((hint) => resolveInlayHint(world, hint));
  connection.languages.semanticTokens.on((params) => semanticTokensFull(world, params));
  connection.onDocumentFormatting((params) => formatting(world, params));
  connection.onCompletion((params) => completion(world, params));
  connection.onHover((params) => hover(world, params));
  connection.onDocumentSymbol((params) => documentSymbols(world, params));
  connection.onFoldingRanges((params) => foldingRanges(world, params));
  connection.onCodeLens((params) => codeLenses(world, params));
  connection.onExecuteCommand((params) => executeCommand(world, params));
  connection.onRequest(CompareDataRequest, (params) => compareData(world, params));
  connection.onRequest(InterveneRequest, (params) => interveneRequest(world, params));
  connection.onRequest(NeuronCardRequest, (params) => neuronCardRequest(world, params));
  connection.onShutdown(async () => {
    for (const st of world.documents.values()) st.cancel();
    world.downloads.dispose();
    await world.host.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

if (require.main === module) {
  startServer(createConnection(ProposedFeatures.all));
}
