/**
 * Editor habits in a real VS Code (code-server): the outline lists facts and their prompts, a fact
 * folds as one region (the server's folding ranges, not indentation), the language status shows
 * the file's model and state, and the "Get started" walkthrough appears and copies the examples
 * into the workspace. Screenshots: test-artifacts/e2e/habits-*.png. Harness: ./harness.ts.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workbench, WorkspaceSession, log, missingPrerequisite, waitFor } from './harness';

/**
 * The comment at column 0 inside the first fact: folding by indentation would stop there, the
 * server's range for the fact runs to its last prompt.
 */
const factsFile = `@version 1
@model models/bert-tiny-facts
@steps 8

fact capital-of-france -> Paris
  [en] The capital of France is <mask>.
# a note inside the fact
  [fr] La capitale de la France est <mask>.

fact capital-of-germany -> Berlin
  [en] The capital of Germany is <mask>.
  [en] <mask> is the capital of Germany.
`;

const skip = missingPrerequisite();
if (skip && process.env.CI) throw new Error(`e2e prerequisites missing in CI: ${skip}`);

describe('editor habits in code-server', { skip, timeout: 600_000 }, () => {
  let session: WorkspaceSession | undefined;
  let wb: Workbench;
  let workspace: string;
  // each part takes its own screenshots (the language status's while its hover is open)
  const step = (name: string, body: () => Promise<void>) => session!.step(name, body, { screenshot: false });

  before(async () => {
    session = await WorkspaceSession.open('habits', { 'facts.prompts': factsFile }, { settings: { 'outline.collapseItems': 'alwaysExpand' } });
    ({ wb, workspace } = session);
  });

  after(() => session?.close());

  it('the outline lists the facts and their prompts', { timeout: 180_000 }, () =>
    step('habits-outline', async () => {
      await wb.openFile('facts.prompts');
      await wb.runCommand('Explorer: Focus on Outline View');
      const rows = await waitFor(
        'facts and prompts in the outline',
        async () => {
          const rows = (await wb.page.locator('.outline-pane .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
          return rows.length >= 6 && rows;
        },
        60_000,
        300,
      );
      log(`outline: ${JSON.stringify(rows)}`);
      // a fact's row: its name, then its answer (the symbol's detail)
      assert.ok(rows[0].endsWith('Paris') && rows[3].endsWith('Berlin'), JSON.stringify(rows));
      assert.deepEqual(
        rows.map((r) => r.replace(/\s*(Paris|Berlin)$/, '')),
        [
          'capital-of-france',
          '[en] The capital of France is <mask>.',
          '[fr] La capitale de la France est <mask>.',
          'capital-of-germany',
          '[en] The capital of Germany is <mask>.',
          '[en] <mask> is the capital of Germany.',
        ],
      );
      await wb.screenshot('habits-outline');
    }),
  );

  it('Fold All folds each fact as one region, from its header to its last prompt', { timeout: 120_000 }, () =>
    step('habits-folding', async () => {
      await wb.openFile('facts.prompts');
      await wb.focusEditor();
      await wb.runCommand('Fold All');
      const folded = await waitFor(
        'the facts folded',
        async () => {
          const lines = await wb.editorLines();
          return !lines.some((l) => /La capitale/.test(l)) && lines;
        },
        30_000,
        200,
      );
      log(`folded: ${JSON.stringify(folded)}`);
      assert.ok(
        folded.some((l) => l.startsWith('fact capital-of-france')),
        'the header stays',
      );
      assert.ok(
        folded.some((l) => l.startsWith('fact capital-of-germany')),
        'the next fact stays',
      );
      // by indentation the comment would end the first region; the server's range covers it
      assert.ok(!folded.some((l) => /a note inside the fact|The capital of (France|Germany)/.test(l)), JSON.stringify(folded));
      await wb.screenshot('habits-folding');
      await wb.runCommand('Unfold All');
      await waitFor('the facts unfolded', async () => (await wb.editorLines()).some((l) => /La capitale/.test(l)), 30_000, 200);
    }),
  );

  it("the language status shows the file's model and state, linking to Select Model and the output", { timeout: 240_000 }, () =>
    step('habits-language-status', async () => {
      await wb.openFile('facts.prompts');
      await wb.appendLine('# saved');
      await wb.save();
      const text = await waitFor(
        'the model ready in the language status',
        async () => {
          const t = await wb.languageStatus();
          return /bert-tiny-facts/.test(t) && /\bready\b/.test(t) && t;
        },
        180_000,
        1000,
      );
      log(`language status: ${text}`);
      assert.match(text, /on cpu/);
      assert.match(text, /Select Model/);
      assert.match(text, /Show Output/);
      await wb.page.locator('[id="status.languageStatus"]').first().hover();
      await wb.screenshot('habits-language-status');
      await wb.page.mouse.move(5, 5);
    }),
  );

  it('the "Get started" walkthrough appears, and its first step copies the examples into the workspace', { timeout: 180_000 }, () =>
    step('habits-walkthrough', async () => {
      await wb.runCommand('Welcome: Open Walkthrough...');
      const input = wb.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('Knowledge Neurons');
      await wb.page
        .locator('.quick-input-widget .monaco-list-row', { hasText: 'Get started with Knowledge Neurons' })
        .first()
        .waitFor({ state: 'visible', timeout: 15_000 });
      await wb.page.keyboard.press('Enter');
      const page = wb.page.locator('.gettingStartedContainer');
      const shown = await waitFor(
        'the walkthrough and its steps',
        async () => {
          const t = (await page.innerText().catch(() => '')).replace(/\s+/g, ' ');
          return /Get started with Knowledge Neurons/.test(t) && /Open the examples/.test(t) && /Other editors and the command line/.test(t) && t;
        },
        30_000,
        300,
      );
      for (const title of ['Find the knowledge neurons', 'Compare refined neurons', 'Choose a model']) assert.ok(shown.includes(title), title);
      await wb.screenshot('habits-walkthrough');

      await page.locator('.getting-started-step.expanded .button-link, .getting-started-step.expanded a', { hasText: 'Open the Examples' }).first().click();
      const pick = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Into this workspace' });
      await pick.first().waitFor({ state: 'visible', timeout: 15_000 });
      await pick.first().click();
      await wb.page.locator('.tabs-container .tab.active[aria-label*="capitals.prompts"]').first().waitFor({ timeout: 30_000 });
      const copy = path.join(workspace, 'knowledge-neurons-examples');
      for (const f of [
        'examples/capitals.prompts',
        'examples/stories.prompts',
        'models/bert-tiny-facts/model.safetensors',
        'models/llama-stories260k/config.json',
      ])
        assert.ok(fs.existsSync(path.join(copy, f)), f);
      // its @model ../models/bert-tiny-facts resolves to the copy, inside the workspace
      await waitFor("the example's model in the language status", async () => /bert-tiny-facts/.test(await wb.languageStatus()), 60_000, 1000);
      await wb.screenshot('habits-examples');
    }),
  );
});
