/**
 * Where things are, read the way huggingface_hub reads them (at call time, so tests and the
 * extension can change the environment).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(os.homedir(), p.slice(2));
  return p;
}

function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** `$HF_HOME`, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`. */
export function hfHome(): string {
  const home = env('HF_HOME');
  if (home) return path.resolve(expandHome(home));
  const xdg = env('XDG_CACHE_HOME');
  return path.resolve(xdg ? path.join(expandHome(xdg), 'huggingface') : path.join(os.homedir(), '.cache', 'huggingface'));
}

/** `$HF_HUB_CACHE` (or the legacy `$HUGGINGFACE_HUB_CACHE`), else `$HF_HOME/hub`. */
export function hubCacheDir(explicit?: string): string {
  if (explicit) return path.resolve(expandHome(explicit));
  const c = env('HF_HUB_CACHE') ?? env('HUGGINGFACE_HUB_CACHE');
  if (c) return path.resolve(expandHome(c));
  return path.join(hfHome(), 'hub');
}

export function hubEndpoint(explicit?: string): string {
  return (explicit ?? env('HF_ENDPOINT') ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());
}

/** `HF_HUB_OFFLINE=1` (huggingface_hub) or `TRANSFORMERS_OFFLINE=1` (transformers). */
export function isOffline(explicit?: boolean): boolean {
  if (explicit !== undefined) return explicit;
  return truthy(env('HF_HUB_OFFLINE')) || truthy(env('TRANSFORMERS_OFFLINE'));
}

/**
 * The token: the explicit option (an empty string means "none"), else `$HF_TOKEN`
 * (or the legacy `$HUGGING_FACE_HUB_TOKEN`), else the file `huggingface-cli login` writes
 * (`$HF_TOKEN_PATH`, else `$HF_HOME/token`).
 */
export function hubToken(explicit?: string): string | undefined {
  if (explicit !== undefined) return explicit.trim() || undefined;
  const t = env('HF_TOKEN') ?? env('HUGGING_FACE_HUB_TOKEN');
  if (t) return t.trim();
  const file = env('HF_TOKEN_PATH') ? path.resolve(expandHome(env('HF_TOKEN_PATH')!)) : path.join(hfHome(), 'token');
  try {
    const s = fs.readFileSync(file, 'utf8').trim();
    return s || undefined;
  } catch {
    return undefined;
  }
}
