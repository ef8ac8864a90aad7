/**
 * "Knowledge Neurons: Compare Refined Neurons": the webview panel.
 *
 * The page computes everything it shows from the `CompareData` it is sent, re-refining from cached
 * scores when the user moves the threshold or p. It shows which file, model and fact it displays
 * (the `source`), a loading state while the data is recomputed (the file was saved, or Compare was
 * run on another file or fact), and is restored after a window reload by the serializer. The panel
 * is not kept alive while hidden (retainContextWhenHidden false): the page saves its UI state with
 * setState and asks for the data again with a `ready` message when it reloads. Every message from
 * the page is checked by validatePageMessage before anything is done with it, and a rejected
 * request is answered, so the page never waits on it.
 */

import * as vscode from 'vscode';
import type { NeuronCard } from '../../engine/src/neuronCard';
import type { CoarseRule, CompareData } from '../../engine/src/types';
import { MEDIA, buildCompareHtml, makeNonce } from './compareHtml';
import {
  ExportFormat,
  ExportView,
  HostMessage,
  InterventionMode,
  InterventionResponse,
  PanelSource,
  pngBytes,
  rejectionReply,
  validatePageMessage,
} from '../../protocol/panel';

export type { PanelSource };

export interface InterventionRequest {
  mode: InterventionMode;
  fact: string;
  neurons: Array<{ layer: number; index: number }>;
  /** Texts of the fact's prompts to run on; empty = all of the fact's prompts. */
  prompts: string[];
  /** The document the panel shows (absent when it was shown without a source). */
  uri?: string;
}

export interface ExportRequest {
  format: ExportFormat;
  view: ExportView;
  /** Suggested file name (already checked: safe characters, right extension). */
  filename: string;
  /** UTF-8 text for svg / csv, PNG bytes for png. */
  content: string | Uint8Array;
  /** The document the panel shows. */
  uri?: string;
}

export interface ComparePanelHandlers {
  /** Run suppress / enhance; the results are shown in the effects view. */
  onIntervene(req: InterventionRequest): Promise<InterventionResponse>;
  /** Save an export; resolve with the path it was saved to, or undefined when the user cancelled. */
  onExport(req: ExportRequest): Promise<string | undefined>;
  /** What a neuron of the shown file's model writes (the drill-down's card). */
  onNeuronCard?(req: { uri?: string; neuron: { layer: number; index: number } }): Promise<NeuronCard>;
  /** Compute the data of a file: to follow its saves, and to restore the panel after a reload. */
  load?(source: PanelSource): Promise<CompareData>;
  /** "Write to file": the rule and p into the shown file's directives; resolves with whether the edit was applied. */
  onWriteSettings?(req: { uri: string; rule: CoarseRule; p: number }): Promise<boolean>;
  /** Where rejected messages and failures are logged (default: console.warn). */
  log?(message: string): void;
}

export class ComparePanel {
  static readonly viewType = 'knowledgeNeurons.compare';
  private static current: ComparePanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private source: PanelSource | undefined;
  /** Bumped by every load: the answer of an older one is dropped. */
  private loadSeq = 0;

  static show(context: vscode.ExtensionContext, data: CompareData, handlers: ComparePanelHandlers, source?: PanelSource): ComparePanel {
    const panel = ComparePanel.reveal(context, handlers, data);
    panel.update(data, source);
    return panel;
  }

  /**
   * Open (or reveal) the panel on `source` at once, in a loading state, and show its data when
   * `handlers.load` has computed it.
   */
  static async open(context: vscode.ExtensionContext, source: PanelSource, handlers: ComparePanelHandlers): Promise<ComparePanel> {
    const panel = ComparePanel.reveal(context, handlers);
    await panel.load(source);
    return panel;
  }

  /** Restore a panel VS Code kept across a reload (the page saved its source with setState). */
  static async revive(webviewPanel: vscode.WebviewPanel, context: vscode.ExtensionContext, state: unknown, handlers: ComparePanelHandlers): Promise<void> {
    ComparePanel.current?.dispose();
    const panel = new ComparePanel(webviewPanel, context.extensionUri, undefined, handlers);
    ComparePanel.current = panel;
    const source = savedSource(state);
    if (source) await panel.load(source);
    else panel.post({ type: 'loadFailed', source: { uri: '', file: '' }, error: 'Nothing to restore: run "Compare Refined Neurons" on a .prompts file.' });
  }

  private static reveal(context: vscode.ExtensionContext, handlers: ComparePanelHandlers, data?: CompareData): ComparePanel {
    if (ComparePanel.current) {
      ComparePanel.current.handlers = handlers;
      ComparePanel.current.panel.reveal(undefined, true);
      return ComparePanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      ComparePanel.viewType,
      'Knowledge Neurons: Compare Refined Neurons',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { ...ComparePanel.webviewOptions(context), retainContextWhenHidden: false },
    );
    ComparePanel.current = new ComparePanel(panel, context.extensionUri, data, handlers);
    return ComparePanel.current;
  }

  /** Scripts on, nothing outside dist/media/, no command URIs (also for a revived panel). */
  static webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, MEDIA.dir)], enableCommandUris: false };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private data: CompareData | undefined,
    private handlers: ComparePanelHandlers,
  ) {
    this.render();
    this.panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), undefined, this.disposables);
    this.panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    // follow the shown file: its saves recompute what the panel shows
    const saves = vscode.workspace?.onDidSaveTextDocument;
    if (saves) {
      this.disposables.push(
        saves((doc: { uri: { toString(): string } }) => {
          if (this.source && this.handlers.load && doc.uri.toString() === this.source.uri) void this.load({ ...this.source });
        }),
      );
    }
  }

  /** Show new data; the page keeps its selections while file and model stay the same, and re-derives everything from it. */
  update(data: CompareData, source?: PanelSource): void {
    if (this.disposed) return;
    this.loadSeq++;
    this.data = data;
    if (source) this.source = source;
    this.post({ type: 'update', data, source: this.source });
  }

  /** Show `source`: a loading state at once, then its data (or why it failed). */
  async load(source: PanelSource): Promise<void> {
    if (this.disposed) return;
    this.source = source;
    const seq = ++this.loadSeq;
    this.post({ type: 'loading', source });
    if (!this.handlers.load) return;
    try {
      const data = await this.handlers.load(source);
      if (seq !== this.loadSeq || this.disposed) return;
      this.loadSeq++;
      this.data = data;
      this.post({ type: 'update', data, source });
    } catch (e) {
      if (seq !== this.loadSeq) return;
      const error = e instanceof Error ? e.message : String(e);
      this.log(`loading ${source.file} failed: ${error}`);
      this.post({ type: 'loadFailed', source, error });
    }
  }

  /** Close the panel (also called when the user closes it). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ComparePanel.current === this) ComparePanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private render(): void {
    const webview = this.panel.webview;
    const uri = (parts: readonly string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...parts)).toString();
    webview.html = buildCompareHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: uri(MEDIA.script),
      styleUri: uri(MEDIA.style),
      elementsUri: uri(MEDIA.elements),
    });
  }

  private post(m: HostMessage): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(m);
  }

  private log(message: string): void {
    (this.handlers.log ?? ((s: string) => console.warn(s)))(`[compare panel] ${message}`);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const data = this.data;
    if (!data) {
      // nothing shown yet: only `ready` makes sense, and it is answered when the data comes
      const reply = rejectionReply(raw, 'the panel has no data yet');
      if (reply) this.post(reply);
      return;
    }
    const v = validatePageMessage(raw, data);
    if (!v.ok) {
      this.log(`rejected a message from the page: ${v.error}`);
      const reply = rejectionReply(raw, v.error);
      if (reply) this.post(reply);
      return;
    }
    const m = v.message;
    const uri = this.source?.uri;
    switch (m.type) {
      case 'ready':
        this.post({ type: 'update', data, source: this.source });
        return;
      case 'intervene': {
        const { requestId, mode, fact, neurons, prompts } = m;
        try {
          const res = await this.handlers.onIntervene({ mode, fact, neurons, prompts, ...(uri ? { uri } : {}) });
          this.post({ type: 'interventionResult', requestId, ok: true, mode, fact, neurons, results: res.results });
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          this.log(`${mode} failed: ${error}`);
          this.post({ type: 'interventionResult', requestId, ok: false, mode, fact, neurons, error });
        }
        return;
      }
      case 'neuronCard': {
        const { requestId, model, neuron } = m;
        try {
          if (!this.handlers.onNeuronCard) throw new Error('neuron cards are not available here');
          const card = await this.handlers.onNeuronCard({ neuron, ...(uri ? { uri } : {}) });
          this.post({ type: 'neuronCardResult', requestId, ok: true, model, card });
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          this.log(`neuron card failed: ${error}`);
          this.post({ type: 'neuronCardResult', requestId, ok: false, model, error });
        }
        return;
      }
      case 'export': {
        const { requestId, format, view, filename, content } = m;
        try {
          const path = await this.handlers.onExport({
            format,
            view,
            filename,
            content: format === 'png' ? pngBytes(content) : content,
            ...(uri ? { uri } : {}),
          });
          this.post({ type: 'exportResult', requestId, ok: path !== undefined, path });
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          this.log(`export failed: ${error}`);
          this.post({ type: 'exportResult', requestId, ok: false, error });
        }
        return;
      }
      case 'writeSettings': {
        const { requestId, rule, p } = m;
        try {
          if (!uri || !this.handlers.onWriteSettings) throw new Error('the panel shows no file to write to');
          const applied = await this.handlers.onWriteSettings({ uri, rule, p });
          this.post({ type: 'writeSettingsResult', requestId, ok: true, applied });
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          this.log(`writing the settings failed: ${error}`);
          this.post({ type: 'writeSettingsResult', requestId, ok: false, error });
        }
        return;
      }
    }
  }
}

/** The source a page saved in its state (untrusted: checked field by field). */
export function savedSource(state: unknown): PanelSource | undefined {
  const src = typeof state === 'object' && state !== null ? (state as { source?: unknown }).source : undefined;
  if (typeof src !== 'object' || src === null) return undefined;
  const { uri, file, fact } = src as Record<string, unknown>;
  if (typeof uri !== 'string' || !/^file:\/\/[^\s]{1,4000}$/.test(uri) || typeof file !== 'string' || file.length > 1000) return undefined;
  return { uri, file, ...(typeof fact === 'string' && fact.length <= 1000 ? { fact } : {}) };
}

/** Let VS Code restore the panel after a window reload (also needs `onWebviewPanel:knowledgeNeurons.compare`). */
export function registerComparePanelSerializer(context: vscode.ExtensionContext, handlers: ComparePanelHandlers): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(ComparePanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      panel.webview.options = ComparePanel.webviewOptions(context);
      await ComparePanel.revive(panel, context, state, handlers);
    },
  });
}

/**
 * A ready-made `onExport`: asks where to save (the page's suggested name in the first workspace
 * folder, or the home folder) and writes the file. Resolves with the path, or undefined if cancelled.
 */
export async function saveExportWithDialog(req: ExportRequest): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const filters: Record<string, string[]> = { svg: { SVG: ['svg'] }, png: { PNG: ['png'] }, csv: { CSV: ['csv'] } }[req.format];
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, req.filename) : undefined,
    filters,
    saveLabel: `Export ${req.format.toUpperCase()}`,
  });
  if (!target) return undefined;
  const bytes = typeof req.content === 'string' ? new TextEncoder().encode(req.content) : req.content;
  await vscode.workspace.fs.writeFile(target, bytes);
  return target.fsPath;
}
