/**
 * A real LSP client for the end-to-end tests: starts out/server/src/server.js over stdio and talks
 * to it with vscode-languageserver-protocol's createProtocolConnection.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ShowMessageNotification,
  ShowMessageParams,
  ConfigurationRequest,
  WorkDoneProgressCreateRequest,
  InlayHintRefreshRequest,
  CodeLensRefreshRequest,
  RegistrationRequest,
  ExecuteCommandRequest,
  ShutdownRequest,
  ExitNotification,
  DidChangeConfigurationNotification,
  ClientCapabilities,
  ApplyWorkspaceEditRequest,
  ApplyWorkspaceEditParams,
} from 'vscode-languageserver-protocol/node';

export const repoRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');
export const fixturesDir = process.env.KN_FIXTURES ?? path.resolve(repoRoot, '../shared/fixtures');
/** The server under test: the tsc build, or another file (e.g. the esbuild bundle dist/server.js) via KN_SERVER_JS. */
export const serverJs = process.env.KN_SERVER_JS ?? path.join(repoRoot, 'out', 'server', 'src', 'server.js');

export interface ProgressEvent {
  token: string | number;
  value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number; cancellable?: boolean };
}

export interface StartOptions {
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  workspace?: string;
  /** What the client declares; default: what this test client handles (configuration, progress, refreshes). */
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** Start the `kn-language-server` bin with no arguments (stdio by default) instead of the server module with --stdio. */
  bin?: boolean;
  /** Start this script instead, with no arguments (the bench starts the bundled dist/kn-language-server.js). */
  script?: string;
}

/** The `kn-language-server` bin. */
export const serverBin = path.join(repoRoot, 'out', 'server', 'src', 'cli.js');
/** The stand-in engine the server tests run against (no model). */
export const fakeEngine = path.join(repoRoot, 'out', 'test', 'server', 'fakeEngine.js');

const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } },
  window: { workDoneProgress: true },
  textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown', 'plaintext'] } },
  // as the extension's client: it shows the Compare panel
  experimental: { knowledgeNeuronsComparePanel: true },
};

const tempDirs: string[] = [];
process.on('exit', () => {
  if (process.env.KN_KEEP_TEST_FILES) return;
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A temporary folder, removed when the test process exits (kept with KN_KEEP_TEST_FILES=1). */
export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `kn-${prefix}-`));
  tempDirs.push(d);
  return d;
}

/** The calls fakeEngine.ts logged to `env.log` (KN_FAKE_LOG), one per line, model disposals left out. */
export function fakeEngineCalls(env: { log: string }): string[] {
  return fs.existsSync(env.log)
    ? fs
        .readFileSync(env.log, 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('dispose'))
    : [];
}

/** A workspace with a fake model folder (for fakeEngine.ts), a cache folder, an engine log and a docs folder. */
export function fakeWorkspace(name: string) {
  const dir = tempDir(name);
  const modelDir = path.join(dir, 'models', 'fake');
  fs.mkdirSync(modelDir, { recursive: true });
  fs.writeFileSync(path.join(modelDir, 'config.json'), JSON.stringify({ architectures: ['BertForMaskedLM'] }));
  const cacheFolder = path.join(dir, 'cache');
  const log = path.join(dir, 'engine.log');
  const docsDir = path.join(dir, 'docs');
  fs.mkdirSync(docsDir);
  return { dir, modelDir, cacheFolder, log, docsDir };
}

/** Applies non-overlapping LSP edits. */
export function applyEdits(
  text: string,
  edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[],
): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (p.line < starts.length ? starts[p.line] + p.character : text.length);
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

export function fileUri(p: string): string {
  return pathToFileURL(p).toString();
}

export class TestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly diagnosticEvents: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly progress: ProgressEvent[] = [];
  readonly status: Array<Record<string, unknown>> = [];
  readonly logs: string[] = [];
  inlayRefreshes = 0;
  /** The workspace edits the server asked this client to apply (workspace/applyEdit), all applied. */
  readonly applied: ApplyWorkspaceEditParams[] = [];
  /** Every request the server sent to the client, by method. */
  readonly requests: string[] = [];
  settings: Record<string, unknown>;
  private versions = new Map<string, number>();
  private waiters: Array<() => void> = [];
  stderr = '';

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(opts: StartOptions = {}): Promise<TestClient> {
    const proc = spawn(process.execPath, opts.script ? [opts.script] : opts.bin ? [serverBin] : [serverJs, '--stdio'], {
      env: { ...process.env, KN_TEST_HOOKS: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new TestClient(proc, conn, { ...opts.settings });
    proc.stderr!.on('data', (d) => (client.stderr += d.toString()));
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      client.diagnostics.set(p.uri, p);
      client.diagnosticEvents.push(p);
      client.wake();
    });
    conn.onNotification(ShowMessageNotification.type, (p) => {
      client.messages.push(p);
      client.wake();
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => client.logs.push(p.message));
    conn.onNotification('knowledgeNeurons/status', (p: Record<string, unknown>) => {
      client.status.push(p);
      client.wake();
    });
    conn.onNotification('$/progress', (p: ProgressEvent) => {
      client.progress.push(p);
      client.wake();
    });
    // Requests from the server, each logged in `requests` (a client that did not declare the
    // capability must never get them); others are answered with an error by the connection.
    const handlers: Record<string, (params: any) => unknown> = {
      [ConfigurationRequest.method]: (p: { items: { section?: string }[] }) =>
        p.items.map((it) => (it.section === 'knowledgeNeurons' ? client.settings : null)),
      [WorkDoneProgressCreateRequest.method]: () => null,
      [InlayHintRefreshRequest.method]: () => {
        client.inlayRefreshes++;
        client.wake();
        return null;
      },
      [CodeLensRefreshRequest.method]: () => null,
      [RegistrationRequest.method]: () => null,
      'workspace/semanticTokens/refresh': () => null,
      [ApplyWorkspaceEditRequest.method]: (p: ApplyWorkspaceEditParams) => {
        client.applied.push(p);
        client.wake();
        return { applied: true };
      },
    };
    for (const [method, h] of Object.entries(handlers))
      conn.onRequest(method, (params: unknown) => {
        client.requests.push(method);
        return h(params);
      });
    conn.listen();
    const root = opts.workspace ?? repoRoot;
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: fileUri(root),
      workspaceFolders: [{ uri: fileUri(root), name: 'ws' }],
      capabilities: opts.capabilities ?? DEFAULT_CAPABILITIES,
      initializationOptions: opts.initializationOptions ?? {},
    });
    await conn.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits until `pred` returns a truthy value (checked on every event and every 50 ms). */
  async waitFor<T>(pred: () => T | undefined | false | null, what: string, timeoutMs = 20000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = pred();
      if (v) return v;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr.slice(-2000)}; logs: ${this.logs.slice(-20).join('\n')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'prompts', version: 1, text } });
  }

  async change(uri: string, text: string): Promise<number> {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    return v;
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  async save(uri: string): Promise<void> {
    await this.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async setSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { knowledgeNeurons: settings } });
  }

  /** Diagnostics for the document's current version. */
  async diagnosticsFor(
    uri: string,
    pred: (p: PublishDiagnosticsParams) => boolean = () => true,
    what = 'diagnostics',
    timeoutMs?: number,
  ): Promise<PublishDiagnosticsParams> {
    return this.waitFor(
      () => {
        const d = this.diagnostics.get(uri);
        return d && (d.version === undefined || d.version === this.version(uri)) && pred(d) ? d : undefined;
      },
      what,
      timeoutMs,
    );
  }

  command<T>(command: string, ...args: unknown[]): Promise<T> {
    return this.conn.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }) as Promise<T>;
  }

  async stop(): Promise<void> {
    const within = (p: Promise<unknown>, ms: number) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, ms).unref())]);
    if (this.proc.exitCode === null) {
      await within(this.conn.sendRequest(ShutdownRequest.type), 3000);
      await within(this.conn.sendNotification(ExitNotification.type), 1000);
    }
    await within(
      new Promise<void>((resolve) => {
        if (this.proc.exitCode !== null) return resolve();
        this.proc.once('exit', () => resolve());
      }),
      3000,
    );
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    this.conn.dispose();
    this.proc.stdin?.destroy();
    this.proc.stdout?.destroy();
    this.proc.stderr?.destroy();
  }
}
