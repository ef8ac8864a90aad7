// kn report: a results file as one self-contained page and a CSV, checked against the results lines
// and in headless Chromium (light and dark; nothing fetched). Screenshots: test-artifacts/report/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixture, repoRoot } from '../helpers';
import { tempDir } from '../synthetic';

const root = repoRoot();
const cli = path.join(root, 'out/engine/src/cli/main.js');
const chromiumPath = process.env.KN_CHROMIUM ?? '/usr/bin/chromium';
const artifacts = path.join(root, 'test-artifacts', 'report');
const kn = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

let dir = '';
let lines: any[] = [];
let csv: Map<string, number>;
before(() => {
  dir = tempDir('report');
  for (const name of ['capitals.prompts', 'languages.prompts']) {
    fs.writeFileSync(
      path.join(dir, name),
      fs
        .readFileSync(path.join(root, 'examples', name), 'utf8')
        .replace(/^@model .*$/m, '')
        .replace(/^@steps .*$/m, ''),
    );
  }
  const r = kn(
    dir,
    'find',
    'capitals.prompts',
    'languages.prompts',
    '--model',
    fixture('bert-tiny-facts'),
    '--device',
    'cpu',
    '--steps',
    '3',
    '--out',
    'results.jsonl',
    '--quiet',
  );
  assert.equal(r.code, 0, r.err);
  const rep = kn(dir, 'report', 'results.jsonl', '--out', 'report.html');
  assert.equal(rep.code, 0, rep.err);
  lines = fs
    .readFileSync(path.join(dir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(1)
    .map((l) => JSON.parse(l));
  const rows = fs
    .readFileSync(path.join(dir, 'report.csv'), 'utf8')
    .trim()
    .split('\r\n')
    .slice(1)
    .map((r) => r.split(','));
  csv = new Map(rows.map(([figure, group, series, value]) => [`${figure}/${group}/${series}`, Number(value)]));
});

test('the CSV holds every figure’s numbers, as computed from the results lines', () => {
  const facts = lines.map((l) => l.fact);
  const meanRel = (es: any[], k: string) => es.reduce((s, e) => s + (e[k] - e.before) / e.before, 0) / es.length;
  const close = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
  close(
    csv.get('relative_change_of_p/all/own_suppressed'),
    meanRel(
      facts.flatMap((f) => f.effects),
      'suppressed',
    ),
  );
  close(
    csv.get('relative_change_of_p/all/unrelated_enhanced'),
    meanRel(
      facts.flatMap((f) => f.control.effects),
      'enhanced',
    ),
  );
  const capital = facts.filter((f) => f.name.startsWith('capital-'));
  close(
    csv.get('relative_change_of_p/capital/own_enhanced'),
    meanRel(
      capital.flatMap((f) => f.effects),
      'enhanced',
    ),
  );
  // Histogram and layers: every fact once, every refined neuron once.
  const hist = [...csv].filter(([k]) => k.startsWith('refined_neurons_per_fact/'));
  assert.equal(
    hist.reduce((s, [, v]) => s + v, 0),
    facts.length,
  );
  for (const f of facts) assert.ok((csv.get(`refined_neurons_per_fact/${f.refined.length}/facts`) ?? 0) >= 1);
  const perLayer = [...csv].filter(([k]) => k.startsWith('refined_neurons_per_layer/'));
  assert.equal(
    perLayer.reduce((s, [, v]) => s + v, 0),
    facts.reduce((s, f) => s + f.refined.length, 0),
  );
  // Languages: en and fr, the matrix symmetric, its diagonal each language's refined neurons.
  const multi = facts.filter((f) => f.groups.en && f.groups.fr);
  assert.ok(multi.length > 0);
  assert.equal(
    csv.get('language_overlap/en-en/shared_neurons'),
    multi.reduce((s, f) => s + f.groups.en.refined.length, 0),
  );
  const both = multi.reduce(
    (s, f) => s + f.groups.en.refined.filter(([l, n]: number[]) => f.groups.fr.refined.some(([m, k]: number[]) => m === l && k === n)).length,
    0,
  );
  assert.equal(csv.get('language_overlap/en-fr/shared_neurons'), both);
  assert.equal(csv.get('language_overlap/fr-en/shared_neurons'), both);
  assert.equal(csv.get('language_specific/en/shared_by_all'), both);
  assert.equal(csv.get('language_specific/en/language_only')! + both, csv.get('language_overlap/en-en/shared_neurons'));
});

test('the page is self-contained: inline SVG, no script, nothing to fetch', () => {
  const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
  assert.doesNotMatch(html, /https?:|<script|\bsrc=|\bhref=|@import|url\(/i);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.equal((html.match(/<svg /g) ?? []).length, 5);
  assert.match(html, /prefers-color-scheme: dark/);
});

const skip = fs.existsSync(chromiumPath) ? false : `no Chromium at ${chromiumPath}`;
let browser: any;
after(async () => browser?.close());

test('in Chromium, light and dark: every figure drawn, readable colours, no request; screenshots', { skip }, async () => {
  const { chromium } = require('playwright-core');
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  fs.mkdirSync(artifacts, { recursive: true });
  const seen: Record<string, { bg: string; fg: string }> = {};
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: scheme });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r: { url(): string }) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('console', (m: { type(): string; text(): string }) => m.type() === 'error' && errors.push(m.text()));
    await page.goto('file://' + path.join(dir, 'report.html'));
    const info = await page.evaluate(() => {
      const svgs = Array.from(document.querySelectorAll('svg'));
      const cs = getComputedStyle(document.body);
      return {
        bg: cs.backgroundColor,
        fg: cs.color,
        drawn: svgs.map((s) => s.querySelectorAll('rect').length),
        width: svgs.map((s) => s.getBoundingClientRect().width),
      };
    });
    assert.ok(info.drawn.every((n: number) => n > 0) && info.width.every((w: number) => w > 100), JSON.stringify(info));
    assert.deepEqual(requests, ['file://' + path.join(dir, 'report.html')]);
    assert.deepEqual(errors, []);
    seen[scheme] = { bg: info.bg, fg: info.fg };
    await page.screenshot({ path: path.join(artifacts, `report-${scheme}.png`), fullPage: true });
    await context.close();
  }
  assert.equal(seen.light.bg, 'rgb(255, 255, 255)');
  assert.notEqual(seen.dark.bg, seen.light.bg);
  assert.notEqual(seen.dark.fg, seen.light.fg);
});
