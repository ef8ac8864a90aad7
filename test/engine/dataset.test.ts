// Dataset runs: one JSON line per fact as soon as it is done, resumed after a kill to the same file,
// failing facts recorded as error lines, shards merged into exactly what one process writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { fixture, repoRoot } from '../helpers';
import { tempDir } from '../synthetic';
import { planDataset, shardOf, parseShard } from '../../engine/src/dataset/plan';
import { Progress } from '../../engine/src/dataset/progress';

const cli = path.join(repoRoot(), 'out/engine/src/cli/main.js');
const bert = fixture('bert-tiny-facts');
const kn = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const run = (cwd: string, out: string, ...more: string[]) =>
  kn(cwd, 'find', 'capitals.prompts', 'languages.prompts', '--model', bert, '--device', 'cpu', '--steps', '3', '--out', out, ...more);

/** The two example files (9 facts), without their @model and @steps lines. */
function dataset(): string {
  const dir = tempDir('dataset');
  for (const name of ['capitals.prompts', 'languages.prompts']) {
    const text = fs.readFileSync(path.join(repoRoot(), 'examples', name), 'utf8');
    fs.writeFileSync(path.join(dir, name), text.replace(/^@model .*$/m, '').replace(/^@steps .*$/m, ''));
  }
  return dir;
}

const N_FACTS = ['capitals.prompts', 'languages.prompts'].reduce(
  (n, f) => n + (fs.readFileSync(path.join(repoRoot(), 'examples', f), 'utf8').match(/^fact /gm) ?? []).length,
  0,
);
const lines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

let reference: { dir: string; text: string } | undefined;
/** One uninterrupted single-process run: what every other way of running must reproduce. */
function single(): { dir: string; text: string } {
  if (!reference) {
    const dir = dataset();
    const r = run(dir, 'all.jsonl');
    assert.equal(r.code, 0, r.err);
    reference = { dir, text: fs.readFileSync(path.join(dir, 'all.jsonl'), 'utf8') };
  }
  return reference;
}

test('kn find --out writes a header and one line per fact, in input order, with effects on own and unrelated prompts', () => {
  const { text } = single();
  const [header, ...facts] = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  assert.equal(header.kn_results, 1);
  assert.equal(header.model.id, 'bert-tiny-facts');
  assert.match(header.model.sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual(header.settings.steps, 3);
  assert.deepEqual(header.files, ['capitals.prompts', 'languages.prompts']);
  assert.equal(header.facts, facts.length);
  assert.equal(facts.length, N_FACTS);
  assert.equal(facts[0].file, 'capitals.prompts');
  assert.equal(facts.at(-1).file, 'languages.prompts');
  assert.ok(facts.every((f, i) => i === 0 || f.file !== facts[i - 1].file || f.line > facts[i - 1].line));
  assert.ok(facts.filter((f) => f.fact.refined.length > 0).length >= N_FACTS - 2, 'refined neurons for (nearly) every fact');
  for (const f of facts) {
    assert.equal(f.fact.effects.length, f.fact.prompts.length, f.fact.name);
    // The unrelated fact is another fact of the dataset, with another answer.
    assert.notEqual(f.fact.control.fact, f.fact.name);
    assert.ok(f.fact.control.effects.length > 0);
    assert.ok(!/timing|_ms/.test(JSON.stringify(f)), 'nothing that varies between runs');
  }
});

test('a run killed mid-way and run again ends with the same file; a line cut short is repaired', async () => {
  const { text } = single();
  const dir = dataset();
  const out = path.join(dir, 'r.jsonl');
  // Kill the process (SIGKILL: no chance to clean up) once two facts are written.
  const child = spawn(
    process.execPath,
    [cli, 'find', 'capitals.prompts', 'languages.prompts', '--model', bert, '--device', 'cpu', '--steps', '3', '--out', 'r.jsonl', '--quiet'],
    { cwd: dir, stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    if (fs.existsSync(out) && fs.readFileSync(out, 'utf8').split('\n').length >= 4) break;
  }
  child.kill('SIGKILL');
  await exited;
  const partial = fs.readFileSync(out, 'utf8');
  assert.ok(partial.length < text.length && text.startsWith(partial.slice(0, partial.lastIndexOf('\n') + 1)));
  const again = run(dir, 'r.jsonl');
  assert.equal(again.code, 0, again.err);
  const resumed = new RegExp(`${N_FACTS} facts \\(r\\.jsonl\\): ${N_FACTS} done, 0 failed; this run computed (\\d+) .*, (\\d+) were already done`).exec(
    again.err,
  );
  assert.ok(resumed, again.err);
  assert.ok(Number(resumed[2]) >= 2 && Number(resumed[1]) + Number(resumed[2]) === N_FACTS, again.err);
  assert.equal(fs.readFileSync(out, 'utf8'), text);

  // A kill while a line was being written leaves part of it: ignored, and the fact computed again.
  fs.writeFileSync(out, text.slice(0, text.indexOf('\n', text.indexOf('\n') + 1) + 200));
  const repaired = run(dir, 'r.jsonl', '--quiet');
  assert.equal(repaired.code, 0, repaired.err);
  assert.match(repaired.err, new RegExp(`this run computed ${N_FACTS - 1} .*, 1 were already done`));
  assert.equal(fs.readFileSync(out, 'utf8'), text);

  // Run again once complete: nothing to compute, file unchanged.
  const idle = run(dir, 'r.jsonl', '--quiet');
  assert.match(idle.err, /this run computed 0 /);
  assert.equal(fs.readFileSync(out, 'utf8'), text);

  // Other settings into the same file: refused, the file kept.
  const other = run(dir, 'r.jsonl', '--p', '0.3');
  assert.equal(other.code, 2);
  assert.match(other.err, /r\.jsonl holds results of another run \(settings .*"p":0\.5.* vs .*"p":0\.3/);
  assert.equal(fs.readFileSync(out, 'utf8'), text);
});

test('facts that fail become error lines with their file:line, the others are done, exit 4 and counts on stderr', () => {
  const dir = tempDir('failing');
  fs.writeFileSync(
    path.join(dir, 'bad.prompts'),
    [
      'fact capital-of-france -> Paris',
      '  The capital of France is <mask>.',
      'fact unknown -> Zzyzxqwv',
      '  The capital of nowhere is <mask>.',
      'fact two-masks -> Paris',
      '  The <mask> of <mask>.',
      'fact capital-of-germany -> Berlin',
      '  The capital of Germany is <mask>.',
      '',
    ].join('\n'),
  );
  const r = kn(dir, 'find', 'bad.prompts', '--model', bert, '--device', 'cpu', '--steps', '3', '--out', 'bad.jsonl');
  assert.equal(r.code, 4, r.err);
  assert.match(r.err, /4 facts \(bad\.jsonl\): 2 done, 2 failed/);
  const [, ...facts] = lines(path.join(dir, 'bad.jsonl'));
  assert.deepEqual(
    facts.map((f) => f.fact?.name ?? f.error.name),
    ['capital-of-france', 'unknown', 'two-masks', 'capital-of-germany'],
  );
  assert.equal(facts[1].error.at, 'bad.prompts:4:1');
  assert.match(facts[1].error.message, /Zzyzxqwv/);
  assert.match(facts[2].error.at, /^bad\.prompts:6:\d+$/);
  // Without --out the finished facts are printed too, the errors on stderr.
  const printed = kn(dir, 'find', 'bad.prompts', '--model', bert, '--device', 'cpu', '--steps', '3', '--json', '--quiet');
  assert.equal(printed.code, 2, 'a file error still stops a run without --out, before any work');
  fs.writeFileSync(
    path.join(dir, 'unknown.prompts'),
    ['fact unknown -> Zzyzxqwv', '  The capital of nowhere is <mask>.', 'fact capital-of-germany -> Berlin', '  The capital of Germany is <mask>.', ''].join(
      '\n',
    ),
  );
  const partly = kn(dir, 'find', 'unknown.prompts', '--model', bert, '--device', 'cpu', '--steps', '3', '--json', '--quiet');
  assert.equal(partly.code, 4);
  const j = JSON.parse(partly.out);
  assert.deepEqual(
    j.facts.map((f: any) => f.name),
    ['capital-of-germany'],
  );
  assert.equal(j.errors[0].at, 'unknown.prompts:2:1');
  assert.match(partly.err, /unknown\.prompts:2:1: .*Zzyzxqwv/);
});

test('N shards merged equal one run, fact for fact and number for number; merge refuses what does not add up', () => {
  const { dir, text } = single();
  const n = 3;
  for (let k = 0; k < n; k++) {
    const r = run(dir, `shard-${k}.jsonl`, '--shard', `${k}/${n}`, '--quiet');
    assert.equal(r.code, 0, r.err);
  }
  const sizes = [0, 1, 2].map((k) => lines(path.join(dir, `shard-${k}.jsonl`)).length - 1);
  assert.equal(
    sizes.reduce((a, b) => a + b),
    N_FACTS,
  );
  assert.ok(sizes.filter((s) => s > 0).length >= 2, `facts spread over the shards: ${sizes}`);
  const m = kn(dir, 'merge', 'shard-2.jsonl', 'shard-0.jsonl', 'shard-1.jsonl', '--out', 'merged.jsonl');
  assert.equal(m.code, 0, m.err);
  assert.equal(fs.readFileSync(path.join(dir, 'merged.jsonl'), 'utf8'), text);

  assert.match(kn(dir, 'merge', 'shard-0.jsonl', 'shard-1.jsonl', '--out', 'x.jsonl').err, new RegExp(`shard 2/${n} missing`));
  assert.match(kn(dir, 'merge', 'shard-0.jsonl', 'shard-1.jsonl', 'shard-1.jsonl', '--out', 'x.jsonl').err, /both shard 1\/3/);
  // A shard missing a fact (its task was killed), or one with another model's results.
  const [s0, s1, s2] = [0, 1, 2].map((k) => fs.readFileSync(path.join(dir, `shard-${k}.jsonl`), 'utf8'));
  const biggest = [s0, s1, s2].map((s, k) => ({ s, k })).sort((a, b) => b.s.length - a.s.length)[0];
  fs.writeFileSync(path.join(dir, 'short.jsonl'), biggest.s.split('\n').slice(0, -2).join('\n') + '\n');
  const others = [0, 1, 2].filter((k) => k !== biggest.k).map((k) => `shard-${k}.jsonl`);
  const short = kn(dir, 'merge', 'short.jsonl', ...others, '--out', 'x.jsonl');
  assert.equal(short.code, 2);
  assert.match(short.err, /short\.jsonl \(shard \d\/3\) holds \d of its \d facts/);
  const otherModel = s0.replace(/"sha256":"[0-9a-f]+"/, `"sha256":"${'0'.repeat(64)}"`);
  fs.writeFileSync(path.join(dir, 'other.jsonl'), otherModel);
  assert.match(kn(dir, 'merge', 'other.jsonl', 'shard-1.jsonl', 'shard-2.jsonl', '--out', 'x.jsonl').err, /are not shards of one run: model bert-tiny-facts/);
  assert.ok(!fs.existsSync(path.join(dir, 'x.jsonl')));
});

test('a fact keeps its shard when files are reordered and facts are added', () => {
  const dir = dataset();
  const a = path.join(dir, 'capitals.prompts');
  const b = path.join(dir, 'languages.prompts');
  const before = new Map(planDataset([a, b], { causal: false, strict: true }).facts.map((f) => [f.name, shardOf(f, 4)]));
  fs.appendFileSync(b, '\nfact capital-of-peru -> Lima\n  The capital of Peru is <mask>.\n');
  const after = planDataset([b, a], { causal: false, strict: true }).facts;
  assert.equal(after.length, before.size + 1);
  for (const f of after) if (before.has(f.name)) assert.equal(shardOf(f, 4), before.get(f.name), f.name);
  // Every shard's facts together are the dataset, each once.
  const counts = new Map<string, number>();
  for (let k = 0; k < 4; k++) for (const f of after.filter((f) => shardOf(f, 4) === k)) counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
  assert.deepEqual(
    [...counts.values()],
    after.map(() => 1),
  );
  assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
  assert.throws(() => parseShard('4/4'), /0 ≤ K < N/);
});

test('progress: facts and prompts done of the total, prompts per second, ETA; in place on a terminal; --quiet silent', () => {
  const capture = (isTTY: boolean) => {
    const chunks: string[] = [];
    const stream = Object.assign(new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }), { isTTY, columns: 200 });
    return { chunks, stream };
  };
  let now = 0;
  const plain = capture(false);
  const p = new Progress({ facts: 2, prompts: 4, stream: plain.stream, now: () => now });
  p.prompt('f1', 'a <mask>');
  now = 1000;
  p.prompt('f1', 'b <mask>');
  now = 2000;
  p.fact();
  p.prompt('f2', 'c <mask>');
  assert.equal(plain.chunks.length, 3);
  assert.equal(plain.chunks[2], '[3/4] f2: c <mask>  (facts 1/2, 1.0 prompts/s, ETA 2s)\n');
  const tty = capture(true);
  const q = new Progress({ facts: 1, prompts: 1, stream: tty.stream });
  q.prompt('f', 'x');
  q.done();
  // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence, on purpose
  assert.match(tty.chunks[0], /^\r\x1b\[K\[1\/1\] f: x/);
  assert.equal(tty.chunks.at(-1), '\n');
  const quiet = capture(false);
  const s = new Progress({ facts: 1, prompts: 1, stream: quiet.stream, quiet: true });
  s.prompt('f', 'x');
  s.done();
  assert.equal(quiet.chunks.length, 0);
});
