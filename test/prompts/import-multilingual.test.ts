// kn import of mLAMA and mPARAREL folders, made in their exact layouts: a fact per relation and
// subject, its prompts tagged [lang], its answer per language; the result parses without errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { tempDir } from '../synthetic';
import { parse } from '../../engine/src/prompts';

const cli = path.join(repoRoot(), 'out/engine/src/cli/main.js');
const kn = (...args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const write = (file: string, rows: unknown[]) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
};
const triple = (sub: string, obj: string, subUri: string, objUri: string, lineid: number) => ({
  sub_uri: subUri,
  obj_uri: objUri,
  sub_label: sub,
  obj_label: obj,
  lineid,
});

test('mLAMA (data/mlama1.1/<lang>/<relation>.jsonl + templates.jsonl) → one fact per subject, [en]/[fr] prompts, answers per language', () => {
  const dir = path.join(tempDir('mlama'), 'mlama1.1');
  write(path.join(dir, 'en/templates.jsonl'), [
    { relation: 'P36', template: 'The capital of [X] is [Y] .', label: 'capital', description: '', type: 'N-1' },
    { relation: 'P37', template: 'The official language of [X] is [Y] .', label: 'official language', type: 'N-1' },
  ]);
  write(path.join(dir, 'fr/templates.jsonl'), [{ relation: 'P36', template: 'La capitale de [X] est [Y] .' }]);
  write(path.join(dir, 'en/P36.jsonl'), [triple('France', 'Paris', 'Q142', 'Q90', 0), triple('Germany', 'Berlin', 'Q183', 'Q64', 1)]);
  write(path.join(dir, 'fr/P36.jsonl'), [triple('la France', 'Paris', 'Q142', 'Q90', 0), triple("l'Allemagne", 'Berlin', 'Q183', 'Q64', 1)]);
  write(path.join(dir, 'en/P37.jsonl'), [triple('France', 'French', 'Q142', 'Q150', 0)]);
  write(path.join(dir, 'fr/P37.jsonl'), [triple('France', 'français', 'Q142', 'Q150', 0)]); // no fr template: left out
  const r = kn('import', dir, '--output', path.join(dir, '..', 'out.prompts'));
  assert.equal(r.code, 0, r.err);
  const text = fs.readFileSync(path.join(dir, '..', 'out.prompts'), 'utf8');
  const ds = parse(text);
  assert.deepEqual(
    ds.diagnostics.filter((d) => d.severity === 1),
    [],
  );
  assert.deepEqual(
    ds.facts.map((f) => f.name),
    ['p36-france', 'p36-germany', 'p37-france'],
  );
  const france = ds.facts[0];
  assert.deepEqual(france.answers, { en: 'Paris', fr: 'Paris' });
  assert.deepEqual(
    france.prompts.map((p) => [p.lang, p.text]),
    [
      ['en', 'The capital of France is <mask> .'],
      ['fr', 'La capitale de la France est <mask> .'],
    ],
  );
  assert.deepEqual(ds.facts[2].answers, { en: 'French' });
  // --langs keeps the named languages only.
  const fr = parse(kn('import', dir, '--langs', 'fr').out);
  assert.deepEqual(
    fr.facts.map((f) => f.prompts.map((p) => p.lang)),
    [['fr'], ['fr']],
  );
});

test('mPARAREL (patterns/<lang>/<relation>.jsonl + tuples/<lang>/<relation>.jsonl) → paraphrases per language', () => {
  const dir = path.join(tempDir('mpararel'), 'mpararel');
  write(path.join(dir, 'patterns/en/P36.jsonl'), [{ pattern: 'The capital of [X] is [Y].' }, { pattern: '[X] has its capital in [Y].' }]);
  write(path.join(dir, 'patterns/de/P36.jsonl'), [{ pattern: 'Die Hauptstadt von [X] ist [Y].' }, { pattern: '[Y] ist die Hauptstadt von [X].' }]);
  write(path.join(dir, 'tuples/en/P36.jsonl'), [triple('France', 'Paris', 'Q142', 'Q90', 0)]);
  write(path.join(dir, 'tuples/de/P36.jsonl'), [triple('Frankreich', 'Paris', 'Q142', 'Q90', 0)]);
  const r = kn('import', dir, '--format', 'mpararel');
  assert.equal(r.code, 0, r.err);
  const ds = parse(r.out);
  assert.deepEqual(
    ds.diagnostics.filter((d) => d.severity === 1),
    [],
  );
  assert.equal(ds.facts.length, 1);
  assert.deepEqual(ds.facts[0].answers, { en: 'Paris', de: 'Paris' });
  assert.deepEqual(
    ds.facts[0].prompts.map((p) => `[${p.lang}] ${p.text}`),
    [
      '[en] The capital of France is <mask>.',
      '[en] France has its capital in <mask>.',
      '[de] Die Hauptstadt von Frankreich ist <mask>.',
      '[de] <mask> ist die Hauptstadt von Frankreich.',
    ],
  );
  // A bad line names its file and line.
  fs.appendFileSync(path.join(dir, 'tuples/de/P36.jsonl'), '{"sub_label": "x"\n');
  const bad = kn('import', dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /tuples\/de\/P36\.jsonl:2: not a JSON line/);
});
