// Dai et al. section 4 recomputed end to end: for every fact of the corpus, refined neurons from its
// English training prompts, then the mean relative change of P on its own prompts and on an
// unrelated fact's prompts (the fact 7 places further in the same relation, as the fixture's
// paper_table does), suppressed and enhanced. Compared with reference.json to 2 significant digits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { coarseNeurons, loadModel, refineNeurons } from '../../engine/src/index';
import { fixture } from '../helpers';

const ref = JSON.parse(fs.readFileSync(fixture('bert-tiny-facts/reference.json'), 'utf8'));
const corpus = JSON.parse(fs.readFileSync(fixture('corpus.json'), 'utf8'));

function promptsOf(fact: any, relation: 'capital' | 'language') {
  return corpus.templates[`${relation}/en`].map((t: string) => t.replace('{c}', fact.country).replace('X', '<mask>'));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const relChange = (rows: number[][], k: number) => mean(rows.map((r) => (r[k] - r[0]) / r[0]));
const twoDigits = (x: number) => Number(x.toPrecision(2));

test('paper table: mean relative change of P, own vs control, suppress and enhance (2 significant digits)', async () => {
  const model = await loadModel(fixture('bert-tiny-facts'), { device: 'cpu' });
  const factsOf = (rel: string) => corpus.facts.filter((f: any) => ref.paper_table.some((r: any) => r.relation === rel && r.country === f.country));
  const ours: Record<string, number[][]> = { own: [], control: [] };
  const theirs: Record<string, number[][]> = { own: [], control: [] };
  for (const relation of ['capital', 'language'] as const) {
    const facts = factsOf(relation);
    const answer = (f: any) => (relation === 'capital' ? f.capital : f.lang_en);
    for (let i = 0; i < facts.length; i++) {
      const row = ref.paper_table.find((r: any) => r.relation === relation && r.country === facts[i].country);
      const own = promptsOf(facts[i], relation);
      const coarse = [];
      for (const p of own) coarse.push(coarseNeurons((await model.scores(p, answer(facts[i]), { steps: 20 })).scores, { kind: 'adaptive', value: 0.3 }));
      const refined = refineNeurons(coarse, 0.5);
      assert.deepEqual(
        refined.map((n) => `${n.layer}:${n.index}`).sort(),
        row.refined.map((n: number[]) => `${n[0]}:${n[1]}`).sort(),
        `${facts[i].country} ${relation}: refined`,
      );
      const control = facts[(i + 7) % facts.length];
      for (const [kind, fact] of [
        ['own', facts[i]],
        ['control', control],
      ] as const) {
        for (const p of promptsOf(fact, relation)) {
          const sup = await model.intervene(p, answer(fact), refined, { mode: 'suppress' });
          const enh = await model.intervene(p, answer(fact), refined, { mode: 'enhance', factor: 2 });
          ours[kind].push([sup.before.p_target, sup.after.p_target, enh.after.p_target]);
        }
        theirs[kind].push(...row[kind]);
      }
    }
  }
  for (const kind of ['own', 'control'])
    for (const k of [1, 2])
      assert.equal(twoDigits(relChange(ours[kind], k)), twoDigits(relChange(theirs[kind], k)), `${kind} ${k === 1 ? 'suppressed' : 'enhanced'}`);
  await model.dispose();
});
