import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { HubError, formatProgress, resolveModel, parseModelRef, repoFolder } from '../../engine/src/hub';
import type { DownloadProgress } from '../../engine/src/hub';
import { KnError } from '../../engine/src/errors';
import { FakeHub, fixturesDir, gitBlobSha1, randomCommit, readSafetensors, repoFromFolder, sha256, shardSafetensors } from './fakeHub';

// Keep the real environment (a token, a cache, offline mode) out of these tests.
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-hub-env-'));
for (const k of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE', 'HF_ENDPOINT', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE'])
  delete process.env[k];
process.env.HF_HOME = path.join(sandbox, 'hf-home');
process.env.HF_TOKEN_PATH = path.join(sandbox, 'no-token');

const FIX = fixturesDir();
const BERT = path.join(FIX, 'bert-tiny-facts');
const GPT2 = path.join(FIX, 'gpt2-tiny-facts');
const XLMR = path.join(FIX, 'xlmr-tiny-facts');
const BASE = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

let hub: FakeHub;
let cache: string;

function tmpCache(): string {
  return fs.mkdtempSync(path.join(sandbox, 'cache-'));
}

async function rejectsWith(p: Promise<unknown>, code: string, ...patterns: (RegExp | string)[]): Promise<HubError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof HubError, `expected a HubError ${code}, got ${err === undefined ? 'success' : String(err)}`);
  assert.ok(err instanceof KnError);
  assert.equal(err.name, 'KnError', 'the server shows KnError messages to the user as is');
  assert.equal(err.code, code, err.message);
  for (const pat of patterns) {
    if (typeof pat === 'string') assert.ok(err.message.includes(pat), `message lacks ${JSON.stringify(pat)}: ${err.message}`);
    else assert.match(err.message, pat);
  }
  return err;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String);
}

before(async () => {
  hub = await new FakeHub().start();
  const bert = repoFromFolder(BERT, [...BASE, 'model.safetensors']);
  bert.files.get('tokenizer.json')!.relativeRedirect = true;
  hub.repos.set('kn-test/bert-tiny-facts', bert);
  hub.repos.set('kn-test/gpt2-tiny-facts', repoFromFolder(GPT2, [...BASE, 'generation_config.json', 'model.safetensors']));
  const gated = repoFromFolder(XLMR, [...BASE, 'model.safetensors']);
  gated.token = 'hf_secret_token';
  hub.repos.set('kn-gated/xlmr-tiny-facts', gated);
  const flaky = repoFromFolder(GPT2, [...BASE, 'model.safetensors']);
  hub.repos.set('kn-test/flaky', flaky);
  const corrupt = repoFromFolder(XLMR, [...BASE, 'model.safetensors']);
  corrupt.files.get('model.safetensors')!.etagOverride = sha256('something else');
  hub.repos.set('kn-test/corrupt', corrupt);
  const pickle = repoFromFolder(BERT, BASE);
  pickle.files.set('pytorch_model.bin', { content: Buffer.from('PK\x03\x04 not really a pickle'), lfs: true });
  hub.repos.set('kn-test/pickle-only', pickle);
  const { index, shards } = shardSafetensors(fs.readFileSync(path.join(BERT, 'model.safetensors')));
  const sharded = repoFromFolder(BERT, BASE);
  sharded.files.set('model.safetensors.index.json', { content: index });
  for (const [name, buf] of shards) sharded.files.set(name, { content: buf, lfs: true });
  hub.repos.set('kn-test/bert-sharded', sharded);
});

after(async () => {
  await hub.stop();
  fs.rmSync(sandbox, { recursive: true, force: true });
});

beforeEach(() => {
  cache = tmpCache();
  hub.log.length = 0;
});

describe('resolveModel', () => {
  test('an existing local folder is returned as is, without any request', async () => {
    const r = await resolveModel(BERT, { cacheDir: cache, endpoint: hub.endpoint });
    assert.equal(r.source, 'local');
    assert.equal(r.dir, path.resolve(BERT));
    assert.deepEqual(r.files.sort(), ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    assert.equal(hub.count(), 0);
  });

  test('downloads into the transformers cache layout: refs/main, blobs by etag, snapshot symlinks', async () => {
    const repo = hub.repos.get('kn-test/bert-tiny-facts')!;
    const progress: DownloadProgress[] = [];
    const r = await resolveModel('kn-test/bert-tiny-facts', { cacheDir: cache, endpoint: hub.endpoint, onProgress: (p) => progress.push(p) });
    assert.equal(r.source, 'download');
    const repoDir = path.join(cache, 'models--kn-test--bert-tiny-facts');
    assert.equal(r.dir, path.join(repoDir, 'snapshots', repo.commit));
    assert.deepEqual([...r.files].sort(), [...BASE, 'model.safetensors'].sort());
    assert.equal(fs.readFileSync(path.join(repoDir, 'refs', 'main'), 'utf8'), repo.commit);

    for (const f of [...BASE, 'model.safetensors']) {
      const p = path.join(r.dir, f);
      assert.ok(fs.lstatSync(p).isSymbolicLink(), `${f} should be a symlink`);
      const content = repo.files.get(f)!.content;
      const etag = f === 'model.safetensors' ? sha256(content) : gitBlobSha1(content);
      assert.equal(fs.readlinkSync(p), path.join('..', '..', 'blobs', etag));
      assert.ok(fs.readFileSync(p).equals(fs.readFileSync(path.join(BERT, f))), `${f} differs from the fixture`);
    }
    assert.deepEqual(
      walk(path.join(repoDir, 'blobs')).filter((f) => f.endsWith('.incomplete')),
      [],
    );
    // Optional files the repo lacks are recorded like huggingface_hub does.
    assert.ok(fs.existsSync(path.join(repoDir, '.no_exist', repo.commit, 'generation_config.json')));

    // The relative redirect was followed, files after config.json were asked for at the commit.
    assert.ok(hub.log.some((q) => q.url.startsWith('/_moved/kn-test/bert-tiny-facts/')));
    assert.ok(hub.log.some((q) => q.url === `/kn-test/bert-tiny-facts/resolve/${repo.commit}/model.safetensors`));
    // The LFS file came from the CDN origin.
    assert.ok(hub.log.some((q) => q.server === 'cdn' && q.method === 'GET'));

    const weights = progress.filter((p) => p.file === 'model.safetensors');
    const size = fs.statSync(path.join(BERT, 'model.safetensors')).size;
    assert.ok(weights.length >= 2);
    const last = weights[weights.length - 1];
    assert.equal(last.bytes, size);
    assert.equal(last.total, size);
    assert.equal(last.etaSeconds, 0);
    assert.ok(last.rate > 0);
    for (let i = 1; i < weights.length; i++) assert.ok(weights[i].bytes >= weights[i - 1].bytes);
  });

  test('a second resolve is a cache hit with zero requests (by branch, by commit, and via HF_HUB_CACHE)', async () => {
    const repo = hub.repos.get('kn-test/gpt2-tiny-facts')!;
    const first = await resolveModel('kn-test/gpt2-tiny-facts', { cacheDir: cache, endpoint: hub.endpoint });
    assert.equal(first.source, 'download');
    assert.ok(first.files.includes('generation_config.json'));
    hub.log.length = 0;

    const second = await resolveModel('kn-test/gpt2-tiny-facts', { cacheDir: cache, endpoint: hub.endpoint });
    assert.deepEqual(second, { ...first, source: 'cache' });
    const byCommit = await resolveModel(`kn-test/gpt2-tiny-facts@${repo.commit}`, { cacheDir: cache, endpoint: hub.endpoint });
    assert.equal(byCommit.dir, first.dir);
    assert.equal(byCommit.source, 'cache');

    process.env.HF_HUB_CACHE = cache;
    try {
      const viaEnv = await resolveModel('kn-test/gpt2-tiny-facts', { endpoint: hub.endpoint });
      assert.equal(viaEnv.dir, first.dir);
      assert.equal(viaEnv.source, 'cache');
    } finally {
      delete process.env.HF_HUB_CACHE;
    }
    assert.equal(hub.count(), 0, 'a cache hit must not touch the network');
  });

  test('a cache written by Python (huggingface_hub layout) is found without a request', async () => {
    const commit = randomCommit();
    const repoDir = repoFolder(cache, 'someone/py-model');
    fs.mkdirSync(path.join(repoDir, 'refs'), { recursive: true });
    fs.writeFileSync(path.join(repoDir, 'refs', 'main'), commit);
    fs.mkdirSync(path.join(repoDir, 'blobs'));
    fs.mkdirSync(path.join(repoDir, 'snapshots', commit), { recursive: true });
    for (const f of ['config.json', 'tokenizer.json', 'model.safetensors']) {
      const b = fs.readFileSync(path.join(BERT, f));
      const etag = f.endsWith('.safetensors') ? sha256(b) : gitBlobSha1(b);
      fs.writeFileSync(path.join(repoDir, 'blobs', etag), b);
      fs.symlinkSync(`../../blobs/${etag}`, path.join(repoDir, 'snapshots', commit, f));
    }
    const r = await resolveModel('someone/py-model', { cacheDir: cache, endpoint: hub.endpoint });
    assert.equal(r.source, 'cache');
    assert.equal(r.dir, path.join(repoDir, 'snapshots', commit));
    assert.equal(hub.count(), 0);
  });

  test('gated repo: 401 without a token, 403 with a wrong one, and the token never reaches the CDN', async () => {
    const opts = { cacheDir: cache, endpoint: hub.endpoint };
    await rejectsWith(resolveModel('kn-gated/xlmr-tiny-facts', opts), 'AUTH', 'gated or private model', 'HF_TOKEN', 'kn-gated/xlmr-tiny-facts');
    await rejectsWith(resolveModel('kn-gated/xlmr-tiny-facts', { ...opts, token: 'hf_wrong' }), 'AUTH', 'gated or private model', '403');
    hub.log.length = 0;
    process.env.HF_TOKEN = 'hf_secret_token';
    let r;
    try {
      r = await resolveModel('kn-gated/xlmr-tiny-facts', opts);
    } finally {
      delete process.env.HF_TOKEN;
    }
    assert.equal(r.source, 'download');
    assert.ok(fs.readFileSync(path.join(r.dir, 'model.safetensors')).equals(fs.readFileSync(path.join(XLMR, 'model.safetensors'))));
    const hubReqs = hub.log.filter((q) => q.server === 'hub');
    const cdnReqs = hub.log.filter((q) => q.server === 'cdn');
    assert.ok(hubReqs.length > 0 && hubReqs.every((q) => q.headers['authorization'] === 'Bearer hf_secret_token'));
    assert.ok(cdnReqs.length > 0 && cdnReqs.every((q) => q.headers['authorization'] === undefined), 'Authorization leaked to another host');
  });

  test('a connection dropped mid-file leaves only .incomplete; the next call resumes with Range', async () => {
    const repo = hub.repos.get('kn-test/flaky')!;
    const weights = repo.files.get('model.safetensors')!;
    weights.dropFirstGet = true;
    hub.resetDrops();
    const opts = { cacheDir: cache, endpoint: hub.endpoint, retries: 0 };
    await rejectsWith(resolveModel('kn-test/flaky', opts), 'NETWORK', 'model.safetensors', 'kn-test/flaky', 'resume');

    const sha = sha256(weights.content);
    const blobs = path.join(repoFolder(cache, 'kn-test/flaky'), 'blobs');
    assert.ok(!fs.existsSync(path.join(blobs, sha)), 'an interrupted download must not look complete');
    const partial = fs.statSync(path.join(blobs, `${sha}.incomplete`)).size;
    assert.ok(partial > 0 && partial < weights.content.length, `partial size ${partial}`);
    assert.ok(!fs.existsSync(path.join(repoFolder(cache, 'kn-test/flaky'), 'snapshots', repo.commit, 'model.safetensors')));

    hub.log.length = 0;
    const r = await resolveModel('kn-test/flaky', opts);
    assert.equal(r.source, 'download');
    const gets = hub.log.filter((q) => q.server === 'cdn' && q.method === 'GET');
    assert.equal(gets.length, 1);
    assert.equal(gets[0].headers['range'], `bytes=${partial}-`);
    assert.equal(sha256(fs.readFileSync(path.join(r.dir, 'model.safetensors'))), sha);
    assert.ok(!fs.existsSync(path.join(blobs, `${sha}.incomplete`)));
  });

  test('with retries a dropped connection is resumed within one call; a server that ignores Range restarts cleanly', async () => {
    const repo = hub.repos.get('kn-test/flaky')!;
    const weights = repo.files.get('model.safetensors')!;
    weights.dropFirstGet = true;
    for (const ignoreRange of [false, true]) {
      weights.ignoreRange = ignoreRange;
      hub.resetDrops();
      hub.log.length = 0;
      const c = tmpCache();
      const r = await resolveModel('kn-test/flaky', { cacheDir: c, endpoint: hub.endpoint, retries: 2 });
      const gets = hub.log.filter((q) => q.server === 'cdn' && q.method === 'GET');
      assert.equal(gets.length, 2, `ignoreRange=${ignoreRange}`);
      assert.equal(gets[0].headers['range'], undefined);
      assert.match(String(gets[1].headers['range']), /^bytes=\d+-$/);
      assert.equal(sha256(fs.readFileSync(path.join(r.dir, 'model.safetensors'))), sha256(weights.content), `ignoreRange=${ignoreRange}`);
    }
    weights.ignoreRange = false;
    weights.dropFirstGet = false;
  });

  test('a corrupted download (content does not match the SHA-256 etag) is deleted and reported', async () => {
    const repo = hub.repos.get('kn-test/corrupt')!;
    const f = repo.files.get('model.safetensors')!;
    const err = await rejectsWith(
      resolveModel('kn-test/corrupt', { cacheDir: cache, endpoint: hub.endpoint }),
      'CORRUPT',
      'model.safetensors',
      f.etagOverride!,
      sha256(f.content),
    );
    assert.ok(err.message.includes('kn-test/corrupt'));
    const repoDir = repoFolder(cache, 'kn-test/corrupt');
    assert.deepEqual(
      walk(path.join(repoDir, 'blobs')).filter((b) => b.startsWith(f.etagOverride!) || b.startsWith(sha256(f.content))),
      [],
    );
    assert.ok(!fs.existsSync(path.join(repoDir, 'snapshots', repo.commit, 'model.safetensors')));
  });

  test('a repository with only pickle weights is refused with an explanation', async () => {
    await rejectsWith(
      resolveModel('kn-test/pickle-only', { cacheDir: cache, endpoint: hub.endpoint }),
      'PICKLE_ONLY',
      'pytorch_model.bin',
      'execute',
      'safetensors',
      'safe_serialization=True',
    );
    const asked = hub.log.map((q) => `${q.method} ${q.url.split('/').pop()}`);
    for (const want of ['HEAD model.safetensors', 'HEAD model.safetensors.index.json', 'HEAD pytorch_model.bin'])
      assert.ok(asked.includes(want), `no ${want}: ${asked}`);
    assert.ok(!hub.log.some((q) => q.method === 'GET' && q.url.endsWith('pytorch_model.bin')), 'the pickle must not be downloaded');
  });

  test('a sharded repository: index + the shards it lists, tensors identical to the original', async () => {
    const r = await resolveModel('kn-test/bert-sharded', { cacheDir: cache, endpoint: hub.endpoint });
    assert.equal(r.source, 'download');
    for (const f of ['model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']) assert.ok(r.files.includes(f), f);
    assert.ok(!r.files.includes('model.safetensors'));
    const original = readSafetensors(fs.readFileSync(path.join(BERT, 'model.safetensors')));
    const index = JSON.parse(fs.readFileSync(path.join(r.dir, 'model.safetensors.index.json'), 'utf8'));
    const merged = new Map<string, Buffer>();
    for (const shard of new Set<string>(Object.values(index.weight_map)))
      for (const [k, v] of readSafetensors(fs.readFileSync(path.join(r.dir, shard)))) merged.set(k, v);
    assert.equal(merged.size, original.size);
    for (const [k, v] of original) assert.ok(merged.get(k)?.equals(v), k);
    hub.log.length = 0;
    assert.equal((await resolveModel('kn-test/bert-sharded', { cacheDir: cache, endpoint: hub.endpoint })).source, 'cache');
    assert.equal(hub.count(), 0);
  });

  test('offline (HF_HUB_OFFLINE=1 or the option): clear error naming the model and the cache path, no request', async () => {
    const repoDir = repoFolder(cache, 'kn-test/bert-tiny-facts');
    process.env.HF_HUB_OFFLINE = '1';
    try {
      await rejectsWith(
        resolveModel('kn-test/bert-tiny-facts', { cacheDir: cache, endpoint: hub.endpoint }),
        'OFFLINE',
        'kn-test/bert-tiny-facts',
        repoDir,
        'HF_HUB_OFFLINE',
      );
    } finally {
      delete process.env.HF_HUB_OFFLINE;
    }
    await rejectsWith(resolveModel('kn-test/bert-tiny-facts', { cacheDir: cache, endpoint: hub.endpoint, offline: true }), 'OFFLINE', repoDir);
    assert.equal(hub.count(), 0);
    // Once downloaded, offline works from the cache.
    await resolveModel('kn-test/bert-tiny-facts', { cacheDir: cache, endpoint: hub.endpoint });
    hub.log.length = 0;
    const r = await resolveModel('kn-test/bert-tiny-facts', { cacheDir: cache, endpoint: hub.endpoint, offline: true });
    assert.equal(r.source, 'cache');
    assert.equal(hub.count(), 0);
  });

  test('server down: a network error names the model and the cache path searched', async () => {
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    await rejectsWith(
      resolveModel('kn-test/bert-tiny-facts', { cacheDir: cache, endpoint: `http://127.0.0.1:${port}` }),
      'NETWORK',
      'kn-test/bert-tiny-facts',
      repoFolder(cache, 'kn-test/bert-tiny-facts'),
      'HF_HUB_OFFLINE',
    );
  });

  test('unknown repos, revisions and missing local folders give clear errors', async () => {
    const opts = { cacheDir: cache, endpoint: hub.endpoint };
    await rejectsWith(resolveModel('kn-test/does-not-exist', opts), 'NOT_FOUND', 'kn-test/does-not-exist');
    await rejectsWith(resolveModel('kn-test/bert-tiny-facts', { ...opts, revision: 'v9' }), 'NOT_FOUND', 'v9');
    await rejectsWith(resolveModel('./no/such/folder', opts), 'LOCAL_NOT_FOUND', 'no/such/folder');
    await rejectsWith(resolveModel('bad id!', opts), 'INVALID_REF');
  });

  test('a blob being downloaded by another of our processes is waited for; a stale lock is taken over', async () => {
    const repo = hub.repos.get('kn-test/gpt2-tiny-facts')!;
    const sha = sha256(repo.files.get('model.safetensors')!.content);
    const lock = path.join(cache, '.locks', 'models--kn-test--gpt2-tiny-facts', `${sha}.kn-lock`);
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    fs.writeFileSync(lock, `${process.pid}\n${os.hostname()}\n`); // held by a live process
    const t0 = Date.now();
    setTimeout(() => fs.rmSync(lock, { force: true }), 400);
    const r = await resolveModel('kn-test/gpt2-tiny-facts', { cacheDir: cache, endpoint: hub.endpoint });
    assert.ok(Date.now() - t0 >= 350, 'should have waited for the lock');
    assert.equal(sha256(fs.readFileSync(path.join(r.dir, 'model.safetensors'))), sha);
    assert.ok(!fs.existsSync(lock), 'lock released');

    const c2 = tmpCache();
    const deadPid = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '']);
      child.on('exit', () => resolve(child.pid!));
    });
    const lock2 = path.join(c2, '.locks', 'models--kn-test--gpt2-tiny-facts', `${sha}.kn-lock`);
    fs.mkdirSync(path.dirname(lock2), { recursive: true });
    fs.writeFileSync(lock2, `${deadPid}\n${os.hostname()}\n`);
    const t1 = Date.now();
    await resolveModel('kn-test/gpt2-tiny-facts', { cacheDir: c2, endpoint: hub.endpoint });
    assert.ok(Date.now() - t1 < 5000);
    assert.ok(!fs.existsSync(lock2));
  });

  test('an injected fetch (redirect: manual) works the same', async () => {
    const seen: string[] = [];
    const fetchImpl = (url: string, init: any) => {
      seen.push(`${init.method} ${url}`);
      assert.equal(init.redirect, 'manual');
      return fetch(url, init);
    };
    const r = await resolveModel('kn-test/gpt2-tiny-facts', { cacheDir: cache, endpoint: hub.endpoint, fetchImpl });
    assert.equal(r.source, 'download');
    assert.ok(fs.readFileSync(path.join(r.dir, 'model.safetensors')).equals(fs.readFileSync(path.join(GPT2, 'model.safetensors'))));
    assert.ok(
      seen.some((s) => s.startsWith(`GET ${hub.cdnOrigin}/`)),
      'the LFS redirect to the CDN was followed',
    );
  });

  test('formatProgress', () => {
    assert.equal(
      formatProgress({ file: 'model.safetensors', bytes: 45.2 * 1024 ** 2, total: 498 * 1024 ** 2, rate: 12.3 * 1024 ** 2, etaSeconds: 36.8 }),
      'model.safetensors  45.2 MB / 498.0 MB  12.3 MB/s  ETA 37 s',
    );
  });

  test('parseModelRef', () => {
    assert.deepEqual(parseModelRef('org/name'), { repoId: 'org/name', revision: 'main' });
    assert.deepEqual(parseModelRef('gpt2@v1.0'), { repoId: 'gpt2', revision: 'v1.0' });
    assert.deepEqual(parseModelRef('org/name@dev', 'main'), { repoId: 'org/name', revision: 'main' });
    assert.deepEqual(parseModelRef('org/name', 'refs/pr/3'), { repoId: 'org/name', revision: 'refs/pr/3' });
    assert.deepEqual(parseModelRef('https://huggingface.co/FacebookAI/xlm-roberta-base'), { repoId: 'FacebookAI/xlm-roberta-base', revision: 'main' });
    assert.deepEqual(parseModelRef('https://huggingface.co/org/name/tree/v2/'), { repoId: 'org/name', revision: 'v2' });
    assert.throws(() => parseModelRef('org/name', '../x'), HubError);
    assert.throws(() => parseModelRef('org/a--b'), HubError);
  });
});
