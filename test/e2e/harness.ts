/**
 * End-to-end harness: a real VS Code (code-server, the same workbench as desktop VS Code, served to a
 * browser) with the packaged extension installed, driven from Debian's chromium by playwright-core.
 *
 * Everything here is plain plumbing; the scenarios live in `extension.test.ts`.
 * Environment:
 *   KN_FIXTURES     fixture models (default: <repo>/../shared/fixtures)
 *   KN_E2E_VSIX     use this .vsix instead of packaging the extension again
 *   KN_E2E_CHROMIUM chromium executable (default: /usr/bin/chromium)
 *   KN_E2E_KEEP=1   keep the temporary folders (user data, logs) for a post-mortem
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, Browser, Frame, Page } from 'playwright-core';

/** out/test/e2e/harness.js → repository root. */
export const repoRoot = path.resolve(__dirname, '../../..');
export const fixturesDir = process.env.KN_FIXTURES ? path.resolve(process.env.KN_FIXTURES) : path.resolve(repoRoot, '../shared/fixtures');
export const artifactsDir = path.join(repoRoot, 'test-artifacts', 'e2e');
export const chromiumPath = process.env.KN_E2E_CHROMIUM ?? '/usr/bin/chromium';

const t0 = Date.now();
export function log(message: string): void {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[e2e ${s}s] ${message}\n`);
}

/** Why the suite cannot run here, or undefined. In CI a missing piece is a failure, not a skip. */
export function missingPrerequisite(): string | undefined {
  if (!fs.existsSync(chromiumPath)) return `no chromium at ${chromiumPath} (apt-get install -y chromium)`;
  if (!fs.existsSync(path.join(fixturesDir, 'bert-tiny-facts', 'config.json'))) {
    return `no fixture model in ${fixturesDir} (set KN_FIXTURES)`;
  }
  return undefined;
}

/** Installs code-server if needed (scripts/install-code-server.sh) and returns its executable. */
export function installCodeServer(): string {
  const out = execFileSync('bash', [path.join(repoRoot, 'scripts', 'install-code-server.sh')], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = out.trim().split('\n');
  return lines[lines.length - 1];
}

/** Packages the extension (scripts/package.mjs) into `outDir`, unless KN_E2E_VSIX names a .vsix. */
export function packageExtension(outDir: string): string {
  if (process.env.KN_E2E_VSIX) return path.resolve(process.env.KN_E2E_VSIX);
  const vsix = path.join(outDir, 'knowledge-neurons.vsix');
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs'), '--out', vsix], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 180_000,
  });
  return vsix;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** User settings for a quiet, deterministic workbench. */
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'editor.inlayHints.enabled': 'on',
  'editor.hover.delay': 100,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'git.enabled': false,
  'notifications.doNotDisturbMode': false,
};

/**
 * One code-server: its own user data and extensions folders, the .vsix installed, bound to a free
 * port on 127.0.0.1. All its processes are in one process group, killed by stop().
 */
export class CodeServer {
  readonly tmp: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  port = 0;
  private proc?: ChildProcess;

  constructor(private readonly bin: string) {
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-e2e-'));
    this.userDataDir = path.join(this.tmp, 'user-data');
    this.extensionsDir = path.join(this.tmp, 'extensions');
    this.logFile = path.join(this.tmp, 'code-server.log');
    fs.mkdirSync(path.join(this.userDataDir, 'User'), { recursive: true });
    fs.mkdirSync(this.extensionsDir, { recursive: true });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      // Keep code-server's own config and state out of the user's home.
      XDG_CONFIG_HOME: path.join(this.tmp, 'config'),
      XDG_DATA_HOME: path.join(this.tmp, 'data'),
      XDG_CACHE_HOME: path.join(this.tmp, 'cache'),
      // No inherited VS Code / code-server state.
      VSCODE_IPC_HOOK_CLI: '',
      PASSWORD: '',
    };
  }

  private commonArgs(): string[] {
    return ['--config', path.join(this.tmp, 'config.yaml'), '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir];
  }

  installExtension(vsix: string, settings: Record<string, unknown> = {}): void {
    fs.writeFileSync(path.join(this.tmp, 'config.yaml'), 'auth: none\n');
    fs.writeFileSync(path.join(this.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...userSettings, ...settings }, null, 2));
    const out = execFileSync(this.bin, [...this.commonArgs(), '--force', '--install-extension', vsix], {
      env: this.env(),
      encoding: 'utf8',
      timeout: 120_000,
    });
    log(`install-extension: ${out.trim().split('\n').pop()}`);
    const installed = fs.readdirSync(this.extensionsDir).filter((d) => !d.startsWith('.') && d !== 'extensions.json');
    if (installed.length === 0) throw new Error(`no extension installed in ${this.extensionsDir}:\n${out}`);
  }

  /** Starts code-server on `workspace`; with `workspaceTrust`, Workspace Trust is on (folders start untrusted). */
  async start(workspace: string, opts: { workspaceTrust?: boolean } = {}): Promise<void> {
    this.port = await freePort();
    const logFd = fs.openSync(this.logFile, 'a');
    this.proc = spawn(
      this.bin,
      [
        ...this.commonArgs(),
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${this.port}`,
        '--disable-telemetry',
        '--disable-update-check',
        ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override',
        workspace,
      ],
      { env: this.env(), stdio: ['ignore', logFd, logFd], detached: true },
    );
    fs.closeSync(logFd);
    const pid = this.proc.pid!;
    onTermination(() => killGroup(pid, 'SIGKILL'));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) break;
      if ((await httpStatus(`${this.url}/healthz`)) === 200) {
        log(`code-server up on ${this.url} (pid ${pid})`);
        return;
      }
      await sleep(250);
    }
    throw new Error(`code-server did not start; log:\n${this.log()}`);
  }

  log(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  }

  /** The extension's output channels and the extension host's errors, for failure messages. */
  extensionLogs(): string {
    const logs = path.join(this.userDataDir, 'logs');
    const parts: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/knowledge|neuron|prompts/i.test(e.name)) {
          parts.push(`--- ${e.name}\n${fs.readFileSync(p, 'utf8').slice(-3000)}`);
        } else if (e.name === 'remoteexthost.log' || e.name === 'exthost.log') {
          const lines = fs
            .readFileSync(p, 'utf8')
            .split('\n')
            .filter((l) => /\[error\]/i.test(l) || (/knowledge|neuron/i.test(l) && !/Creating extension host/.test(l)));
          if (lines.length) parts.push(`--- ${e.name} (errors, this extension)\n${lines.slice(-40).join('\n')}`);
        }
      }
    };
    walk(logs);
    return parts.join('\n');
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (proc?.pid !== undefined) {
      killGroup(proc.pid, 'SIGTERM');
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && groupAlive(proc.pid)) await sleep(100);
      killGroup(proc.pid, 'SIGKILL');
    }
    if (process.env.KN_E2E_KEEP) log(`kept ${this.tmp}`);
    else fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

/**
 * Last resort when the test process ends without running its `after` hooks (killed by the test
 * runner's timeout, Ctrl+C): no code-server or chromium may outlive it.
 */
const cleanups: Array<() => void> = [];
let handlersInstalled = false;
export function onTermination(cleanup: () => void): void {
  cleanups.push(cleanup);
  if (handlersInstalled) return;
  handlersInstalled = true;
  const runAll = () => {
    for (const c of cleanups.splice(0)) {
      try {
        c();
      } catch {
        /* best effort */
      }
    }
  };
  process.once('exit', runAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      runAll();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
    // playwright's own handlers kill chromium when this process exits or is signalled.
  });
}

/** Text of every frame of the page (the workbench and each webview's nested iframes). */
export async function allFramesText(page: Page): Promise<Array<{ frame: Frame; text: string }>> {
  const out: Array<{ frame: Frame; text: string }> = [];
  for (const frame of page.frames()) {
    try {
      const text = await frame.evaluate(() => (document.body ? document.body.innerText : ''));
      out.push({ frame, text });
    } catch {
      /* frame navigated or detached */
    }
  }
  return out;
}

/** Polls `probe` until it returns a value other than undefined/false, or throws with `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** Drives the VS Code workbench through the keyboard and reads it through the DOM. */
export class Workbench {
  /** The browser's console errors and uncaught page errors (workbench and webviews), newest last. */
  readonly consoleErrors: string[] = [];

  constructor(readonly page: Page) {
    const keep = (m: string) => {
      // The workbench's own noise in code-server: missing optional assets.
      if (/Failed to load resource: the server responded with a status of 404/.test(m)) return;
      this.consoleErrors.push(m.slice(0, 500));
      if (this.consoleErrors.length > 50) this.consoleErrors.shift();
    };
    page.on('console', (m) => {
      if (m.type() === 'error') keep(m.text());
    });
    page.on('pageerror', (e) => keep(`uncaught: ${e.message}`));
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The status bar is rendered once the workbench has restored its parts.
    await this.page.locator('.statusbar').waitFor({ timeout: 60_000 });
    await this.dismissNotifications();
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(artifactsDir, { recursive: true });
    const file = path.join(artifactsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs a command by its title from the Command Palette (F1), as a user would. */
  async runCommand(title: string): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    // Wait until the palette has filtered down to a row with exactly this label.
    const row = this.page.locator('.quick-input-widget .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: title }),
    });
    await row.first().waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.waitForTimeout(100);
    await this.page.keyboard.press('Enter');
    await this.page
      .locator('.quick-input-widget')
      .waitFor({ state: 'hidden', timeout: 10_000 })
      .catch(() => {});
  }

  async closeQuickInput(): Promise<void> {
    if (
      await this.page
        .locator('.quick-input-widget')
        .isVisible()
        .catch(() => false)
    ) {
      await this.page.keyboard.press('Escape');
    }
  }

  /** Opens a workspace file by name through Quick Open (Ctrl+P) and waits until its editor is the active one. */
  async openFile(name: string): Promise<void> {
    const activeTab = this.page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`);
    for (let attempt = 0; ; attempt++) {
      await this.closeQuickInput();
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(name);
      // The first row must be the file itself (not a recently opened one still listed while filtering).
      await waitFor(
        `${name} at the top of Quick Open`,
        async () => (await this.page.locator('.quick-input-widget .monaco-list-row .label-name').first().innerText()).trim() === name,
        15_000,
        100,
      );
      await this.page.keyboard.press('Enter');
      const ok = await activeTab
        .first()
        .waitFor({ timeout: 10_000 })
        .then(
          () => true,
          () => false,
        );
      if (ok) break;
      if (attempt >= 2) throw new Error(`could not open ${name}`);
    }
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
  }

  /** Focuses the active editor without moving its cursor. */
  async focusEditor(): Promise<void> {
    await this.closeQuickInput();
    const input = this.page.locator('.editor-instance .monaco-editor').first().locator('.native-edit-context, textarea.inputarea');
    if ((await input.count()) > 0) await input.first().focus();
    else
      await this.page
        .locator('.editor-instance .monaco-editor .view-lines')
        .first()
        .click({ position: { x: 5, y: 5 } });
  }

  /** Moves the cursor with Go to Line/Column (Ctrl+G), 1-based as the workbench counts; checks the status bar. */
  async goTo(line: number, column: number): Promise<void> {
    const want = `Ln ${line}, Col ${column}`;
    for (let attempt = 0; ; attempt++) {
      await this.closeQuickInput();
      await this.focusEditor();
      await this.page.keyboard.press('Control+G');
      const input = this.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      // Ctrl+G opens the quick input with ':' typed; wait for it, so that we type into that one.
      await waitFor('the Go to Line input', async () => (await input.inputValue()).startsWith(':'), 5000, 50).catch(() => {});
      await input.fill(`:${line}:${column}`);
      await this.page.waitForTimeout(150);
      await this.page.keyboard.press('Enter');
      await this.page
        .locator('.quick-input-widget')
        .waitFor({ state: 'hidden', timeout: 10_000 })
        .catch(() => {});
      const ok = await waitFor('the cursor position', async () => (await this.statusBar()).includes(want), 3000, 100).then(
        () => true,
        () => false,
      );
      if (ok) return;
      if (attempt >= 2) throw new Error(`could not move the cursor to ${want}; status bar: ${await this.statusBar()}`);
    }
  }

  /** Appends a line at the end of the document (a real edit, so that saving saves). */
  async appendLine(text: string): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.press('End');
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.type(text);
  }

  /** Saves the active editor (Ctrl+S) and waits until its tab is no longer dirty. */
  async save(): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+S');
    await this.page
      .locator('.tabs-container .tab.active.dirty')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => {});
  }

  /** Rendered editor lines (with inlay hints, which are rendered inline as injected text). */
  async editorLines(): Promise<string[]> {
    return this.page.evaluate(() => {
      const lines = Array.from(document.querySelectorAll<HTMLElement>('.editor-instance .monaco-editor .view-lines .view-line'));
      return lines
        .map((l) => ({ top: parseFloat(l.style.top || '0'), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text);
    });
  }

  /** Text of the rendered inlay hints in the active editor. */
  async inlayHints(): Promise<string[]> {
    return this.page.evaluate(() => {
      const spans = Array.from(document.querySelectorAll<HTMLElement>('.editor-instance .monaco-editor .view-lines .view-line span[class*="dyn-rule"]'));
      return spans.map((s) => (s.textContent ?? '').replace(/\u00a0/g, ' ').trim()).filter((t) => t.length > 0);
    });
  }

  /** Opens the Problems panel and returns its rows' texts (file rows and marker rows). */
  async problems(): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible().catch(() => false))) {
      await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)').catch(async () => {
        await this.page.keyboard.press('Control+Shift+M');
      });
      await panel.waitFor({ state: 'visible', timeout: 10_000 });
    }
    return this.page
      .locator('.markers-panel .monaco-list-row')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).getAttribute('aria-label') || (r as HTMLElement).innerText));
  }

  /** Texts of the notification toasts now on screen. */
  async notifications(): Promise<string[]> {
    return this.page
      .locator('.notifications-toasts .notification-toast')
      .evaluateAll((ts) => ts.map((t) => (t as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
  }

  /** Every notification, also those whose toasts were hidden, from the notification center. */
  async allNotifications(): Promise<string[]> {
    const center = this.page.locator('.notifications-center');
    if (!(await center.isVisible().catch(() => false))) {
      await this.runCommand('Notifications: Show Notifications');
      await center.waitFor({ state: 'visible', timeout: 10_000 });
    }
    const items = await this.page
      .locator('.notifications-center .notification-list-item')
      .evaluateAll((ts) => ts.map((t) => (t as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    await this.page.keyboard.press('Escape');
    return items;
  }

  async dismissNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications').catch(() => {});
  }

  /** Text of the hover widget, or '' when none is shown. */
  async hoverText(): Promise<string> {
    const hover = this.page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /\S/ });
    if ((await hover.count()) === 0) return '';
    return (await hover.first().innerText()).trim();
  }

  /**
   * The language status of the active editor (the `{}` entry beside the language mode): its hover's
   * text, with every item's label, detail and link; '' when there is no such entry.
   */
  async languageStatus(): Promise<string> {
    const entry = this.page.locator('[id="status.languageStatus"]');
    if ((await entry.count()) === 0) return '';
    await entry.first().hover();
    const hover = this.page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /\S/ });
    const text = await hover
      .first()
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(async () => (await hover.first().innerText()).replace(/\s+/g, ' ').trim())
      .catch(() => '');
    await this.page.mouse.move(5, 5);
    return text;
  }

  /** Text in the status bar (items with their labels). */
  async statusBar(): Promise<string> {
    return (await this.page.locator('.statusbar').innerText()).replace(/\s+/g, ' ');
  }
}

/**
 * One scenario's world: a fresh workspace holding `files` and a copy of the fixture bert-tiny-facts
 * in models/, a code-server with the packaged extension and `settings` (the model on the CPU, a
 * private cache folder), and a browser page on the workspace. `step` runs a part of a scenario and
 * leaves a screenshot; `close` stops everything.
 */
export class WorkspaceSession {
  private constructor(
    readonly workspace: string,
    readonly server: CodeServer,
    readonly browser: Browser,
    readonly wb: Workbench,
  ) {}

  static async open(
    prefix: string,
    files: Record<string, string>,
    opts: { settings?: Record<string, unknown>; workspaceTrust?: boolean } = {},
  ): Promise<WorkspaceSession> {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), `kn-e2e-${prefix}-`));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(workspace, name), text);
    fs.cpSync(path.join(fixturesDir, 'bert-tiny-facts'), path.join(workspace, 'models', 'bert-tiny-facts'), { recursive: true });
    const server = new CodeServer(installCodeServer());
    server.installExtension(packageExtension(server.tmp), {
      'knowledgeNeurons.device': 'cpu',
      'knowledgeNeurons.cacheFolder': path.join(server.tmp, 'kn-cache'),
      ...opts.settings,
    });
    await server.start(workspace, { workspaceTrust: opts.workspaceTrust });
    const browser = await launchBrowser();
    const wb = new Workbench(await browser.newPage({ viewport: { width: 1600, height: 1000 } }));
    await wb.open(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    return new WorkspaceSession(workspace, server, browser, wb);
  }

  /** Runs `body`; then a screenshot `name` (unless `screenshot: false`), or on failure `name-FAILED` and the extension's log in the error. */
  async step(name: string, body: () => Promise<void>, opts: { screenshot?: boolean } = {}): Promise<void> {
    try {
      await body();
      if (opts.screenshot !== false) await this.wb.screenshot(name);
    } catch (e) {
      const shot = await this.wb.screenshot(`${name}-FAILED`).catch(() => '(no screenshot)');
      throw new Error(`${(e as Error).message}\nscreenshot: ${shot}\n${this.server.extensionLogs().slice(-6000)}`, { cause: e });
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => {});
    await this.server.stop();
    if (!process.env.KN_E2E_KEEP) fs.rmSync(this.workspace, { recursive: true, force: true });
  }
}
