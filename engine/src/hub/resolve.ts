/**
 * resolveModel: a local folder, else the Hugging Face cache, else a download from the Hub into that
 * same cache, the way huggingface_hub's hf_hub_download does it, so Python and we share one copy.
 */
import { createHash, Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  OPTIONAL_META,
  PICKLE_WEIGHTS,
  REQUIRED_META,
  WEIGHTS,
  WEIGHTS_INDEX,
  assertSafeRelative,
  exists,
  findCachedSnapshot,
  inspectSnapshot,
  isCommitHash,
  linkPointer,
  markNoExist,
  noExistMarker,
  readRef,
  repoFolder,
  shardsOfIndex,
  writeRef,
} from './cache';
import { hubCacheDir, hubEndpoint, hubToken, isOffline } from './env';
import { HubError } from './errors';
import { withFileLock } from './lock';
import { FetchLike, FollowedResponse, RawRequest, fetchRequest, nodeRequest, requestFollowing } from './http';

export interface DownloadProgress {
  /** File name inside the repository, e.g. `model.safetensors`. */
  file: string;
  /** Bytes of this file on disk so far (a resumed download starts above 0). */
  bytes: number;
  /** Size of the file; 0 when the server did not say. */
  total: number;
  /** Bytes per second over this transfer. */
  rate: number;
  /** Seconds left at the current rate (0 when done, Infinity before any data arrived). */
  etaSeconds: number;
}

export interface ResolveOptions {
  /** Branch, tag (`refs/<name>`) or 40-hex commit. Default `main` (or the `@rev` suffix of the ref). */
  revision?: string;
  /** Hub cache folder. Default `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`. */
  cacheDir?: string;
  /** Default `$HF_ENDPOINT`, else https://huggingface.co */
  endpoint?: string;
  /** Default `$HF_TOKEN`, else the token file of `huggingface-cli login`. An empty string sends none. */
  token?: string;
  /** Default from `HF_HUB_OFFLINE` / `TRANSFORMERS_OFFLINE`. */
  offline?: boolean;
  onProgress?: (p: DownloadProgress) => void;
  /** Replaces node's http/https (called with `redirect: 'manual'`). */
  fetchImpl?: FetchLike;
  /** Retries of a file transfer that broke off (each resumes with Range). Default 5. */
  retries?: number;
  /** Socket idle timeout. Default 30 s. */
  timeoutMs?: number;
  /**
   * A transfer slower than this many bytes per second over `rateWindowMs` is stopped with an error
   * (a server that trickles bytes would otherwise hold the download for ever). Default 1024 B/s over 60 s.
   */
  minRate?: number;
  rateWindowMs?: number;
  /**
   * Called with the path of config.json as soon as it is there (before any weight is downloaded, for
   * local and cached models too); a throw stops the resolution (e.g. a model that cannot fit memory).
   */
  onConfig?: (configFile: string) => void;
  /** Aborts a download: the transfer stops at once (what arrived stays, to resume), with a CANCELLED HubError. */
  signal?: AbortSignal;
}

export interface ResolvedModel {
  dir: string;
  source: 'local' | 'cache' | 'download';
  /** File names (relative to dir) of the files the engine uses that are present. */
  files: string[];
}

const USER_AGENT = `knowledge-neurons/0.1.0; node/${process.version}`;

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function looksLikePath(ref: string): boolean {
  return /^(\.{1,2}([/\\]|$)|[/\\~]|[A-Za-z]:[/\\])/.test(ref) || ref.includes('\\') || ref.split('/').length > 2;
}

const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

export function parseModelRef(ref: string, revision?: string): { repoId: string; revision: string } {
  let id = ref.trim();
  let rev = revision;
  // A model page URL pasted from the browser: https://huggingface.co/org/name[/tree/rev]
  const url = /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/([^/?#]+\/[^/?#]+)(?:\/(?:tree|blob|resolve)\/([^/?#]+)[^?#]*)?\/?(?:[?#].*)?$/.exec(id);
  if (url) {
    id = url[1];
    if (rev === undefined && url[2]) rev = decodeURIComponent(url[2]);
  }
  const at = id.lastIndexOf('@');
  if (at > 0) {
    if (rev === undefined) rev = id.slice(at + 1);
    id = id.slice(0, at);
  }
  if (looksLikePath(id)) {
    throw new HubError('LOCAL_NOT_FOUND', `Model folder ${JSON.stringify(ref)} does not exist (${path.resolve(id)}).`);
  }
  if (!REPO_ID.test(id) || id.includes('--') || id.includes('..') || id.length > 96 || /\.git$/.test(id)) {
    throw new HubError('INVALID_REF', `${JSON.stringify(ref)} is neither an existing folder nor a Hugging Face model id (like "org/name").`);
  }
  rev = rev ?? 'main';
  if (!rev || rev.split('/').some((s) => s === '' || s === '.' || s === '..') || /[\\\0]/.test(rev)) {
    throw new HubError('INVALID_REF', `Invalid revision ${JSON.stringify(rev)} for ${id}.`);
  }
  return { repoId: id, revision: rev };
}

const locks = new Map<string, Promise<unknown>>();

/** One download per cache folder at a time inside this process (two VS Code commands asking at once). */
async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const run = prev.catch(() => undefined).then(fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

export async function resolveModel(ref: string, opts: ResolveOptions = {}): Promise<ResolvedModel> {
  if (isDirectory(ref)) {
    const dir = path.resolve(ref);
    opts.onConfig?.(path.join(dir, 'config.json'));
    return { dir, source: 'local', files: inspectSnapshot(dir).files };
  }
  const { repoId, revision } = parseModelRef(ref, opts.revision);
  const cacheDir = hubCacheDir(opts.cacheDir);
  const repoDir = repoFolder(cacheDir, repoId);

  const hit = findCachedSnapshot(repoDir, revision);
  if (hit) {
    opts.onConfig?.(path.join(hit.dir, 'config.json'));
    return { dir: hit.dir, source: 'cache', files: hit.files };
  }

  if (isOffline(opts.offline)) throw offlineError(repoId, revision, repoDir, opts.offline !== undefined);

  return withLock(repoDir, async () => {
    const again = findCachedSnapshot(repoDir, revision);
    if (again) {
      opts.onConfig?.(path.join(again.dir, 'config.json'));
      return { dir: again.dir, source: 'cache' as const, files: again.files };
    }
    const s = new HubSession(repoId, revision, repoDir, opts);
    const dir = await s.downloadModel();
    return { dir, source: 'download' as const, files: inspectSnapshot(dir).files };
  });
}

function offlineError(repoId: string, revision: string, repoDir: string, byOption: boolean): HubError {
  const commit = isCommitHash(revision) ? revision : readRef(repoDir, revision);
  let found = '';
  if (commit && isDirectory(path.join(repoDir, 'snapshots', commit))) {
    const have = inspectSnapshot(path.join(repoDir, 'snapshots', commit)).files;
    const missing = [...REQUIRED_META, 'model.safetensors (or a complete sharded set)'].filter((f) => !have.includes(f));
    found = ` A partial snapshot ${commit.slice(0, 12)} is there but lacks ${missing.join(', ')}.`;
  }
  const why = byOption ? 'offline mode is on' : 'offline mode is on (HF_HUB_OFFLINE=1)';
  return new HubError(
    'OFFLINE',
    `Model "${repoId}" (revision ${revision}) is not in the Hugging Face cache and ${why}, so it cannot be downloaded. ` +
      `Searched ${repoDir}.${found} If your cache lives elsewhere set HF_HUB_CACHE or HF_HOME; otherwise download it once while online ` +
      `(e.g. \`hf download ${repoId}\`, or \`huggingface-cli download ${repoId}\` with older huggingface_hub) or pass a local model folder.`,
  );
}

interface FileMeta {
  commit?: string;
  etag?: string;
  size?: number;
  lfs: boolean;
}

class RetryableError extends Error {}

function normalizeEtag(e: string | undefined): string | undefined {
  if (!e) return undefined;
  return e.trim().replace(/^W\//, '').replace(/^"|"$/g, '') || undefined;
}

function fileSize(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
}

function errText(e: any): string {
  return e?.code ? `${e.code}${e.message && e.message !== e.code ? `: ${e.message}` : ''}` : String(e?.message ?? e);
}

function fmtBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

class HubSession {
  private readonly endpoint: string;
  private readonly origin: string;
  private readonly token?: string;
  private readonly request: RawRequest;
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(
    private readonly repoId: string,
    private readonly revision: string,
    private readonly repoDir: string,
    private readonly opts: ResolveOptions,
  ) {
    this.endpoint = hubEndpoint(opts.endpoint);
    this.origin = new URL(this.endpoint).origin;
    this.token = hubToken(opts.token);
    this.request = opts.fetchImpl ? fetchRequest(opts.fetchImpl) : nodeRequest;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retries = opts.retries ?? 5;
  }

  private url(rev: string, file: string): string {
    return `${this.endpoint}/${this.repoId}/resolve/${encodeURIComponent(rev)}/${file.split('/').map(encodeURIComponent).join('/')}`;
  }

  private networkError(e: unknown, url: string): HubError {
    return new HubError(
      'NETWORK',
      `Could not reach ${this.endpoint} to download "${this.repoId}" (${errText(e)} for ${url}), and it is not in the Hugging Face cache ` +
        `(searched ${this.repoDir}). Check the network connection, proxy or HF_ENDPOINT; to work offline, download the model once ` +
        `(or copy a cache that has it) and set HF_HUB_OFFLINE=1.`,
      { cause: e },
    );
  }

  private authError(status: number, headers: Record<string, string>): HubError {
    const page = `${this.endpoint}/${this.repoId}`;
    const serverSays = headers['x-error-message'] ? ` The Hub says: "${headers['x-error-message'].replace(/[.\s]+$/, '')}".` : '';
    if (status === 401 && !this.token) {
      return new HubError(
        'AUTH',
        `Cannot download "${this.repoId}": it is a gated or private model (HTTP 401 without a token; a misspelled id looks the same).${serverSays} ` +
          `Set HF_TOKEN to a Hugging Face access token with read access (https://huggingface.co/settings/tokens) or run \`hf auth login\` (older: \`huggingface-cli login\`); ` +
          `for a gated model, first accept its conditions on ${page}.`,
      );
    }
    if (status === 401) {
      return new HubError(
        'AUTH',
        `Cannot download "${this.repoId}": the Hub rejected the token (HTTP 401: invalid or expired, or the gated or private model does not exist).${serverSays} Check HF_TOKEN.`,
      );
    }
    return new HubError(
      'AUTH',
      `Cannot download "${this.repoId}": gated or private model and this token has no access (HTTP 403).${serverSays} ` +
        `Request access on ${page}, and make sure the token set in HF_TOKEN can read it (fine-grained tokens need access to gated repos).`,
    );
  }

  private httpError(status: number, headers: Record<string, string>, file: string): HubError {
    const code = headers['x-error-code'];
    if (code === 'RepoNotFound') {
      return new HubError('NOT_FOUND', `Model "${this.repoId}" was not found on ${this.endpoint} (and there is no local folder by that name).`);
    }
    if (code === 'RevisionNotFound') {
      return new HubError('NOT_FOUND', `Model "${this.repoId}" has no revision "${this.revision}" on ${this.endpoint}.`);
    }
    const msg = headers['x-error-message'] ? `: ${headers['x-error-message']}` : '';
    return new HubError('HTTP', `Downloading ${file} of "${this.repoId}" failed with HTTP ${status}${msg}.`);
  }

  /** HEAD like huggingface_hub: follow relative redirects only; an LFS file answers 302 to its CDN with X-Linked-Etag/X-Linked-Size. */
  private async head(rev: string, file: string): Promise<FileMeta | undefined> {
    const url = this.url(rev, file);
    let res: FollowedResponse;
    try {
      res = await requestFollowing(this.request, url, {
        method: 'HEAD',
        headers: { 'Accept-Encoding': 'identity', 'User-Agent': USER_AGENT },
        token: this.token,
        authOrigin: this.origin,
        followCrossOrigin: false,
        timeoutMs: this.timeoutMs,
      });
    } catch (e) {
      throw this.networkError(e, url);
    }
    res.discard();
    const h = res.headers;
    if (res.status === 404) {
      if (h['x-error-code'] === 'RepoNotFound' || h['x-error-code'] === 'RevisionNotFound') throw this.httpError(404, h, file);
      return undefined;
    }
    if (res.status === 401 || res.status === 403) throw this.authError(res.status, h);
    if (res.status >= 400 || res.status < 200) throw this.httpError(res.status, h, file);
    const linkedSize = h['x-linked-size'];
    const size =
      linkedSize !== undefined ? Number(linkedSize) : res.status === 200 && h['content-length'] !== undefined ? Number(h['content-length']) : undefined;
    return {
      commit: h['x-repo-commit'],
      etag: normalizeEtag(h['x-linked-etag'] ?? h['etag']),
      size: size !== undefined && Number.isFinite(size) ? size : undefined,
      lfs: h['x-linked-etag'] !== undefined,
    };
  }

  async downloadModel(): Promise<string> {
    const cfg = await this.head(this.revision, 'config.json');
    if (!cfg) {
      throw new HubError('NOT_FOUND', `Model "${this.repoId}" has no config.json at revision ${this.revision}: it is not a transformers model repository.`);
    }
    const commit = cfg.commit && isCommitHash(cfg.commit) ? cfg.commit : isCommitHash(this.revision) ? this.revision : undefined;
    if (!commit) {
      throw new HubError(
        'HTTP',
        `${this.endpoint} sent no X-Repo-Commit header for "${this.repoId}"; is HF_ENDPOINT a Hugging Face Hub (or a mirror that forwards its headers)?`,
      );
    }
    writeRef(this.repoDir, this.revision, commit);
    const snap = path.join(this.repoDir, 'snapshots', commit);
    await this.fetchFile(commit, 'config.json', cfg);
    this.opts.onConfig?.(path.join(snap, 'config.json'));

    // Everything else is requested at the commit, so a push in the meantime cannot mix two versions.
    const ensure = async (file: string, useNoExist: boolean): Promise<boolean> => {
      assertSafeRelative(file);
      if (exists(path.join(snap, file))) return true;
      if (useNoExist && exists(noExistMarker(this.repoDir, commit, file))) return false;
      const meta = await this.head(commit, file);
      if (!meta) {
        markNoExist(this.repoDir, commit, file);
        return false;
      }
      await this.fetchFile(commit, file, meta);
      return true;
    };

    for (const f of [
      'tokenizer_config.json',
      ...REQUIRED_META.filter((x) => x !== 'config.json'),
      ...OPTIONAL_META.filter((x) => x !== 'tokenizer_config.json'),
    ]) {
      const required = REQUIRED_META.includes(f);
      if (!(await ensure(f, !required)) && required) {
        throw new HubError(
          'NOT_FOUND',
          `Model "${this.repoId}" has no ${f} (revision ${this.revision}), which the engine needs. If it only has a slow tokenizer ` +
            `(vocab.txt / sentencepiece.model), save a fast one in Python with AutoTokenizer.from_pretrained("${this.repoId}").save_pretrained("folder") ` +
            `and pass a folder holding the model and that tokenizer.json.`,
        );
      }
    }

    if (await ensure(WEIGHTS, false)) return snap;
    if (await ensure(WEIGHTS_INDEX, false)) {
      const shards = shardsOfIndex(fs.readFileSync(path.join(snap, WEIGHTS_INDEX), 'utf8'));
      for (const shard of shards) {
        if (!(await ensure(shard, false))) {
          throw new HubError('NOT_FOUND', `Model "${this.repoId}": ${WEIGHTS_INDEX} lists ${shard}, but that file is not in the repository.`);
        }
      }
      return snap;
    }
    for (const p of PICKLE_WEIGHTS) {
      if (await this.head(commit, p)) {
        throw new HubError(
          'PICKLE_ONLY',
          `Model "${this.repoId}" only has PyTorch pickle weights (${p}), no model.safetensors. Knowledge Neurons refuses pickle files ` +
            `because loading one can execute arbitrary code. Convert it to safetensors: use the Hugging Face space ` +
            `https://huggingface.co/spaces/safetensors/convert (it opens a pull request; then pass revision "refs/pr/<number>"), or in Python ` +
            `AutoModel.from_pretrained("${this.repoId}").save_pretrained("folder", safe_serialization=True) and pass that folder ` +
            `(copy the tokenizer files into it too).`,
        );
      }
    }
    throw new HubError('NO_WEIGHTS', `Model "${this.repoId}" (revision ${this.revision}) has no ${WEIGHTS} or ${WEIGHTS_INDEX}; nothing to load.`);
  }

  private async fetchFile(commit: string, file: string, meta: FileMeta): Promise<void> {
    const pointer = path.join(this.repoDir, 'snapshots', commit, file);
    if (exists(pointer)) return;
    const etag = meta.etag;
    if (!etag || !/^[A-Za-z0-9._-]+$/.test(etag) || etag.startsWith('.')) {
      throw new HubError('HTTP', `The Hub sent no usable ETag for ${file} of "${this.repoId}" (${JSON.stringify(etag)}); cannot place it in the cache.`);
    }
    const blob = path.join(this.repoDir, 'blobs', etag);
    if (!exists(blob)) {
      const lock = path.join(path.dirname(this.repoDir), '.locks', path.basename(this.repoDir), `${etag}.kn-lock`);
      await withFileLock(lock, async () => {
        if (!exists(blob)) await this.downloadBlob(this.url(commit, file), blob, file, meta, etag);
      });
    }
    linkPointer(blob, pointer);
  }

  private async downloadBlob(url: string, blob: string, file: string, meta: FileMeta, etag: string): Promise<void> {
    fs.mkdirSync(path.dirname(blob), { recursive: true });
    const inc = `${blob}.incomplete`;
    const expectedSha = meta.lfs && /^[0-9a-f]{64}$/.test(etag) ? etag : undefined;
    const st: TransferState = { total: meta.size, hash: undefined, hashed: 0 };
    let failures = 0;
    for (;;) {
      this.checkAborted(file);
      let start = fileSize(inc);
      if (st.total !== undefined && start > st.total) {
        fs.truncateSync(inc, 0);
        start = 0;
      }
      let cause: unknown;
      if (st.total === undefined || start < st.total || !exists(inc)) {
        try {
          await this.transfer(url, inc, start, file, st, expectedSha !== undefined);
        } catch (e) {
          if (!(e instanceof RetryableError)) throw e;
          cause = e;
        }
      }
      const size = fileSize(inc);
      if (cause === undefined && (st.total === undefined || size === st.total)) break;
      if (cause === undefined && size > st.total!) {
        fs.rmSync(inc, { force: true });
        throw new HubError(
          'CORRUPT',
          `Download of ${file} of "${this.repoId}" is larger than announced (${size} bytes, expected ${st.total}); deleted it, please retry.`,
        );
      }
      failures++;
      if (failures > this.retries) {
        const why = cause ? errText((cause as any).cause ?? cause) : 'connection closed early';
        throw new HubError(
          'NETWORK',
          `Download of ${file} of "${this.repoId}" broke off after ${fmtBytes(size)}${st.total ? ` of ${fmtBytes(st.total)}` : ''} (${why}). ` +
            `The partial file is kept (${inc}); run the command again to resume it.`,
          { cause },
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** (failures - 1), 5000)));
    }
    if (expectedSha) {
      let actual: string;
      if (st.hash && st.hashed === fileSize(inc)) actual = st.hash.digest('hex');
      else actual = await sha256File(inc);
      if (actual !== expectedSha) {
        fs.rmSync(inc, { force: true });
        throw new HubError(
          'CORRUPT',
          `Download of ${file} of "${this.repoId}" is corrupted: the Hub says its SHA-256 is ${expectedSha}, but the downloaded bytes hash to ${actual}. The partial file was deleted; run again to download it anew.`,
        );
      }
    }
    fs.renameSync(inc, blob);
  }

  private checkAborted(file: string): void {
    if (this.opts.signal?.aborted)
      throw new HubError('CANCELLED', `Download of ${file} of "${this.repoId}" was cancelled; what arrived is kept, and the next download resumes it.`);
  }

  /** One GET (with Range when resuming). Throws RetryableError for a broken connection or a 5xx. */
  private async transfer(url: string, inc: string, start: number, file: string, st: TransferState, hashing: boolean): Promise<void> {
    const headers: Record<string, string> = { 'Accept-Encoding': 'identity', 'User-Agent': USER_AGENT };
    if (start > 0) headers['Range'] = `bytes=${start}-`;
    let res: FollowedResponse;
    try {
      res = await requestFollowing(this.request, url, {
        method: 'GET',
        headers,
        token: this.token,
        authOrigin: this.origin,
        followCrossOrigin: true,
        timeoutMs: this.timeoutMs,
      });
    } catch (e) {
      throw new RetryableError(errText(e), { cause: e });
    }
    const h = res.headers;
    let offset = start;
    if (res.status === 206) {
      const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(h['content-range'] ?? '');
      if (!m || Number(m[1]) !== start) {
        res.discard();
        fs.truncateSync(inc, 0);
        throw new RetryableError(`server answered range ${h['content-range']} to bytes=${start}-`);
      }
      if (st.total === undefined && m[2] !== '*') st.total = Number(m[2]);
    } else if (res.status === 200) {
      offset = 0; // no Range sent, or the server ignored it: start over
      if (st.total === undefined && h['content-length'] !== undefined) st.total = Number(h['content-length']);
    } else if (res.status === 416) {
      res.discard();
      fs.truncateSync(inc, 0);
      throw new RetryableError(`server refused range bytes=${start}-`);
    } else {
      res.discard();
      if (res.status >= 500) throw new RetryableError(`HTTP ${res.status}`);
      if (res.status === 401 || res.status === 403) throw this.authError(res.status, h);
      throw this.httpError(res.status, h, file);
    }

    if (hashing && (!st.hash || st.hashed !== offset)) {
      st.hash = createHash('sha256');
      st.hashed = 0;
      if (offset > 0) await hashPrefix(inc, offset, st.hash);
      st.hashed = offset;
    }
    const fh = await fs.promises.open(inc, offset > 0 ? 'a' : 'w');
    const total = st.total ?? 0;
    const t0 = Date.now();
    let bytes = offset;
    const minRate = this.opts.minRate ?? 1024;
    const window = this.opts.rateWindowMs ?? 60_000;
    let windowStart = { t: t0, bytes };
    let lastReport = 0;
    const report = (done: boolean) => {
      if (!this.opts.onProgress) return;
      const now = Date.now();
      if (!done && now - lastReport < 100) return;
      lastReport = now;
      const secs = Math.max((now - t0) / 1000, 1e-3);
      const rate = (bytes - offset) / secs;
      const left = Math.max(total - bytes, 0);
      this.opts.onProgress({ file, bytes, total, rate, etaSeconds: left === 0 && total > 0 ? 0 : rate > 0 ? left / rate : Infinity });
    };
    // cancelled: stop reading at once (a trickling server may not send the next chunk for a long time)
    const onAbort = () => res.discard();
    this.opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      report(true);
      for await (const chunk of res.body) {
        const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        if (st.total !== undefined && bytes + buf.length > st.total) {
          // Stop at the declared size: a body that goes on would be written until the disk fills.
          await fh.truncate(0);
          throw new HubError(
            'CORRUPT',
            `Download of ${file} of "${this.repoId}" is longer than its declared size (${fmtBytes(st.total)}); stopped there and discarded it. The server or a proxy on the way is sending something else; please retry.`,
          );
        }
        const now = Date.now();
        if (now - windowStart.t >= window) {
          const rate = (bytes - windowStart.bytes) / ((now - windowStart.t) / 1000);
          if (rate < minRate)
            throw new HubError(
              'NETWORK',
              `Download of ${file} of "${this.repoId}" is too slow: ${fmtBytes(bytes - windowStart.bytes)} in the last ${Math.round((now - windowStart.t) / 1000)} s ` +
                `(below ${fmtBytes(minRate)}/s); stopped after ${fmtBytes(bytes)}${st.total ? ` of ${fmtBytes(st.total)}` : ''}. The partial file is kept (${inc}); run again to resume, or check the network or HF_ENDPOINT.`,
            );
          windowStart = { t: now, bytes };
        }
        try {
          await fh.write(buf);
        } catch (e) {
          throw new HubError('HTTP', `Cannot write ${inc} while downloading ${file} of "${this.repoId}": ${errText(e)}.`, { cause: e });
        }
        if (hashing && st.hash) {
          st.hash.update(buf);
          st.hashed += buf.length;
        }
        bytes += buf.length;
        report(false);
      }
    } catch (e) {
      res.discard();
      if (e instanceof HubError) throw e;
      this.checkAborted(file);
      throw new RetryableError(errText(e), { cause: e });
    } finally {
      this.opts.signal?.removeEventListener('abort', onAbort);
      await fh.close();
    }
    this.checkAborted(file);
    report(true);
  }
}

interface TransferState {
  total: number | undefined;
  hash: Hash | undefined;
  hashed: number;
}

async function hashPrefix(file: string, length: number, hash: Hash): Promise<void> {
  if (length <= 0) return;
  for await (const chunk of fs.createReadStream(file, { start: 0, end: length - 1 })) hash.update(chunk as Buffer);
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** One line for the CLI's stderr: "model.safetensors  45.2 MB / 498.0 MB  12.3 MB/s  ETA 37 s". */
export function formatProgress(p: DownloadProgress): string {
  const size = p.total > 0 ? `${fmtBytes(p.bytes)} / ${fmtBytes(p.total)}` : fmtBytes(p.bytes);
  const eta = !Number.isFinite(p.etaSeconds) ? '' : p.etaSeconds >= 90 ? `  ETA ${Math.round(p.etaSeconds / 60)} min` : `  ETA ${Math.ceil(p.etaSeconds)} s`;
  return `${p.file}  ${size}  ${fmtBytes(p.rate)}/s${eta}`;
}
