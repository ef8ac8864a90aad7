/**
 * The language server on the realistic workload (issue #20 item 8): the bundled server
 * (dist/kn-language-server.js) over stdio, as an editor starts it, on the same bert-base-size file
 * of 12 prompts of mixed lengths as the cold `kn find` row (bench/realistic.ts), with an empty
 * results cache. From the didSave: the first P(answer) inlay hint, the first prompt's attribution,
 * the whole file (every prompt attributed and the file's status ready); and the peak resident
 * memory of the server process (its engine worker is a thread of it: one VmHWM for both).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InlayHintRequest } from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../test/helpers';
import { TestClient, fileUri } from '../test/server/lspClient';
import { buildBertBase } from './run';
import { realisticPrompts, SHAPES } from './realistic';

/** Peak resident memory of a process so far (VmHWM), MB. */
function peakResidentMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export async function languageServerWorkload(shape: string, log: (s: string) => void): Promise<Record<string, unknown>> {
  const dir = path.join(repoRoot(), '.cache', 'bench', `${shape}-random`);
  buildBertBase(dir, SHAPES[shape]);
  const work = fs.mkdtempSync(path.join(repoRoot(), '.cache', 'bench', 'ls-'));
  try {
    const { text, prompts } = realisticPrompts(dir);
    const file = path.join(work, 'realistic.prompts');
    fs.writeFileSync(file, text);
    const uri = fileUri(file);
    const script = path.join(repoRoot(), 'dist', 'kn-language-server.js');
    log(`  ${shape}: the language server (${path.relative(repoRoot(), script)}) on the same file, empty cache…`);
    const c = await TestClient.start({
      script,
      settings: { cacheFolder: path.join(work, 'cache'), onSave: 'attributions', device: 'cpu', allowModelsOutsideWorkspace: true },
      env: { KN_TEST_HOOKS: '0', KN_DEFAULT_MODEL: '' },
      workspace: work,
    });
    try {
      await c.open(uri, text);
      await c.diagnosticsFor(uri);
      const range = { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } };
      const t0 = performance.now();
      await c.save(uri);
      const since = () => Math.round(performance.now() - t0);
      // the first P(answer) hint, asked for after each refresh the server requests (as an editor does)
      let firstHint = NaN;
      let stop = false;
      const hintWatch = (async () => {
        let seen = 0;
        while (!stop && Number.isNaN(firstHint)) {
          await c.waitFor(() => c.inlayRefreshes > seen || stop, 'an inlay hint refresh', 30 * 60_000);
          seen = c.inlayRefreshes;
          const hints = await c.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range });
          const label = (h: { label: string | Array<{ value: string }> }) => (typeof h.label === 'string' ? h.label : h.label.map((x) => x.value).join(''));
          if (hints?.some((h) => /^P\(/.test(label(h)))) firstHint = since();
        }
      })();
      let firstDiagnostic = NaN;
      let firstAttribution = NaN;
      const done = new RegExp(`^attribution ${prompts.length} of ${prompts.length} `);
      try {
        await c.waitFor(
          () => {
            const model = c.diagnostics.get(uri)?.diagnostics.some((d) => d.code === 'low-confidence' || d.code === 'wrong-prediction');
            if (Number.isNaN(firstDiagnostic) && model) firstDiagnostic = since();
            if (Number.isNaN(firstAttribution) && c.logs.some((l) => l.startsWith('attribution 1 of '))) firstAttribution = since();
            return c.logs.some((l) => done.test(l)) && c.status.at(-1)?.uri === uri && c.status.at(-1)?.state === 'ready';
          },
          'the whole file',
          30 * 60_000,
        );
      } finally {
        stop = true;
        await hintWatch.catch(() => undefined);
      }
      const wholeFile = since();
      const peak = peakResidentMb(c.proc.pid!);
      const result = {
        prompts: prompts.length,
        first_p_answer_hint_ms: firstHint,
        first_model_diagnostic_ms: firstDiagnostic,
        first_attribution_ms: firstAttribution,
        whole_file_ms: wholeFile,
        per_prompt_ms: Math.round(wholeFile / prompts.length),
        peak_resident_mb: peak,
        server_log: c.logs.filter((l) => /^(model|predictions|attribution)/.test(l)),
      };
      log(`  ${shape}: first hint ${firstHint} ms, first attribution ${firstAttribution} ms, whole file ${wholeFile} ms, peak ${peak} MB`);
      return result;
    } finally {
      await c.stop();
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Next to the cold `kn find` of the same file (bench/realistic.ts). */
export function languageServerSummary(ls: Record<string, any>, cli: Record<string, any>): string[] {
  return [
    '| the same file in the language server (didSave, empty cache) | first P(answer) hint (ms) | first attribution (ms) | whole file (ms) | per prompt (ms) | peak resident, server + engine worker (MB) | cold `kn find`: whole (ms), peak (MB) |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries<any>(ls).map(
      ([k, v]) =>
        `| ${k} | ${v.first_p_answer_hint_ms} | ${v.first_attribution_ms} | ${v.whole_file_ms} | ${v.per_prompt_ms} | ${v.peak_resident_mb} | ${cli[k]?.kn_find ? `${cli[k].kn_find.wall_ms}, ${cli[k].kn_find.peak_resident_mb}` : '–'} |`,
    ),
  ];
}
