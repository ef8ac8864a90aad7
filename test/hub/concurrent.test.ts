/**
 * Several processes sharing one Hugging Face cache: snapshot links are replaced atomically, so a
 * process reading a snapshot never meets a missing file while another process links it again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeHub, fixturesDir, repoFromFolder, sha256 } from './fakeHub';

const HUB_MODULE = path.resolve(__dirname, '../../engine/src/hub/index.js');
const CACHE_MODULE = path.resolve(__dirname, '../../engine/src/hub/cache.js');
const BERT = path.join(fixturesDir(), 'bert-tiny-facts');
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-hub-concurrent-'));
let hub: FakeHub;

before(async () => {
  hub = await new FakeHub().start();
  hub.repos.set('kn-test/bert-tiny-facts', repoFromFolder(BERT, ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors']));
});

after(async () => {
  await hub.stop();
  fs.rmSync(sandbox, { recursive: true, force: true });
});

function node(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script, ...args], { env: { ...process.env, HF_HUB_OFFLINE: '', HF_TOKEN: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

// Resolve the model, then read every file of the snapshot for a while (as loading a model does),
// while the other processes finish their own resolve; print the SHA-256 of the weights.
const RESOLVE_AND_READ = `
const fs = require('fs'), path = require('path'), crypto = require('crypto');
const [hubModule, cacheDir, endpoint] = process.argv.slice(1);
require(hubModule).resolveModel('kn-test/bert-tiny-facts', { cacheDir, endpoint, offline: false, token: '' }).then((r) => {
  const until = Date.now() + 500;
  let digest = '';
  while (Date.now() < until) {
    for (const f of r.files) fs.readFileSync(path.join(r.dir, f));
    digest = crypto.createHash('sha256').update(fs.readFileSync(path.join(r.dir, 'model.safetensors'))).digest('hex');
  }
  process.stdout.write(digest);
}, (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(2); });
`;

describe('one Hugging Face cache, several processes', () => {
  for (const n of [2, 4]) {
    test(`${n} processes downloading into one empty cache all get the complete model`, async () => {
      const expected = sha256(fs.readFileSync(path.join(BERT, 'model.safetensors')));
      for (let round = 0; round < 2; round++) {
        const cacheDir = fs.mkdtempSync(path.join(sandbox, 'cache-'));
        const results = await Promise.all(Array.from({ length: n }, () => node(RESOLVE_AND_READ, [HUB_MODULE, cacheDir, hub.endpoint])));
        for (const r of results) {
          assert.equal(r.code, 0, r.stderr);
          assert.equal(r.stdout, expected);
        }
        const snapshots = path.join(cacheDir, 'models--kn-test--bert-tiny-facts', 'snapshots');
        const [commit] = fs.readdirSync(snapshots);
        assert.deepEqual(fs.readdirSync(path.join(snapshots, commit)).sort(), ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
      }
    });
  }

  test('a snapshot link being replaced is never missing for a reader', async () => {
    // Two processes keep linking one pointer to two blobs of equal content (what a second download
    // of a file does when another process linked it first); a third keeps reading it.
    const dir = fs.mkdtempSync(path.join(sandbox, 'links-'));
    const blobs = ['a', 'b'].map((b) => path.join(dir, 'blobs', b));
    fs.mkdirSync(path.dirname(blobs[0]), { recursive: true });
    for (const b of blobs) fs.writeFileSync(b, 'same bytes');
    const pointer = path.join(dir, 'snapshots', 'c0ffee', 'config.json');
    const relink = `
      const { linkPointer } = require(process.argv[1]);
      const until = Date.now() + 1000;
      for (let i = 0; Date.now() < until; i++) linkPointer(process.argv[2 + (i % 2)], process.argv[4]);
    `;
    const read = `
      const fs = require('fs');
      const until = Date.now() + 1000;
      let reads = 0, missing = 0;
      while (Date.now() < until) {
        try { fs.readFileSync(process.argv[1]); reads++; } catch (e) { if (e.code !== 'ENOENT') throw e; missing++; }
      }
      process.stdout.write(JSON.stringify({ reads, missing }));
    `;
    const { linkPointer } = await import(CACHE_MODULE);
    linkPointer(blobs[0], pointer);
    const [w1, w2, r] = await Promise.all([
      node(relink, [CACHE_MODULE, ...blobs, pointer]),
      node(relink, [CACHE_MODULE, blobs[1], blobs[0], pointer]),
      node(read, [pointer]),
    ]);
    assert.equal(w1.code, 0, w1.stderr);
    assert.equal(w2.code, 0, w2.stderr);
    assert.equal(r.code, 0, r.stderr);
    const { reads, missing } = JSON.parse(r.stdout);
    assert.ok(reads > 100, `the reader read ${reads} times`);
    assert.equal(missing, 0, `the pointer was missing in ${missing} of ${reads + missing} reads`);
    assert.equal(fs.readdirSync(path.dirname(pointer)).length, 1, 'no temporary links left');
  });
});
