/** The engine's public surface: load a model, predict, attribute, refine, intervene. No VS Code here. */
export { Model, LoadOptions, ModelInfo } from './model/model';
export { KnError } from './errors';
export { coarseNeurons, refineNeurons, withoutNegatives, parseNeurons, countNeurons } from './neurons';
export { quadrature } from './quadrature';
export * from './types';

import { Model, LoadOptions } from './model/model';

/** Loads a model from a folder (a Hugging Face model id is resolved through the hub cache first). */
export async function loadModel(ref: string, opts: LoadOptions = {}): Promise<Model> {
  return Model.load(ref, opts);
}
