/**
 * Headless Chromium test of the compare panel: the real ComparePanel (with a stand-in for the
 * `vscode` module), the real HTML builder and CSP, the built dist/media/compare.js, and data built
 * from the fixture's reference results. Screenshots go to test-artifacts/webview/.
 *
 * Needs /usr/bin/chromium (or $KN_CHROMIUM); skipped without it or without the fixture.
 */

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as C from '../../media/src/model/compare';
import type { CompareData } from '../../engine/src/types';
import { formatChange } from '../../engine/src/format';
import { validatePageMessage } from '../../protocol/panel';
import { compareDataFromReference, fixturesDir, hasReference, repoRoot } from './fixture';
import { bertCardFromSafetensors } from '../synthetic';
import { installVscodeStub, FakePanel } from './vscodeStub';
import { THEMES, ThemeName } from './themes';

const chromiumPath = process.env.KN_CHROMIUM ?? '/usr/bin/chromium';
const artifacts = path.join(repoRoot, 'test-artifacts', 'webview');
const skip = !fs.existsSync(chromiumPath) ? `no Chromium at ${chromiumPath}` : !hasReference() ? 'fixture not found' : false;

type Page = any;
type Browser = any;

describe('compare panel in headless Chromium', { skip, timeout: 480_000 }, () => {
  let browser: Browser;
  let server: http.Server;
  let origin = '';
  let fake: ReturnType<typeof installVscodeStub>;
  let data: CompareData;
  const interventions: unknown[] = [];
  const exports: Array<{ format: string; view: string; filename: string; content: string | Uint8Array }> = [];
  const logs: string[] = [];
  const cardRequests: Array<{ layer: number; index: number }> = [];
  let project: ReturnType<typeof bertCardFromSafetensors> | undefined;
  let ComparePanel: any;
  let panel: { update(d: CompareData, source?: unknown): void };

  before(async () => {
    fs.mkdirSync(artifacts, { recursive: true });
    // The page as `npm run build` (scripts/build.mjs) bundled it from its sources.
    const bundle = path.join(repoRoot, 'dist', 'media', 'compare.js');
    assert.ok(fs.existsSync(bundle), `${bundle} is missing: run npm run build`);
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return;
      }
      if (url.pathname === '/panel.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(fake.lastPanel()?.webview.html ?? '');
        return;
      }
      // Only dist/media/ is served, like localResourceRoots.
      const m = /^\/ext\/(dist\/media\/[A-Za-z0-9._/-]+)$/.exec(url.pathname);
      const file = m && !m[1].includes('..') ? path.join(repoRoot, m[1]) : undefined;
      if (!file || !fs.existsSync(file)) {
        res.writeHead(404);
        res.end();
        return;
      }
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
      res.writeHead(200, { 'content-type': type });
      fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake = installVscodeStub({ origin, extensionRoot: repoRoot });
    ComparePanel = require('../../client/src/comparePanel').ComparePanel;
    data = compareDataFromReference();
    const { chromium } = require('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    fake?.uninstall();
  });

  const handlers = {
    async onIntervene(req: { mode: string; fact: string; neurons: unknown[]; prompts: string[] }) {
      interventions.push(req);
      return { results: req.prompts.map((text, i) => ({ text, before: 0.9, after: req.mode === 'suppress' ? 0.5 - i * 0.01 : 0.95 })) };
    },
    /** The card of the fixture's neuron, computed straight from its safetensors file. */
    async onNeuronCard(req: { neuron: { layer: number; index: number } }) {
      cardRequests.push(req.neuron);
      const { layer, index } = req.neuron;
      const d = (project ??= bertCardFromSafetensors(path.join(fixturesDir, 'bert-tiny-facts')))(layer, index);
      const pick = (ids: number[]) => ids.map((id) => ({ id, token: d.tokenOf[id], score: d.score[id] }));
      return { neuron: req.neuron, label: `L${layer}·${index}`, norm: d.norm, promotes: pick(d.promotes), suppresses: pick(d.suppresses) };
    },
    async onExport(req: { format: string; view: string; filename: string; content: string | Uint8Array }) {
      exports.push(req);
      const dir = path.join(artifacts, 'exports');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, req.filename);
      fs.writeFileSync(file, req.content);
      return file;
    },
    log(m: string) {
      logs.push(m);
    },
  };

  /** Open the panel's page as the extension would show it, wired to the fake webview. */
  async function openPage(theme: ThemeName, initialState?: unknown): Promise<{ page: Page; errors: string[]; fp: FakePanel }> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 940 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m: { type(): string; text(): string }) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    if (!panel) panel = ComparePanel.show(fake.context, data, handlers);
    const fp = fake.lastPanel() as FakePanel;
    fp.attach(page);
    await page.exposeFunction('__knToHost', (m: unknown) => fp.receive(m));
    await page.addInitScript(
      ({ state, vars }: { state: unknown; vars: Record<string, string> }) => {
        let st = state;
        const w = window as unknown as Record<string, unknown>;
        w.__knPosted = [];
        const api = {
          postMessage: (m: unknown) => {
            (w.__knPosted as unknown[]).push(m);
            (w.__knToHost as (m: unknown) => void)(m);
          },
          getState: () => st,
          setState: (s: unknown) => {
            st = JSON.parse(JSON.stringify(s));
            w.__knState = st;
          },
        };
        w.acquireVsCodeApi = () => api;
        // What VS Code does: theme variables on <html> (CSSOM, allowed by the CSP), theme class on <body>.
        document.addEventListener('DOMContentLoaded', () => {
          for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
        });
        if (document.documentElement) for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      },
      { state: initialState, vars: THEMES[theme] },
    );
    await page.goto(`${origin}/panel.html`);
    await page.waitForSelector('.set-card', { state: 'attached' });
    return { page, errors, fp };
  }

  async function shot(page: Page, name: string, selector = 'body'): Promise<void> {
    await page.waitForTimeout(120);
    await page
      .locator(selector)
      .first()
      .screenshot({ path: path.join(artifacts, `${name}.png`) });
  }

  async function cardCounts(page: Page): Promise<Record<string, number>> {
    return page.$$eval('.set-card', (els: Element[]) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-set'), Number(e.querySelector('.count')?.getAttribute('data-count'))])),
    );
  }

  function expectedCounts(facts: string[], groups: string[], rule = data.settings.rule, p = data.settings.p): Record<string, number> {
    const m = C.compareModel(data, { facts, groups }, { rule, p });
    return Object.fromEntries(m.sets.map((s) => [s.id, s.refined.length]));
  }

  async function showTab(page: Page, tab: string): Promise<void> {
    await page.click(`[data-tab-header="${tab}"]`);
    await page.waitForFunction((t: string) => !(document.querySelector(`[data-tab-panel="${t}"]`) as HTMLElement).hidden, tab);
  }

  it('renders every view from the reference data and reacts to the controls (dark theme)', async () => {
    const { page, errors } = await openPage('dark');
    const f0 = data.facts[0].name;
    // (a) refined neurons per group, side by side: en and fr by default, equal to the reference
    assert.deepEqual(await cardCounts(page), { [`${f0}/en`]: data.facts[0].groups.en.refined.length, [`${f0}/fr`]: data.facts[0].groups.fr.refined.length });
    const model = C.compareModel(data, { facts: [f0], groups: ['en', 'fr'] }, data.settings);
    assert.equal(await page.locator('#upset .combo').count(), model.overlap.intersections.length);
    const shared = await page.$$eval('#sets [data-set$="/en"] .neuron.shared', (els: Element[]) => els.map((e) => e.getAttribute('data-neuron')).sort());
    assert.deepEqual(shared, model.overlap.shared.map(C.neuronKey).sort());
    await shot(page, 'dark-refined');

    // p re-refines at once from cached scores (keyboard on the slider)
    await page.focus('#p-range');
    await page.keyboard.press('End');
    await page.waitForFunction(() => (window as unknown as { __knState?: { p: number } }).__knState?.p === 0.95);
    const at95 = expectedCounts([f0], ['en', 'fr'], data.settings.rule, 0.95);
    assert.deepEqual(await cardCounts(page), at95);
    assert.notDeepEqual(at95, expectedCounts([f0], ['en', 'fr']));
    // threshold too
    await page.focus('#p-range');
    await page.keyboard.press('Home');
    await page.focus('#rule-range');
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => (window as unknown as { __knState?: { rule: { value: number } } }).__knState?.rule.value === 0.1);
    const low = expectedCounts([f0], ['en', 'fr'], { kind: 'adaptive', value: 0.1 }, 0);
    assert.deepEqual(await cardCounts(page), low);
    assert.ok(
      Object.values(low).every((v) => v > 20),
      JSON.stringify(low),
    );
    // another rule: percentile
    await page.evaluate(() => {
      const el = document.getElementById('rule-kind') as HTMLElement & { value: string };
      el.value = 'percentile';
      el.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => (window as unknown as { __knState?: { rule: { kind: string } } }).__knState?.rule.kind === 'percentile');
    const pctRule = await page.evaluate(() => (window as unknown as { __knState: { rule: { kind: 'percentile'; value: number } } }).__knState.rule);
    assert.equal(await page.inputValue('#rule-range'), String(pctRule.value));
    assert.deepEqual(await cardCounts(page), expectedCounts([f0], ['en', 'fr'], pctRule, 0));
    // back to the computed settings
    await page.click('#reset');
    await page.waitForFunction(() => (window as unknown as { __knState?: { custom: boolean } }).__knState?.custom === false);
    assert.deepEqual(await cardCounts(page), expectedCounts([f0], ['en', 'fr']));

    // group selection: add `all`
    await page.click('vscode-checkbox[data-group="all"]');
    await page.waitForFunction(() => document.querySelectorAll('.set-card').length === 3);
    assert.deepEqual(await cardCounts(page), expectedCounts([f0], ['en', 'fr', 'all']));
    // fact selection: two facts → 6 sets, labelled by fact
    const f2 = data.facts[2].name;
    await page.evaluate(
      (names: string[]) => {
        const el = document.getElementById('facts') as HTMLElement & { value: string[] };
        el.value = names;
        el.dispatchEvent(new Event('change'));
      },
      [f0, f2],
    );
    await page.waitForFunction(() => document.querySelectorAll('.set-card').length === 6);
    assert.deepEqual(await cardCounts(page), expectedCounts([f0, f2], ['en', 'fr', 'all']));
    await shot(page, 'dark-refined-two-facts');
    await page.evaluate(
      (names: string[]) => {
        const el = document.getElementById('facts') as HTMLElement & { value: string[] };
        el.value = names;
        el.dispatchEvent(new Event('change'));
      },
      [f0],
    );
    await page.waitForFunction(() => document.querySelectorAll('.set-card').length === 3);

    // UpSet: a click on a combination highlights its neurons
    const combo = model.overlap.intersections[0];
    await page.locator('#upset .combo').first().click();
    await page.waitForSelector('.intersection-detail');
    assert.equal(await page.locator('.intersection-detail .neuron').count(), combo.count);

    // click a neuron → every prompt where it is coarse, with its score
    const first = await page.locator('#sets .neuron').first();
    const key = await first.getAttribute('data-neuron');
    await first.click();
    await page.waitForSelector('#neuron-title');
    const occ = C.neuronOccurrences(data, C.parseNeuronKey(key), data.settings.rule);
    assert.equal(await page.locator('#neuron-detail tbody tr').count(), occ.length);
    assert.equal(await page.locator('#neuron-count').getAttribute('data-count'), String(occ.length));
    const firstRow = await page.locator('#neuron-detail tbody tr').first().innerText();
    assert.ok(firstRow.includes(occ[0].prompt) && firstRow.includes(C.formatScore(occ[0].score)), firstRow);
    // keyboard: Tab to another neuron, Enter opens it, focus stays on it
    const second = page.locator('#sets .neuron').nth(1);
    const key2 = await second.getAttribute('data-neuron');
    await second.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((k: string) => (window as unknown as { __knState: { neuron: string } }).__knState.neuron === k, key2);
    assert.equal(await page.evaluate(() => (window as unknown as { __knState: { neuron: string } }).__knState.neuron), key2);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-neuron')), key2);
    // what it writes: the card the page asked the extension for (validated), its tokens as sent
    const n2 = C.parseNeuronKey(key2);
    await page.waitForSelector('#neuron-card [data-role="suppresses"] .token');
    assert.deepEqual(cardRequests.at(-1), n2);
    const d2 = project!(n2.layer, n2.index);
    const tokens = (role: string) => page.$$eval(`#neuron-card [data-role="${role}"] .token`, (els: Element[]) => els.map((e) => e.textContent));
    assert.deepEqual(
      await tokens('promotes'),
      d2.promotes.slice(0, 8).map((id) => d2.tokenOf[id]),
    );
    assert.deepEqual(
      await tokens('suppresses'),
      d2.suppresses.slice(0, 8).map((id) => d2.tokenOf[id]),
    );
    // asked once per neuron: going back to the first shows its card from the page's store
    const asked = cardRequests.length;
    await first.click();
    await page.waitForFunction((k: string) => (window as unknown as { __knState: { neuron: string } }).__knState.neuron === k, key);
    await page.waitForSelector('#neuron-card [data-role="promotes"] .token');
    await second.click();
    await page.waitForSelector('#neuron-card [data-role="promotes"] .token');
    assert.equal(cardRequests.length, asked);
    await shot(page, 'dark-neuron-detail');

    // suppress / enhance on a selection → validated request to the extension → results shown
    await page.click(`vscode-button[data-select-set="${f0}/en"]`);
    await page.waitForFunction(() => document.querySelectorAll('#selection .neuron').length > 0);
    await page.click('#run-suppress');
    await page.waitForSelector('#run-results tbody tr');
    const req = interventions.at(-1) as { mode: string; fact: string; neurons: Array<{ layer: number; index: number }>; prompts: string[] };
    assert.equal(req.mode, 'suppress');
    assert.equal(req.fact, f0);
    assert.deepEqual(req.neurons.map(C.neuronKey).sort(), data.facts[0].groups.en.refined.map(C.neuronKey).sort());
    assert.deepEqual(
      req.prompts,
      data.facts[0].prompts.filter((p) => p.lang === 'en').map((p) => p.text),
    );
    assert.equal(await page.locator('#run-results tbody tr').count(), req.prompts.length);

    // (b) heatmap: mean of the group, normalised per prompt by default (issue #20 item 7); a click on
    // the first cell of layer 0 opens the top neuron
    await showTab(page, 'heatmap');
    await page.waitForSelector('#heatmap');
    assert.match(await page.locator('#heat-title').innerText(), /each prompt's scores ÷ its maximum/);
    const mean = C.meanScores(C.groupPrompts(data.facts[0], 'all'), 'normalised')!.mean;
    const top0 = C.orderByScore(mean[0])[0];
    const box = await page.locator('#heatmap').boundingBox();
    await page.mouse.click(box.x + 44 + 2, box.y + 8 + 4);
    await page.waitForFunction((k: string) => (window as unknown as { __knState: { neuron: string } }).__knState.neuron === k, `0:${top0}`);
    // keyboard on the canvas: Down + Enter → top neuron of layer 1
    await page.focus('#heatmap');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const top1 = C.orderByScore(mean[1])[0];
    await page.waitForFunction((k: string) => (window as unknown as { __knState: { neuron: string } }).__knState.neuron === k, `1:${top1}`);
    await shot(page, 'dark-heatmap');
    // raw scores on request, and said so
    await page.evaluate(() => {
      const el = document.getElementById('heat-scale') as HTMLElement & { value: string };
      el.value = 'raw';
      el.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => document.getElementById('heat-title')?.textContent?.includes('raw scores'));
    const raw = C.meanScores(C.groupPrompts(data.facts[0], 'all'), 'raw')!.mean;
    const rawBox = await page.locator('#heatmap').boundingBox();
    await page.mouse.click(rawBox.x + 44 + 2, rawBox.y + 8 + 4);
    await page.waitForFunction(
      (k: string) => (window as unknown as { __knState: { neuron: string } }).__knState.neuron === k,
      `0:${C.orderByScore(raw[0])[0]}`,
    );
    // one prompt instead of the mean
    await page.evaluate(() => {
      const el = document.getElementById('heat-source') as HTMLElement & { value: string };
      el.value = 'prompt:0';
      el.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => document.getElementById('heat-title')?.textContent?.includes('\u201c'));

    // (c) layers
    await showTab(page, 'layers');
    const layersModel = C.compareModel(data, { facts: [f0], groups: ['en', 'fr', 'all'] }, data.settings);
    const bars = await page.$$eval('#layers-chart rect[data-layer]', (els: Element[]) =>
      els.map((e) => [e.getAttribute('data-set'), Number(e.getAttribute('data-layer')), Number(e.getAttribute('data-value'))]),
    );
    assert.equal(bars.length, data.layers * 3);
    for (const [set, l, v] of bars) assert.equal(v, layersModel.layers[set as string][l as number]);
    await shot(page, 'dark-layers');

    // (d) effects
    await showTab(page, 'effects');
    const eff = data.facts[0].effects!;
    assert.equal(await page.locator('#effects-chart .effect-row.own').count(), eff.own.length);
    assert.equal(await page.locator('#effects-chart .effect-row.control').count(), eff.control.length);
    const sum = C.effectsSummary(eff);
    const text = await page.locator('#effects-summary').innerText();
    // changes with two significant digits (formatChange: no "-0.00%")
    assert.equal(text, C.effectsSummaryText(data.facts[0].answer, sum));
    assert.ok(text.includes(formatChange(sum.own.suppress)) && text.includes(formatChange(sum.control.enhance)), text);
    await shot(page, 'dark-effects');

    // exports: SVG / PNG / CSV go to the extension with content it accepts
    await showTab(page, 'layers');
    for (const fmt of ['svg', 'png', 'csv']) {
      const n = exports.length;
      await page.click(`[data-export="layers:${fmt}"]`);
      await waitFor(() => exports.length > n);
    }
    const [svg, png, csv] = exports.slice(-3);
    assert.match(String(svg.content), /^<\?xml[^>]*>\s*<svg[\s>]/);
    assert.ok(!String(svg.content).includes('var(--'), 'theme colours resolved in the SVG');
    assert.deepEqual([...(png.content as Uint8Array).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.equal(csv.content, C.layersCsv(layersModel, data.layers));
    await showTab(page, 'heatmap');
    for (const fmt of ['svg', 'csv']) {
      const n = exports.length;
      await page.click(`[data-export="heatmap:${fmt}"]`);
      await waitFor(() => exports.length > n);
    }
    // the exported heatmap stands on its own: axis labels, a colour legend, neuron ids (issue #20 item 7)
    const hsvg = String(exports.at(-2)!.content);
    assert.match(hsvg, />layer<\/text>/);
    assert.match(hsvg, /neurons ranked by score within each layer/);
    assert.match(hsvg, /colour ∝ \|value\|\^/);
    const p0 = data.facts[0].prompts[0].scores!;
    for (const l of [0, p0.length - 1]) assert.ok(hsvg.includes(`>${C.orderByScore(p0[l])[0]}</text>`), `top neuron of layer ${l} labelled`);
    for (const k of C.coarseNeurons(p0, data.settings.rule).slice(0, 5)) assert.ok(hsvg.includes(C.neuronLabel(k)), `coarse ${C.neuronLabel(k)} listed`);
    await showTab(page, 'refined');
    for (const fmt of ['svg', 'png', 'csv']) {
      const n = exports.length;
      await page.click(`[data-export="refined:${fmt}"]`);
      await waitFor(() => exports.length > n);
    }
    const [rsvg, , rcsv] = exports.slice(-3);
    for (const set of layersModel.sets) {
      assert.ok(String(rsvg.content).includes(`>${set.group}<`), `set ${set.group} in the SVG`);
      for (const n of set.refined) assert.ok(String(rsvg.content).includes(C.neuronLabel(n)));
    }
    assert.equal(rcsv.content, C.refinedCsv(layersModel));
    assert.equal(await page.locator('[data-tab-panel="refined"] > svg:not(#upset)').count(), 0, 'temporary export SVG removed');

    // a malformed message from the page is rejected by the validator and not acted on
    const before = interventions.length;
    const rejected = logs.length;
    await page.evaluate(() => {
      const api = (window as unknown as { acquireVsCodeApi(): { postMessage(m: unknown): void } }).acquireVsCodeApi();
      api.postMessage({ type: 'intervene', requestId: 1, mode: 'suppress', fact: 'France capital', neurons: [{ layer: 99, index: 0 }], prompts: [] });
      api.postMessage({ type: 'export', requestId: 2, format: 'csv', view: 'layers', filename: '../../.bashrc', content: 'x' });
      api.postMessage({ type: 'eval', code: 'process.exit()' });
    });
    await waitFor(() => logs.length >= rejected + 3);
    assert.equal(interventions.length, before);
    assert.ok(
      logs.slice(rejected).every((l) => l.includes('rejected')),
      logs.join('\n'),
    );
    // every message the page itself posted passed the validator
    const posted: unknown[] = await page.evaluate(() => (window as unknown as { __knPosted: unknown[] }).__knPosted);
    const own = posted.slice(0, -3);
    for (const m of own) assert.ok(validatePageMessage(m, data).ok, JSON.stringify(m).slice(0, 200));

    // live update: new data arrives, the page keeps its choices and shows the new numbers
    const changed: CompareData = JSON.parse(JSON.stringify(data));
    changed.facts[0].prompts = changed.facts[0].prompts.filter((p) => p.lang !== 'fr');
    delete changed.facts[0].groups.fr;
    changed.facts = changed.facts.slice(0, 4);
    panel.update(changed);
    await page.waitForFunction(() => document.querySelectorAll('.set-card').length === 2);
    assert.equal(await page.locator('#facts vscode-option').count(), 4);
    const cc = C.compareModel(changed, { facts: [f0], groups: ['en', 'all'] }, changed.settings);
    assert.deepEqual(await cardCounts(page), Object.fromEntries(cc.sets.map((s) => [s.id, s.refined.length])));
    panel.update(data);
    await page.waitForFunction(() => document.querySelectorAll('#facts vscode-option').length === 12);

    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('restores its state when hidden and shown again', async () => {
    const first = await openPage('dark');
    const f0 = data.facts[0].name;
    await first.page.focus('#p-range');
    await first.page.keyboard.press('ArrowRight'); // p 0.55
    await first.page.locator('#sets .neuron').first().click();
    await showTab(first.page, 'layers');
    const saved = await first.page.evaluate(() => (window as unknown as { __knState: unknown }).__knState);
    const countsBefore = await cardCounts(first.page);
    await first.page.context().close(); // retainContextWhenHidden is false: the page is gone

    const again = await openPage('dark', saved);
    const st = await again.page.evaluate(() => (window as unknown as { __knState: { p: number; tab: string; neuron: string } }).__knState);
    assert.equal(st.p, 0.55);
    assert.equal(st.tab, 'layers');
    assert.equal(await again.page.inputValue('#p-range'), '0.55');
    assert.equal(await again.page.evaluate(() => (document.querySelector('[data-tab-panel="layers"]') as HTMLElement).hidden), false);
    assert.ok((await again.page.locator('#neuron-title').innerText()).includes(C.neuronLabel(C.parseNeuronKey((saved as { neuron: string }).neuron))));
    assert.deepEqual(await cardCounts(again.page), countsBefore);
    assert.deepEqual(countsBefore, expectedCounts([f0], ['en', 'fr'], data.settings.rule, 0.55));
    assert.deepEqual(again.errors, []);
    await again.page.context().close();
  });

  it('names the file, model and fact it shows and follows them; a failed run ends "Running…" (issue #20)', async () => {
    const { page, errors } = await openPage('dark');
    type St = { selection: string[]; facts: string[] };
    const st = (): Promise<St> => page.evaluate(() => (window as unknown as { __knState: St }).__knState);
    let failRun = false;
    let release: (d: CompareData) => void = () => undefined;
    let loads = 0;
    const h2 = {
      ...handlers,
      load: async () => (loads++ === 0 ? data : new Promise<CompareData>((r) => (release = r))),
      onIntervene: async (req: { mode: string; fact: string; neurons: unknown[]; prompts: string[] }) =>
        failRun ? Promise.reject(new Error('the model could not be loaded')) : handlers.onIntervene(req),
    };
    // opened from the code lens of the second fact: that fact is shown, and named
    const a = { uri: 'file:///w/facts.prompts', file: 'facts.prompts', fact: data.facts[1].name };
    await ComparePanel.open(fake.context, a, h2);
    await page.waitForFunction((f: string) => document.getElementById('source-fact')?.textContent === `fact ${f}`, a.fact);
    assert.equal(await page.locator('#source-file').innerText(), 'facts.prompts');
    assert.equal(await page.locator('#source-model').innerText(), `model ${data.model}`);
    assert.ok(Object.keys(await cardCounts(page)).every((id) => id.startsWith(`${a.fact}/`)));
    await page.waitForFunction(() => document.getElementById('facts')?.shadowRoot?.querySelector('.select-face-badge')?.textContent?.trim() === '1 Selected');
    // the neuron chips are one Tab stop; the arrow keys move between them (issue #20 item 9)
    const chips = await page.$$eval('#sets .neuron', (els: HTMLElement[]) => els.map((e) => e.tabIndex));
    assert.ok(chips.length > 2);
    assert.deepEqual(
      chips.filter((t: number) => t === 0),
      [0],
    );
    await page.locator('#sets .neuron[tabindex="0"]').focus();
    const firstChip = await page.evaluate(() => document.activeElement?.getAttribute('data-neuron'));
    await page.keyboard.press('ArrowRight');
    const nextChip = await page.evaluate(() => document.activeElement?.getAttribute('data-neuron'));
    const order: string[] = await page.$$eval('#sets .neuron', (els: HTMLElement[]) => els.map((e) => e.getAttribute('data-neuron') ?? ''));
    assert.equal(nextChip, order[order.indexOf(firstChip) + 1]);
    assert.notEqual(nextChip, firstChip);
    assert.equal(await page.locator('#sets .neuron[tabindex="0"]').count(), 1);
    // select a set and run: a failure ends the running state with its message
    await page.locator('[data-select-set]').first().click();
    await page.waitForFunction(() => (window as unknown as { __knState: St }).__knState.selection.length > 0);
    failRun = true;
    await page.click('#run-suppress');
    await page.waitForSelector('#run-error');
    assert.match(await page.locator('#run-error').innerText(), /the model could not be loaded/);
    assert.equal(await page.locator('#run-running').count(), 0);
    failRun = false;
    await shot(page, 'dark-source-and-failed-run');

    // the file is saved: a loading state at once, the previous results dimmed, no run meanwhile
    fake.save(a.uri);
    await page.waitForSelector('#source-state.loading');
    assert.match(await page.locator('#source-state').innerText(), /Recomputing facts\.prompts/);
    assert.equal(await page.locator('#run-suppress').getAttribute('disabled'), '');
    await shot(page, 'dark-recomputing');
    // … and its @model now names another model: the selection made on the first one is dropped
    const base: CompareData = { ...data, model: 'bert-base-test', layers: 12, neurons: 3072 };
    release(base);
    await page.waitForFunction(() => document.getElementById('source-model')?.textContent === 'model bert-base-test');
    assert.equal(await page.locator('#source-state').count(), 0);
    assert.deepEqual((await st()).selection, []);
    assert.deepEqual((await st()).facts, [a.fact]);
    // Compare on another fact of the same file and model opens on it
    const b = { ...a, fact: data.facts[3].name };
    await ComparePanel.open(fake.context, b, { ...h2, load: async () => base });
    await page.waitForFunction((f: string) => document.getElementById('source-fact')?.textContent === `fact ${f}`, b.fact);

    // results without the model's shape (what the server sent for cached results before the fix):
    // suppress / enhance are unavailable, and the page says why instead of waiting
    panel.update({ ...data, layers: 0, neurons: 0 });
    await page.waitForSelector('#run-unavailable');
    assert.equal(await page.locator('#run-suppress').getAttribute('disabled'), '');

    // the effects chart keeps its text size in a narrow panel (it was scaled to ~7 px)
    panel.update(data, a);
    await page.setViewportSize({ width: 700, height: 900 });
    await showTab(page, 'effects');
    await page.waitForSelector('#effects-chart');
    const px = await page.evaluate(() => {
      const t = document.querySelector('#effects-chart .effect-row text') as SVGTextElement;
      return t.getBoundingClientRect().height;
    });
    assert.ok(px >= 11, `effects text ${px} px high`);
    await shot(page, 'dark-effects-narrow');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('"Write to file" sends the toolbar\'s rule and p for the file shown, only once they differ from it (issue #20 item 9)', async () => {
    const { page, errors } = await openPage('light');
    const writes: Array<{ uri: string; rule: unknown; p: number }> = [];
    let refuse = false;
    const h3 = {
      ...handlers,
      load: async () => data,
      onWriteSettings: async (req: { uri: string; rule: unknown; p: number }) => {
        if (refuse) throw new Error('@p 0.99: expected a sharing fraction');
        writes.push(req);
        return true;
      },
    };
    const src = { uri: 'file:///w/facts.prompts', file: 'facts.prompts' };
    await ComparePanel.open(fake.context, src, h3);
    await page.waitForFunction(() => document.getElementById('source-file')?.textContent === 'facts.prompts');
    // the settings the results were computed with: nothing to write
    assert.equal(await page.locator('#write-settings').getAttribute('disabled'), '');
    const setRange = (id: string, v: number) =>
      page.evaluate(
        ([i, x]: [string, number]) => {
          const r = document.getElementById(i) as HTMLInputElement;
          r.value = String(x);
          r.dispatchEvent(new Event('input', { bubbles: true }));
        },
        [id, v],
      );
    await setRange('p-range', 0.25);
    await setRange('rule-range', 0.42);
    await page.waitForFunction(() => !document.getElementById('write-settings')?.hasAttribute('disabled'));
    await page.click('#write-settings');
    await page.waitForFunction(() => /Written into facts\.prompts/.test(document.getElementById('status')?.textContent ?? ''));
    assert.deepEqual(writes, [{ uri: src.uri, rule: { kind: data.settings.rule.kind, value: 0.42 }, p: 0.25 }]);
    await shot(page, 'light-write-settings');
    // a refusal is shown with its reason
    refuse = true;
    await page.click('#write-settings');
    await page.waitForFunction(() => /Not written: @p 0\.99/.test(document.getElementById('status')?.textContent ?? ''));
    assert.equal(writes.length, 1);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  for (const theme of ['light', 'hc'] as const) {
    it(`looks right in the ${theme} theme`, async () => {
      const { page, errors } = await openPage(theme);
      await page.locator('#sets .neuron').first().click();
      await shot(page, `${theme}-refined`);
      for (const tab of ['heatmap', 'layers', 'effects']) {
        await showTab(page, tab);
        await shot(page, `${theme}-${tab}`);
      }
      // text colour follows the theme
      const fg = await page.evaluate(() => getComputedStyle(document.body).color);
      const want = { light: 'rgb(59, 59, 59)', hc: 'rgb(255, 255, 255)' }[theme];
      assert.equal(fg, want);
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }
});

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
