/** ComparePanel's message handling, with a stand-in for the `vscode` module (no browser needed). */

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompareData } from '../../engine/src/types';
import { installVscodeStub, FakePanel } from './vscodeStub';
import { repoRoot } from './fixture';

const data: CompareData = {
  model: 'm',
  layers: 2,
  neurons: 4,
  settings: { rule: { kind: 'adaptive', value: 0.3 }, p: 0.5 },
  facts: [{ name: 'F', answer: 'a', groups: {}, prompts: [{ text: 'p [MASK].', lang: 'en', p_target: 0.5 }] }],
};

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('ComparePanel', () => {
  let fake: ReturnType<typeof installVscodeStub>;
  let ComparePanel: any;
  const calls: unknown[] = [];
  const logs: string[] = [];
  const handlers = {
    async onIntervene(req: { prompts: string[] }) {
      calls.push(['intervene', req]);
      return { results: [{ text: 'p [MASK].', before: 0.5, after: 0.25 }] };
    },
    async onExport(req: unknown) {
      calls.push(['export', req]);
      return '/tmp/out.png';
    },
    log: (m: string) => logs.push(m),
  };
  const tick = () => new Promise((r) => setTimeout(r, 5));

  before(() => {
    fake = installVscodeStub({ origin: 'https://webview.test', extensionRoot: repoRoot });
    ComparePanel = require('../../client/src/comparePanel').ComparePanel;
  });
  after(() => fake.uninstall());

  it('creates a scripted panel limited to dist/media/, not retained when hidden, with a strict CSP', () => {
    const panel = ComparePanel.show(fake.context, data, handlers);
    const fp = fake.lastPanel() as FakePanel;
    assert.equal(fp.options.enableScripts, true);
    assert.equal(fp.options.retainContextWhenHidden, false);
    const roots = fp.options.localResourceRoots as Array<{ fsPath: string }>;
    assert.deepEqual(
      roots.map((r) => r.fsPath),
      [`${repoRoot}/dist/media`],
    );
    assert.match(fp.html, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
    assert.ok(fp.html.includes('https://webview.test/ext/dist/media/compare.js'));
    // showing again reuses the panel and sends the new data
    assert.equal(ComparePanel.show(fake.context, data, handlers), panel);
    assert.equal(fake.panels.length, 1);
    assert.deepEqual(fp.sent.at(-1), { type: 'update', data });
  });

  it('answers ready with the data, runs validated interventions and exports, rejects the rest', async () => {
    const fp = fake.lastPanel() as FakePanel;
    fp.receive({ type: 'ready' });
    await tick();
    assert.deepEqual(fp.sent.at(-1), { type: 'update', data });

    fp.receive({ type: 'intervene', requestId: 7, mode: 'enhance', model: 'm', fact: 'F', neurons: [{ layer: 1, index: 3 }], prompts: [] });
    await tick();
    assert.deepEqual(calls.at(-1), ['intervene', { mode: 'enhance', fact: 'F', neurons: [{ layer: 1, index: 3 }], prompts: [] }]);
    assert.deepEqual(fp.sent.at(-1), {
      type: 'interventionResult',
      requestId: 7,
      ok: true,
      mode: 'enhance',
      fact: 'F',
      neurons: [{ layer: 1, index: 3 }],
      results: [{ text: 'p [MASK].', before: 0.5, after: 0.25 }],
    });

    fp.receive({ type: 'export', requestId: 8, format: 'png', view: 'layers', filename: 'x.png', content: PNG });
    await tick();
    const exp = (calls.at(-1) as [string, { content: Uint8Array }])[1];
    assert.ok(exp.content instanceof Uint8Array && exp.content[0] === 0x89);
    assert.deepEqual(fp.sent.at(-1), { type: 'exportResult', requestId: 8, ok: true, path: '/tmp/out.png' });

    const n = calls.length;
    const sent = fp.sent.length;
    for (const bad of [
      { type: 'intervene', requestId: 9, mode: 'enhance', model: 'm', fact: 'F', neurons: [{ layer: 2, index: 0 }], prompts: [] },
      { type: 'intervene', requestId: 9, mode: 'enhance', model: 'm', fact: 'G', neurons: [{ layer: 0, index: 0 }], prompts: [] },
      { type: 'export', requestId: 9, format: 'csv', view: 'layers', filename: 'a/b.csv', content: 'x' },
      'ready',
      { type: 'update', data },
    ]) {
      fp.receive(bad);
    }
    await tick();
    assert.equal(calls.length, n);
    // the three rejected requests are answered (the page would wait on them for ever), nothing else is sent
    assert.deepEqual(
      fp.sent.slice(sent).map((m) => JSON.stringify(m)),
      [
        { type: 'interventionResult', requestId: 9, ok: false, error: 'rejected: neuron layer out of range' },
        { type: 'interventionResult', requestId: 9, ok: false, error: 'rejected: unknown fact' },
        { type: 'exportResult', requestId: 9, ok: false, error: 'rejected: filename may only hold letters, digits, ".", "_" and "-"' },
      ].map((m) => JSON.stringify(m)),
    );
    assert.equal(logs.filter((l) => l.includes('rejected')).length, 5);
  });

  it("asks the host for a neuron's card, checked first; no handler, or a failing one, is an answer too", async () => {
    const fp = fake.lastPanel() as FakePanel;
    const card = { neuron: { layer: 1, index: 2 }, label: 'L1·2', norm: 1, promotes: [{ id: 5, token: 'Paris', score: 2 }], suppresses: [] };
    const asked: unknown[] = [];
    ComparePanel.show(fake.context, data, { ...handlers, onNeuronCard: async (req: unknown) => (asked.push(req), card) });
    fp.receive({ type: 'neuronCard', requestId: 20, model: 'm', neuron: { layer: 1, index: 2 } });
    await tick();
    assert.deepEqual(asked, [{ neuron: { layer: 1, index: 2 } }]);
    assert.deepEqual(fp.sent.at(-1), { type: 'neuronCardResult', requestId: 20, ok: true, model: 'm', card });
    fp.receive({ type: 'neuronCard', requestId: 21, model: 'm', neuron: { layer: 2, index: 0 } });
    await tick();
    assert.equal(asked.length, 1);
    assert.deepEqual(fp.sent.at(-1), { type: 'neuronCardResult', requestId: 21, ok: false, error: 'rejected: neuron layer out of range' });
    ComparePanel.show(fake.context, data, handlers);
    fp.receive({ type: 'neuronCard', requestId: 22, model: 'm', neuron: { layer: 0, index: 0 } });
    await tick();
    assert.deepEqual(fp.sent.at(-1), { type: 'neuronCardResult', requestId: 22, ok: false, model: 'm', error: 'neuron cards are not available here' });
  });

  it('reports a failing handler to the page', async () => {
    const fp = fake.lastPanel() as FakePanel;
    ComparePanel.show(fake.context, data, { ...handlers, onIntervene: async () => Promise.reject(new Error('model not loaded')) });
    fp.receive({ type: 'intervene', requestId: 10, mode: 'suppress', model: 'm', fact: 'F', neurons: [{ layer: 0, index: 0 }], prompts: ['p [MASK].'] });
    await tick();
    const last = fp.sent.at(-1) as { type: string; ok: boolean; error: string };
    assert.equal(last.type, 'interventionResult');
    assert.equal(last.ok, false);
    assert.equal(last.error, 'model not loaded');
  });

  it('closing the panel forgets it; the next show creates a new one', () => {
    const fp = fake.lastPanel() as FakePanel;
    fp.dispose();
    ComparePanel.show(fake.context, data, handlers);
    assert.equal(fake.panels.length, 2);
    assert.notEqual(fake.lastPanel(), fp);
  });

  it('opens on a source at once in a loading state, follows its saves, drops stale answers', async () => {
    const source = { uri: 'file:///w/a.prompts', file: 'a.prompts', fact: 'F' };
    const other: CompareData = { ...data, model: 'bert-base', layers: 12, neurons: 3072 };
    let release: (d: CompareData) => void = () => undefined;
    const loads: string[] = [];
    const h2 = {
      ...handlers,
      load: (src: { uri: string }) => {
        loads.push(src.uri);
        return new Promise<CompareData>((r) => (release = r));
      },
    };
    const opening = ComparePanel.open(fake.context, source, h2);
    const fp = fake.lastPanel() as FakePanel;
    assert.deepEqual(fp.sent.at(-1), { type: 'loading', source });
    release(data);
    await opening;
    assert.deepEqual(fp.sent.at(-1), { type: 'update', data, source });
    // a save of another file changes nothing; a save of the shown one recomputes it
    fake.save('file:///w/b.prompts');
    assert.deepEqual(loads, [source.uri]);
    fake.save(source.uri);
    assert.deepEqual(loads, [source.uri, source.uri]);
    assert.deepEqual(fp.sent.at(-1), { type: 'loading', source });
    const firstRelease = release;
    // Compare on another file while that save's load is still running: the older answer is dropped
    const b = { uri: 'file:///w/b.prompts', file: 'b.prompts' };
    const opening2 = ComparePanel.open(fake.context, b, h2);
    firstRelease(data);
    await tick();
    assert.deepEqual(fp.sent.at(-1), { type: 'loading', source: b });
    release(other);
    await opening2;
    assert.deepEqual(fp.sent.at(-1), { type: 'update', data: other, source: b });
    // the host checks a selection against the model shown now, and passes on the file shown
    fp.receive({ type: 'intervene', requestId: 11, mode: 'suppress', model: 'm', fact: 'F', neurons: [{ layer: 0, index: 0 }], prompts: [] });
    await tick();
    assert.deepEqual(fp.sent.at(-1), {
      type: 'interventionResult',
      requestId: 11,
      ok: false,
      error: 'rejected: the selection was made on another model than the one the panel shows: select the neurons again',
    });
    fp.receive({ type: 'intervene', requestId: 12, mode: 'suppress', model: 'bert-base', fact: 'F', neurons: [{ layer: 11, index: 3071 }], prompts: [] });
    await tick();
    assert.deepEqual(calls.at(-1), ['intervene', { mode: 'suppress', fact: 'F', neurons: [{ layer: 11, index: 3071 }], prompts: [], uri: b.uri }]);
    // a failing load is shown, not swallowed
    const failing = { ...h2, load: async () => Promise.reject(new Error('the model could not be loaded')) };
    await ComparePanel.open(fake.context, source, failing);
    assert.deepEqual(fp.sent.at(-1), { type: 'loadFailed', source, error: 'the model could not be loaded' });
  });

  it('is restored after a reload from the source its page saved', async () => {
    const { registerComparePanelSerializer, savedSource } = require('../../client/src/comparePanel');
    const loads: unknown[] = [];
    registerComparePanelSerializer(fake.context, { ...handlers, load: async (src: unknown) => (loads.push(src), data) });
    const source = { uri: 'file:///w/a.prompts', file: 'a.prompts', fact: 'F' };
    const fp = await fake.restore(ComparePanel.viewType, { v: 1, facts: ['F'], source });
    assert.deepEqual(loads, [source]);
    assert.match(fp.html, /script-src 'nonce-/);
    assert.deepEqual(fp.sent, [
      { type: 'loading', source },
      { type: 'update', data, source },
    ]);
    // the saved state is the page's, so untrusted: only a file: URI is restored
    for (const bad of [undefined, { source: { uri: 'https://x.test/a', file: 'a' } }, { source: { uri: 'file:///a', file: 7 } }, { source: 'file:///a' }]) {
      assert.equal(savedSource(bad), undefined);
    }
    const empty = await fake.restore(ComparePanel.viewType, {});
    assert.equal((empty.sent.at(-1) as { type: string }).type, 'loadFailed');
  });
});
