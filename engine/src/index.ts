/** The engine's public surface: load a model, predict, attribute, refine, intervene. No VS Code here. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Model, LoadOptions } from './model/model';
import * as os from 'node:os';
import { checkMemory, estimateRun, resolveModel, ResolveOptions } from './hub';
import { MIN_STEPS } from './quadrature';
import { STORAGE_BYTES, WEIGHT_STORAGES, WeightStorage } from './model/weights';
import { readConfig } from './model/config';

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

/**
 * Refuses a config.json that cannot build a model, or a model that cannot fit (LoadOptions.ramBytes,
 * default the machine's RAM): its weights as they will be kept and the smallest integrated-gradients
 * run (the fewest steps, a 16-token prompt; larger runs are split to fit). Where the weights kept
 * smaller (int16, int8) would fit, the refusal says so. A missing config.json is left to
 * Model.load, which says what the folder lacks.
 */
function checkConfigFits(file: string, ref: string, opts: LoadOptions): void {
  if (!fs.existsSync(file)) return;
  const { raw } = readConfig(file);
  const smallest = (storage: WeightStorage) => estimateRun(raw, { tokens: 16, steps: MIN_STEPS, storage });
  const storage = opts.weights ?? 'float32';
  const smaller = WEIGHT_STORAGES.filter((s) => STORAGE_BYTES[s] < STORAGE_BYTES[storage]).map((s) => ({ storage: s, totalBytes: smallest(s).totalBytes }));
  checkMemory(smallest(storage), { ramBytes: opts.ramBytes ?? os.totalmem() }, ref, smaller);
}
