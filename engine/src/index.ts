/** The engine's public surface: load a model, predict, attribute, refine, intervene. No VS Code here. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Model, LoadOptions } from './model/model';
import { checkConfigFits, resolveModel, ResolveOptions } from './hub';

export { Model, type LoadOptions, type ModelInfo } from './model/model';
export { KnError } from './errors';
export { coarseNeurons, refineNeurons, withoutNegatives, parseNeurons, coarseCounts, neuronKey, neuronLabel } from './neurons';
export { quadrature } from './quadrature';
export { findFact, type FindSettings, type FactInput, type FoundFact } from './find';
export {
  METHOD_DEFAULTS,
  type MethodSettings,
  type SettingsLayer,
  resolveMethodSettings,
  factGroups,
  refineFact,
  refineCoarseGroup,
  refinedFor,
} from './method';
export { neuronCard, type NeuronCard, type ProjectedToken, DEFAULT_CARD_TOKENS } from './neuronCard';
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
 * missing unless offline). Its config.json is checked, and what cannot fit memory refused, as soon
 * as config.json is there: before any weight is downloaded or read.
 */
export async function loadModel(ref: string, opts: LoadOptions & { hub?: ResolveOptions } = {}): Promise<Model> {
  const resolved = await resolveModel(ref, { ...opts.hub, onConfig: (file) => checkConfigFits(file, ref, opts) });
  const model = await Model.load(resolved.dir, opts);
  if (resolved.source !== 'local') model.info.id = ref;
  return model;
}
