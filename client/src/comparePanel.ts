/**
 * "Knowledge Neurons: Compare Refined Neurons": the webview panel.
 *
 * The page (media/compare.js) computes everything it shows with engine/src/compare.ts from the
 * `CompareData` it is sent, re-refining from cached scores when the user moves the threshold or
 * p. The panel is not kept alive while hidden (retainContextWhenHidden false): the page saves its
 * UI state with setState, and asks for the data again with a `ready` message when it reloads.
 * Every message from the page is checked by validatePageMessage before anything is done with it.
 */

import * as vscode from 'vscode';
import type { CompareData } from '../../engine/src/types';
import { MEDIA, buildCompareHtml, makeNonce } from './compareHtml';
import {
  ExportFormat,
  ExportView,
  HostMessage,
  InterventionMode,
  InterventionResponse,
  pngBytes,
  validatePageMessage,
} from '../../protocol/panel';

export interface InterventionRequest {
  mode: InterventionMode;
  fact: string;
  neurons: Array<{ layer: number; index: number }>;
  /** Texts of the fact's prompts to run on; empty = all of the fact's prompts. */
  prompts: string[];
}

export interface ExportRequest {
  format: ExportFormat;
  view: ExportView;
  /** Suggested file name (already checked: safe characters, right extension). */
  filename: string;
  /** UTF-8 text for svg / csv, PNG bytes for png. */
  content: string | Uint8Array;
}

export interface ComparePanelHandlers {
  /** Run suppress / enhance; the results are shown in the effects view. */
  onIntervene(req: InterventionRequest): Promise<InterventionResponse>;
  /** Save an export; resolve with the path it was saved to, or undefined when the user cancelled. */
  onExport(req: ExportRequest): Promise<string | undefined>;
  /** Where rejected messages and failures are logged (default: console.warn). */
  log?(message: string): void;
}

export class ComparePanel {
  static readonly viewType = 'knowledgeNeurons.compare';
  private static current: ComparePanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  static show(context: vscode.ExtensionContext, data: CompareData, handlers: ComparePanelHandlers): ComparePanel {
    if (ComparePanel.current) {
      ComparePanel.current.handlers = handlers;
      ComparePanel.current.panel.reveal(undefined, true);
      ComparePanel.current.update(data);
      return ComparePanel.current;
    }
    const mediaRoot = vscode.Uri.joinPath(context.extensionUri, MEDIA.dir);
    const panel = vscode.window.createWebviewPanel(
      ComparePanel.viewType,
      'Knowledge Neurons: Compare Refined Neurons',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [mediaRoot],
        retainContextWhenHidden: false,
        enableCommandUris: false,
      },
    );
    ComparePanel.current = new ComparePanel(panel, context.extensionUri, data, handlers);
    return ComparePanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private data: CompareData,
    private handlers: ComparePanelHandlers,
  ) {
    this.render();
    this.panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), undefined, this.disposables);
    this.panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
  }

  /** Show new data; the page keeps its selections and re-derives everything from it. */
  update(data: CompareData): void {
    if (this.disposed) return;
    this.data = data;
    this.post({ type: 'update', data });
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
    const v = validatePageMessage(raw, this.data);
    if (!v.ok) {
      this.log(`rejected a message from the page: ${v.error}`);
      return;
    }
    const m = v.message;
    switch (m.type) {
      case 'ready':
        this.post({ type: 'update', data: this.data });
        return;
      case 'intervene': {
        const { requestId, mode, fact, neurons, prompts } = m;
        try {
          const res = await this.handlers.onIntervene({ mode, fact, neurons, prompts });
          this.post({ type: 'interventionResult', requestId, ok: true, mode, fact, neurons, results: res.results });
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          this.log(`${mode} failed: ${error}`);
          this.post({ type: 'interventionResult', requestId, ok: false, mode, fact, neurons, error });
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
          });
          this.post({ type: 'exportResult', requestId, ok: path !== undefined, path });
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          this.log(`export failed: ${error}`);
          this.post({ type: 'exportResult', requestId, ok: false, error });
        }
        return;
      }
    }
  }
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

