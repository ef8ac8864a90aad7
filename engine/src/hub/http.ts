/**
 * A tiny HTTP client: node's http/https (which VS Code patches for its proxy settings) or an
 * injected fetch, manual redirects, and the Authorization header kept to the Hub's own origin.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';

export interface RawResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
  /** Stop reading the body and free the connection. */
  discard(): void;
}

export interface RawInit {
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  timeoutMs: number;
}

export type RawRequest = (url: string, init: RawInit) => Promise<RawResponse>;

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; redirect: 'manual' }) => Promise<Response>;

function lower(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export const nodeRequest: RawRequest = (url, init) =>
  new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : undefined;
    if (!mod) {
      reject(new Error(`unsupported protocol in ${url}`));
      return;
    }
    const req = mod.request(u, { method: init.method, headers: init.headers }, (res) => {
      if (init.method === 'HEAD') res.resume();
      resolve({
        status: res.statusCode ?? 0,
        headers: lower(res.headers),
        body: res,
        discard: () => {
          res.resume();
          res.destroy();
        },
      });
    });
    // Idle timeout on the socket: covers a stalled connect and a stalled body.
    req.setTimeout(init.timeoutMs, () => req.destroy(Object.assign(new Error(`no data for ${Math.round(init.timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });

export function fetchRequest(fetchImpl: FetchLike): RawRequest {
  return async (url, init) => {
    const r = await fetchImpl(url, { method: init.method, headers: init.headers, redirect: 'manual' });
    const headers: Record<string, string> = {};
    r.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    let readable: Readable | undefined;
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]() {
        readable ??= r.body ? Readable.fromWeb(r.body as any) : Readable.from([]);
        return readable[Symbol.asyncIterator]();
      },
    };
    const discard = () => {
      if (readable) {
        readable.on('error', () => undefined);
        readable.destroy();
      } else if (r.body && !r.bodyUsed) {
        r.body.cancel().catch(() => undefined);
      }
    };
    return { status: r.status, headers, body, discard };
  };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface FollowOptions {
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  /** Sent as `Authorization: Bearer` only to URLs on this origin (the Hub endpoint). */
  token?: string;
  authOrigin: string;
  /** false: stop at a redirect to another origin and return it (how huggingface_hub's HEAD works). */
  followCrossOrigin: boolean;
  timeoutMs: number;
  maxRedirects?: number;
}

export interface FollowedResponse extends RawResponse {
  url: string;
}

export async function requestFollowing(request: RawRequest, url: string, o: FollowOptions): Promise<FollowedResponse> {
  let current = url;
  let method = o.method;
  for (let hop = 0; ; hop++) {
    const headers = { ...o.headers };
    if (o.token && new URL(current).origin === o.authOrigin) headers['Authorization'] = `Bearer ${o.token}`;
    const res = await request(current, { method, headers, timeoutMs: o.timeoutMs });
    const location = res.headers['location'];
    if (!REDIRECTS.has(res.status) || !location) return { ...res, url: current };
    const next = new URL(location, current).toString();
    if (!o.followCrossOrigin && new URL(next).origin !== new URL(current).origin) return { ...res, url: current };
    res.discard();
    if (hop >= (o.maxRedirects ?? 10)) throw new Error(`too many redirects from ${url}`);
    if (res.status === 303 && method !== 'HEAD') method = 'GET';
    current = next;
  }
}
