/**
 * What the server knows of a model without loading it: where its files are (a folder, or a hub
 * id's snapshot in the local hub cache), a content hash of those files (the results cache's key),
 * and whether it is masked or causal (from the engine's own config parser).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../engine/src/model/config';
import { modelHash } from '../../engine/src/model/hash';
import { findCachedSnapshot } from '../../engine/src/hub/cache';
import { hubCacheDir, parseModelRef, repoFolder } from '../../engine/src/hub';
import type { WeightStorage } from '../../engine/src/types';
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

/**
 * The model as it computes, which keys the results cache (and neuron cards): the content hash of its
 * files (engine/src/model/hash.ts), with `:int16` or `:int8` when its weights are kept so (their
 * results differ from float32's within the README's tolerances, and are never served for them).
 * '' when the files are not on this machine (a hub model not downloaded yet): nothing is read from
 * or written to the cache then.
 */
export async function modelFingerprint(model: ModelSpec, weights: WeightStorage = 'float32'): Promise<string> {
  const dir = modelFolder(model);
  if (!dir) return '';
  try {
    const hash = await modelHash(dir);
    return weights === 'float32' ? hash : `${hash}:${weights}`;
  } catch {
    return '';
  }
}
