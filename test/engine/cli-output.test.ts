// `--json` output is complete whatever stdout is: a pipe whose reader is slower than the writer (the
// OS takes 64 KiB at once, the rest must wait for the reader) or a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { tempDir } from '../synthetic';

const cli = path.join(repoRoot(), 'out/engine/src/cli/main.js');
const sh = (script: string, env: Record<string, string>) => spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, ...env } });

/** A PARAREL file whose import is far larger than a pipe's 64 KiB. */
function bigPararel(dir: string): string {
  const data: Record<string, unknown> = {};
  for (let i = 0; i < 2000; i++)
    data[`u${i}`] = {
      sentences: [`The capital of country ${i} is [MASK].`, `[MASK] is the capital of country ${i}.`],
      relation_name: 'P36',
      obj_label: `City${i}`,
    };
  const file = path.join(dir, 'pararel.json');
  fs.writeFileSync(file, JSON.stringify(data));
  return file;
}

test('kn --json through a slow pipe and into a file: the whole object arrives (> 64 KiB)', () => {
  const dir = tempDir('stdout');
  const input = bigPararel(dir);
  const env = { NODE: process.execPath, CLI: cli, IN: input, DIR: dir };
  // The reader starts only after the writer has filled the pipe and finished its work.
  const piped = sh('"$NODE" "$CLI" import "$IN" --json | (sleep 1; cat > "$DIR/piped.json")', env);
  assert.equal(piped.status, 0, piped.stderr);
  const pipedText = fs.readFileSync(path.join(dir, 'piped.json'), 'utf8');
  assert.ok(pipedText.length > 65536 * 3, `only ${pipedText.length} bytes`);
  const fromPipe = JSON.parse(pipedText);
  assert.equal((fromPipe.prompts.match(/^fact /gm) ?? []).length, 2000);

  const filed = sh('"$NODE" "$CLI" import "$IN" --json > "$DIR/filed.json"', env);
  assert.equal(filed.status, 0, filed.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'filed.json'), 'utf8'), pipedText);
});

test('a reader that stops early (| head) ends the command quietly, exit 0', () => {
  const dir = tempDir('stdout-head');
  const r = sh('"$NODE" "$CLI" import "$IN" --json | head -c 10 >/dev/null', { NODE: process.execPath, CLI: cli, IN: bigPararel(dir) });
  assert.equal(r.status, 0);
  assert.doesNotMatch(r.stderr, /EPIPE|internal error/);
});
