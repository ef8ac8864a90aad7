/**
 * The one cache folder of `kn` and the language server: results (the server's), and model
 * artifacts (artifacts.ts) in its `artifacts/` subfolder. `$KN_CACHE_DIR` overrides the OS default
 * (tests use it to stay hermetic); the server's `knowledgeNeurons.cacheFolder` setting overrides both.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { KnError } from './errors';

/** `$KN_CACHE_DIR`, else the OS cache dir (XDG on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows). */
export function defaultCacheFolder(): string {
  if (process.env.KN_CACHE_DIR) return path.resolve(process.env.KN_CACHE_DIR);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'knowledge-neurons', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'knowledge-neurons');
  return path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'knowledge-neurons');
}

/** Where a cache folder keeps model artifacts (the float32 weights files). */
export function artifactsFolder(cacheFolder = defaultCacheFolder()): string {
  return path.join(cacheFolder, 'artifacts');
}

/** Default bound on the artifacts' total size: 8 GiB (bert-base's weights file is 418 MiB, Llama-3.2-1B's 4.6 GiB). */
export const DEFAULT_ARTIFACTS_MAX_MB = 8192;

/** The bound in bytes: `$KN_CACHE_MAX_MB` (0: no cache; each process writes a scratch copy), else the default. */
export function artifactsMaxBytes(): number {
  const raw = process.env.KN_CACHE_MAX_MB;
  const mb = raw === undefined || raw === '' ? DEFAULT_ARTIFACTS_MAX_MB : Number(raw);
  if (!Number.isFinite(mb) || mb < 0) throw new KnError(`KN_CACHE_MAX_MB must be a number of megabytes, 0 or more (got '${raw}')`);
  return Math.floor(mb * 2 ** 20);
}
