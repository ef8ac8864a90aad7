/**
 * The Hugging Face cache layout (shared with Python's huggingface_hub / transformers):
 *
 *   <cache>/models--ORG--NAME/
 *     refs/<revision>                 text file holding the commit hash the revision pointed to
 *     blobs/<etag>                    file contents, named by ETag (SHA-256 for LFS files, git SHA-1 otherwise)
 *     blobs/<etag>.incomplete         a download in progress (resumable)
 *     snapshots/<commit>/<file>       symlink to ../../blobs/<etag> (a copy where symlinks are not allowed)
 *     .no_exist/<commit>/<file>       empty marker: the file does not exist at that commit
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REQUIRED_META = ['config.json', 'tokenizer.json'];
export const OPTIONAL_META = ['tokenizer_config.json', 'special_tokens_map.json', 'generation_config.json'];
export const WEIGHTS = 'model.safetensors';
export const WEIGHTS_INDEX = 'model.safetensors.index.json';
export const PICKLE_WEIGHTS = ['pytorch_model.bin', 'pytorch_model.bin.index.json'];

export function isCommitHash(s: string): boolean {
  return /^[0-9a-f]{40}$/.test(s);
}

export function repoFolder(cacheDir: string, repoId: string): string {
  return path.join(cacheDir, 'models--' + repoId.split('/').join('--'));
}

/** A file name from the network must stay inside the snapshot folder. */
export function assertSafeRelative(name: string): void {
  if (
    !name ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((s) => s === '..' || s === '.' || s === '')
  ) {
    throw new Error(`refusing unsafe file name ${JSON.stringify(name)}`);
  }
}

export function exists(p: string): boolean {
  try {
    fs.statSync(p); // follows symlinks: a dangling snapshot link does not count
    return true;
  } catch {
    return false;
  }
}

export function readRef(repoDir: string, revision: string): string | undefined {
  try {
    const c = fs.readFileSync(path.join(repoDir, 'refs', revision), 'utf8').trim();
    return isCommitHash(c) ? c : undefined;
  } catch {
    return undefined;
  }
}

export function writeRef(repoDir: string, revision: string, commit: string): void {
  if (revision === commit) return;
  const file = path.join(repoDir, 'refs', revision);
  if (readRef(repoDir, revision) === commit) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, commit); // no trailing newline, like huggingface_hub
  fs.renameSync(tmp, file);
}

/** Shard file names listed by a safetensors index, in order of first appearance. */
export function shardsOfIndex(indexText: string): string[] {
  let idx: any;
  try {
    idx = JSON.parse(indexText);
  } catch (e) {
    throw new Error(`${WEIGHTS_INDEX} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!idx || typeof idx.weight_map !== 'object') throw new Error(`${WEIGHTS_INDEX} has no weight_map`);
  const out: string[] = [];
  for (const v of Object.values(idx.weight_map)) {
    if (typeof v !== 'string') throw new Error(`${WEIGHTS_INDEX}: weight_map values must be file names`);
    assertSafeRelative(v);
    if (!out.includes(v)) out.push(v);
  }
  if (out.length === 0) throw new Error(`${WEIGHTS_INDEX} lists no shards`);
  return out;
}

/**
 * Which of the files we use are in a snapshot folder, and whether that is enough to load the
 * model (config, tokenizer.json and complete safetensors weights).
 */
export function inspectSnapshot(dir: string): { complete: boolean; files: string[] } {
  const files: string[] = [];
  let complete = true;
  for (const f of REQUIRED_META) {
    if (exists(path.join(dir, f))) files.push(f);
    else complete = false;
  }
  for (const f of OPTIONAL_META) if (exists(path.join(dir, f))) files.push(f);
  if (exists(path.join(dir, WEIGHTS))) {
    files.push(WEIGHTS);
  } else if (exists(path.join(dir, WEIGHTS_INDEX))) {
    files.push(WEIGHTS_INDEX);
    try {
      for (const s of shardsOfIndex(fs.readFileSync(path.join(dir, WEIGHTS_INDEX), 'utf8'))) {
        if (exists(path.join(dir, s))) files.push(s);
        else complete = false;
      }
    } catch {
      complete = false;
    }
  } else {
    complete = false;
  }
  return { complete, files };
}

/** A complete snapshot for `revision` (branch/tag name via refs/, or a commit hash), else undefined. */
export function findCachedSnapshot(repoDir: string, revision: string): { commit: string; dir: string; files: string[] } | undefined {
  const commit = isCommitHash(revision) ? revision : readRef(repoDir, revision);
  if (!commit) return undefined;
  const dir = path.join(repoDir, 'snapshots', commit);
  const { complete, files } = inspectSnapshot(dir);
  return complete ? { commit, dir, files } : undefined;
}

/**
 * The model ids in a cache folder (`models--ORG--NAME` → `ORG/NAME`), sorted, each with whether its
 * `main` snapshot is complete enough to load offline. Nothing is read but folder names and refs.
 */
export function cachedModels(cacheDir: string): { id: string; complete: boolean }[] {
  let names: string[];
  try {
    names = fs.readdirSync(cacheDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith('models--') && n.length > 8)
    .map((n) => ({ id: n.slice(8).split('--').join('/'), complete: findCachedSnapshot(path.join(cacheDir, n), 'main') !== undefined }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * snapshots/<commit>/<file> -> ../../blobs/<etag> (relative, like huggingface_hub); a copy if symlinks
 * are not allowed. Atomic: the link (or copy) is made under a temporary name and renamed over the
 * pointer, so another process reading the pointer meanwhile sees the old link or the new one, never none.
 */
export function linkPointer(blob: string, pointer: string): void {
  fs.mkdirSync(path.dirname(pointer), { recursive: true });
  const target = path.relative(path.dirname(pointer), blob);
  try {
    if (fs.readlinkSync(pointer) === target) return;
  } catch {
    /* not there, or not a link */
  }
  const tmp = `${pointer}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.symlinkSync(target, tmp);
  } catch (e: any) {
    if (!['EPERM', 'EACCES', 'ENOTSUP', 'EINVAL', 'ENOSYS'].includes(e?.code)) throw e;
    // Windows without developer mode: huggingface_hub then stores real files in snapshots/ too.
    fs.copyFileSync(blob, tmp);
  }
  try {
    fs.renameSync(tmp, pointer);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export function noExistMarker(repoDir: string, commit: string, file: string): string {
  return path.join(repoDir, '.no_exist', commit, file);
}

export function markNoExist(repoDir: string, commit: string, file: string): void {
  const m = noExistMarker(repoDir, commit, file);
  try {
    fs.mkdirSync(path.dirname(m), { recursive: true });
    fs.writeFileSync(m, '');
  } catch {
    /* best effort */
  }
}
