/**
 * A fake Hugging Face Hub on 127.0.0.1 for the hub tests: `/{repo}/resolve/{rev}/{file}` with the
 * Hub's headers (X-Repo-Commit, ETag, X-Linked-Etag, X-Linked-Size), LFS files redirected to a
 * second "CDN" server (another origin), optional relative redirects, gated repos, dropped
 * connections and wrong ETags. Every request is logged so tests can count them.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';

export interface FakeFile {
  content: Buffer;
  /** Serve like an LFS file: 302 to the CDN, X-Linked-Etag = sha256. */
  lfs?: boolean;
  /** Announce this (wrong) X-Linked-Etag instead of the real sha256. */
  etagOverride?: string;
  /** The first GET of the content sends half the bytes and then destroys the socket. */
  dropFirstGet?: boolean;
  /** The CDN ignores Range for this file (always 200 with the whole body). */
  ignoreRange?: boolean;
  /** The Hub answers 302 with a relative Location to another path that serves the file. */
  relativeRedirect?: boolean;
  /** The CDN sends this many bytes more than the declared size (chunked, without Content-Length). */
  extraBytes?: number;
  /** The CDN sends the body one byte every this many milliseconds. */
  trickleMs?: number;
}

export interface FakeRepo {
  commit: string;
  files: Map<string, FakeFile>;
  /** Gated: needs `Authorization: Bearer <token>`. */
  token?: string;
}

export interface LoggedRequest {
  server: 'hub' | 'cdn';
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
export const gitBlobSha1 = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
export const randomCommit = () => randomBytes(20).toString('hex');

export function repoFromFolder(dir: string, names: string[], lfsNames: string[] = ['model.safetensors']): FakeRepo {
  const files = new Map<string, FakeFile>();
  for (const n of names) files.set(n, { content: fs.readFileSync(path.join(dir, n)), lfs: lfsNames.includes(n) || n.endsWith('.safetensors') });
  return { commit: randomCommit(), files };
}

export class FakeHub {
  readonly repos = new Map<string, FakeRepo>();
  readonly log: LoggedRequest[] = [];
  private hub = http.createServer((q, s) => this.onHub(q, s));
  private cdn = http.createServer((q, s) => this.onCdn(q, s));
  private getsPerBlob = new Map<string, number>();
  endpoint = '';
  cdnOrigin = '';

  async start(): Promise<this> {
    for (const srv of [this.hub, this.cdn]) await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    this.endpoint = `http://127.0.0.1:${(this.hub.address() as AddressInfo).port}`;
    this.cdnOrigin = `http://127.0.0.1:${(this.cdn.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const srv of [this.hub, this.cdn]) {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  }

  /** Make dropFirstGet files drop their next first GET again. */
  resetDrops(): void {
    this.getsPerBlob.clear();
  }

  count(server?: 'hub' | 'cdn'): number {
    return this.log.filter((r) => !server || r.server === server).length;
  }

  private find(repoId: string, file: string): { repo: FakeRepo; f: FakeFile } | undefined {
    const repo = this.repos.get(repoId);
    const f = repo?.files.get(file);
    return repo && f ? { repo, f } : undefined;
  }

  private onHub(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.log.push({ server: 'hub', method: req.method!, url: req.url!, headers: req.headers });
    const url = new URL(req.url!, 'http://x');
    const moved = /^\/_moved\/([^/]+\/[^/]+)\/([0-9a-f]{40})\/(.+)$/.exec(url.pathname);
    if (moved) {
      const hit = this.find(moved[1], decodeURIComponent(moved[3]));
      if (!hit) return void res.writeHead(404).end();
      return this.serveBody(req, res, hit.f.content, { 'X-Repo-Commit': hit.repo.commit, ETag: `"${gitBlobSha1(hit.f.content)}"` }, undefined);
    }
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!m) return void res.writeHead(404).end();
    const repoId = m[1];
    const rev = decodeURIComponent(m[2]);
    const file = m[3].split('/').map(decodeURIComponent).join('/');
    const repo = this.repos.get(repoId);
    if (!repo) return void res.writeHead(404, { 'X-Error-Code': 'RepoNotFound', 'X-Error-Message': 'Repository not found' }).end();
    if (repo.token) {
      const auth = req.headers['authorization'];
      if (!auth) return void res.writeHead(401, { 'X-Error-Code': 'GatedRepo', 'X-Error-Message': 'Access to this model is restricted.' }).end();
      if (auth !== `Bearer ${repo.token}`) return void res.writeHead(403, { 'X-Error-Code': 'GatedRepo' }).end();
    }
    if (rev !== 'main' && rev !== repo.commit) return void res.writeHead(404, { 'X-Error-Code': 'RevisionNotFound' }).end();
    const f = repo.files.get(file);
    if (!f) return void res.writeHead(404, { 'X-Error-Code': 'EntryNotFound', 'X-Repo-Commit': repo.commit }).end();
    const common = { 'X-Repo-Commit': repo.commit };
    if (f.lfs) {
      const sha = sha256(f.content);
      const key = `${encodeURIComponent(repoId)}/${encodeURIComponent(file)}`;
      res.writeHead(302, {
        ...common,
        Location: `${this.cdnOrigin}/blobs/${key}?sig=${sha.slice(0, 8)}`,
        'X-Linked-Etag': `"${f.etagOverride ?? sha}"`,
        'X-Linked-Size': String(f.content.length),
        ETag: `"${gitBlobSha1(Buffer.from('pointer ' + sha))}"`,
        'Content-Length': '0',
      });
      return void res.end();
    }
    if (f.relativeRedirect) {
      res.writeHead(302, { ...common, Location: `/_moved/${repoId}/${repo.commit}/${encodeURIComponent(file)}`, 'Content-Length': '0' });
      return void res.end();
    }
    this.serveBody(req, res, f.content, { ...common, ETag: `"${gitBlobSha1(f.content)}"` }, undefined);
  }

  private onCdn(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.log.push({ server: 'cdn', method: req.method!, url: req.url!, headers: req.headers });
    const m = /^\/blobs\/([^/]+)\/([^/?]+)/.exec(req.url!);
    const hit = m && this.find(decodeURIComponent(m[1]), decodeURIComponent(m[2]));
    if (!hit) return void res.writeHead(404).end();
    const etag = { ETag: `"cdn-${sha256(hit.f.content).slice(0, 16)}"` };
    if (hit.f.extraBytes && req.method === 'GET') return this.serveLonger(res, hit.f.content, etag, hit.f.extraBytes);
    this.serveBody(req, res, hit.f.content, etag, hit.f, `${m![1]}/${m![2]}`);
  }

  private serveBody(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    content: Buffer,
    headers: Record<string, string>,
    f: FakeFile | undefined,
    key?: string,
  ): void {
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(String(req.headers['range'] ?? ''));
    if (range && !f?.ignoreRange) start = Number(range[1]);
    if (start > content.length) return void res.writeHead(416, { 'Content-Range': `bytes */${content.length}` }).end();
    const body = content.subarray(start);
    if (start > 0)
      res.writeHead(206, { ...headers, 'Content-Length': String(body.length), 'Content-Range': `bytes ${start}-${content.length - 1}/${content.length}` });
    else res.writeHead(200, { ...headers, 'Content-Length': String(body.length) });
    if (req.method === 'HEAD') return void res.end();
    const n = key ? (this.getsPerBlob.get(key) ?? 0) + 1 : 0;
    if (key) this.getsPerBlob.set(key, n);
    if (f?.dropFirstGet && n === 1) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (f?.trickleMs) {
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed || i >= body.length) {
          clearInterval(timer);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(body.subarray(i, ++i));
      }, f.trickleMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.end(body);
  }

  /** The declared size's worth of `content`, then `extra` more bytes (a 64 KB chunk at a time). */
  private serveLonger(res: http.ServerResponse, content: Buffer, headers: Record<string, string>, extra: number): void {
    res.writeHead(200, headers); // no Content-Length: chunked
    let left = extra;
    const more = () => {
      while (left > 0 && !res.destroyed) {
        const n = Math.min(left, 65536);
        left -= n;
        if (!res.write(Buffer.alloc(n, 0x41))) return void res.once('drain', more);
      }
      if (!res.destroyed) res.end();
    };
    res.write(content);
    more();
  }
}

/** Splits a safetensors file into two shards plus model.safetensors.index.json (the Hub's sharded layout). */
export function shardSafetensors(buf: Buffer): { index: Buffer; shards: Map<string, Buffer>; tensors: Map<string, Buffer> } {
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const data = buf.subarray(8 + n);
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const tensors = new Map<string, Buffer>();
  for (const k of names) tensors.set(k, data.subarray(header[k].data_offsets[0], header[k].data_offsets[1]));
  const half = Math.ceil(names.length / 2);
  const groups = [names.slice(0, half), names.slice(half)];
  const shards = new Map<string, Buffer>();
  const weightMap: Record<string, string> = {};
  let totalSize = 0;
  groups.forEach((group, i) => {
    const name = `model-0000${i + 1}-of-00002.safetensors`;
    const h: Record<string, unknown> = { __metadata__: { format: 'pt' } };
    const parts: Buffer[] = [];
    let off = 0;
    for (const k of group) {
      const t = tensors.get(k)!;
      h[k] = { dtype: header[k].dtype, shape: header[k].shape, data_offsets: [off, off + t.length] };
      parts.push(t);
      off += t.length;
      weightMap[k] = name;
    }
    totalSize += off;
    let json = JSON.stringify(h);
    json += ' '.repeat((8 - (json.length % 8)) % 8);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
    shards.set(name, Buffer.concat([len, Buffer.from(json), ...parts]));
  });
  const index = Buffer.from(JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2));
  return { index, shards, tensors };
}

/** Reads every tensor of a safetensors file: name -> raw bytes. */
export function readSafetensors(buf: Buffer): Map<string, Buffer> {
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const data = buf.subarray(8 + n);
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries<any>(header)) if (k !== '__metadata__') out.set(k, data.subarray(v.data_offsets[0], v.data_offsets[1]));
  return out;
}

/** Repo root: walk up from the compiled test until tsconfig.json (out/ never holds one). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'tsconfig.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no tsconfig.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

export function fixturesDir(): string {
  return process.env.KN_FIXTURES ?? path.resolve(repoRoot(), '../shared/fixtures');
}
