/**
 * Integer weights (--weights int16, int8) against float32 on mid-size random models, the same
 * prompts through each: P(target)'s relative difference, top-5 agreement, the scores' largest
 * difference (× the largest float32 score) and the overlap of the 20 highest-scoring neurons.
 * `npm run build && node out/bench/weights.js [--shapes llama-mid,…]` writes bench/results-weights.json;
 * the README states the tolerances from it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadModel } from '../engine/src/index';
import { WEIGHT_STORAGES } from '../engine/src/types';
import { repoRoot, topIndices } from '../test/helpers';
import { buildRealShape } from './shapes';

const log = (s: string) => process.stderr.write(s + '\n');

const PROMPTS: Record<string, [string, string][]> = {
  causal: [
    ['Once upon a time, there was a little girl named', 'Lily'],
    ['The cat sat on the', 'mat'],
    ['One day, a boy went to the park with his', 'mom'],
    ['She was very happy because she had a new', 'toy'],
    ['The sun was shining and the birds were', 'singing'],
  ],
  masked: [
    ['the capital of france is <mask> .', 'paris'],
    ['paris is a <mask> in europe', 'city'],
    ['france is in <mask> .', 'europe'],
    ['the <mask> of france is paris', 'capital'],
    ['a city in europe is <mask>', 'paris'],
  ],
};

async function measure(name: string, steps: number) {
  const dir = buildRealShape(name, log);
  const runs = Object.fromEntries(WEIGHT_STORAGES.map((w) => [w, { p: [] as number[], top: [] as number[][], scores: [] as number[][] }]));
  for (const storage of WEIGHT_STORAGES) {
    log(`  ${name} (${storage}): predict and scores (steps ${steps}) on ${PROMPTS.causal.length} prompts…`);
    const model = await loadModel(dir, { device: 'cpu', weights: storage });
    for (const [prompt, target] of PROMPTS[model.config.kind]) {
      const p = await model.predict(prompt, target, { topK: 5 });
      const s = await model.scores(prompt, target, { steps });
      runs[storage].p.push(p.p_target);
      runs[storage].top.push(p.top_k.map((t) => t.id));
      runs[storage].scores.push(s.scores.flat());
    }
    await model.dispose();
  }
  return Object.fromEntries(WEIGHT_STORAGES.filter((w) => w !== 'float32').map((w) => [w, compare(runs.float32, runs[w], steps)]));
}

function compare(f: { p: number[]; top: number[][]; scores: number[][] }, q: typeof f, steps: number) {
  const perPrompt = f.p.map((_, i) => {
    const a = f.scores[i];
    const b = q.scores[i];
    const max = Math.max(...a.map(Math.abs));
    const diff = Math.max(...a.map((x, k) => Math.abs(x - b[k])));
    const topA = new Set(topIndices(a, 20));
    return {
      p_float32: f.p[i],
      p_relative_difference: Math.abs(q.p[i] - f.p[i]) / f.p[i],
      top5_same_order: f.top[i].every((id, k) => q.top[i][k] === id),
      top5_overlap: q.top[i].filter((id) => f.top[i].includes(id)).length,
      scores_max_difference_over_max: diff / max,
      top20_neuron_overlap: topIndices(b, 20).filter((x) => topA.has(x)).length,
    };
  });
  const worst = <K extends keyof (typeof perPrompt)[0]>(k: K, pick: (xs: number[]) => number) => pick(perPrompt.map((r) => Number(r[k])));
  return {
    steps,
    prompts: perPrompt.length,
    per_prompt: perPrompt,
    worst: {
      p_relative_difference: worst('p_relative_difference', (xs) => Math.max(...xs)),
      top5_overlap: worst('top5_overlap', (xs) => Math.min(...xs)),
      scores_max_difference_over_max: worst('scores_max_difference_over_max', (xs) => Math.max(...xs)),
      top20_neuron_overlap: worst('top20_neuron_overlap', (xs) => Math.min(...xs)),
    },
  };
}

async function main() {
  const names = process.argv.includes('--shapes')
    ? process.argv[process.argv.indexOf('--shapes') + 1].split(',')
    : ['llama-mid', 'bert-base-multilingual-cased'];
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = await measure(name, 20);
  const file = path.join(repoRoot(), 'bench', 'results-weights.json');
  const result = { date: new Date().toISOString(), load_average: os.loadavg()[0], ...out };
  fs.writeFileSync(file + '.tmp', JSON.stringify(result, null, 2) + '\n');
  fs.renameSync(file + '.tmp', file);
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
