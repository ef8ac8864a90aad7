/**
 * The Hub client against servers that misbehave: a body longer than its declared size is stopped at
 * that size, a server that trickles bytes is given up on with a clear error, and a model that cannot
 * fit memory is refused from its config.json before any weight is downloaded.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HubError, resolveModel } from '../../engine/src/hub';
import { loadModel } from '../../engine/src';
import { FakeHub, fixturesDir, repoFromFolder } from './fakeHub';

const BERT = path.join(fixturesDir(), 'bert-tiny-facts');
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors'];
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-hub-limits-'));
for (const k of ['HF_TOKEN', 'HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE', 'HF_ENDPOINT', 'HF_HUB_CACHE']) delete process.env[k];
process.env.HF_HOME = path.join(sandbox, 'hf-home');
let hub: FakeHub;

before(async () => {
  hub = await new FakeHub().start();
  const longer = repoFromFolder(BERT, FILES);
  longer.files.get('model.safetensors')!.extraBytes = 64 * 1024 ** 2;
  hub.repos.set('kn-test/longer', longer);
  const slow = repoFromFolder(BERT, FILES);
  slow.files.get('model.safetensors')!.trickleMs = 100;
  hub.repos.set('kn-test/trickle', slow);
  const huge = repoFromFolder(BERT, FILES);
  const cfg = JSON.parse(huge.files.get('config.json')!.content.toString());
  Object.assign(cfg, { hidden_size: 16384, intermediate_size: 65536, num_hidden_layers: 200, num_attention_heads: 128, vocab_size: 250000 });
  huge.files.set('config.json', { content: Buffer.from(JSON.stringify(cfg)) });
  hub.repos.set('kn-test/huge', huge);
});

after(async () => {
  await hub.stop();
  fs.rmSync(sandbox, { recursive: true, force: true });
});

const cache = () => fs.mkdtempSync(path.join(sandbox, 'cache-'));

async function refusal(p: Promise<unknown>): Promise<HubError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof HubError, String(e));
    return e;
  }
  throw new Error('expected a refusal');
}

test('a body longer than its declared size is stopped at that size, not written until the disk fills', { timeout: 60_000 }, async () => {
  const dir = cache();
  const declared = hub.repos.get('kn-test/longer')!.files.get('model.safetensors')!.content.length;
  const t0 = Date.now();
  const e = await refusal(resolveModel('kn-test/longer', { cacheDir: dir, endpoint: hub.endpoint, retries: 0 }));
  assert.equal(e.code, 'CORRUPT');
  assert.match(e.message, /model\.safetensors of "kn-test\/longer" is longer than its declared size \(3\.6 MB\); stopped there/);
  assert.ok(Date.now() - t0 < 20_000);
  const blobs = path.join(dir, 'models--kn-test--longer', 'blobs');
  for (const f of fs.readdirSync(blobs)) assert.ok(fs.statSync(path.join(blobs, f)).size <= declared, `${f}: ${fs.statSync(path.join(blobs, f)).size} bytes`);
});

test('a server that trickles bytes is given up on, with the rate, and the partial file is kept to resume', { timeout: 30_000 }, async () => {
  const dir = cache();
  const t0 = Date.now();
  const e = await refusal(resolveModel('kn-test/trickle', { cacheDir: dir, endpoint: hub.endpoint, minRate: 1000, rateWindowMs: 600 }));
  assert.equal(e.code, 'NETWORK');
  assert.match(
    e.message,
    /model\.safetensors of "kn-test\/trickle" is too slow: \d+ B in the last 1 s \(below 1000 B\/s\); stopped after \d+ B of 3\.6 MB\. The partial file is kept/,
  );
  assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
  const blobs = fs.readdirSync(path.join(dir, 'models--kn-test--trickle', 'blobs'));
  assert.ok(blobs.some((f) => f.endsWith('.incomplete')));
});

test('a model that cannot fit is refused from config.json, before any weight is downloaded', async () => {
  const dir = cache();
  hub.log.length = 0;
  const e = await refusal(loadModel('kn-test/huge', { device: 'cpu', hub: { cacheDir: dir, endpoint: hub.endpoint } }));
  assert.equal(e.code, 'MEMORY');
  assert.match(e.message, /kn-test\/huge needs about [\d.]+ (GB|TB) .* but this machine has/);
  assert.deepEqual(
    hub.log.filter((r) => r.url.includes('model.safetensors')),
    [],
    'no request for the weights',
  );
  assert.equal(hub.count('cdn'), 0);
});
