// `kn` on Linux with transparent huge pages on request ([madvise]) starts itself again with glibc's
// malloc asking for them (engine/src/hugePages.ts). The copy is the command: its output, exit status
// and signals are the command's, and it never outlives the process that a shell or a test holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixture, repoRoot } from '../helpers';
import { tempDir } from '../synthetic';

const CLI = path.join(repoRoot(), 'out/engine/src/cli/main.js');
const bert = fixture('bert-tiny-facts');
const PROMPT = 'The capital of France is <mask>.';

function thpOnRequest(): boolean {
  try {
    return process.platform === 'linux' && fs.readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[madvise]');
  } catch {
    return false;
  }
}
const skip = thpOnRequest() ? false : 'transparent huge pages are not in madvise mode here: kn runs as it was started';

/** The pids of the processes whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return (
          Number(
            fs
              .readFileSync(`/proc/${d}/stat`, 'utf8')
              .replace(/^.*\) /s, '')
              .split(' ')[1],
          ) === pid
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the copy has the tunable; JSON through a pipe is whole; usage errors keep their exit status', { skip }, () => {
  const r = spawnSync(process.execPath, [CLI, 'predict', '--model', bert, '--device', 'cpu', '--target', 'Paris', '--json', PROMPT], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).p_target > 0);
  const bad = spawnSync(process.execPath, [CLI, 'predict', '--no-such-flag'], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /no-such-flag/);
  // Opted out: one process, no relaunch.
  const off = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8', env: { ...process.env, KN_HUGE_PAGES: '0' } });
  assert.equal(off.status, 0);
});

test('a kn killed outright takes its copy with it; SIGTERM reaches the copy', { skip }, async () => {
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    const tmp = tempDir('huge-pages');
    const child = spawn(process.execPath, [CLI, 'scores', '--model', bert, '--device', 'cpu', '--target', 'Paris', '--steps', '1000', PROMPT], {
      env: { ...process.env, TMPDIR: tmp, KN_CACHE_MAX_MB: '0' },
      stdio: 'ignore',
    });
    const exited = new Promise<[number | null, string | null]>((r) => child.on('exit', (code, sig) => r([code, sig])));
    let copy = 0;
    await until('the copy', () => (copy = childrenOf(child.pid!)[0] ?? 0) > 0);
    // at work: its scratch copy of the weights is written (scratch.test.ts)
    await until('the weights file', () => fs.readdirSync(tmp, { recursive: true }).some((f) => String(f).endsWith('weights.bin')));
    const env = fs.readFileSync(`/proc/${copy}/environ`, 'utf8').split('\0');
    assert.ok(
      env.some((e) => /^GLIBC_TUNABLES=.*glibc\.malloc\.hugetlb=1/.test(e)),
      'the copy runs with the tunable',
    );
    child.kill(signal);
    const [code, sig] = await exited;
    // SIGTERM: the copy exits 143 (its handler), and the first process with it; SIGKILL: killed.
    if (signal === 'SIGTERM') assert.equal(code, 143);
    else assert.equal(sig, 'SIGKILL');
    await until(`the copy's end after ${signal}`, () => !alive(copy));
  }
});
