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
    assert.deepEqual(roots.map((r) => r.fsPath), [`${repoRoot}/dist/media`]);
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

    fp.receive({ type: 'intervene', requestId: 7, mode: 'enhance', fact: 'F', neurons: [{ layer: 1, index: 3 }], prompts: [] });
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
      { type: 'intervene', requestId: 9, mode: 'enhance', fact: 'F', neurons: [{ layer: 2, index: 0 }], prompts: [] },
      { type: 'intervene', requestId: 9, mode: 'enhance', fact: 'G', neurons: [{ layer: 0, index: 0 }], prompts: [] },
      { type: 'export', requestId: 9, format: 'csv', view: 'layers', filename: 'a/b.csv', content: 'x' },
      'ready',
      { type: 'update', data },
    ]) {
      fp.receive(bad);
    }
    await tick();
    assert.equal(calls.length, n);
    assert.equal(fp.sent.length, sent);
    assert.equal(logs.filter((l) => l.includes('rejected')).length, 5);
  });

  it('reports a failing handler to the page', async () => {
    const fp = fake.lastPanel() as FakePanel;
    ComparePanel.show(fake.context, data, { ...handlers, onIntervene: async () => Promise.reject(new Error('model not loaded')) });
    fp.receive({ type: 'intervene', requestId: 10, mode: 'suppress', fact: 'F', neurons: [{ layer: 0, index: 0 }], prompts: ['p [MASK].'] });
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
});
