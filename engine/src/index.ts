/** The engine's public surface: load a model, predict, attribute, refine, intervene. No VS Code here. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Model, LoadOptions } from './model/model';
import * as os from 'node:os';
import { checkMemory, estimateMemory, resolveModel, ResolveOptions } from './hub';

export { Model, LoadOptions, ModelInfo } from './model/model';
export { KnError } from './errors';
export { coarseNeurons, refineNeurons, withoutNegatives, parseNeurons, coarseCounts, neuronKey, neuronLabel } from './neurons';
export { quadrature } from './quadrature';
export { findFact, FindSettings, FactInput, FoundFact } from './find';
export { METHOD_DEFAULTS, MethodSettings, SettingsLayer, resolveMethodSettings, factGroups, refineFact, refineCoarseGroup, refinedFor } from './method';
export { neuronCard, NeuronCard, ProjectedToken, DEFAULT_CARD_TOKENS } from './neuronCard';
export * from './types';

/** The model shipped with the package (`models/bert-tiny-facts`), used when none is named. */
export function defaultModel(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'models', 'bert-tiny-facts');
    if (fs.existsSync(path.join(candidate, 'config.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('the embedded default model (models/bert-tiny-facts) is missing from the installation');
  }
}

/**
 * Loads a model from a folder, or by Hugging Face id through the hub cache (downloading what is
 * missing unless offline).
 */
export async function loadModel(ref: string, opts: LoadOptions & { hub?: ResolveOptions } = {}): Promise<Model> {
  const resolved = await resolveModel(ref, opts.hub);
  const configFile = path.join(resolved.dir, 'config.json');
  if (fs.existsSync(configFile)) {
    // Refuse clearly, before loading, what cannot fit (weights + one integrated-gradients batch).
    let config: unknown;
    try {
      config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    } catch {
      config = undefined; // Model.load reports the bad JSON with its path
    }
    if (config) checkMemory(estimateMemory(config, { batchRows: 20, seqLen: 16 }), { ramBytes: os.totalmem() }, ref);
  }
  const model = await Model.load(resolved.dir, opts);
  if (resolved.source !== 'local') model.info.id = ref;
  return model;
}
