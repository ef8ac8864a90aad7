/**
 * Just enough of the `vscode` module for ComparePanel to run outside VS Code: a fake webview
 * panel whose messages go to / come from a Playwright page. Installed by hooking Node's module
 * loader for the name `vscode` only.
 */

import * as path from 'node:path';

const Module = require('module');

class FakeUri {
  constructor(readonly fsPath: string) {}
  get path(): string {
    return this.fsPath;
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
  static file(p: string): FakeUri {
    return new FakeUri(p);
  }
  static joinPath(base: FakeUri, ...parts: string[]): FakeUri {
    return new FakeUri(path.join(base.fsPath, ...parts));
  }
}

type Listener = (m: unknown) => void;

export class FakePanel {
  html = '';
  /** Everything the extension posted to the page. */
  readonly sent: unknown[] = [];
  disposed = false;
  private listeners: Listener[] = [];
  private disposeListeners: Array<() => void> = [];
  private page: any;
  readonly options: Record<string, unknown>;
  readonly webview: {
    html: string;
    cspSource: string;
    asWebviewUri(u: FakeUri): { toString(): string };
    postMessage(m: unknown): Promise<boolean>;
    onDidReceiveMessage(cb: Listener, thisArg?: unknown, disposables?: Array<{ dispose(): void }>): { dispose(): void };
  };

  constructor(origin: string, extensionRoot: string, options: Record<string, unknown>) {
    this.options = options;
    const self = this;
    this.webview = {
      get html() {
        return self.html;
      },
      set html(v: string) {
        self.html = v;
      },
      cspSource: origin,
      asWebviewUri(u: FakeUri) {
        const rel = path.relative(extensionRoot, u.fsPath).split(path.sep).join('/');
        return { toString: () => `${origin}/ext/${rel}` };
      },
      async postMessage(m: unknown) {
        self.sent.push(JSON.parse(JSON.stringify(m)));
        if (!self.page) return false;
        await self.page.evaluate((msg: unknown) => window.postMessage(msg, '*'), JSON.parse(JSON.stringify(m)));
        return true;
      },
      onDidReceiveMessage(cb: Listener, _this?: unknown, disposables?: Array<{ dispose(): void }>) {
        self.listeners.push(cb);
        const d = { dispose: () => (self.listeners = self.listeners.filter((l) => l !== cb)) };
        disposables?.push(d);
        return d;
      },
    };
  }

  attach(page: any): void {
    this.page = page;
  }

  receive(m: unknown): void {
    for (const l of this.listeners) l(m);
  }

  reveal(): void {}

  onDidDispose(cb: () => void, _this?: unknown, disposables?: Array<{ dispose(): void }>) {
    this.disposeListeners.push(cb);
    const d = { dispose: () => undefined };
    disposables?.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of this.disposeListeners) l();
  }
}

export function installVscodeStub(opts: { origin: string; extensionRoot: string }) {
  const panels: FakePanel[] = [];
  let saveListeners: Array<(doc: { uri: FakeUri }) => void> = [];
  const serializers = new Map<string, { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }>();
  const vscode = {
    workspace: {
      onDidSaveTextDocument(cb: (doc: { uri: FakeUri }) => void) {
        saveListeners.push(cb);
        return { dispose: () => (saveListeners = saveListeners.filter((l) => l !== cb)) };
      },
    },
    Uri: FakeUri,
    ViewColumn: { One: 1, Two: 2, Beside: -2 },
    window: {
      createWebviewPanel(_viewType: string, _title: string, _col: unknown, options: Record<string, unknown>) {
        const p = new FakePanel(opts.origin, opts.extensionRoot, options);
        panels.push(p);
        return p;
      },
      registerWebviewPanelSerializer(viewType: string, serializer: { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }) {
        serializers.set(viewType, serializer);
        return { dispose: () => serializers.delete(viewType) };
      },
    },
  };
  const origLoad = Module._load;
  Module._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return vscode;
    return origLoad.call(this, request, ...rest);
  };
  return {
    context: { extensionUri: FakeUri.file(opts.extensionRoot), subscriptions: [] },
    lastPanel: () => panels.at(-1),
    panels,
    /** A document was saved (what VS Code tells onDidSaveTextDocument listeners). */
    save: (uri: string) => {
      for (const l of saveListeners) l({ uri: { toString: () => uri } as unknown as FakeUri });
    },
    /** VS Code restoring a panel of `viewType` after a reload, with the state its page saved. */
    restore: async (viewType: string, state: unknown) => {
      const p = new FakePanel(opts.origin, opts.extensionRoot, {});
      panels.push(p);
      await serializers.get(viewType)?.deserializeWebviewPanel(p, state);
      return p;
    },
    uninstall: () => {
      Module._load = origLoad;
    },
  };
}
