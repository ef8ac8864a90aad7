/**
 * The language status items' texts (client/src/statusView.ts): the state in words, and `@model` /
 * engine text shown as written: VS Code renders `$(name)` in a status text as an icon, unless the
 * `$` is escaped with a backslash (its renderLabelWithIcons rule, mirrored below).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeIcons, statusView } from '../../client/src/statusView';

/** Status-bar text as VS Code shows it: `$(name)` and `$(name~spin)` become icons, `\$(` is a literal `$(`. */
const render = (text: string) =>
  text.replace(/(\\)?\$\(([a-z0-9-]+?(?:~[a-z0-9-]+)?)\)/gi, (m, escaped: string | undefined, name: string) => (escaped ? m.slice(1) : `<icon ${name}>`));

const HOSTILE = [
  '$(alert) https://example.com/model',
  'a $(sync~spin) b',
  '[x](command:workbench.action.terminal.new)',
  'C:\\models\\bert $(x',
  'an escaped \\$(alert)',
  'two\nlines',
];

test('text from the workspace shows as written, on one line, never as an icon', () => {
  for (const s of HOSTILE) {
    assert.equal(render(escapeIcons(s)), s.replace(/\s+/g, ' '), s);
    const v = statusView({ model: s, device: 'cpu', state: 'error', message: `cannot load ${s}` }, true);
    assert.equal(render(v.model.text), `<icon circuit-board> ${s.replace(/\s+/g, ' ')}`);
    assert.equal(render(v.state.detail), `cannot load ${s.replace(/\s+/g, ' ')}`);
  }
});

test('the state: ready, running n of m, loading, error, idle; Restricted Mode whatever the server says', () => {
  const base = { model: 'bert-tiny-facts', device: 'cpu' };
  assert.deepEqual(statusView({ ...base, state: 'working', done: 2, total: 12 }, true).state, {
    text: 'running 3 of 12',
    detail: '',
    severity: 'information',
    busy: true,
    opens: 'output',
  });
  assert.equal(statusView({ ...base, state: 'ready' }, true).state.text, 'ready');
  assert.equal(statusView({ ...base, state: 'ready' }, true).model.detail, 'on cpu');
  assert.equal(statusView({ ...base, state: 'loading' }, true).state.busy, true);
  const err = statusView({ ...base, state: 'error', message: 'model folder not found: /m' }, true).state;
  assert.deepEqual([err.severity, err.detail, err.opens], ['error', 'model folder not found: /m', 'output']);
  assert.match(statusView({ model: '', device: '', state: 'idle' }, true).model.text, /no model$/);
  for (const state of ['ready', 'working', 'error'] as const) {
    const r = statusView({ ...base, state, done: 0, total: 3 }, false).state;
    assert.deepEqual([r.text, r.severity, r.busy, r.opens], ['Restricted Mode: analysis off', 'warning', false, 'trust']);
  }
});
