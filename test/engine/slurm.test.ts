// The Slurm job array on a real one-node cluster (scripts/slurm-local.sh): the merged shards equal one
// process's results, and a task killed mid-run and requeued resumes with nothing lost or duplicated.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixture, repoRoot } from '../helpers';
import { tempDir } from '../synthetic';

const root = repoRoot();
const hasSlurm = spawnSync('sh', ['-c', 'command -v sbatch']).status === 0;
const skip = hasSlurm ? false : 'sbatch is not installed (apt-get install munge slurmctld slurmd slurm-client; .ci/run installs them)';
const cli = path.join(root, 'out/engine/src/cli/main.js');
const bert = fixture('bert-tiny-facts');
const FILES = ['capitals.prompts', 'languages.prompts'];
const KN_ARGS = [...FILES, '--model', bert, '--device', 'cpu', '--steps', '3', '--quiet'];

let env: NodeJS.ProcessEnv = process.env;
let startedHere = false;
const sh = (cmd: string, args: string[], cwd = root) => {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
};

function cluster(): void {
  if (env.SLURM_CONF) return;
  const conf = /SLURM_CONF=(\S+)/.exec(sh('bash', ['scripts/slurm-local.sh', 'env']).out)![1];
  env = { ...process.env, SLURM_CONF: conf, KN: `${process.execPath} ${cli}` };
  startedHere = sh('bash', ['scripts/slurm-local.sh', 'status']).code !== 0;
  const r = sh('bash', ['scripts/slurm-local.sh', 'start']);
  assert.equal(r.code, 0, r.err);
}
after(() => {
  if (startedHere) sh('bash', ['scripts/slurm-local.sh', 'stop']);
});

function dataset(): string {
  const dir = tempDir('slurm');
  for (const name of FILES) {
    const text = fs.readFileSync(path.join(root, 'examples', name), 'utf8');
    fs.writeFileSync(path.join(dir, name), text.replace(/^@model .*$/m, '').replace(/^@steps .*$/m, ''));
  }
  return dir;
}

let single: string | undefined;
/** One process's results: what the cluster must reproduce. */
function singleProcess(): string {
  if (single === undefined) {
    const dir = dataset();
    // One thread, as each array task has (--cpus-per-task=1): ONNX Runtime splits some sums by
    // thread, so runs on different thread counts can differ in a float's last bit.
    const r = sh(process.execPath, [cli, 'find', ...KN_ARGS, '--threads', '1', '--out', 'single.jsonl'], dir);
    assert.equal(r.code, 0, r.err);
    single = fs.readFileSync(path.join(dir, 'single.jsonl'), 'utf8');
  }
  return single;
}

function submit(dir: string, shards: number): { array: string; merge: string } {
  const r = sh('bash', [path.join(root, 'scripts/slurm/submit.sh'), String(shards), 'results', ...KN_ARGS], dir);
  assert.equal(r.code, 0, r.err);
  const m = /^array (\d+) merge (\d+)$/m.exec(r.out);
  assert.ok(m, r.out);
  return { array: m[1], merge: m[2] };
}

const jobState = (id: string) => /JobState=(\S+)/.exec(sh('scontrol', ['show', 'job', '-o', id]).out)?.[1] ?? 'UNKNOWN';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(id: string, dir: string, seconds = 240): Promise<void> {
  for (let t = 0; t < seconds * 5; t++) {
    const state = jobState(id);
    if (state === 'COMPLETED') return;
    if (/FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY/.test(state)) break;
    await sleep(200);
  }
  const logs = fs
    .readdirSync(path.join(dir, 'results'))
    .filter((f) => f.endsWith('.log'))
    .map((f) => `${f}:\n${fs.readFileSync(path.join(dir, 'results', f), 'utf8')}`);
  assert.fail(`job ${id} is ${jobState(id)}\n${logs.join('\n')}`);
}

test('a Slurm job array of 3 shards and its merge job give the single-process results, byte for byte', { skip }, async () => {
  cluster();
  const dir = dataset();
  const single = singleProcess();
  const { merge } = submit(dir, 3);
  await waitFor(merge, dir);
  assert.equal(fs.readFileSync(path.join(dir, 'results/all.jsonl'), 'utf8'), single);
});

test('a task killed mid-run and requeued resumes: nothing lost or duplicated', { skip }, async () => {
  cluster();
  const dir = dataset();
  const single = singleProcess();
  const { array, merge } = submit(dir, 2);
  // Wait for the first fact of task 0, then requeue it: Slurm kills the running task and runs it again.
  const shard = path.join(dir, 'results/shard-0.jsonl');
  for (let t = 0; t < 1200; t++) {
    if (fs.existsSync(shard) && fs.readFileSync(shard, 'utf8').split('\n').length - 1 >= 2) break;
    await sleep(50);
  }
  const r = sh('scontrol', ['requeue', `${array}_0`]);
  assert.equal(r.code, 0, r.err);
  await waitFor(merge, dir);
  const log = fs.readFileSync(path.join(dir, `results/kn-find-${array}_0.log`), 'utf8');
  assert.match(log, /restart 1/, log);
  // The second attempt found the facts of the first and computed only the rest.
  const resumed = /this run computed (\d+) .*, (\d+) were already done/g;
  const attempts = [...log.matchAll(resumed)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(attempts.length, 1, `one finished attempt after the kill:\n${log}`);
  assert.ok(attempts[0][0] >= 1 && attempts[0][1] >= 1, `killed mid-run, then resumed:\n${log}`);
  assert.equal(fs.readFileSync(path.join(dir, 'results/all.jsonl'), 'utf8'), single);
});
