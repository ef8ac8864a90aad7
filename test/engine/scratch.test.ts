// A model's scratch float32 copy of its weights (ONNX external data, as large as the model; made when
// the artifact cache is off, here with KN_CACHE_MAX_MB=0, or the model exceeds its bound) never
// outlives the process or worker that made it: kn on every exit path, the language server's engine
// worker on shutdown and after a crash, and a process killed outright by the next one.
// (With the cache on, see artifacts.test.ts: no scratch copy at all.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineHost } from '../../server/src/engineHost';
import { fixture, repoRoot } from '../helpers';
import { tempDir } from '../synthetic';

const CLI = path.join(repoRoot(), 'out/engine/src/cli/main.js');
const bert = fixture('bert-tiny-facts');
const PROMPT = 'The capital of France is <mask>.';

/** Our scratch files under `dir`, as relative paths (ONNX Runtime's CUDA probe leaves files of its own in the temporary folder). */
const contents = (dir: string) =>
  fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.startsWith('kn-external-'))
    .sort();

function kn(tmp: string, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, KN_CACHE_MAX_MB: '0' } });
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('kn leaves no scratch files: after a result, after an error, after SIGTERM and SIGINT', async () => {
  const tmp = tempDir('scratch-cli');
  const ok = kn(tmp, 'predict', '--model', bert, '--device', 'cpu', '--target', 'Paris', PROMPT);
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(contents(tmp), []);

  // An error once the model is loaded (its scratch folder made).
  const bad = kn(tmp, 'suppress', '--model', bert, '--device', 'cpu', '--target', 'Paris', '--neurons', '9:0', PROMPT);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /layer 9 is out of range/);
  assert.deepEqual(contents(tmp), []);

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    const child = spawn(process.execPath, [CLI, 'scores', '--model', bert, '--device', 'cpu', '--target', 'Paris', '--steps', '1000', PROMPT], {
      env: { ...process.env, TMPDIR: tmp, KN_CACHE_MAX_MB: '0' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    await until('the weights file', () => contents(tmp).some((f) => f.endsWith('weights.bin')));
    child.kill(signal);
    assert.equal(await exited, code);
    assert.deepEqual(contents(tmp), [], `after ${signal}`);
  }
});

test('a kn killed outright (SIGKILL) leaves its folder; the next kn removes it', async () => {
  const tmp = tempDir('scratch-kill');
  const child = spawn(process.execPath, [CLI, 'scores', '--model', bert, '--device', 'cpu', '--target', 'Paris', '--steps', '1000', PROMPT], {
    env: { ...process.env, TMPDIR: tmp, KN_CACHE_MAX_MB: '0' },
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.on('exit', r));
  await until('the weights file', () => contents(tmp).some((f) => f.endsWith('weights.bin')));
  child.kill('SIGKILL');
  await exited;
  const left = fs.readdirSync(tmp);
  assert.equal(left.length, 1);
  assert.match(left[0], new RegExp(`^kn-external-${child.pid}\\.`));
  // A folder of a live process (this one) is left alone.
  const mine = fs.mkdtempSync(path.join(tmp, left[0].replace(/^kn-external-\d+/, `kn-external-${process.pid}`).replace(/-[^-]*$/, '-')));
  const next = kn(tmp, 'predict', '--model', bert, '--device', 'cpu', '--target', 'Paris', PROMPT);
  assert.equal(next.status, 0, next.stderr);
  assert.deepEqual(contents(tmp), [path.basename(mine)]);
});

test('the language server engine: no scratch files after shutdown, nor after the worker crashed', async () => {
  const tmp = tempDir('scratch-server');
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  process.env.KN_CACHE_MAX_MB = '0';
  const alive = setInterval(() => undefined, 1000); // the host unrefs its worker
  try {
    const model = { ref: bert, device: 'cpu' as const, fingerprint: '' };
    const host = new EngineHost({ testHooks: true });
    await host.ensureModel(model);
    const p = await host.call('predict', { model, prompt: PROMPT, target: 'Paris', topK: 1 });
    assert.ok(p.p_target > 0);
    assert.ok(
      contents(tmp).some((f) => f.endsWith('weights.bin')),
      contents(tmp).join(' '),
    );
    await host.dispose();
    assert.deepEqual(contents(tmp), [], 'after shutdown');

    const crashing = new EngineHost({ testHooks: true, onCrash: () => undefined });
    await crashing.ensureModel(model);
    await crashing.call('predict', { model, prompt: PROMPT, target: 'Paris', topK: 1 });
    assert.ok(contents(tmp).some((f) => f.endsWith('weights.bin')));
    await crashing.crashForTest().catch(() => undefined);
    await until('the crashed worker folder to go', () => contents(tmp).length === 0, 10_000);
    // Restarted on the next job, with a folder again, removed again on shutdown.
    await crashing.ensureModel(model);
    await crashing.call('predict', { model, prompt: PROMPT, target: 'Paris', topK: 1 });
    assert.ok(contents(tmp).some((f) => f.endsWith('weights.bin')));
    await crashing.dispose();
    assert.deepEqual(contents(tmp), []);
  } finally {
    clearInterval(alive);
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    delete process.env.KN_CACHE_MAX_MB;
  }
});
