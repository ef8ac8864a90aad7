/**
 * What the server knows of a model without loading it: where its files are (a folder, or a hub
 * id's snapshot in the local hub cache), a content hash of those files (the results cache's key),
 * and whether it is masked or causal (from the engine's own config parser).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../engine/src/model/config';
import { findCachedSnapshot } from '../../engine/src/hub/cache';
import { hubCacheDir, parseModelRef, repoFolder } from '../../engine/src/hub';
import type { ModelSpec } from './settings';

/** The folder holding the model's files, if they are on this machine (no download, no network). */
export function modelFolder(model: ModelSpec): string | undefined {
  if (model.isPath) return model.ref;
  try {
    const { repoId, revision } = parseModelRef(model.ref);
    return findCachedSnapshot(repoFolder(hubCacheDir(), repoId), revision)?.dir;
  } catch {
    return undefined;
  }
}

/** Masked or causal, as the engine's config parser decides; undefined when config.json is missing or not supported. */
export function modelKind(model: ModelSpec | undefined): 'masked' | 'causal' | undefined {
  const dir = model && modelFolder(model);
  if (!dir) return undefined;
  try {
    return parseConfig(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'))).kind;
  } catch {
    return undefined;
  }
}

const MODEL_FILE = /\.(json|safetensors|onnx|bin|model|txt)$/;
/** File hashes by path, valid while size and mtime stay the same (hashing bert-base takes about a second). */
const fileHashes = new Map<string, { stamp: string; hash: Promise<string> }>();

function hashFile(file: string, st: fs.Stats): Promise<string> {
  const stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
  const have = fileHashes.get(file);
  if (have && have.stamp === stamp) return have.hash;
  const hash = new Promise<string>((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file)
      .on('data', (b) => h.update(b))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
  fileHashes.set(file, { stamp, hash });
  hash.catch(() => fileHashes.delete(file));
  return hash;
}

/**
 * The content hash of the model's files (names and bytes), which keys the results cache: the same
 * files give the same key wherever they are, other files another key. '' when the files are not
 * on this machine (a hub model not downloaded yet): nothing is read from or written to the cache then.
 */
export async function modelFingerprint(model: ModelSpec): Promise<string> {
  const dir = modelFolder(model);
  if (!dir) return '';
  const h = createHash('sha256');
  try {
    for (const name of fs.readdirSync(dir).sort()) {
      if (!MODEL_FILE.test(name)) continue;
      const file = path.join(dir, name);
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
      } catch {
        continue; // vanished
      }
      if (st.isFile()) h.update(`${name}\0${await hashFile(file, st)}\0`);
    }
  } catch {
    return '';
  }
  return h.digest('hex');
}
