/**
 * Workspace Trust in a real VS Code (code-server implements it): an untrusted folder opens in
 * Restricted Mode, where the extension runs its syntax features only (no model results, a status
 * item says why); trusting the folder starts the analysis at once, without a save. Screenshots:
 * test-artifacts/e2e/trust-*.png. Harness and environment variables: ./harness.ts.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeServer, Workbench, WorkspaceSession, log, missingPrerequisite, sleep, waitFor } from './harness';

/** The model sits inside the folder: even so, nothing loads it until the folder is trusted. */
const factsFile = `@version 1
@model models/bert-tiny-facts
@steps 8

fact capital-of-france -> Paris
  The capital of France is <mask>.
  Everyone knows that the capital of France is <mask>.
  The capital of <mask> is <mask>.
`;

const skip = missingPrerequisite();
if (skip && process.env.CI) throw new Error(`e2e prerequisites missing in CI: ${skip}`);

describe('Workspace Trust in code-server', { skip, timeout: 600_000 }, () => {
  let session: WorkspaceSession | undefined;
  let wb: Workbench;
  let server: CodeServer;
  const step = (name: string, body: () => Promise<void>) => session!.step(name, body);

  before(async () => {
    session = await WorkspaceSession.open(
      'trust',
      { 'facts.prompts': factsFile },
      {
        workspaceTrust: true,
        settings: {
          'security.workspace.trust.enabled': true,
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.untrustedFiles': 'open',
        },
      },
    );
    ({ wb, server } = session);
  });

  after(() => session?.close());

  it('untrusted: syntax diagnostics, no model results, a status item; trusting starts the analysis', { timeout: 480_000 }, async () => {
    await step('trust-restricted', async () => {
      await wb.openFile('facts.prompts');
      const rows = await waitFor(
        'the two-mask syntax error in the Problems panel',
        async () => {
          const rows = await wb.problems();
          return rows.some((r) => /mask/i.test(r) && /error/i.test(r) && /line 8\b/.test(r)) && rows;
        },
        90_000,
        500,
      );
      log(`restricted: problems ${JSON.stringify(rows)}`);
      await waitFor('Restricted Mode in the language status', async () => /Restricted Mode: analysis off/.test(await wb.languageStatus()), 30_000, 300);
      // A save would run the model in a trusted folder: here nothing comes, however long we wait.
      await wb.appendLine('# saved while untrusted');
      await wb.save();
      await sleep(15_000);
      assert.deepEqual(await wb.inlayHints(), [], 'inlay hints (model results) in an untrusted folder');
      assert.ok(!(await wb.problems()).some((r) => /probability|P\(Paris\)/i.test(r)), 'model diagnostics in an untrusted folder');
      assert.ok(!fs.existsSync(path.join(server.tmp, 'kn-cache')), 'the results cache was written in an untrusted folder');
    });

    await step('trust-granted', async () => {
      await wb.runCommand('Workspaces: Manage Workspace Trust');
      const trustButton = wb.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
      await trustButton.waitFor({ state: 'visible', timeout: 20_000 });
      await trustButton.click();
      await wb.openFile('facts.prompts');
      // No save: granting trust starts the analysis.
      const hints = await waitFor(
        'inlay hints after trusting the folder',
        async () => {
          const h = await wb.inlayHints();
          return h.some((t) => /P\(Paris\)/.test(t)) && h;
        },
        180_000,
        500,
      );
      log(`trusted: inlay hints ${JSON.stringify(hints)}`);
      assert.doesNotMatch(await wb.languageStatus(), /analysis off/);
    });
  });
});
