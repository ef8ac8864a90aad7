/**
 * The language server on the realistic workload (issues #20 item 8 and #14's editor targets): the
 * bundled server (dist/kn-language-server.js) over stdio, as an editor starts it, on the same
 * bert-base-size file of 12 prompts of mixed lengths as the cold `kn find` row (bench/realistic.ts).
 * Three rows, each run `rounds` times (medians reported, every run kept):
 *
 *  - cold: a new server and an empty cache folder (no results, no weights file); the file is opened
 *    and saved at once. From the didSave: the first P(answer) inlay hint, the first attribution, the
 *    whole file (every prompt attributed, the file's status ready); the peak resident memory of the
 *    server process (its engine worker is a thread of it: one VmHWM for both).
 *  - edit: in that server, once it has analysed the file, one prompt is edited (a word added) and
 *    the file saved; from the didSave, that prompt's hint and its attribution. Three prompts are
 *    edited in turn: the shortest, a middle one and the longest.
 *  - opened: a new server on the same cache folder, its results removed (the weights file the first
 *    server wrote is kept, as for any model used before); the file is opened, the server loads the
 *    model and warms its predictions (the "warm-up" line of its log), then the file is saved. From
 *    the didSave: the first hint and the first attribution.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InlayHintRequest } from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../test/helpers';
import { TestClient, fileUri } from '../test/server/lspClient';
import { commandStatusKb } from './procStatus';
import { buildBertBase } from './run';
import { realisticPrompts, SHAPES } from './realistic';

/** Peak resident memory so far (VmHWM), MB, of the server (or its huge-pages copy). */
function peakResidentMb(pid: number): number {
  return Math.round(commandStatusKb(pid, 'VmHWM') / 1024);
}

const WHOLE_FILE_MS = 30 * 60_000;
const range = { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } };
const label = (h: { label: string | Array<{ value: string }> }) => (typeof h.label === 'string' ? h.label : h.label.map((x) => x.value).join(''));

async function startServer(work: string, cacheFolder: string): Promise<TestClient> {
  return TestClient.start({
    script: path.join(repoRoot(), 'dist', 'kn-language-server.js'),
    settings: { cacheFolder, onSave: 'attributions', device: 'cpu', allowModelsOutsideWorkspace: true },
    env: { KN_TEST_HOOKS: '0', KN_DEFAULT_MODEL: '' },
    workspace: work,
  });
}

/**
 * Saves and times, from the didSave: the first P(answer) hint (on `line`, or on any line), asked for
 * after each refresh the server requests as an editor does; the first attribution line of the log
 * after the save; and `done` (ms once it holds).
 */
async function timedSave(c: TestClient, uri: string, line: number | undefined, done: () => boolean) {
  const logsBefore = c.logs.length;
  const t0 = performance.now();
  await c.save(uri);
  const since = () => Math.round(performance.now() - t0);
  let hint = NaN;
  let stop = false;
  const hintWatch = (async () => {
    let seen = c.inlayRefreshes;
    while (!stop && Number.isNaN(hint)) {
      await c.waitFor(() => c.inlayRefreshes > seen || stop, 'an inlay hint refresh', WHOLE_FILE_MS);
      seen = c.inlayRefreshes;
      const hints = (await c.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range })) ?? [];
      if (hints.some((h) => (line === undefined || h.position.line === line) && /^P\(/.test(label(h)))) hint = since();
    }
  })();
  let attribution = NaN;
  try {
    await c.waitFor(
      () => {
        if (Number.isNaN(attribution) && c.logs.slice(logsBefore).some((l) => l.startsWith('attribution '))) attribution = since();
        return !Number.isNaN(attribution) && done();
      },
      'the attributions',
      WHOLE_FILE_MS,
    );
  } finally {
    stop = true;
    await hintWatch.catch(() => undefined);
  }
  return { hint, attribution, done: since() };
}

const ready = (c: TestClient, uri: string) => c.status.at(-1)?.uri === uri && c.status.at(-1)?.state === 'ready';

async function round(dir: string, log: (s: string) => void) {
  const { text, prompts } = realisticPrompts(dir);
  const work = fs.mkdtempSync(path.join(repoRoot(), '.cache', 'bench', 'ls-'));
  const load = [os.loadavg()[0]];
  try {
    const file = path.join(work, 'realistic.prompts');
    fs.writeFileSync(file, text);
    const uri = fileUri(file);
    const cacheFolder = path.join(work, 'cache');
    const lines = text.split('\n');
    // cold: open, save at once
    const c = await startServer(work, cacheFolder);
    let cold: Record<string, unknown>;
    const edits: Array<Record<string, unknown>> = [];
    try {
      await c.open(uri, text);
      await c.diagnosticsFor(uri);
      const whole = new RegExp(`^attribution ${prompts.length} of ${prompts.length} `);
      const r = await timedSave(c, uri, undefined, () => c.logs.some((l) => whole.test(l)) && ready(c, uri));
      cold = {
        first_p_answer_hint_ms: r.hint,
        first_attribution_ms: r.attribution,
        whole_file_ms: r.done,
        per_prompt_ms: Math.round(r.done / prompts.length),
        peak_resident_mb: peakResidentMb(c.proc.pid!),
        server_log: c.logs.filter((l) => /^(model|predictions|attribution|warm-up)/.test(l)),
      };
      log(`    cold: first hint ${r.hint} ms, first attribution ${r.attribution} ms, whole file ${r.done} ms, peak ${cold.peak_resident_mb} MB`);
      // edit: one prompt at a time, a word added, saved
      const byLength = [...prompts].sort((a, b) => a.text.split(' ').length - b.text.split(' ').length);
      let current = text;
      for (const p of [byLength[0], byLength[Math.floor(byLength.length / 2)], byLength.at(-1)!]) {
        const line = lines.findIndex((l) => l.trim() === p.text);
        const edited = p.text.replace(/ \.$/, ` w${20000 + edits.length} .`);
        current = current.replace(`  ${p.text}\n`, `  ${edited}\n`);
        await c.change(uri, current);
        await c.diagnosticsFor(uri);
        const e = await timedSave(c, uri, line, () => ready(c, uri));
        edits.push({ prompt_words: edited.split(' ').length, hint_ms: e.hint, attribution_ms: e.attribution });
        log(`    edit of a ${edited.split(' ').length}-word prompt: its hint ${e.hint} ms, its attribution ${e.attribution} ms`);
      }
      cold.peak_resident_mb_after_edits = peakResidentMb(c.proc.pid!);
    } finally {
      await c.stop();
    }
    // opened: a new server, the results cache emptied (the weights file kept); open, let it warm up, save
    for (const f of fs.readdirSync(cacheFolder)) if (f !== 'artifacts') fs.rmSync(path.join(cacheFolder, f), { recursive: true, force: true });
    const o = await startServer(work, cacheFolder);
    let opened: Record<string, unknown>;
    try {
      const t0 = performance.now();
      await o.open(uri, text);
      await o.waitFor(() => o.logs.some((l) => l.startsWith('warm-up: ')), 'the warm-up', WHOLE_FILE_MS);
      const warmUp = Math.round(performance.now() - t0);
      const r = await timedSave(o, uri, undefined, () => true);
      opened = { warm_up_ms: warmUp, first_p_answer_hint_ms: r.hint, first_attribution_ms: r.attribution };
      log(`    opened: warm-up ${warmUp} ms; then saved: first hint ${r.hint} ms, first attribution ${r.attribution} ms`);
    } finally {
      await o.stop();
    }
    load.push(os.loadavg()[0]);
    return { cold, edits, opened, load_average: load.map((x) => +x.toFixed(1)) };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
}

export async function languageServerWorkload(shape: string, log: (s: string) => void, rounds = 2): Promise<Record<string, unknown>> {
  const dir = path.join(repoRoot(), '.cache', 'bench', `${shape}-random`);
  buildBertBase(dir, SHAPES[shape]);
  const runs: Array<Awaited<ReturnType<typeof round>>> = [];
  for (let i = 0; i < rounds; i++) {
    log(`  ${shape}: the language server (dist/kn-language-server.js) on the realistic file, round ${i + 1} of ${rounds}…`);
    runs.push(await round(dir, log));
  }
  const med = (get: (r: (typeof runs)[number]) => unknown) => median(runs.map((r) => get(r) as number));
  return {
    prompts: realisticPrompts(dir).prompts.length,
    rounds: runs.length,
    cold: {
      first_p_answer_hint_ms: med((r) => r.cold.first_p_answer_hint_ms),
      first_attribution_ms: med((r) => r.cold.first_attribution_ms),
      whole_file_ms: med((r) => r.cold.whole_file_ms),
      per_prompt_ms: med((r) => r.cold.per_prompt_ms),
      peak_resident_mb: med((r) => r.cold.peak_resident_mb),
    },
    edits: runs[0].edits.map((e, k) => ({
      prompt_words: e.prompt_words,
      hint_ms: med((r) => r.edits[k].hint_ms),
      attribution_ms: med((r) => r.edits[k].attribution_ms),
    })),
    opened: {
      warm_up_ms: med((r) => r.opened.warm_up_ms),
      first_p_answer_hint_ms: med((r) => r.opened.first_p_answer_hint_ms),
      first_attribution_ms: med((r) => r.opened.first_attribution_ms),
    },
    load_average: runs.flatMap((r) => r.load_average),
    runs,
  };
}

/** Next to the cold `kn find` of the same file (bench/realistic.ts). */
export function languageServerSummary(ls: Record<string, any>, cli: Record<string, any>): string[] {
  const rows = Object.entries<any>(ls).filter(([, v]) => v.cold);
  return [
    '| the same file in the language server (medians of `rounds`; load average during the runs) | first P(answer) hint (ms) | first attribution (ms) | whole file (ms) | peak resident, server + engine worker (MB) | cold `kn find`: whole (ms), peak (MB) |',
    '|---|---|---|---|---|---|',
    ...rows.flatMap(([k, v]) => [
      `| ${k}, cold: a new server, empty cache folder; opened and saved at once (${v.rounds} runs, load ${Math.min(...v.load_average)}–${Math.max(...v.load_average)}) | ${v.cold.first_p_answer_hint_ms} | ${v.cold.first_attribution_ms} | ${v.cold.whole_file_ms} | ${v.cold.peak_resident_mb} | ${cli[k]?.kn_find ? `${cli[k].kn_find.wall_ms}, ${cli[k].kn_find.peak_resident_mb}` : '–'} |`,
      `| ${k}, opened: a new server, results not cached (weights file kept); saved after its warm-up (${v.opened.warm_up_ms} ms after the open) | ${v.opened.first_p_answer_hint_ms} | ${v.opened.first_attribution_ms} | – | – | – |`,
      ...v.edits.map(
        (e: any) =>
          `| ${k}, edit: in the server that analysed the file, a ${e.prompt_words}-word prompt edited and saved: its hint, its attribution | ${e.hint_ms} | ${e.attribution_ms} | – | – | – |`,
      ),
    ]),
  ];
}
