import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS, pngBytes, rejectionReply, validatePageMessage } from '../../protocol/panel';
import type { CompareData } from '../../engine/src/types';

const data: CompareData = {
  model: 'm',
  layers: 4,
  neurons: 512,
  settings: { rule: { kind: 'adaptive', value: 0.3 }, p: 0.5 },
  facts: [
    {
      name: 'France capital',
      answer: 'Paris',
      groups: {},
      prompts: [
        { text: 'The capital of France is [MASK].', lang: 'en', p_target: 0.9 },
        { text: 'La capitale de la France est [MASK].', lang: 'fr', p_target: 0.9 },
      ],
    },
  ],
};

const good = {
  type: 'intervene',
  requestId: 3,
  mode: 'suppress',
  model: 'm',
  fact: 'France capital',
  neurons: [
    { layer: 2, index: 43 },
    { layer: 3, index: 511 },
  ],
  prompts: ['The capital of France is [MASK].'],
};

// 1×1 transparent PNG
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('validatePageMessage', () => {
  it('accepts well-formed messages and rebuilds them from checked fields', () => {
    assert.deepEqual(validatePageMessage({ type: 'ready' }, data), { ok: true, message: { type: 'ready' } });
    const r = validatePageMessage(good, data);
    assert.ok(r.ok);
    assert.deepEqual(r.message, good);
    const dup = validatePageMessage(
      {
        ...good,
        neurons: [
          { layer: 1, index: 1 },
          { layer: 1, index: 1 },
        ],
        prompts: [],
      },
      data,
    );
    assert.ok(dup.ok && dup.message.type === 'intervene' && dup.message.neurons.length === 1);
    for (const [format, content] of [
      ['svg', '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'],
      ['csv', 'a,b\r\n1,2\r\n'],
      ['png', PNG],
    ]) {
      const e = validatePageMessage({ type: 'export', requestId: 1, format, view: 'layers', filename: `kn-layers.${format}`, content }, data);
      assert.ok(e.ok, `${format}: ${!e.ok && e.error}`);
    }
    assert.equal(pngBytes(PNG)[1], 0x50); // 'P' of \x89PNG
    const card = validatePageMessage({ type: 'neuronCard', requestId: 5, model: 'm', neuron: { layer: 3, index: 511 } }, data);
    assert.deepEqual(card, { ok: true, message: { type: 'neuronCard', requestId: 5, model: 'm', neuron: { layer: 3, index: 511 } } });
  });

  const bad: Array<[string, unknown]> = [
    ['not an object', 'intervene'],
    ['null', null],
    ['array', [good]],
    ['unknown type', { type: 'runShell', cmd: 'rm -rf /' }],
    ['missing type', { ...good, type: undefined }],
    ['ready with extra field', { type: 'ready', data: 1 }],
    ['extra field', { ...good, command: 'x' }],
    ['unknown fact', { ...good, fact: 'Atlantis capital' }],
    ['fact not a string', { ...good, fact: 42 }],
    ['huge fact name', { ...good, fact: 'x'.repeat(LIMITS.maxName + 1) }],
    ['bad mode', { ...good, mode: 'delete' }],
    ['requestId string', { ...good, requestId: '3' }],
    ['requestId negative', { ...good, requestId: -1 }],
    ['layer out of range', { ...good, neurons: [{ layer: 4, index: 0 }] }],
    ['selection made on another model', { ...good, model: 'bert-base-uncased' }],
    ['model missing', { ...good, model: undefined }],
    ['index out of range', { ...good, neurons: [{ layer: 0, index: 512 }] }],
    ['negative index', { ...good, neurons: [{ layer: 0, index: -1 }] }],
    ['fractional index', { ...good, neurons: [{ layer: 0, index: 1.5 }] }],
    ['index as string', { ...good, neurons: [{ layer: 0, index: '1' }] }],
    ['neuron as array', { ...good, neurons: [[0, 1]] }],
    ['neuron with extra field', { ...good, neurons: [{ layer: 0, index: 1, __proto__x: 1 }] }],
    ['no neurons', { ...good, neurons: [] }],
    ['too many neurons', { ...good, neurons: Array.from({ length: LIMITS.maxNeurons + 1 }, () => ({ layer: 0, index: 0 })) }],
    ['neurons not a list', { ...good, neurons: { layer: 0, index: 0 } }],
    ['unknown prompt', { ...good, prompts: ['Something else [MASK].'] }],
    ['prompt not a string', { ...good, prompts: [1] }],
    ['prompts missing', { ...good, prompts: undefined }],
    ['card: another model', { type: 'neuronCard', requestId: 1, model: 'gpt2', neuron: { layer: 0, index: 0 } }],
    ['card: layer out of range', { type: 'neuronCard', requestId: 1, model: 'm', neuron: { layer: 4, index: 0 } }],
    ['card: index out of range', { type: 'neuronCard', requestId: 1, model: 'm', neuron: { layer: 0, index: 512 } }],
    ['card: neuron as a label', { type: 'neuronCard', requestId: 1, model: 'm', neuron: 'L2·43' }],
    ['card: extra field', { type: 'neuronCard', requestId: 1, model: 'm', neuron: { layer: 0, index: 0 }, path: '/etc' }],
    ['card: neurons, not one', { type: 'neuronCard', requestId: 1, model: 'm', neuron: [{ layer: 0, index: 0 }] }],
    ['card: no requestId', { type: 'neuronCard', model: 'm', neuron: { layer: 0, index: 0 } }],
    ['export: bad format', { type: 'export', requestId: 1, format: 'exe', view: 'layers', filename: 'a.exe', content: 'x' }],
    ['export: bad view', { type: 'export', requestId: 1, format: 'csv', view: 'secrets', filename: 'a.csv', content: 'x' }],
    ['export: path in filename', { type: 'export', requestId: 1, format: 'csv', view: 'layers', filename: '../../etc/a.csv', content: 'x' }],
    ['export: absolute filename', { type: 'export', requestId: 1, format: 'csv', view: 'layers', filename: '/tmp/a.csv', content: 'x' }],
    ['export: wrong extension', { type: 'export', requestId: 1, format: 'csv', view: 'layers', filename: 'a.svg', content: 'x' }],
    ['export: long filename', { type: 'export', requestId: 1, format: 'csv', view: 'layers', filename: 'a'.repeat(200) + '.csv', content: 'x' }],
    ['export: empty content', { type: 'export', requestId: 1, format: 'csv', view: 'layers', filename: 'a.csv', content: '' }],
    ['export: content not text', { type: 'export', requestId: 1, format: 'csv', view: 'layers', filename: 'a.csv', content: { a: 1 } }],
    ['export: svg that is not svg', { type: 'export', requestId: 1, format: 'svg', view: 'layers', filename: 'a.svg', content: '<html></html>' }],
    ['export: png not a data URL', { type: 'export', requestId: 1, format: 'png', view: 'layers', filename: 'a.png', content: 'https://example.com/a.png' }],
    [
      'export: png bad base64',
      { type: 'export', requestId: 1, format: 'png', view: 'layers', filename: 'a.png', content: 'data:image/png;base64,iVBORw0KGgo$$$$' },
    ],
    [
      'export: png not a png',
      { type: 'export', requestId: 1, format: 'png', view: 'layers', filename: 'a.png', content: 'data:image/png;base64,R0lGODlhAQABAAAAACw=' },
    ],
    ['export: too large', { type: 'export', requestId: 1, format: 'csv', view: 'layers', filename: 'a.csv', content: 'x'.repeat(LIMITS.maxText + 1) }],
  ];
  for (const [name, msg] of bad) {
    it(`rejects: ${name}`, () => {
      const r = validatePageMessage(msg, data);
      assert.equal(r.ok, false);
      assert.ok(!r.ok && typeof r.error === 'string' && r.error.length > 0 && r.error.length < 200);
    });
  }
});

describe('the model shown and rejected requests (issue #20)', () => {
  it('a selection is only run on the model it was made on, and never while the model shape is unknown', () => {
    const r = validatePageMessage({ ...good, model: 'bert-base-uncased' }, data);
    assert.ok(!r.ok && /another model/.test(r.error));
    // what the server sent for cached results before the fix: no shape
    const unknown = validatePageMessage(good, { ...data, layers: 0, neurons: 0 });
    assert.ok(!unknown.ok && /shape is unknown/.test(unknown.error));
  });

  it('every rejected request is answered, so that the page stops waiting', () => {
    assert.deepEqual(rejectionReply({ ...good, neurons: [{ layer: 9, index: 0 }] }, 'neuron layer out of range'), {
      type: 'interventionResult',
      requestId: 3,
      ok: false,
      error: 'rejected: neuron layer out of range',
    });
    assert.deepEqual(rejectionReply({ type: 'export', requestId: 4, format: 'exe' }, 'format must be svg, png or csv'), {
      type: 'exportResult',
      requestId: 4,
      ok: false,
      error: 'rejected: format must be svg, png or csv',
    });
    assert.deepEqual(rejectionReply({ type: 'neuronCard', requestId: 6, model: 'gpt2' }, 'x'), {
      type: 'neuronCardResult',
      requestId: 6,
      ok: false,
      error: 'rejected: x',
    });
    assert.ok(!validatePageMessage({ type: 'neuronCard', requestId: 1, model: 'm', neuron: { layer: 0, index: 0 } }, { ...data, layers: 0, neurons: 0 }).ok);
    for (const m of [{ type: 'ready' }, { ...good, requestId: -1 }, { ...good, requestId: '3' }, 'intervene', null])
      assert.equal(rejectionReply(m, 'x'), undefined);
  });

  it('"Write to file": a rule and p of the right shape, answered when rejected (issue #20 item 9)', () => {
    const w = { type: 'writeSettings', requestId: 5, rule: { kind: 'percentile', value: 99.5 }, p: 0.25 };
    assert.deepEqual(validatePageMessage(w, data), { ok: true, message: w });
    for (const [bad, why] of [
      [{ ...w, rule: { kind: 'max', value: 1 } }, /rule must be/],
      [{ ...w, rule: { kind: 'adaptive', value: 0.3, extra: 1 } }, /rule must be/],
      [{ ...w, rule: { kind: 'adaptive', value: Infinity } }, /finite/],
      [{ ...w, p: '0.5' }, /p must be/],
      [{ ...w, uri: 'file:///etc/passwd' }, /unexpected field "uri"/],
    ] as const) {
      const r = validatePageMessage(bad, data);
      assert.ok(!r.ok && why.test(r.error), JSON.stringify(r));
      assert.equal((rejectionReply(bad, r.ok ? '' : r.error) as { type: string }).type, 'writeSettingsResult');
    }
  });
});
