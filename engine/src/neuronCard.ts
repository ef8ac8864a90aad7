/**
 * What a neuron writes, read off its weights: its value vector (what it adds to the residual stream
 * per unit of activation: its column of the FFN output matrix) projected through the output
 * embedding, e_t · v for every vocabulary token t. The tokens with the largest products are those it
 * promotes, the most negative those it suppresses (Geva et al. 2022, "Transformer Feed-Forward
 * Layers Build Predictions by Promoting Concepts in the Vocabulary Space"). As in that paper the
 * final norm and the masked-LM head's transform are left out: the card describes the neuron, not one
 * prompt.
 */
import { outputEmbeddingKey, valueVectorsKey, weightPrefix } from './model/architectures';
import type { Model } from './model/model';
import { checkNeuron, neuronLabel } from './neurons';
import type { Neuron } from './types';

export interface ProjectedToken {
  id: number;
  token: string;
  /** e_t · v: the neuron's contribution to token t's logit per unit of activation. */
  score: number;
}

/** `kn neuron --json` prints exactly this object. */
export interface NeuronCard {
  neuron: Neuron;
  label: string;
  /** Euclidean norm of the value vector. */
  norm: number;
  /** Largest e_t · v first. */
  promotes: ProjectedToken[];
  /** Most negative e_t · v first. */
  suppresses: ProjectedToken[];
}

export const DEFAULT_CARD_TOKENS = 10;

export function neuronCard(model: Model, neuron: Neuron, topK = DEFAULT_CARD_TOKENS): NeuronCard {
  const { config, weights } = model;
  checkNeuron(neuron, config.layers, config.ffn);
  const has = (name: string) => weights.has(name);
  const prefix = weightPrefix(config, has);
  const H = config.hidden;
  const v = weights.array(valueVectorsKey(config, prefix, neuron.layer)).subarray(neuron.index * H, (neuron.index + 1) * H);
  const embedding = weights.array(outputEmbeddingKey(config, prefix, has));
  const V = embedding.length / H;
  const scores = new Float64Array(V);
  for (let t = 0; t < V; t++) {
    let dot = 0;
    for (let i = 0, row = t * H; i < H; i++) dot += embedding[row + i] * v[i];
    scores[t] = dot;
  }
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
  const k = Math.max(0, Math.min(Math.floor(topK), V));
  const pick = (ids: number[]) => ids.map((id) => ({ id, token: model.tokenizer.idToToken(id), score: scores[id] }));
  return {
    neuron: { layer: neuron.layer, index: neuron.index },
    label: neuronLabel(neuron),
    norm: Math.hypot(...v),
    promotes: pick(order.slice(0, k)),
    suppresses: pick(order.slice(V - k).reverse()),
  };
}
