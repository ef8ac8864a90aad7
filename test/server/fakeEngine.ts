/**
 * A deterministic stand-in for the engine, for the server's plumbing tests (cache, cancellation,
 * crash, progress): loaded by the worker through KN_ENGINE_MODULE. Every call is appended to
 * KN_FAKE_LOG; KN_FAKE_DELAY_MS slows `scores` down so that cancellation can be observed;
 * KN_FAKE_FAIL_SCORES (a regular expression) makes `scores` fail for the prompts it matches.
 * `scores` records `scores …` when it starts and `scored …` when its delay is over.
 * The real engine is tested with the fixture model in model.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Neuron = { layer: number; index: number };

function record(line: string): void {
  if (process.env.KN_FAKE_LOG) fs.appendFileSync(process.env.KN_FAKE_LOG, line + '\n');
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

class KnError extends Error {
  constructor(m: string) {
    super(m);
    this.name = 'KnError';
  }
}

const LAYERS = 2;
const NEURONS = 8;

export async function loadModel(ref: string, opts: { device?: string } = {}) {
  record(`load ${ref}`);
  if (!fs.existsSync(path.join(ref, 'config.json'))) throw new KnError(`model folder ${ref} does not exist`);
  const delay = Number(process.env.KN_FAKE_DELAY_MS ?? 0);
  return {
    info: {
      id: path.basename(ref),
      dir: ref,
      architecture: 'FakeForMaskedLM',
      kind: 'masked',
      layers: LAYERS,
      neurons: NEURONS,
      maxPositions: 16,
      device: opts.device === 'cuda' ? 'cuda' : 'cpu',
    },
    async predict(prompt: string, target: string, o: { topK?: number } = {}) {
      record(`predict ${prompt}`);
      const predictDelay = Number(process.env.KN_FAKE_PREDICT_DELAY_MS ?? 0);
      if (predictDelay) await new Promise((r) => setTimeout(r, predictDelay));
      const words = prompt.split(/\s+/);
      if (words.length > 16) throw new KnError(`the prompt is ${words.length} tokens long, longer than the model's 16 positions`);
      const good = /capital/i.test(prompt);
      const p = good ? 0.9 : 0.05;
      const top = good
        ? [
            { id: 1, token: target, p },
            { id: 2, token: 'Berlin', p: 0.05 },
          ]
        : [
            { id: 2, token: 'Berlin', p: 0.61 },
            { id: 1, token: target, p },
          ];
      const unk = prompt.indexOf('Zzyzx');
      return {
        prompt,
        target,
        target_ids: target.includes(' ') ? [1, 3] : [1],
        input_ids: words.map((_, i) => i),
        position: 0,
        p_target: p,
        top_k: top.slice(0, o.topK ?? 5),
        rank: good ? 1 : 2,
        p_joint: p,
        tokens: [],
        unknown: unk >= 0 ? [{ id: 100, token: '[UNK]', start: unk, end: unk + 5 }] : [],
        max_positions: 16,
      };
    },
    async warm(items: Array<{ prompt: string; target: string }>) {
      record(`warm ${items.map((i) => i.prompt).join(' | ')}`);
    },
    async scores(prompt: string, target: string) {
      record(`scores ${prompt}`);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      record(`scored ${prompt}`);
      // KN_FAKE_FAIL_SCORES: prompts matching it fail as an attribution over the memory budget does
      if (process.env.KN_FAKE_FAIL_SCORES && new RegExp(process.env.KN_FAKE_FAIL_SCORES).test(prompt))
        throw new KnError(`integrated gradients of this prompt need more memory than the budget allows`);
      const h = hash(prompt);
      // one clear knowledge neuron (L1·3; L1·5 for prompts about Germany), and noise below 0.3 × max
      const top = /Germany/.test(prompt) ? 5 : 3;
      const scores = Array.from({ length: LAYERS }, (_, l) =>
        Array.from({ length: NEURONS }, (_, i) => (i === top && l === 1 ? 1 : ((h >> (l * 8 + i)) & 1) * 0.2)),
      );
      return { prompt, target, p_target: 0.9, layers: LAYERS, neurons: NEURONS, scores };
    },
    async intervene(prompt: string, target: string, neurons: Neuron[], o: { mode: string }) {
      record(`intervene ${o.mode} ${prompt}`);
      const before = { p_target: 0.9, argmax: { id: 1, token: target } };
      const after = { p_target: o.mode === 'suppress' ? 0.1 : 0.99, argmax: { id: 1, token: target } };
      return { before, after };
    },
    async dispose() {
      record('dispose');
    },
  };
}
/** Neuron cards from a made-up vocabulary: neuron L·i promotes `tok<L+i>` … and suppresses `tok<L·i>` …. */
export function neuronCard(_model: unknown, n: Neuron, topK = 10) {
  record(`card ${n.layer}:${n.index}`);
  const tok = (k: number) => ({ id: k, token: `tok${k}`, score: 0 });
  return {
    neuron: n,
    label: `L${n.layer}\u00b7${n.index}`,
    norm: 1,
    promotes: Array.from({ length: topK }, (_, j) => ({ ...tok(n.layer + n.index + j), score: 1 - j / 10 })),
    suppresses: Array.from({ length: topK }, (_, j) => ({ ...tok(100 + n.layer * n.index + j), score: -1 + j / 10 })),
  };
}
