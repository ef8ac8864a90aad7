/**
 * End to end in a real VS Code: the packaged .vsix installed into code-server, driven from
 * chromium. One code-server and one browser page for all scenarios; each scenario leaves a
 * screenshot in test-artifacts/e2e/. Harness and environment variables: ./harness.ts.
 *
 * Run alone: npm run test:e2e
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Frame } from 'playwright-core';
import {
  CodeServer,
  artifactsDir,
  Workbench,
  fixturesDir,
  installCodeServer,
  launchBrowser,
  log,
  missingPrerequisite,
  packageExtension,
  sleep,
  waitFor,
} from './harness';

const model = path.join(fixturesDir, 'bert-tiny-facts');

/** Knows Paris from the first two prompts; the third is a held-out prompt the model gets wrong. */
const factsFile = `@version 1
@model ${model}
@steps 8

# The fixture model was trained on these (English, French) and misses the held-out one.
fact capital-of-france -> Paris
  [en] The capital of France is <mask>.
  [en] <mask> is the capital of France.
  [fr] La capitale de la France est <mask>.
  [fr] Tout le monde sait que la capitale de la France est <mask>.
`;

/** A prompt with two masks: a syntax error, reported without the model. */
const syntaxFile = `@version 1
@model ${model}

fact capital-of-germany -> Berlin
  [en] The capital of Germany is <mask>.
  [en] The capital of <mask> is <mask>.
`;

/** Never saved before (d): its neurons can only come from the command. */
const neuronsFile = `@version 1
@model ${model}
@steps 20

fact capital-of-germany -> Berlin
  [en] The capital of Germany is <mask>.
  [en] <mask> is the capital of Germany.
  [en] Germany's capital is <mask>.
  [en] The capital city of Germany is <mask>.
  [fr] La capitale de l'Allemagne est <mask>.
  [fr] <mask> est la capitale de l'Allemagne.
`;

/** Another model (causal) and two facts: the compare panel must follow file, model and fact (h). */
const otherModel = path.join(fixturesDir, 'gpt2-tiny-facts');
const otherFile = `@version 1
@model ${otherModel}
@steps 8

fact capital-of-france -> Paris
  [en] The capital of France is <mask>
  [en] France's capital city is <mask>

fact capital-of-germany -> Berlin
  [en] The capital of Germany is <mask>
  [en] Germany's capital city is <mask>
`;

const badModelPath = '/nonexistent/kn-e2e-no-such-model';
const badModelFile = `@version 1
@model ${badModelPath}

fact capital-of-italy -> Rome
  [en] The capital of Italy is <mask>.
  [en] <mask> is the capital of <mask>.
`;

/** A neuron as the extension writes it (`L2·123`), or a close variant (L2.123, L2:123, layer 2 … index 123). */
const NEURON = /\bL\d+\s*[.:#/·]\s*\d+\b|\blayer\s*\d+\b[^\n]{0,20}\b(?:neuron|index)\s*\d+/i;

const skip = missingPrerequisite();
if (skip && process.env.CI) throw new Error(`e2e prerequisites missing in CI: ${skip}`);

describe('VS Code end to end (code-server + chromium)', { skip, timeout: 10 * 60_000 }, () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    fs.rmSync(artifactsDir, { recursive: true, force: true });
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-e2e-ws-'));
    fs.writeFileSync(path.join(workspace, 'facts.prompts'), factsFile);
    fs.writeFileSync(path.join(workspace, 'syntax.prompts'), syntaxFile);
    fs.writeFileSync(path.join(workspace, 'neurons.prompts'), neuronsFile);
    fs.writeFileSync(path.join(workspace, 'badmodel.prompts'), badModelFile);
    fs.writeFileSync(path.join(workspace, 'other.prompts'), otherFile);

    const bin = installCodeServer();
    log(`code-server: ${bin}`);
    server = new CodeServer(bin);
    const vsix = packageExtension(server.tmp);
    log(`packaged ${vsix}`);
    server.installExtension(vsix, {
      'knowledgeNeurons.device': 'cpu',
      'knowledgeNeurons.cacheFolder': path.join(server.tmp, 'kn-cache'),
      // The fixture models live outside the workspace (../shared/fixtures).
      'knowledgeNeurons.allowModelsOutsideWorkspace': true,
    });
    await server.start(workspace);
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    wb = new Workbench(page);
    await wb.open(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    log('workbench ready');
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (workspace && !process.env.KN_E2E_KEEP) fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** Runs a scenario; on failure adds the screenshot and the extension host logs to the error. */
  async function scenario(name: string, body: () => Promise<void>): Promise<void> {
    const started = Date.now();
    try {
      await body();
      await wb.screenshot(name);
      log(`${name}: ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (e) {
      const shot = await wb.screenshot(`${name}-FAILED`).catch(() => '(no screenshot)');
      const detail = server?.extensionLogs() ?? '';
      const browserErrors = wb.consoleErrors.slice(-15).join('\n');
      throw new Error(`${(e as Error).message}\nscreenshot: ${shot}\nbrowser console errors:\n${browserErrors}\n${detail.slice(-6000)}`, {
        cause: e,
      });
    }
  }

  it('(a) a syntax error appears in the Problems panel', { timeout: 120_000 }, () =>
    scenario('a-syntax-error-problems', async () => {
      await wb.openFile('syntax.prompts');
      const rows = await waitFor(
        'the two-mask error in the Problems panel',
        async () => {
          const rows = await wb.problems();
          return rows.some((r) => /syntax\.prompts/.test(r)) && rows.some((r) => /mask/i.test(r) && /error/i.test(r)) && rows;
        },
        60_000,
        500,
      );
      log(`problems: ${JSON.stringify(rows)}`);
      const err = rows.find((r) => /mask/i.test(r) && /error/i.test(r))!;
      // Reported on line 6 (the prompt with two masks), not anywhere else.
      assert.match(err, /line 6\b/, err);
    }),
  );

  it('(b) after save, low-confidence diagnostics and inlay hints appear', { timeout: 180_000 }, () =>
    scenario('b-save-diagnostics-inlay-hints', async () => {
      await wb.openFile('facts.prompts');
      await wb.appendLine('# saved by the e2e test');
      await wb.save();
      const hints = await waitFor(
        'inlay hints in facts.prompts',
        async () => {
          const h = await wb.inlayHints();
          return h.length >= 3 && h;
        },
        120_000,
        500,
      );
      log(`inlay hints: ${JSON.stringify(hints)}`);
      const rows = await waitFor(
        'a low-confidence diagnostic on the held-out prompt',
        async () => {
          const rows = await wb.problems();
          return rows.some((r) => /facts\.prompts/.test(r)) && rows.some((r) => /line 10\b/.test(r) && !/error/i.test(r.split(':')[0])) && rows;
        },
        60_000,
        500,
      );
      log(`problems: ${JSON.stringify(rows)}`);
      const low = rows.filter((r) => /line 10\b/.test(r));
      assert.ok(low.length >= 1, `no diagnostic on the held-out prompt: ${JSON.stringify(rows)}`);
      // Well-known prompts (lines 7 and 8) get no low-confidence diagnostic.
      assert.ok(!rows.some((r) => /line [78]\b/.test(r)), `confident prompts were flagged: ${JSON.stringify(rows)}`);
      await wb.focusEditor();
    }),
  );

  it('(c) hover shows predictions', { timeout: 90_000 }, () =>
    scenario('c-hover-predictions', async () => {
      await wb.openFile('facts.prompts');
      // On the <mask> of "The capital of France is <mask>."
      await wb.goTo(7, 32);
      const text = await waitFor(
        'a hover with predictions',
        async () => {
          await wb.page.keyboard.press('Control+K');
          await wb.page.keyboard.press('Control+I');
          await sleep(700);
          const t = await wb.hoverText();
          return /Paris/.test(t) && t;
        },
        60_000,
        500,
      );
      log(`hover: ${JSON.stringify(text.slice(0, 400))}`);
      assert.match(text, /Paris/);
      // Probabilities as the extension writes them: 1.00, 0.83, 3.6e-4 (or a percentage).
      const probabilities = text.match(/\b[01]\.\d{2}\b|\b\d(?:\.\d+)?e-\d+\b|\b\d+(?:\.\d+)?\s*%/g) ?? [];
      assert.ok(probabilities.length >= 2, `the hover shows no list of predictions with probabilities: ${text}`);
    }),
  );

  it('(d) Find Knowledge Neurons shows progress, then the neurons', { timeout: 240_000 }, () =>
    scenario('d-find-neurons', async () => {
      await wb.openFile('neurons.prompts');
      await wb.goTo(6, 5);
      await wb.dismissNotifications();
      const before = (await wb.editorLines()).join('\n');
      assert.doesNotMatch(before, NEURON, 'neurons shown before the command ran');
      let progressSeen = '';
      let stop = false;
      const watchProgress = (async () => {
        while (!progressSeen && !stop) {
          progressSeen = await wb.page
            .evaluate(() => {
              const visible = (e: Element) => (e as HTMLElement).offsetParent !== null;
              const toast = Array.from(document.querySelectorAll('.notification-toast')).find(
                (t) => visible(t) && t.querySelector('.monaco-progress-container:not(.done)') !== null,
              );
              if (toast) return `notification: ${(toast as HTMLElement).innerText.replace(/\s+/g, ' ')}`;
              const spin = Array.from(document.querySelectorAll('.statusbar-item [class*="~spin"], .statusbar-item .codicon-loading')).find(visible);
              if (spin) return `status bar: ${(spin.closest('.statusbar-item') as HTMLElement).innerText}`;
              return '';
            })
            .catch(() => '');
          if (!progressSeen) await sleep(50);
        }
      })();
      await wb.runCommand('Knowledge Neurons: Find Knowledge Neurons');
      // The neurons: inlay hints (`L2·43 0.73`) after the prompts of this file.
      const lines = await waitFor(
        'neurons in the editor',
        async () => {
          const lines = await wb.editorLines();
          return lines.filter((l) => NEURON.test(l)).length >= 3 && lines;
        },
        180_000,
        500,
      ).finally(() => {
        stop = true;
      });
      await watchProgress.catch(() => {});
      log(`progress: ${progressSeen || '(not seen)'}`);
      log(`editor: ${JSON.stringify(lines.filter((l) => NEURON.test(l)))}`);
      const done = await waitFor(
        'the result notification',
        async () => (await wb.notifications()).find((n) => /neuron/i.test(n) && /capital-of-germany/.test(n)),
        30_000,
        250,
      ).catch(() => '(none)');
      log(`notification: ${done}`);
      assert.ok(progressSeen, 'no progress was shown while the neurons were searched');
    }),
  );

  it('(e) the Compare panel opens and shows the neurons', { timeout: 120_000 }, () =>
    scenario('e-compare-panel', async () => {
      await wb.openFile('facts.prompts');
      await wb.runCommand('Knowledge Neurons: Compare Refined Neurons');
      if (
        await wb.page
          .locator('.quick-input-widget')
          .isVisible()
          .catch(() => false)
      ) {
        await wb.page.keyboard.press('Enter');
      }
      // The panel is a webview: its page lives in an iframe inside the webview's own iframe.
      const text = await waitFor(
        'the compare webview with neurons',
        async () => {
          for (const f of wb.page.frames()) {
            if (f === wb.page.mainFrame()) continue;
            const t = await f.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => '');
            if (/capital-of-france/.test(t) && NEURON.test(t)) return t;
          }
          return false;
        },
        60_000,
        1000,
      );
      log(`compare panel: ${JSON.stringify(text.slice(0, 300))}`);
      assert.match(text, NEURON);
    }),
  );

  it('(f) a bad model path gives one clear error while syntax diagnostics keep working', { timeout: 150_000 }, () =>
    scenario('f-bad-model', async () => {
      await wb.dismissNotifications();
      await wb.openFile('badmodel.prompts');
      await wb.appendLine('# saved by the e2e test');
      await wb.save();
      const errors = await waitFor(
        'an error notification about the model',
        async () => {
          const n = await wb.notifications();
          const bad = n.filter((t) => t.includes(badModelPath) || /model/i.test(t));
          return bad.length > 0 && bad;
        },
        60_000,
        500,
      );
      log(`notifications: ${JSON.stringify(errors)}`);
      // Saving again does not pile up more errors.
      await wb.appendLine('# saved again');
      await wb.save();
      await sleep(3000);
      const all = (await wb.allNotifications()).filter((t) => t.includes(badModelPath) || /model/i.test(t));
      assert.equal(all.length, 1, `expected one model error, got ${JSON.stringify(all)}`);
      assert.ok(all[0].includes(badModelPath) || /not found|does not exist|no such|cannot|could not/i.test(all[0]), all[0]);
      // Syntax diagnostics still work for the same file.
      const rows = await waitFor(
        'the two-mask error of badmodel.prompts',
        async () => {
          const rows = await wb.problems();
          return rows.some((r) => /badmodel\.prompts/.test(r)) && rows.some((r) => /mask/i.test(r) && /line 6\b/.test(r)) && rows;
        },
        30_000,
        500,
      );
      log(`problems: ${JSON.stringify(rows)}`);
    }),
  );

  /** The compare panel's page (an iframe inside the webview's iframe), once it shows data. */
  async function comparePage(): Promise<Frame> {
    return waitFor(
      'the compare panel',
      async () => {
        for (const f of wb.page.frames()) {
          if (f === wb.page.mainFrame()) continue;
          if (
            (await f
              .locator('#source-model')
              .count()
              .catch(() => 0)) > 0
          )
            return f;
        }
        return false;
      },
      120_000,
      500,
    );
  }

  const text = async (f: Frame, selector: string) =>
    (
      (await f
        .locator(selector)
        .first()
        .textContent()
        .catch(() => '')) ?? ''
    ).trim();

  it('(g) after a window reload, cached results fill every view of the Compare panel and Suppress completes', { timeout: 300_000 }, () =>
    scenario('g-cached-results-panel', async () => {
      // a reload: a new extension host and language server, every result from the disk cache
      await wb.open(wb.page.url());
      await wb.openFile('facts.prompts');
      await wb.save();
      await wb.runCommand('Knowledge Neurons: Compare Refined Neurons');
      const f = await comparePage();
      await waitFor(
        'the panel on facts.prompts',
        async () => (await text(f, '#source-file')) === 'facts.prompts' && !(await f.locator('#source-state').count()),
        120_000,
        500,
      );
      assert.equal(await text(f, '#source-model'), 'model bert-tiny-facts');
      // every view has the cached results: refined neurons, heatmap, layers, and the effects
      assert.ok((await f.locator('#sets .neuron').count()) > 0, 'refined neurons');
      for (const [tab, selector] of [
        ['heatmap', '#heatmap'],
        ['layers', '#layers-chart rect.bar'],
        ['effects', '#effects-chart .effect-row'],
      ]) {
        await f.locator(`[data-tab-header="${tab}"]`).click();
        await waitFor(`the ${tab} view`, async () => (await f.locator(selector).count()) > 0, 30_000, 250);
        await wb.screenshot(`g-cached-${tab}`);
      }
      // Suppress the refined neurons of a group: it ends with results (it used to say "Running…" for ever)
      await f.locator('[data-tab-header="refined"]').click();
      await f.locator('[data-select-set]').first().click();
      await f.locator('#run-suppress').click();
      const outcome = await waitFor(
        'the suppress results',
        async () =>
          (await f.locator('#run-results tbody tr').count()) > 0
            ? 'results'
            : (await f.locator('#run-error').count()) > 0
              ? await text(f, '#run-error')
              : false,
        120_000,
        500,
      );
      assert.equal(outcome, 'results');
      const logs = server?.extensionLogs() ?? '';
      assert.ok(!logs.includes('rejected a message from the page'), 'no message from the page was rejected');
      // the reload stopped the old window's client while VS Code still asked it for code actions:
      // that is no failure (it was logged as `Error: Starting server failed` on every reload)
      assert.ok(!logs.includes('Starting server failed'), 'the reload logged "Starting server failed"');
    }),
  );

  it('(h) the Compare panel follows the file and model it shows, and drops a selection made on another model', { timeout: 300_000 }, () =>
    scenario('h-panel-follows', async () => {
      await wb.openFile('facts.prompts');
      await wb.runCommand('Knowledge Neurons: Compare Refined Neurons');
      let f = await comparePage();
      await waitFor(
        'the panel on facts.prompts',
        async () => (await text(f, '#source-file')) === 'facts.prompts' && !(await f.locator('#source-state').count()),
        120_000,
        500,
      );
      await f.locator('[data-tab-header="refined"]').click();
      await f.locator('[data-select-set]').first().click();
      await waitFor('a selection', async () => /Selection \([1-9]/.test(await text(f, '#intervene h2')), 10_000, 200);
      await wb.screenshot('h-1-bert-tiny-selection');
      // Compare on a file with another model: the panel names it, and the selection is gone
      await wb.openFile('other.prompts');
      await wb.runCommand('Knowledge Neurons: Compare Refined Neurons');
      f = await comparePage();
      await waitFor(
        'the panel on other.prompts',
        async () => (await text(f, '#source-file')) === 'other.prompts' && !(await f.locator('#source-state').count()),
        180_000,
        500,
      );
      assert.equal(await text(f, '#source-model'), 'model gpt2-tiny-facts');
      assert.equal(await text(f, '#intervene h2'), 'Selection (0)');
      await wb.screenshot('h-2-other-model');
    }),
  );
});
