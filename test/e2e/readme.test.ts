/**
 * The shipped examples in a real VS Code (code-server + chromium), with autosave on:
 *  - an autosave starts the analysis, which reports in the status bar and pops no notification
 *    (issue #20 item 5: a toast flashed after every pause in typing);
 *  - the README's screenshots: `examples/capitals.prompts` on its own `@model ../models/bert-tiny-facts`,
 *    after Find Knowledge Neurons (hints, lenses, a hover), and the Compare panel beside it.
 *
 * The workspace is a copy of the repository's `examples/` and `models/bert-tiny-facts` in a folder
 * named `knowledge-neurons`: nothing in the screenshots names a test path. They are written to
 * test-artifacts/e2e/readme-*.png; `docs/images/vscode-*.png` are copies of them (test/e2e/README.md).
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { CodeServer, Workbench, installCodeServer, launchBrowser, log, missingPrerequisite, packageExtension, repoRoot, sleep, waitFor } from './harness';

const NEURON = /\bL\d+·\d+\b/;

const skip = missingPrerequisite();
if (skip && process.env.CI) throw new Error(`e2e prerequisites missing in CI: ${skip}`);

describe('the shipped examples in code-server, with autosave', { skip, timeout: 600_000 }, () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench;
  let parent: string;

  before(async () => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-e2e-readme-'));
    const workspace = path.join(parent, 'knowledge-neurons');
    fs.cpSync(path.join(repoRoot, 'examples'), path.join(workspace, 'examples'), { recursive: true });
    fs.cpSync(path.join(repoRoot, 'models', 'bert-tiny-facts'), path.join(workspace, 'models', 'bert-tiny-facts'), { recursive: true });
    server = new CodeServer(installCodeServer());
    server.installExtension(packageExtension(server.tmp), {
      'files.autoSave': 'afterDelay',
      'files.autoSaveDelay': 500,
      'knowledgeNeurons.device': 'cpu',
      'knowledgeNeurons.cacheFolder': path.join(server.tmp, 'kn-cache'),
    });
    await server.start(workspace);
    browser = await launchBrowser();
    wb = new Workbench(await browser.newPage({ viewport: { width: 1600, height: 1000 } }));
    await wb.open(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (parent && !process.env.KN_E2E_KEEP) fs.rmSync(parent, { recursive: true, force: true });
  });

  async function step(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
      await wb.screenshot(name);
    } catch (e) {
      const shot = await wb.screenshot(`${name}-FAILED`).catch(() => '(no screenshot)');
      throw new Error(`${(e as Error).message}\nscreenshot: ${shot}\n${server?.extensionLogs().slice(-6000) ?? ''}`, { cause: e });
    }
  }

  /** Every toast shown from now until `stop()`, and whether the status bar showed progress meanwhile. */
  function watch() {
    const toasts = new Set<string>();
    let progress = '';
    let stopped = false;
    const done = (async () => {
      while (!stopped) {
        const seen = await wb.page
          .evaluate(() => {
            const visible = (e: Element) => (e as HTMLElement).offsetParent !== null;
            const toasts = Array.from(document.querySelectorAll('.notifications-toasts .notification-toast'))
              .filter(visible)
              .map((t) => (t as HTMLElement).innerText.replace(/\s+/g, ' ').trim());
            const spin = Array.from(document.querySelectorAll('.statusbar-item [class*="~spin"], .statusbar-item .codicon-loading')).find(visible);
            return { toasts, spin: spin ? (spin.closest('.statusbar-item') as HTMLElement).innerText.replace(/\s+/g, ' ') : '' };
          })
          .catch(() => ({ toasts: [] as string[], spin: '' }));
        for (const t of seen.toasts) toasts.add(t);
        if (seen.spin && !progress) progress = seen.spin;
        await sleep(50);
      }
    })();
    return {
      toasts,
      progress: () => progress,
      stop: async () => {
        stopped = true;
        await done;
      },
    };
  }

  it('an autosave analyses the file and pops no notification; the status bar shows the progress', { timeout: 300_000 }, () =>
    step('readme-autosave-no-notification', async () => {
      await wb.openFile('languages.prompts');
      await wb.dismissNotifications();
      const w = watch();
      try {
        // type a line and pause: autosave (500 ms) saves it, and the save starts the analysis
        await wb.appendLine('# typed, then autosaved');
        await waitFor('the autosave', async () => (await wb.page.locator('.tabs-container .tab.active.dirty').count()) === 0, 30_000, 100);
        const lines = await waitFor(
          'neurons after the prompts of languages.prompts',
          async () => {
            const lines = await wb.editorLines();
            return lines.filter((l) => NEURON.test(l)).length >= 4 && lines;
          },
          240_000,
          500,
        );
        log(`autosave: ${lines.filter((l) => NEURON.test(l)).length} visible prompts with neurons; progress: ${w.progress() || '(not seen)'}`);
        await sleep(1500);
      } finally {
        await w.stop();
      }
      assert.deepEqual([...w.toasts], [], 'a notification popped during the background analysis of an autosave');
      assert.ok(w.progress(), 'the status bar showed no progress while the autosaved file was analysed');
    }),
  );

  it('README: capitals.prompts after Find Knowledge Neurons, with a hover, and the Compare panel beside it', { timeout: 300_000 }, async () => {
    await step('readme-editor', async () => {
      await wb.openFile('capitals.prompts');
      await wb.goTo(1, 1);
      await wb.runCommand('Knowledge Neurons: Find Knowledge Neurons');
      await waitFor(
        'neurons after every prompt on screen',
        async () => {
          const prompts = (await wb.editorLines()).filter((l) => l.includes('<mask>') && !/^\s*not:/.test(l));
          return prompts.length >= 8 && prompts.every((l) => NEURON.test(l));
        },
        240_000,
        500,
      );
      await wb.dismissNotifications();
      // the hover on the first prompt's <mask>: predictions, top neurons, attribution per layer
      await wb.goTo(10, 30);
      await waitFor(
        'the prompt hover',
        async () => {
          await wb.page.keyboard.press('Control+K');
          await wb.page.keyboard.press('Control+I');
          await sleep(700);
          return /Paris/.test(await wb.hoverText()) && NEURON.test(await wb.hoverText());
        },
        30_000,
        500,
      );
    });
    await step('readme-compare', async () => {
      await wb.page.keyboard.press('Escape');
      await wb.runCommand('Knowledge Neurons: Compare Refined Neurons');
      await waitFor(
        'the Compare panel with the fact and its neurons',
        async () => {
          for (const f of wb.page.frames()) {
            if (f === wb.page.mainFrame()) continue;
            const t = await f.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => '');
            if (/capitals\.prompts/.test(t) && /capital-of-france/.test(t) && NEURON.test(t) && !/Computing/.test(t)) return true;
          }
          return false;
        },
        120_000,
        500,
      );
      await sleep(500);
    });
  });
});
