import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as C from '../../media/src/model/compare';
import type { CompareData, FactResult, Neuron, PromptResult } from '../../engine/src/types';
import { GROUPS, compareDataFromReference, factName, hasReference, loadReference, refRefined, toNeurons } from './fixture';

const n = (layer: number, index: number): Neuron => ({ layer, index });
const keys = (ns: Neuron[]) => ns.map(C.neuronKey);

describe('coarse neurons', () => {
  // 2 layers × 4 neurons; max = 10 at (1,2)
  const scores = [
    [1, 3, -2, 2.9],
    [3.0000001, 0, 10, NaN],
  ];

  it('adaptive: strictly above value × the prompt maximum', () => {
    assert.deepEqual(keys(C.coarseNeurons(scores, { kind: 'adaptive', value: 0.3 })), ['1:0', '1:2']);
    assert.deepEqual(keys(C.coarseNeurons(scores, { kind: 'adaptive', value: 0.25 })), ['0:1', '0:3', '1:0', '1:2']);
    // equal to the threshold is not coarse
    assert.deepEqual(keys(C.coarseNeurons([[1, 2]], { kind: 'adaptive', value: 0.5 })), ['0:1']);
    assert.equal(C.coarseThreshold(scores, { kind: 'adaptive', value: 0.3 }), 3);
  });

  it('absolute threshold', () => {
    assert.deepEqual(keys(C.coarseNeurons(scores, { kind: 'threshold', value: 2.95 })), ['0:1', '1:0', '1:2']);
    assert.deepEqual(keys(C.coarseNeurons(scores, { kind: 'threshold', value: 100 })), []);
  });

  it('percentile: numpy-style linear interpolation over all finite scores', () => {
    // finite scores sorted: -2, 0, 1, 2.9, 3, 3.0000001, 10 (7 values)
    assert.equal(C.percentile([-2, 0, 1, 2.9, 3, 3.0000001, 10], 50), 2.9);
    assert.equal(C.percentile([1, 2, 3, 4], 25), 1.75);
    assert.deepEqual(keys(C.coarseNeurons(scores, { kind: 'percentile', value: 50 })), ['0:1', '1:0', '1:2']);
    assert.deepEqual(keys(C.coarseNeurons(scores, { kind: 'percentile', value: 100 })), []);
  });

  it('no coarse neuron when every score is ≤ 0 (adaptive)', () => {
    assert.deepEqual(
      C.coarseNeurons(
        [
          [-1, -2],
          [0, -0.5],
        ],
        { kind: 'adaptive', value: 0.3 },
      ),
      [],
    );
    assert.deepEqual(C.coarseNeurons([[0, 0]], { kind: 'adaptive', value: 0.3 }), []);
  });
});

describe('refined neurons', () => {
  it('keeps neurons coarse in more than p × n prompts (strictly)', () => {
    const coarse = [
      [n(0, 1), n(1, 2)],
      [n(0, 1), n(1, 2), n(2, 0)],
      [n(0, 1), n(2, 0)],
      [n(0, 1), n(1, 2), n(1, 2)], // a duplicate counts once
    ];
    // n = 4, p = 0.5: count > 2 → 0:1 (4), 1:2 (3); 2:0 has 2 = p × n → out
    assert.deepEqual(keys(C.refineNeurons(coarse, 0.5)), ['0:1', '1:2']);
    assert.deepEqual(keys(C.refineNeurons(coarse, 0.49)), ['0:1', '1:2', '2:0']);
    assert.deepEqual(keys(C.refineNeurons(coarse, 0.75)), ['0:1']);
    assert.deepEqual(C.refineNeurons([], 0.5), []);
    assert.equal(C.coarseCounts(coarse).get('1:2'), 3);
  });

  it('refineGroup re-refines from scores, falls back to cached coarse, then to the given list', () => {
    const mk = (lang: string, s?: number[][], coarse?: Neuron[]): PromptResult => ({ text: `${lang}${Math.random()}`, lang, p_target: 0.5, scores: s, coarse });
    const fact: FactResult = {
      name: 'F',
      answer: 'a',
      prompts: [
        mk('en', [
          [5, 1],
          [0, 4],
        ]), // adaptive .5 → 0:0, 1:1
        mk('en', [
          [5, 0],
          [0, 1],
        ]), // → 0:0
        mk('fr', undefined, [n(1, 1)]),
        mk('fr', undefined, [n(1, 1), n(0, 0)]),
      ],
      groups: { en: { refined: [] }, fr: { refined: [] }, all: { refined: [] }, xx: { refined: [n(1, 0)] } },
    };
    const settings = { rule: { kind: 'adaptive' as const, value: 0.5 }, p: 0.5 };
    const en = C.refineGroup(fact, 'en', settings);
    assert.equal(en.source, 'scores');
    assert.deepEqual(keys(en.refined), ['0:0']);
    assert.deepEqual(en.counts, { '0:0': 2 });
    const fr = C.refineGroup(fact, 'fr', settings);
    assert.equal(fr.source, 'coarse');
    assert.deepEqual(keys(fr.refined), ['1:1']);
    const all = C.refineGroup(fact, 'all', settings);
    assert.equal(all.source, 'coarse');
    assert.equal(all.nPrompts, 4);
    // all: 0:0 in 3 of 4, 1:1 in 3 of 4 → both > 2
    assert.deepEqual(keys(all.refined), ['0:0', '1:1']);
    const xx = C.refineGroup(fact, 'xx', settings);
    assert.equal(xx.source, 'given');
    assert.deepEqual(keys(xx.refined), ['1:0']);
    // Lower p lets more in, at once, from the same cached scores
    assert.deepEqual(keys(C.refineGroup(fact, 'en', { ...settings, p: 0.4 }).refined), ['0:0', '1:1']);
  });

  it('factGroups: the data’s groups, else languages plus all', () => {
    const f: FactResult = {
      name: 'x',
      answer: 'a',
      prompts: [
        { text: 'a', lang: 'de', p_target: 0 },
        { text: 'b', lang: 'it', p_target: 0 },
        { text: 'c', lang: '', p_target: 0 },
      ],
      groups: {},
    };
    assert.deepEqual(C.factGroups(f), ['de', 'it', 'all']);
    assert.deepEqual(C.factGroups({ ...f, groups: { en: { refined: [] } } }), ['en']);
  });
});

describe('set overlaps', () => {
  const A = [n(0, 1), n(0, 2), n(1, 5), n(2, 7)];
  const B = [n(0, 1), n(0, 2), n(1, 6), n(2, 7), n(2, 7)];
  const D = [n(0, 1), n(1, 5), n(3, 3)];
  const o = C.setOverlaps([
    { id: 'a', neurons: A },
    { id: 'b', neurons: B },
    { id: 'd', neurons: D },
  ]);

  it('shared by all, by some, specific to one', () => {
    assert.deepEqual(keys(o.shared), ['0:1']);
    assert.deepEqual(keys(o.some), ['0:2', '1:5', '2:7']);
    assert.deepEqual(Object.fromEntries(Object.entries(o.specific).map(([k, v]) => [k, keys(v)])), { a: [], b: ['1:6'], d: ['3:3'] });
    assert.equal(o.union.length, 6);
    assert.deepEqual(o.membership['1:5'], ['a', 'd']);
  });

  it('UpSet intersections: each distinct combination once, counts add up to the union', () => {
    const got = o.intersections.map((x) => [x.sets.join('&'), x.count]);
    assert.deepEqual(got, [
      ['a&b', 2],
      ['b', 1],
      ['d', 1],
      ['a&d', 1],
      ['a&b&d', 1],
    ]);
    assert.equal(
      o.intersections.reduce((s, x) => s + x.count, 0),
      o.union.length,
    );
    assert.deepEqual(keys(o.intersections[0].neurons), ['0:2', '2:7']);
  });

  it('one set: everything shared, nothing specific; no sets: nothing', () => {
    const one = C.setOverlaps([{ id: 'a', neurons: A }]);
    assert.equal(one.shared.length, 4);
    assert.deepEqual(one.specific, {});
    assert.equal(one.intersections.length, 1);
    const none = C.setOverlaps([]);
    assert.equal(none.union.length, 0);
    assert.equal(none.intersections.length, 0);
  });

  it('overlapClass', () => {
    assert.equal(C.overlapClass(o, n(0, 1)), 'shared');
    assert.equal(C.overlapClass(o, n(2, 7)), 'some');
    assert.equal(C.overlapClass(o, n(3, 3)), 'specific');
    assert.equal(C.overlapClass(o, n(9, 9)), 'none');
  });
});

describe('layers, matrices, occurrences, effects', () => {
  it('layerDistribution counts distinct neurons per layer', () => {
    assert.deepEqual(C.layerDistribution([n(0, 1), n(0, 1), n(0, 2), n(3, 0), n(7, 1)], 4), [2, 0, 0, 1]);
  });

  it('meanScores averages the prompts that have scores', () => {
    const m = C.meanScores([
      {
        text: 'a',
        lang: 'en',
        p_target: 0,
        scores: [
          [1, 2],
          [3, 4],
        ],
      },
      { text: 'b', lang: 'en', p_target: 0 },
      {
        text: 'c',
        lang: 'en',
        p_target: 0,
        scores: [
          [3, 0],
          [1, -4],
        ],
      },
    ]);
    assert.deepEqual(m, {
      mean: [
        [2, 1],
        [2, 0],
      ],
      n: 2,
    });
    assert.equal(C.meanScores([{ text: 'b', lang: 'en', p_target: 0 }]), undefined);
  });

  it('meanScores normalised: each prompt divided by its maximum score first (issue #20 item 7)', () => {
    const m = C.meanScores(
      [
        {
          text: 'a',
          lang: 'en',
          p_target: 0,
          scores: [
            [1, 2],
            [3, 4],
          ],
        },
        {
          text: 'c',
          lang: 'en',
          p_target: 0,
          scores: [
            [300, 0],
            [100, -400],
          ],
        },
      ],
      'normalised',
    );
    // (1/4 + 300/300) / 2, (2/4 + 0) / 2, (3/4 + 100/300) / 2, (4/4 − 400/300) / 2
    const want = [
      [(0.25 + 1) / 2, 0.25],
      [(0.75 + 1 / 3) / 2, (1 - 4 / 3) / 2],
    ];
    m!.mean.forEach((row, l) => row.forEach((v, i) => assert.ok(Math.abs(v - want[l][i]) < 1e-12, `${l},${i}: ${v}`)));
    // a prompt without a positive score is divided by its largest |score|
    assert.equal(
      C.promptScale([
        [-2, -8],
        [0, -1],
      ]),
      8,
    );
    assert.equal(C.promptScale([[0, 0]]), 1);
  });

  it('on the reference scores, one prompt ×100 takes over the raw mean, not the normalised one', { skip: !hasReference() }, () => {
    const fact = compareDataFromReference().facts[0];
    const prompts = C.groupPrompts(fact, 'en').filter((p) => p.scores);
    assert.ok(prompts.length >= 3);
    const loud = prompts.map((p, i) => (i === prompts.length - 1 ? { ...p, scores: p.scores!.map((r) => r.map((v) => v * 100)) } : p));
    // raw: the mean is the loud prompt's picture (cosine similarity to its scores near 1)
    const flat = (m: number[][]) => m.flat();
    const cos = (x: number[], y: number[]) => x.reduce((a, v, i) => a + v * y[i], 0) / Math.hypot(...x) / Math.hypot(...y);
    const rawMean = C.meanScores(loud, 'raw')!.mean;
    const loudScores = flat(loud.at(-1)!.scores!);
    const rawCos = cos(flat(rawMean), loudScores);
    const normCos = cos(flat(C.meanScores(loud, 'normalised')!.mean), loudScores);
    assert.ok(rawCos > 0.85, `raw mean ~ the loud prompt: cos ${rawCos}`);
    assert.ok(normCos < rawCos - 0.25, `normalised mean is every prompt's: cos ${normCos} < ${rawCos}`);
    // normalised: scaling a prompt changes nothing, and every prompt counts alike
    const norm = C.meanScores(prompts, 'normalised')!.mean;
    const normLoud = C.meanScores(loud, 'normalised')!.mean;
    norm.forEach((row, l) => row.forEach((v, i) => assert.ok(Math.abs(v - normLoud[l][i]) <= 1e-9 * Math.max(1, Math.abs(v)), `${l},${i}`)));
    assert.ok(Math.abs(C.maxAbs(norm) - 1) <= 1, 'normalised values are shares of a maximum');
  });

  it('heatmap rows: neurons ordered by score, ties by index', () => {
    const rows = C.heatmapRows([[0.1, 0.5, 0.5, -1, NaN]]);
    assert.deepEqual(rows[0].order, [1, 2, 0, 3, 4]);
    assert.deepEqual(rows[0].values.slice(0, 4), [0.5, 0.5, 0.1, -1]);
    assert.equal(
      C.maxAbs([
        [0.1, -3],
        [2, NaN],
      ]),
      3,
    );
  });

  it('neuronOccurrences lists every prompt where the neuron is coarse, by score', () => {
    const data: CompareData = {
      model: 'm',
      layers: 1,
      neurons: 3,
      settings: { rule: { kind: 'adaptive', value: 0.5 }, p: 0.5 },
      facts: [
        {
          name: 'F',
          answer: 'a',
          groups: {},
          prompts: [
            { text: 'p1', lang: 'en', p_target: 0, scores: [[1, 4, 0]] }, // 0:1 coarse (score 4)
            { text: 'p2', lang: 'fr', p_target: 0, scores: [[4, 3, 0]] }, // 0:0, 0:1 (3)
            { text: 'p3', lang: 'en', p_target: 0, scores: [[4, 1, 0]] }, // 0:0 only
          ],
        },
        { name: 'G', answer: 'b', groups: {}, prompts: [{ text: 'q', lang: 'en', p_target: 0, coarse: [n(0, 1)] }] },
      ],
    };
    const occ = C.neuronOccurrences(data, n(0, 1), data.settings.rule);
    assert.deepEqual(
      occ.map((o) => [o.fact, o.prompt, o.score]),
      [
        ['F', 'p1', 4],
        ['F', 'p2', 3],
        ['G', 'q', NaN],
      ],
    );
    assert.equal(occ[1].relative, 0.75);
    assert.deepEqual(C.neuronOccurrences(data, n(0, 1), data.settings.rule, ['G']).length, 1);
  });

  it('effects summary: mean relative change for own vs control', () => {
    const s = C.effectsSummary({
      own: [
        { text: 'a', before: 0.5, suppressed: 0.25, enhanced: 1 }, // -0.5, +1
        { text: 'b', before: 0.8, suppressed: 0.4, enhanced: 0.8 }, // -0.5, 0
      ],
      control: [
        { text: 'c', before: 0.5, suppressed: 0.5, enhanced: 0.55 }, // 0, +0.1
        { text: 'd', before: 0, suppressed: 0, enhanced: 0 }, // undefined change: skipped
      ],
    });
    assert.equal(s.own.suppress, -0.5);
    assert.equal(s.own.enhance, 0.5);
    assert.equal(s.control.suppress, 0);
    assert.ok(Math.abs(s.control.enhance - 0.1) < 1e-12);
    assert.equal(s.control.n, 2);
    assert.ok(Number.isNaN(C.effectsSummary({ own: [], control: [] }).own.suppress));
  });

  it('effects summary line: two significant digits, never "-0.00%" (issue #20)', () => {
    // a control prompt whose P barely moves: a mean change of −2e-7 was written "-0.00%"
    const sum = C.effectsSummary({
      own: [{ text: 'a', before: 0.5, suppressed: 0.25, enhanced: 0.5 }],
      control: [{ text: 'c', before: 0.5, suppressed: 0.5 * (1 - 2e-7), enhanced: 0.5 * (1 + 0.045) }],
    });
    const line = C.effectsSummaryText('Paris', sum);
    assert.equal(
      line,
      'Mean relative change of P(Paris) \u2014 own prompts: suppressed \u221250%, enhanced ±0%; control prompts: suppressed \u22120.000020%, enhanced +4.5%.',
    );
    assert.doesNotMatch(line, /-0\.00%/);
  });
});

describe('CSV', () => {
  it('escapes quotes, commas, newlines and spreadsheet formulas', () => {
    assert.equal(C.toCsv([['a,b', 'say "hi"', 'x\ny', '=SUM(A1)', -1.5, NaN, 'ok']]), '"a,b","say ""hi""","x\ny",\'=SUM(A1),-1.5,,ok\r\n');
  });

  it('refinedCsv has one row per (set, neuron) with counts and overlap class', () => {
    const data = synthetic();
    const m = C.compareModel(data, { facts: ['F'], groups: ['en', 'fr'] }, data.settings);
    const lines = C.refinedCsv(m).trim().split('\r\n');
    assert.equal(lines[0], 'fact,group,layer,neuron,prompts_coarse,prompts_counted,share,overlap,sets');
    assert.equal(lines.length, 1 + m.sets.reduce((s, x) => s + x.refined.length, 0));
    assert.ok(lines.includes('F,en,0,0,2,2,1,shared,F/en | F/fr'));
    assert.ok(C.layersCsv(m, 2).startsWith('layer,F/en,F/fr\r\n0,'));
    assert.equal(C.heatmapCsv([[1, 3]]), 'layer,neuron,rank,score\r\n0,1,1,3\r\n0,0,2,1\r\n');
    assert.equal(C.intersectionsCsv(m.overlap).split('\r\n')[0], 'sets,count,neurons');
  });
});

function synthetic(): CompareData {
  const p = (text: string, lang: string, scores: number[][]): PromptResult => ({ text, lang, p_target: 0.5, scores });
  return {
    model: 'synthetic',
    layers: 2,
    neurons: 3,
    settings: { rule: { kind: 'adaptive', value: 0.5 }, p: 0.5 },
    facts: [
      {
        name: 'F',
        answer: 'a',
        groups: { en: { refined: [] }, fr: { refined: [] }, all: { refined: [] } },
        prompts: [
          p('e1', 'en', [
            [9, 0, 0],
            [0, 8, 0],
          ]),
          p('e2', 'en', [
            [9, 0, 0],
            [0, 8, 1],
          ]),
          p('f1', 'fr', [
            [9, 0, 0],
            [0, 0, 8],
          ]),
          p('f2', 'fr', [
            [9, 0, 0],
            [0, 1, 8],
          ]),
        ],
      },
    ],
  };
}

describe('compareModel', () => {
  it('compares each chosen fact × group and counts per layer', () => {
    const data = synthetic();
    const m = C.compareModel(data, { facts: ['F'], groups: ['en', 'fr', 'nope'] }, data.settings);
    assert.deepEqual(
      m.sets.map((s) => s.id),
      ['F/en', 'F/fr'],
    );
    assert.deepEqual(keys(m.overlap.shared), ['0:0']);
    assert.deepEqual(keys(m.overlap.specific['F/en']), ['1:1']);
    assert.deepEqual(keys(m.overlap.specific['F/fr']), ['1:2']);
    assert.deepEqual(m.layers['F/en'], [1, 1]);
    // raising p above 0.5 with 2 prompts per group changes nothing (both prompts share them) …
    assert.equal(C.compareModel(data, { facts: ['F'], groups: ['all'] }, data.settings).sets[0].refined.length, 1);
    // … and lowering it to 0.25 over `all` (4 prompts) needs > 1 prompt: 1:1 and 1:2 come in.
    assert.deepEqual(keys(C.compareModel(data, { facts: ['F'], groups: ['all'] }, { ...data.settings, p: 0.25 }).sets[0].refined), ['0:0', '1:1', '1:2']);
  });
});

describe('against the reference results (bert-tiny-facts/reference.json)', { skip: !hasReference() && 'fixture not found' }, () => {
  /*
   * The fixture stores scores rounded to 9 decimal places (every score × 1e9 is an integer), and
   * the reference thresholded the unrounded scores. So a neuron whose stored score is within the
   * rounding of 0.3 × max may be on either side: we leave out neurons within max(1e-6 × max, 1e-9)
   * of the threshold (1e-6 × max alone would not cover prompts whose max is ~1e-8).
   */
  const tol = (mx: number) => Math.max(1e-6 * Math.abs(mx), 1e-9);

  it('coarse neurons equal the reference’s, except at the threshold', () => {
    const ref = loadReference();
    const rule = { kind: 'adaptive' as const, value: ref.settings.adaptive_threshold };
    let prompts = 0;
    let ambiguous = 0;
    for (const f of ref.facts) {
      for (const p of f.prompts) {
        prompts++;
        const thr = C.coarseThreshold(p.scores, rule);
        const t = tol(C.maxScore(p.scores));
        const near = (k: string) => {
          const x = C.parseNeuronKey(k);
          return Math.abs(p.scores[x.layer][x.index] - thr) <= t;
        };
        const mine = new Set(keys(C.coarseNeurons(p.scores, rule)));
        const theirs = new Set(keys(toNeurons(p.coarse)));
        const diff = [...mine].filter((k) => !theirs.has(k)).concat([...theirs].filter((k) => !mine.has(k)));
        ambiguous += diff.length;
        for (const k of diff) assert.ok(near(k), `${factName(f)} “${p.text}”: ${k} differs and is not at the threshold`);
      }
    }
    assert.equal(
      prompts,
      ref.facts.reduce((s, f) => s + f.prompts.length, 0),
    );
    assert.ok(ambiguous <= 8, `${ambiguous} neurons at the threshold`);
  });

  it('refined neurons per group equal the reference’s (p 0.5)', () => {
    const ref = loadReference();
    const data = compareDataFromReference();
    const settings = data.settings;
    let checked = 0;
    for (const [i, f] of ref.facts.entries()) {
      for (const g of GROUPS) {
        const want = refRefined(f, g);
        if (!want) continue;
        checked++;
        // from the reference's own coarse neurons: exactly equal
        const fromCoarse = C.refineNeurons(
          C.groupPrompts(data.facts[i], g).map((p) => p.coarse ?? []),
          ref.settings.p,
        );
        assert.deepEqual(keys(fromCoarse), keys(C.sortNeurons(want)), `${factName(f)} ${g} from reference coarse`);
        // re-refined from the scores: equal except neurons whose count depends on a neuron at the threshold
        const got = C.refineGroup(data.facts[i], g, settings);
        assert.equal(got.source, 'scores');
        const a = new Set(keys(got.refined));
        const b = new Set(keys(want));
        const diff = [...a].filter((k) => !b.has(k)).concat([...b].filter((k) => !a.has(k)));
        for (const k of diff) {
          const x = C.parseNeuronKey(k);
          const atThreshold = C.groupPrompts(data.facts[i], g).some((p) => {
            const s = p.scores as number[][];
            const thr = C.coarseThreshold(s, settings.rule);
            return Math.abs(s[x.layer][x.index] - thr) <= tol(C.maxScore(s));
          });
          assert.ok(atThreshold, `${factName(f)} ${g}: ${k} differs`);
        }
      }
    }
    assert.ok(checked >= 24, `${checked} groups checked`);
  });

  it('overlaps of en and fr on the reference', () => {
    const data = compareDataFromReference();
    const f = data.facts[0]; // France capital
    const m = C.compareModel(data, { facts: [f.name], groups: ['en', 'fr'] }, data.settings);
    const en = new Set(keys(f.groups.en.refined));
    const fr = new Set(keys(f.groups.fr.refined));
    assert.deepEqual(
      keys(m.overlap.shared),
      [...en].filter((k) => fr.has(k)).sort((x, y) => C.compareNeurons(C.parseNeuronKey(x), C.parseNeuronKey(y))),
    );
    assert.equal(m.overlap.specific[`${f.name}/en`].length, [...en].filter((k) => !fr.has(k)).length);
    assert.equal(m.overlap.specific[`${f.name}/fr`].length, [...fr].filter((k) => !en.has(k)).length);
    assert.equal(
      m.overlap.intersections.reduce((s, x) => s + x.count, 0),
      new Set([...en, ...fr]).size,
    );
  });
});
