/**
 * Two files on two models, saved in turn, quickly, many times (real engine, the embedded models
 * bert-tiny-facts and llama-stories260k): every job runs on its own file's model, and every
 * cached entry is its model's (the shape of its score matrix, the vocabulary of its predictions).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../engine/src/prompts';
import { isPrediction, isStoredScores, predictKey, scoresKey } from '../../server/src/cache';
import { modelFingerprint } from '../../server/src/modelFiles';
import { TestClient, fileUri, repoRoot, tempDir } from './lspClient';

const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

interface Side {
  model: string;
  /** The example's header and its prompt lines, from examples/. */
  header: string[];
  prompts: string[];
  uri: string;
  file: string;
}

function side(dir: string, example: string, model: string): Side {
  const lines = fs.readFileSync(path.join(repoRoot, 'examples', example), 'utf8').split('\n');
  const header = ['@version 1', `@model ${path.join(repoRoot, 'models', model)}`, '@steps 4'];
  // one fact per prompt, so that each round adds facts and prompts the worker has not seen
  const prompts: string[] = [];
  let fact = '';
  for (const l of lines) {
    const m = /^fact (\S+) -> (.*)$/.exec(l);
    if (m) fact = `fact ${m[1]}-%d -> ${m[2]}`;
    else if (/^ {2}\S/.test(l) && fact) prompts.push(`${fact.replace('%d', String(prompts.length))}\n${l}`);
  }
  const file = path.join(dir, example);
  return { model, header, prompts, file, uri: fileUri(file) };
}

const textOf = (s: Side, n: number) => [...s.header, ...s.prompts.slice(0, n)].join('\n') + '\n';

test('alternating saves of two files on two models never mix their results', { timeout: 600_000 }, async () => {
  const dir = tempDir('two-models');
  const cacheFolder = path.join(dir, 'cache');
  const bert = side(dir, 'capitals.prompts', 'bert-tiny-facts');
  const llama = side(dir, 'stories.prompts', 'llama-stories260k');
  const c = await TestClient.start({ settings: { cacheFolder, onSave: 'attributions', device: 'cpu' }, env: { KN_DEFAULT_MODEL: '' }, workspace: dir });
  clients.push(c);
  const rounds = Math.min(12, bert.prompts.length, llama.prompts.length);
  for (const s of [bert, llama]) {
    fs.writeFileSync(s.file, textOf(s, 1));
    await c.open(s.uri, textOf(s, 1));
  }
  for (let n = 1; n <= rounds; n++) {
    for (const s of [bert, llama]) {
      await c.change(s.uri, textOf(s, n));
      fs.writeFileSync(s.file, textOf(s, n));
      void c.save(s.uri);
    }
    await new Promise((r) => setTimeout(r, 20 + 10 * (n % 3)));
  }
  // let the last saves finish, then make sure every prompt of both files is computed
  for (const s of [bert, llama]) await c.command('knowledgeNeurons.server.findNeurons', s.uri);

  const expected = new Set<string>();
  for (const s of [bert, llama]) {
    const modelDir = path.join(repoRoot, 'models', s.model);
    const config = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8')) as { num_hidden_layers: number; intermediate_size: number };
    const vocab = (JSON.parse(fs.readFileSync(path.join(modelDir, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
    const fingerprint = await modelFingerprint({ ref: modelDir, isPath: true, display: s.model });
    const ds = parse(textOf(s, rounds), { causal: s.model.startsWith('llama') });
    let checked = 0;
    for (const f of ds.facts)
      for (const p of f.prompts) {
        const read = (key: string) => {
          expected.add(key);
          return (JSON.parse(fs.readFileSync(path.join(cacheFolder, key.slice(0, 2), `${key}.json`), 'utf8')) as { value: unknown }).value;
        };
        const pr = read(predictKey(fingerprint, p.text, p.answer!));
        assert.ok(isPrediction(pr), `${s.model}: prediction of '${p.text}'`);
        for (const t of pr.top_k)
          assert.equal(vocab[t.token], t.id, `${s.model}: '${p.text}' predicts ${JSON.stringify(t.token)} (${t.id}), a token of another vocabulary`);
        const sc = read(scoresKey(fingerprint, p.text, p.answer!, { steps: 4, batchSize: null, method: 'ig', quadrature: 'reference' }));
        assert.ok(isStoredScores(sc), `${s.model}: scores of '${p.text}'`);
        assert.deepEqual(
          [sc.matrix.rows, sc.matrix.cols],
          [config.num_hidden_layers, config.intermediate_size],
          `${s.model}: shape of the scores of '${p.text}'`,
        );
        checked++;
      }
    assert.equal(checked, rounds, `${s.model}: every prompt checked`);
  }
  // and nothing else was cached (artifacts/ holds the models' weights files and file-hash memo, no results)
  const files = fs
    .readdirSync(cacheFolder, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.json') && !f.startsWith(`artifacts${path.sep}`));
  assert.deepEqual(files.map((f) => path.basename(f, '.json')).sort(), [...expected].sort());
});
