/**
 * The extension's client: thin, in the manner of Microsoft's ESLint extension. It starts the
 * language server (dist/server.js, over IPC), forwards the commands to it, shows its status as
 * language status items and opens the compare panel. Everything else (diagnostics, hints, hovers, code
 * lenses, progress) comes from the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CancellationToken,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  MessageSignature,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { openExamples } from './examples';
import { registerLanguageStatus } from './languageStatus';
import {
  ClientCommands,
  COMPARE_PANEL_CAPABILITY,
  CompareDataParams,
  CompareDataRequest,
  ExportResultsResult,
  FindNeuronsResult,
  InterveneParams,
  InterveneRequest,
  InterventionSummary,
  NeuronCardParams,
  NeuronCardRequest,
  NO_COMMAND,
  ServerCommands,
  ServerStatusResult,
  SetDirectivesParams,
  SetDirectivesResult,
  StatusNotification,
  StatusParams,
} from '../../protocol/lsp';
import { withHugePages } from '../../engine/src/hugePages';
import { ComparePanel, ComparePanelHandlers, registerComparePanelSerializer } from './comparePanel';
import { currentTrust, registerTrust } from './trust';

let client: KnLanguageClient | undefined;

/**
 * The client, except that a request that meets it stopping is not an error. On a window reload VS
 * Code asks for code actions (hover, hints…) in the same batch of messages that deactivates the
 * extension: the request passes the library's "is it running" check, stop() begins, and the library
 * then rejects it with a plain `Error: Starting server failed` (not its quiet ConnectionInactive) and
 * logs it. A request to a stopped client gets its empty answer, as the library does for ConnectionInactive.
 */
export class KnLanguageClient extends LanguageClient {
  override handleFailedRequest<T>(
    type: MessageSignature,
    token: CancellationToken | undefined,
    error: unknown,
    defaultValue: T,
    showNotification?: boolean,
  ): T {
    if (this.state === State.Stopped) return defaultValue;
    return super.handleFailedRequest(type, token, error, defaultValue, showNotification);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    // Started over IPC, the server cannot start itself again with huge pages (engine/src/hugePages.ts): it gets them from here.
    run: { module: serverModule, transport: TransportKind.ipc, options: { env: withHugePages(process.env) } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'], env: withHugePages(process.env) } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'prompts' },
      { scheme: 'untitled', language: 'prompts' },
    ],
    synchronize: { configurationSection: 'knowledgeNeurons' },
    outputChannelName: 'Knowledge Neurons',
    // The server's lenses carry its own command ids (any client can run them); here they open
    // this extension's UI instead: the same command through the client, or the Compare panel.
    middleware: {
      provideCodeLenses: async (document, token, next) => (await next(document, token))?.map(toClientLens),
      resolveCodeLens: async (lens, token, next) => toClientLens((await next(lens, token)) ?? lens),
    },
    initializationOptions: { trust: currentTrust() },
  };
  const lc = new KnLanguageClient('knowledgeNeurons', 'Knowledge Neurons', serverOptions, clientOptions);
  client = lc;
  // Only this client can show the Compare panel: it says so, and only it gets Compare lenses.
  lc.registerFeature({
    fillClientCapabilities: (capabilities) => {
      capabilities.experimental = { ...(capabilities.experimental as object | undefined), [COMPARE_PANEL_CAPABILITY]: true };
    },
    initialize: () => undefined,
    getState: () => ({ kind: 'static' }),
    clear: () => undefined,
  });

  // ------------------------------------------------------------------ status
  const status = registerLanguageStatus(context);

  // ------------------------------------------------------------------ commands
  const target = (uri?: unknown, fact?: unknown): { uri: string; fact?: string } | undefined => {
    if (typeof uri === 'string') return { uri, fact: typeof fact === 'string' ? fact : undefined };
    if (uri instanceof vscode.Uri) return { uri: uri.toString(), fact: typeof fact === 'string' ? fact : undefined };
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'prompts') {
      void vscode.window.showWarningMessage('Knowledge Neurons: open a .prompts file first.');
      return undefined;
    }
    return { uri: editor.document.uri.toString(), fact: factAtCursor(editor) };
  };
  const server = <T>(command: string, ...args: unknown[]): Promise<T> => lc.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }) as Promise<T>;
  const guard =
    <A extends unknown[]>(fn: (...args: A) => Promise<unknown>) =>
    async (...args: A) => {
      try {
        await fn(...args);
      } catch (e) {
        void vscode.window.showErrorMessage(`Knowledge Neurons: ${e instanceof Error ? e.message : String(e)}`);
      }
    };

  /** The server's edit of the file's directives, applied by this client; true when the file changed. */
  const writeDirectives = async (uri: string, changes: SetDirectivesParams): Promise<boolean> => {
    const r = await server<SetDirectivesResult>(ServerCommands.setDirectives, uri, changes);
    if (r.edits.length && !r.applied) throw new Error('VS Code did not apply the edit (was the file changed meanwhile?)');
    return r.edits.length > 0;
  };

  const compareHandlers: ComparePanelHandlers = {
    load: async (source) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Knowledge Neurons: comparing refined neurons' }, () =>
        lc.sendRequest(CompareDataRequest, { uri: source.uri } satisfies CompareDataParams),
      ),
    onIntervene: (req) => {
      if (!req.uri) return Promise.reject(new Error('the panel shows no file'));
      const { uri, mode, fact, neurons, prompts } = req;
      return lc.sendRequest(InterveneRequest, { uri, mode, fact, neurons, prompts } satisfies InterveneParams);
    },
    onNeuronCard: (req) => {
      if (!req.uri) return Promise.reject(new Error('the panel shows no file'));
      return lc.sendRequest(NeuronCardRequest, { uri: req.uri, neuron: req.neuron } satisfies NeuronCardParams);
    },
    onExport: async (req) => {
      const folder = req.uri ? vscode.Uri.joinPath(vscode.Uri.parse(req.uri), '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
      const dest = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, req.filename) : undefined });
      if (!dest) return undefined;
      const bytes = typeof req.content === 'string' ? new TextEncoder().encode(req.content) : req.content;
      await vscode.workspace.fs.writeFile(dest, bytes);
      return dest.fsPath;
    },
    onWriteSettings: ({ uri, rule, p }) => writeDirectives(uri, { rule, p }),
    log: (m) => lc.outputChannel.appendLine(m),
  };
  context.subscriptions.push(registerComparePanelSerializer(context, compareHandlers));

  context.subscriptions.push(
    vscode.commands.registerCommand(
      ClientCommands.findNeurons,
      guard(async (uri?: unknown, fact?: unknown) => {
        const t = target(uri, fact);
        if (!t) return;
        const r = await server<FindNeuronsResult>(ServerCommands.findNeurons, t.uri, t.fact);
        if (r.cancelled) return;
        // the neurons are in the hints, lenses and hovers; a line in the status bar and the log
        const summary = r.facts
          .map(
            (f) =>
              `${f.name}: ${
                Object.entries(f.groups)
                  .map(([g, v]) => `${v.refined.length} ${g}`)
                  .join(', ') || 'no neurons'
              }`,
          )
          .join('; ');
        showResult(`refined neurons — ${summary}`);
      }),
    ),
    vscode.commands.registerCommand(
      ClientCommands.suppress,
      guard(async (uri?: unknown, fact?: unknown) => {
        const t = target(uri, fact);
        if (t) showResult(interventionText(await server<InterventionSummary[]>(ServerCommands.suppress, t.uri, t.fact)));
      }),
    ),
    vscode.commands.registerCommand(
      ClientCommands.enhance,
      guard(async (uri?: unknown, fact?: unknown) => {
        const t = target(uri, fact);
        if (t) showResult(interventionText(await server<InterventionSummary[]>(ServerCommands.enhance, t.uri, t.fact)));
      }),
    ),
    vscode.commands.registerCommand(
      ClientCommands.compare,
      guard(async (uri?: unknown, fact?: unknown) => {
        const t = target(uri, fact);
        if (!t) return;
        // the panel compares facts with each other: all of the document's facts, opened on t.fact
        await ComparePanel.open(
          context,
          { uri: t.uri, file: path.basename(vscode.Uri.parse(t.uri).fsPath), ...(t.fact ? { fact: t.fact } : {}) },
          compareHandlers,
        );
      }),
    ),
    vscode.commands.registerCommand(
      ClientCommands.exportResults,
      guard(async (uri?: unknown) => {
        const t = target(uri);
        if (!t) return;
        const pick = await vscode.window.showQuickPick(
          [
            { label: 'JSON', description: 'facts, prompts, coarse and refined neurons', format: 'json' as const },
            { label: 'CSV', description: 'one row per prompt', format: 'csv' as const },
          ],
          { title: 'Export Knowledge Neurons results' },
        );
        if (!pick) return;
        const r = await server<ExportResultsResult>(ServerCommands.exportResults, t.uri, pick.format);
        const dest = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.joinPath(vscode.Uri.parse(t.uri), '..', r.suggestedName),
          filters: pick.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
        });
        if (!dest) return;
        await vscode.workspace.fs.writeFile(dest, new TextEncoder().encode(r.content));
        void vscode.window.showInformationMessage(`Knowledge Neurons: results written to ${dest.fsPath}`);
      }),
    ),
    vscode.commands.registerCommand(
      ClientCommands.clearCache,
      guard(async () => {
        const r = await server<{ removed: number; folder: string }>(ServerCommands.clearCache);
        void vscode.window.showInformationMessage(`Knowledge Neurons: cache cleared (${r.removed} entries in ${r.folder}).`);
      }),
    ),
    vscode.commands.registerCommand(
      ClientCommands.selectModel,
      guard(() => selectModel(server, writeDirectives)),
    ),
    vscode.commands.registerCommand(ClientCommands.showOutput, () => lc.outputChannel.show(true)),
    vscode.commands.registerCommand(
      ClientCommands.openExamples,
      guard(() => openExamples(context.extensionUri)),
    ),
  );

  lc.onNotification(StatusNotification, (s: StatusParams) => status.update(s));
  // Work-done progress (analysis on save, commands) shows in the status bar, as the client library
  // does by default: no notification pops up on every (auto)save.
  await lc.start();
  registerTrust(context, lc);

  /** A command's result: briefly in the status bar, and in the output channel to read again. */
  function showResult(text: string): void {
    lc.info(text, undefined, false);
    context.subscriptions.push(vscode.window.setStatusBarMessage(`$(circuit-board) Knowledge Neurons: ${text.split('\n')[0]}`, 8000));
  }
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

/** Server command ids in lenses → this extension's commands (the same action, with its UI). */
const CLIENT_COMMAND: Record<string, string> = {
  [ServerCommands.findNeurons]: ClientCommands.findNeurons,
  [ServerCommands.suppress]: ClientCommands.suppress,
  [ServerCommands.enhance]: ClientCommands.enhance,
  [ServerCommands.compare]: ClientCommands.compare,
};

function toClientLens(lens: vscode.CodeLens): vscode.CodeLens {
  // the Restricted Mode line (no command for other clients) opens the Workspace Trust editor here
  if (lens.command?.command === NO_COMMAND) lens.command = { ...lens.command, command: 'workbench.trust.manage' };
  const mapped = lens.command && CLIENT_COMMAND[lens.command.command];
  if (mapped) lens.command = { ...lens.command!, command: mapped };
  return lens;
}

/** Suppress / enhance results, one line per fact and prompt. */
function interventionText(summaries: InterventionSummary[]): string {
  if (!summaries.length || summaries.every((s) => !s.prompts.length)) return 'no refined neurons to act on';
  return summaries
    .map((s) => {
      const verb = s.mode === 'suppress' ? 'suppressing' : 'enhancing';
      const lines = s.prompts.map(
        (p) => `  ${p.result.before.p_target.toPrecision(3)} → ${p.result.after.p_target.toPrecision(3)}  ${p.lang ? `[${p.lang}] ` : ''}${p.text}`,
      );
      return [`${s.fact}: ${verb} ${s.neurons.length} neurons, P(answer) per prompt:`, ...lines].join('\n');
    })
    .join('\n');
}

/** The fact whose block holds the cursor (the nearest `fact` header above it). */
function factAtCursor(editor: vscode.TextEditor): string | undefined {
  const doc = editor.document;
  for (let line = editor.selection.active.line; line >= 0; line--) {
    const m = /^\s*fact\s+(\S+?)\s*->/.exec(doc.lineAt(line).text);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Select Model: the `knowledgeNeurons.model` setting, or, for a file whose `@model` wins over it,
 * that directive (the user chooses which; the server writes the edit).
 */
async function selectModel(
  server: <T>(command: string, ...args: unknown[]) => Promise<T>,
  writeDirectives: (uri: string, changes: SetDirectivesParams) => Promise<boolean>,
): Promise<void> {
  const config = vscode.workspace.getConfiguration('knowledgeNeurons');
  const editor = vscode.window.activeTextEditor;
  const doc = editor?.document.languageId === 'prompts' ? editor.document : undefined;
  const directive = doc ? (await server<ServerStatusResult>(ServerCommands.status, doc.uri.toString())).modelDirective : undefined;
  let where: 'file' | 'setting' = 'setting';
  if (doc && directive !== undefined) {
    const name = path.basename(doc.uri.path);
    const choice = await vscode.window.showQuickPick(
      [
        { label: `$(edit) Edit @model in ${name}`, description: directive, id: 'file' as const },
        { label: '$(settings-gear) Change the setting', description: 'for files without @model', id: 'setting' as const },
      ],
      { title: `Knowledge Neurons: ${name} sets @model ${directive}, which wins over the setting` },
    );
    if (!choice) return;
    where = choice.id;
  }
  const current = where === 'file' ? directive! : config.get<string>('model') || '(embedded default model)';
  const options = [
    { label: '$(folder) Choose a model folder…', id: 'folder' },
    { label: '$(cloud) Enter a Hugging Face hub id…', id: 'hub' },
    ...(where === 'setting' ? [{ label: '$(discard) Use the embedded default model', id: 'default' }] : []),
  ];
  const pick = await vscode.window.showQuickPick(options, {
    title: `Knowledge Neurons: ${where === 'file' ? '@model of this file' : 'select model'} (now: ${current})`,
    placeHolder:
      where === 'file' ? 'Written into the file (unsaved): save it to use the model' : 'A @model directive in a .prompts file overrides this setting',
  });
  if (!pick) return;
  let value: string | undefined;
  if (pick.id === 'folder') {
    const folders = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use this model' });
    if (!folders?.length) return;
    value = folders[0].fsPath;
    // in the file: relative to it when the model lies in the same workspace folder (the file stays portable)
    if (where === 'file' && doc) {
      const ws = vscode.workspace.getWorkspaceFolder(doc.uri);
      if (ws && vscode.workspace.getWorkspaceFolder(folders[0])?.uri.toString() === ws.uri.toString())
        value = path.relative(path.dirname(doc.uri.fsPath), value).split(path.sep).join('/') || '.';
    }
  } else if (pick.id === 'hub') {
    value = await vscode.window.showInputBox({
      title: 'Hugging Face hub id',
      prompt: 'e.g. google-bert/bert-base-cased',
      value: where === 'file' ? directive : (config.get<string>('model') ?? ''),
      validateInput: (v) => (/^[\w.-]+(\/[\w.-]+)?$/.test(v.trim()) ? undefined : 'expected owner/name'),
    });
    if (value === undefined) return;
    value = value.trim();
  } else value = '';
  if (where === 'file' && doc) {
    if (await writeDirectives(doc.uri.toString(), { model: value }))
      void vscode.window.setStatusBarMessage(
        `$(edit) Knowledge Neurons: @model ${value} written into ${path.basename(doc.uri.path)}; save it to use the model`,
        8000,
      );
    return;
  }
  const scope = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('model', value, scope);
}
