// A model's float32 weights file and its compiled graphs kept under the cache folder
// (engine/src/artifacts.ts): they give exactly the numbers of a scratch copy (graphs built afresh),
// are reused rather than rewritten, a truncated or altered file is rebuilt, the folder's size is
// bounded (least recently used first), Clear Cache removes them, and processes starting at once on
// one empty cache each get a whole file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clearArtifacts, evictArtifacts } from '../../engine/src/artifacts';
import { artifactsFolder } from '../../engine/src/cacheFolder';
import { hostTag } from '../../engine/src/scratch';
import { Model } from '../../engine/src/model/model';
import type { WeightStorage } from '../../engine/src/types';
import { fixture, repoRoot } from '../helpers';
import { copyFixture, tempDir } from '../synthetic';

const CLI = path.join(repoRoot(), 'out/engine/src/cli/main.js');
const CASES: Record<string, [string, string]> = {
  'bert-tiny-facts': ['The capital of France is <mask>.', 'Paris'],
  'xlmr-tiny-facts': ['La capitale de la France est <mask>.', 'Paris'],
  'gpt2-tiny-facts': ['The capital of France is', 'Paris'],
  'llama-stories260k': ['Once upon a time, there was a little', 'girl'],
};

/** The weights files of a cache folder (names), its compiled graphs, and every other file there. */
function listing(cacheFolder: string): { weights: string[]; graphs: string[]; other: string[] } {
  let names: string[] = [];
  try {
    names = fs.readdirSync(artifactsFolder(cacheFolder)).sort();
  } catch {
    /* none yet */
  }
  const graphs = names.filter((n) => /\.graph-[0-9a-f]+\.onnx$/.test(n));
  return {
    weights: names.filter((n) => n.endsWith('.bin')),
    graphs,
    other: names.filter((n) => !/\.(bin|ok)$|^file-hashes\.json$/.test(n) && !graphs.includes(n)),
  };
}

/** The inode of each compiled graph: a graph written again is a new file, renamed into place (its use touches the times). */
const graphStamps = (cacheFolder: string) => listing(cacheFolder).graphs.map((n) => `${n} ${fs.statSync(path.join(artifactsFolder(cacheFolder), n)).ino}`);

const weightsFile = (cacheFolder: string) => {
  const { weights } = listing(cacheFolder);
  assert.equal(weights.length, 1, `one weights file in ${cacheFolder}: ${weights.join(' ')}`);
  return path.join(artifactsFolder(cacheFolder), weights[0]);
};

/** Loads a model on the CPU with the cache in `cacheFolder` (0 bytes: a scratch copy), collecting its log. */
async function load(name: string, cacheFolder: string, cacheMaxBytes = 2 ** 30, weights: WeightStorage = 'float32') {
  const log: string[] = [];
  const model = await Model.load(fixture(name), { device: 'cpu', cacheFolder, cacheMaxBytes, weights, log: (m) => log.push(m) });
  return { model, log };
}

/** P, the top tokens and the integrated-gradient scores of one prompt (two layer ranges: two graphs). */
async function numbers(model: Model, [prompt, target]: [string, string]) {
  const p = await model.predict(prompt, target, { topK: 5 });
  const s = await model.scoresMany([{ prompt, target }], { steps: 4, batchSize: 4 });
  return { p: [p.p_target, p.p_joint, p.top_k], scores: s[0].scores };
}

for (const [name, prompt] of Object.entries(CASES)) {
  test(`${name}: the cached weights file gives exactly a scratch copy's numbers, and is reused, not rewritten`, async () => {
    const cache = tempDir('artifacts-same');
    const scratch = await load(name, cache, 0);
    const expected = await numbers(scratch.model, prompt);
    await scratch.model.dispose();
    assert.deepEqual(listing(cache).weights, [], 'a bound of 0 keeps nothing');

    const first = await load(name, cache);
    assert.deepEqual(await numbers(first.model, prompt), expected);
    await first.model.dispose();
    // Every weight the graphs use is in the file (none inlined), and it stays after dispose.
    assert.deepEqual(first.log, []);
    const file = weightsFile(cache);
    const written = fs.statSync(file);
    // A compiled graph per session: the prediction's and each layer range's.
    const graphs = graphStamps(cache);
    assert.ok(graphs.length >= 3, `compiled graphs kept: ${graphs.join(' ')}`);

    // A second process: the kept graphs, not optimized again, give exactly the same numbers.
    const second = await load(name, cache);
    assert.deepEqual(await numbers(second.model, prompt), expected);
    await second.model.dispose();
    assert.deepEqual(second.log, []);
    const reused = fs.statSync(file);
    assert.equal(reused.ino, written.ino, 'the same file, not a new one');
    assert.equal(reused.mtimeMs, written.mtimeMs, 'not written again');
    assert.deepEqual(graphStamps(cache), graphs, 'the compiled graphs are reused, not written again');
    assert.deepEqual(listing(cache).other, []);
  });
}

test("int8 and int16 storage: a file of their own, with exactly a scratch copy's numbers", async () => {
  const cache = tempDir('artifacts-storage');
  const prompt = CASES['bert-tiny-facts'];
  const sizes: number[] = [];
  for (const storage of ['int8', 'int16', 'float32'] as const) {
    const scratch = await load('bert-tiny-facts', cache, 0, storage);
    const expected = await numbers(scratch.model, prompt);
    await scratch.model.dispose();
    const cached = await load('bert-tiny-facts', cache, 2 ** 30, storage);
    assert.deepEqual(await numbers(cached.model, prompt), expected, storage);
    await cached.model.dispose();
    const { weights } = listing(cache);
    assert.equal(weights.length, sizes.length + 1, `${storage}: a new file beside the others`);
    sizes.push(weights.map((n) => fs.statSync(path.join(artifactsFolder(cache), n)).size).reduce((a, b) => a + b, 0));
  }
  const [int8, int16, float32] = [sizes[0], sizes[1] - sizes[0], sizes[2] - sizes[1]];
  assert.ok(int8 < int16 && int16 < float32, `int8 ${int8} < int16 ${int16} < float32 ${float32} bytes`);
});

test('a truncated, altered or foreign weights file is detected and rebuilt, never used', async () => {
  const cache = tempDir('artifacts-corrupt');
  const prompt = CASES['bert-tiny-facts'];
  const fresh = await load('bert-tiny-facts', cache);
  const expected = await numbers(fresh.model, prompt);
  await fresh.model.dispose();
  const file = weightsFile(cache);
  const good = fs.readFileSync(file);

  const damages: [string, () => void, RegExp][] = [
    ['truncated', () => fs.truncateSync(file, good.length - 1000), /is \d+ bytes long instead of \d+: writing it again/],
    [
      'bytes flipped in the weights',
      () => {
        const fd = fs.openSync(file, 'r+');
        fs.writeSync(fd, Buffer.from([0x7f, 0x7f, 0x7f, 0x7f]), 0, 4, Math.floor(good.length / 2));
        fs.closeSync(fd);
      },
      /does not match its checksum: writing it again/,
    ],
    [
      // An altered file whose modification time was put back: the inode's change time still differs.
      'bytes flipped, mtime restored',
      () => {
        // touch -r copies the times to the nanosecond (utimes from JavaScript numbers cannot).
        const times = path.join(cache, 'times');
        fs.writeFileSync(times, '');
        assert.equal(spawnSync('touch', ['-r', file, times]).status, 0);
        const fd = fs.openSync(file, 'r+');
        fs.writeSync(fd, Buffer.from([0, 0, 0x80, 0x7f]), 0, 4, good.length - 8);
        fs.closeSync(fd);
        assert.equal(spawnSync('touch', ['-r', times, file]).status, 0);
        assert.equal(fs.statSync(file).mtimeMs, fs.statSync(times).mtimeMs);
      },
      /does not match its checksum: writing it again/,
    ],
    ['header overwritten', () => fs.writeFileSync(file, Buffer.concat([Buffer.from('{"format":1}'), good.subarray(12)])), /has no valid header|another model/],
    ['another model', () => fs.copyFileSync(fixture('llama-stories260k/model.safetensors'), file), /has no valid header/],
  ];
  for (const [what, damage, message] of damages) {
    damage();
    const again = await load('bert-tiny-facts', cache);
    assert.deepEqual(await numbers(again.model, prompt), expected, what);
    await again.model.dispose();
    assert.equal(again.log.length, 1, `${what}: ${again.log.join('\n')}`);
    assert.match(again.log[0], message, what);
    assert.deepEqual(fs.readFileSync(weightsFile(cache)), good, `${what}: rebuilt to the same bytes`);
  }

  // Compiled graphs: a damaged one is found by its checksum (or ONNX Runtime's refusal of it), removed, and built again.
  const graphs = listing(cache).graphs.map((n) => path.join(artifactsFolder(cache), n));
  assert.ok(graphs.length >= 3, 'compiled graphs are kept');
  const kept = graphs.map((g) => fs.readFileSync(g));
  const graphDamages: [string, (g: string, bytes: Buffer) => void, RegExp][] = [
    [
      'a byte flipped',
      (g, bytes) =>
        fs.writeFileSync(
          g,
          Buffer.concat([bytes.subarray(0, bytes.length - 50), Buffer.from([bytes[bytes.length - 50] ^ 0xff]), bytes.subarray(bytes.length - 49)]),
        ),
      /is damaged \(its checksum does not match\): building it again/,
    ],
    ['truncated', (g, bytes) => fs.writeFileSync(g, bytes.subarray(0, bytes.length / 2)), /is damaged \(its checksum does not match\): building it again/],
    ['no header', (g, bytes) => fs.writeFileSync(g, bytes.subarray(4096)), /is damaged \(no valid header\): building it again/],
  ];
  for (const [what, damage, message] of graphDamages) {
    graphs.forEach((g, i) => damage(g, kept[i]));
    const again = await load('bert-tiny-facts', cache);
    assert.deepEqual(await numbers(again.model, prompt), expected, what);
    await again.model.dispose();
    assert.equal(again.log.length, graphs.length, `${what}: ${again.log.join('\n')}`);
    for (const line of again.log) assert.match(line, message, what);
    graphs.forEach((g, i) => assert.deepEqual(fs.readFileSync(g), kept[i], `${what}: ${path.basename(g)} rebuilt to the same bytes`));
  }

  // A sidecar that does not match makes the data be hashed again, found intact, and used.
  fs.writeFileSync(file.replace(/\.bin$/, '.ok'), '{"stamp":"0:0:0:0","sha256":"x"}');
  const ino = fs.statSync(file).ino;
  const rechecked = await load('bert-tiny-facts', cache);
  assert.deepEqual(await numbers(rechecked.model, prompt), expected);
  await rechecked.model.dispose();
  assert.deepEqual(rechecked.log, []);
  assert.equal(fs.statSync(file).ino, ino, 'intact: not rewritten');
});

test('a weights file removed while its model is loaded (Clear Cache, eviction) is written again for the next session', async () => {
  const cache = tempDir('artifacts-removed');
  const { model } = await load('bert-tiny-facts', cache);
  const a = await model.predict('The capital of France is <mask>.', 'Paris');
  assert.ok(listing(cache).graphs.length > 0);
  assert.equal(clearArtifacts(cache), 1);
  assert.deepEqual(listing(cache).weights, []);
  assert.deepEqual(listing(cache).graphs, [], 'Clear Cache removes the compiled graphs');
  // An attribution needs a new session (integrated gradients).
  const b = await model.scores('Everyone knows that the capital of Germany is <mask>.', 'Berlin', { steps: 4 });
  assert.equal(listing(cache).weights.length, 1);
  await model.dispose();
  const { model: scratch } = await load('bert-tiny-facts', cache, 0);
  assert.deepEqual(
    [a, b],
    [
      await scratch.predict('The capital of France is <mask>.', 'Paris'),
      await scratch.scores('Everyone knows that the capital of Germany is <mask>.', 'Berlin', { steps: 4 }),
    ],
  );
  await scratch.dispose();
});

test('the bound evicts the least recently used weights files; a model larger than the bound gets a scratch copy', async () => {
  const cache = tempDir('artifacts-bound');
  // What each model keeps: its weights file and its compiled graphs, which count towards the bound and go with it.
  const footprints = (folder: string) =>
    listing(folder).weights.map((w) => {
      const stem = w.replace(/\.bin$/, '');
      const files = [w, ...listing(folder).graphs.filter((g) => g.startsWith(`${stem}.graph-`))];
      return files.reduce((sum, f) => sum + fs.statSync(path.join(artifactsFolder(folder), f)).size, 0);
    });
  const sizes: Record<string, number> = {};
  const weightsSizes: Record<string, number> = {};
  for (const name of ['bert-tiny-facts', 'gpt2-tiny-facts', 'llama-stories260k']) {
    const only = tempDir('artifacts-size');
    const { model } = await load(name, only);
    await model.predict(...CASES[name]);
    await model.dispose();
    [sizes[name]] = footprints(only);
    weightsSizes[name] = fs.statSync(weightsFile(only)).size;
    assert.ok(sizes[name] > weightsSizes[name], `${name}: a compiled graph beside the weights`);
  }
  const use = async (name: string, bound: number) => {
    const r = await load(name, cache, bound);
    await r.model.predict(...CASES[name]);
    await r.model.dispose();
    await new Promise((res) => setTimeout(res, 20)); // distinct use times
    return r.log;
  };
  const filesOf = () => footprints(cache).sort((x, y) => x - y);

  // Room for bert and gpt2, not for all three.
  const bound = sizes['bert-tiny-facts'] + sizes['gpt2-tiny-facts'] + 1000;
  await use('bert-tiny-facts', bound);
  await use('gpt2-tiny-facts', bound);
  await use('bert-tiny-facts', bound); // bert is now the more recently used
  assert.deepEqual(
    filesOf(),
    [sizes['gpt2-tiny-facts'], sizes['bert-tiny-facts']].sort((x, y) => x - y),
  );
  await use('llama-stories260k', bound);
  // gpt2, the least recently used, went; the total is within the bound.
  assert.deepEqual(
    filesOf(),
    [sizes['llama-stories260k'], sizes['bert-tiny-facts']].sort((x, y) => x - y),
  );
  assert.ok(filesOf().reduce((s, x) => s + x, 0) <= bound);

  // A bound smaller than the model's file: a scratch copy, said once, nothing written to the cache.
  const before = listing(cache).weights;
  const log = await use('gpt2-tiny-facts', weightsSizes['gpt2-tiny-facts'] - 1);
  assert.equal(log.length, 1);
  assert.match(log[0], /exceeds the cache bound .*: using a scratch copy/);
  assert.deepEqual(listing(cache).weights, before);

  // Shrinking the bound and evicting leaves nothing but what `keep` names.
  assert.equal(evictArtifacts(artifactsFolder(cache), 0, new Set([before[0]])), 1);
  assert.deepEqual(listing(cache).weights, [before[0]]);
  const stem = before[0].replace(/\.bin$/, '');
  assert.ok(
    listing(cache).graphs.length > 0 && listing(cache).graphs.every((g) => g.startsWith(`${stem}.graph-`)),
    'the evicted file’s compiled graphs went with it',
  );
});

test('temporary files of dead processes are removed; a live writer’s are left alone', () => {
  const cache = tempDir('artifacts-tmp');
  const root = artifactsFolder(cache);
  fs.mkdirSync(root, { recursive: true });
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const name = `weights-${'a'.repeat(32)}-${'b'.repeat(16)}.bin`;
  const deadTmp = `${name}.${dead}.${hostTag()}.0badcafe.tmp`;
  const liveTmp = `${name}.${process.pid}.${hostTag()}.0badcafe.tmp`;
  const otherHost = `${name}.${dead}.00000000.0badcafe.tmp`;
  for (const f of [deadTmp, liveTmp, otherHost]) fs.writeFileSync(path.join(root, f), 'partial');
  assert.equal(clearArtifacts(cache), 0);
  assert.deepEqual(fs.readdirSync(root).sort(), [otherHost, liveTmp].sort());
});

test('four kn processes starting at once on one empty cache: the same results, one whole file, no leftovers', { timeout: 120_000 }, async () => {
  const cache = tempDir('artifacts-race');
  const tmp = tempDir('artifacts-race-tmp');
  const run = () =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [CLI, 'predict', '--model', fixture('bert-tiny-facts'), '--device', 'cpu', '--target', 'Paris', '--json', 'The capital of France is <mask>.'],
        { env: { ...process.env, KN_CACHE_DIR: cache, TMPDIR: tmp } },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => resolve({ code, out, err }));
    });
  const results = await Promise.all([run(), run(), run(), run()]);
  for (const r of results) assert.equal(r.code, 0, r.err);
  assert.equal(new Set(results.map((r) => r.out)).size, 1);
  assert.deepEqual(listing(cache).other, [], 'no temporary files left');
  const file = weightsFile(cache);
  const st = fs.statSync(file);
  // The file is whole: a fifth run uses it as it is, and gives the same answer.
  const fifth = await run();
  assert.equal(fifth.code, 0, fifth.err);
  assert.equal(fifth.err, '');
  assert.equal(fifth.out, results[0].out);
  assert.equal(fs.statSync(file).ino, st.ino);
  assert.deepEqual(
    fs.readdirSync(tmp).filter((f) => f.startsWith('kn-external-')),
    [],
    'no scratch copies when the cache is on',
  );
});

test('file hashes are remembered across processes; a file rewritten with its mtime put back is hashed again', () => {
  const cache = tempDir('artifacts-hashes');
  const dir = copyFixture('bert-tiny-facts');
  const hashJs = path.join(repoRoot(), 'out/engine/src/model/hash.js');
  const modelHash = (cacheFolder = cache) => {
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(hashJs)}).modelHash(${JSON.stringify(dir)}).then((h) => console.log(h))`], {
      encoding: 'utf8',
      env: { ...process.env, KN_CACHE_DIR: cacheFolder },
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  const weights = path.join(dir, 'model.safetensors');
  const memoFile = path.join(artifactsFolder(cache), 'file-hashes.json');
  const first = modelHash();
  const memo = JSON.parse(fs.readFileSync(memoFile, 'utf8')) as Record<string, { stamp: string; sha256: string }>;
  assert.deepEqual(Object.keys(memo), [weights]);

  // The next process takes the remembered hash (a planted one shows it is read, not recomputed).
  fs.writeFileSync(memoFile, JSON.stringify({ [weights]: { ...memo[weights], sha256: 'f'.repeat(64) } }));
  assert.notEqual(modelHash(), first);
  fs.writeFileSync(memoFile, JSON.stringify(memo));
  assert.equal(modelHash(), first);

  // Rewritten in place, same size, times put back to the nanosecond: hashed again.
  const times = path.join(dir, 'times');
  fs.writeFileSync(times, '');
  assert.equal(spawnSync('touch', ['-r', weights, times]).status, 0);
  const fd = fs.openSync(weights, 'r+');
  fs.writeSync(fd, Buffer.from([1, 2, 3, 4]), 0, 4, fs.statSync(weights).size - 4);
  fs.closeSync(fd);
  assert.equal(spawnSync('touch', ['-r', times, weights]).status, 0);
  const changed = modelHash();
  assert.notEqual(changed, first);
  assert.equal(changed, modelHash(tempDir('artifacts-hashes-fresh')), 'the hash of a process with no memo');

  // Clear Cache removes the memo too.
  clearArtifacts(cache);
  assert.equal(fs.existsSync(memoFile), false);
});
