/**
 * Real sessions of other editors against the built language server (dist/kn-language-server.js):
 * Neovim 0.7+ headless with its built-in client, Emacs with eglot in batch mode, each driven by
 * scripts/editors/trial.sh on the embedded bert-tiny-facts model: syntax diagnostics, model
 * diagnostics after a save, hover, a code lens's command run the editor's own way, formatting.
 * Skipped where an editor is not installed, except under CI (`.ci/run` installs both).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const eglot = () => fs.existsSync('/usr/share/emacs/site-lisp/elpa/eglot-1.9') || spawnSync('emacs', ['--batch', '--eval', "(require 'eglot)"]).status === 0;

const editors: Array<{ name: string; label: string; missing?: string }> = [
  { name: 'nvim', label: 'Neovim (built-in client)', missing: has('nvim') ? undefined : 'no nvim (apt-get install neovim)' },
  {
    name: 'emacs',
    label: 'Emacs (eglot)',
    missing: !has('emacs') ? 'no emacs (apt-get install emacs-nox elpa-eglot)' : !eglot() ? 'no eglot (apt-get install elpa-eglot)' : undefined,
  },
];

for (const e of editors) {
  if (e.missing && process.env.CI) throw new Error(`other-editor prerequisites missing in CI: ${e.missing}`);
  test(`${e.label}: diagnostics, model diagnostics after a save, hover, a code lens command, formatting`, { skip: e.missing, timeout: 300_000 }, () => {
    const r = spawnSync('bash', [path.join(root, 'scripts', 'editors', 'trial.sh'), e.name], { cwd: root, encoding: 'utf8', timeout: 280_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, out);
    const ok = r.stdout.split('\n').filter((l) => l.startsWith('ok  '));
    for (const check of ['syntax diagnostics', 'model diagnostics after', 'hover', 'code lens command runs', 'formatting'])
      assert.ok(
        ok.some((l) => l.includes(`: ${check}`)),
        `${check}:\n${out}`,
      );
    // the lens's command ran to the end: its title now counts the fact's refined neurons
    assert.match(
      ok.find((l) => l.includes('code lens command runs'))!,
      /Knowledge neurons: \d+ refined \|/,
    );
    assert.ok(!/FAIL/.test(r.stdout), out);
  });
}
