import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, importPararel, importBags, importDataset, detectImportFormat, exportCsv, exportJson, ImportError } from '../../engine/src/prompts';
import type { FactResult } from '../../engine/src/types';

const PARAREL = {
  'a1b2-c3': {
    sentences: ['The capital of France is [MASK].', '[MASK] is the capital of France.', 'The capital of France is [MASK].'],
    relation_name: 'P36',
    obj_label: 'Paris',
  },
  'd4e5-f6': {
    sentences: ['#1 fact: the capital of Germany is [MASK].', 'fact: [MASK] is the capital of Germany.'],
    relation_name: 'P36',
    obj_label: 'Berlin',
  },
  g7: { sentences: ['Paris is in [MASK].'], relation_name: 'P17', obj_label: 'France' },
  g8: { sentences: ['Lyon is in [MASK].'], relation_name: 'P17', obj_label: 'France' },
};

test('imports PARAREL json', () => {
  const text = importPararel(JSON.stringify(PARAREL), { model: '../models/bert-tiny-facts' });
  assert.equal(
    text,
    [
      '@version 1',
      '# imported from PARAREL',
      '@model ../models/bert-tiny-facts',
      '',
      '# uuid a1b2-c3, relation P36',
      'fact p36-paris -> Paris',
      '  The capital of France is <mask>.',
      '  <mask> is the capital of France.',
      '',
      '# uuid d4e5-f6, relation P36',
      'fact p36-berlin -> Berlin',
      '  \\#1 fact: the capital of Germany is <mask>.',
      '  fact: <mask> is the capital of Germany.',
      '',
      '# uuid g7, relation P17',
      'fact p17-france -> France',
      '  Paris is in <mask>.',
      '',
      '# uuid g8, relation P17',
      'fact p17-france-2 -> France',
      '  Lyon is in <mask>.',
      '',
    ].join('\n'),
  );
  const ds = parse(text);
  assert.deepEqual(ds.diagnostics, []);
  assert.deepEqual(
    ds.facts.map((f) => f.prompts.length),
    [2, 2, 1, 1],
  );
  assert.equal(ds.facts[1].prompts[0].text, '#1 fact: the capital of Germany is <mask>.');
  assert.equal(detectImportFormat(PARAREL), 'pararel');
});

test('imports the bag format, with a language tag', () => {
  const bags = [
    [
      ['The capital of France is [MASK].', 'Paris', 'P36'],
      ['[MASK] is the capital of France.', 'Paris', 'P36'],
    ],
    [
      ['The official language of France is [MASK].', 'French', 'P37'],
      ['People in France speak [MASK].', 'French', 'P37'],
      ['In France, people speak [MASK].', 'français', 'P37'],
    ],
  ];
  const text = importBags(bags, { lang: 'en' });
  const ds = parse(text);
  assert.deepEqual(ds.diagnostics, []);
  assert.deepEqual(
    ds.facts.map((f) => [f.name, f.answers, f.prompts.map((p) => [p.lang, p.text])]),
    [
      [
        'p36-paris',
        { en: 'Paris' },
        [
          ['en', 'The capital of France is <mask>.'],
          ['en', '<mask> is the capital of France.'],
        ],
      ],
      [
        'p37-french',
        { en: 'French' },
        [
          ['en', 'The official language of France is <mask>.'],
          ['en', 'People in France speak <mask>.'],
        ],
      ],
      ['p37-français', { en: 'français' }, [['en', 'In France, people speak <mask>.']]],
    ],
  );
  assert.equal(importDataset(JSON.stringify(bags)), importBags(bags));
  assert.throws(() => importBags({} as unknown), ImportError);
  assert.throws(() => importDataset('{not json'), /not valid JSON/);
  assert.throws(() => importPararel({ x: { sentences: 'nope' } }), /entry x/);
});

const RESULTS: FactResult[] = [
  {
    name: 'capital-of-france',
    answer: 'Paris',
    prompts: [
      {
        text: 'The capital of France is <mask>.',
        lang: 'en',
        p_target: 0.98,
        coarse: [
          { layer: 2, index: 43 },
          { layer: 3, index: 51 },
        ],
        scores: [[0.1]],
      },
      { text: 'La capitale, "de la France" est <mask>.', lang: 'fr', p_target: 0.5, coarse: [{ layer: 2, index: 43 }] },
    ],
    groups: {
      en: {
        refined: [
          { layer: 2, index: 43 },
          { layer: 3, index: 51 },
        ],
      },
      all: { refined: [{ layer: 2, index: 43 }] },
    },
    effects: { own: [{ text: 'The capital of France is <mask>.', before: 0.98, suppressed: 0.2, enhanced: 0.99 }], control: [] },
  },
];

test('exports CSV', () => {
  assert.equal(
    exportCsv(RESULTS),
    'fact,answer,lang,prompt,p_target,coarse,refined_group,refined,before,suppressed,enhanced\r\n' +
      'capital-of-france,Paris,en,The capital of France is <mask>.,0.98,L2.43 L3.51,en,L2.43 L3.51,0.98,0.2,0.99\r\n' +
      'capital-of-france,Paris,fr,"La capitale, ""de la France"" est <mask>.",0.5,L2.43,all,L2.43,,,\r\n',
  );
});

test('exports JSON, without scores unless asked', () => {
  const plain = JSON.parse(exportJson(RESULTS));
  assert.equal(plain[0].prompts[0].scores, undefined);
  assert.deepEqual(plain[0].groups, RESULTS[0].groups);
  const withScores = JSON.parse(
    exportJson({ model: 'm', layers: 4, neurons: 512, settings: { rule: { kind: 'adaptive', value: 0.3 }, p: 0.5 }, facts: RESULTS }, { scores: true }),
  );
  assert.deepEqual(withScores.facts[0].prompts[0].scores, [[0.1]]);
  assert.equal(withScores.model, 'm');
});
