/**
 * The workload researchers have: a cold `kn find` process on a .prompts file of prompts of mixed
 * lengths (6–24 tokens) over several facts, on random models of bert-base size with the vocabularies
 * of bert-base (30,522), mBERT (119,547) and XLM-R base (250,002). Whole wall clock and peak resident
 * memory of the process, against the PyTorch reference algorithm (bench/torch_reference.py
 * --prompts) on the same model and prompts, measured in the same run where PyTorch is installed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PromptTokenizer } from '../engine/src/model/tokenizer';
import { repoRoot } from '../test/helpers';
import { buildBertBase } from './run';

export const SHAPES: Record<string, number> = { 'bert-base': 30522, 'mbert-base': 119547, 'xlmr-base': 250002 };

/** Token lengths of the prompts ([CLS] and [SEP] included), 6 to 24, in no order. */
const LENGTHS = [6, 11, 17, 24, 8, 13, 20, 9, 15, 22, 7, 12];
const FACTS = [
  { name: 'capital', answer: 'paris', words: ['the', 'capital', 'of', 'france', 'is'] },
  { name: 'continent', answer: 'europe', words: ['france', 'is', 'a', 'city', 'in'] },
  { name: 'kind', answer: 'city', words: ['paris', 'is', 'a', 'capital', 'and'] },
];

/**
 * A .prompts file of `count` prompts (12 by default: 4 per fact over the 3 facts above) of the lengths
 * above in turn; filler words are the vocabulary's w0, w1, …. More prompts bring more facts (4 prompts
 * each): fact k ≥ 3 takes fact k mod 3's words under its own name and answer (w20000 + k).
 */
export function realisticPrompts(model: string, opts: { count?: number; steps?: number } = {}): { text: string; prompts: { text: string; answer: string }[] } {
  const count = opts.count ?? LENGTHS.length;
  const facts = Array.from({ length: Math.ceil(count / 4) }, (_, k) => {
    const base = FACTS[k % FACTS.length];
    return k < FACTS.length ? base : { ...base, name: `${base.name}-${k}`, answer: `w${20000 + k}` };
  });
  const prompts = Array.from({ length: count }, (_, i) => {
    const n = LENGTHS[i % LENGTHS.length];
    const fact = facts[i % facts.length];
    // n words (one token each: the bench's word-level tokenizer adds no special tokens): the
    // fact's words, the mask, filler, a full stop.
    const words = [...fact.words, '<mask>'].slice(0, n - 1);
    for (let k = 0; words.length < n - 1; k++) words.push(`w${i * 30 + k}`);
    if (!words.includes('<mask>')) words[words.length - 1] = '<mask>';
    return { fact, text: [...words, '.'].join(' '), answer: fact.answer };
  });
  const lines = ['@version 1', `@model ${model}`, `@steps ${opts.steps ?? 20}`, ''];
  for (const fact of facts) lines.push(`fact ${fact.name} -> ${fact.answer}`, ...prompts.filter((p) => p.fact === fact).map((p) => `  ${p.text}`), '');
  return { text: lines.join('\n'), prompts: prompts.map(({ text, answer }) => ({ text, answer })) };
}

/**
 * Runs a command under GNU time: wall clock (ms), CPU time (user + system, s: what a busy shared
 * machine distorts least) and peak resident memory (MB).
 */
export function measured(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'KN_TIME=%M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env });
  const ms = performance.now() - t0;
  const [kb, user, sys] = (/KN_TIME=(\S+) (\S+) (\S+)/.exec(r.stderr) ?? []).slice(1).map(Number);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  return { ms, cpu_s: +(user + sys).toFixed(1), peak_resident_mb: Math.round(kb / 1024), stdout: r.stdout };
}

export function realisticWorkload(shape: string, log: (s: string) => void, torch: boolean) {
  const dir = path.join(repoRoot(), '.cache', 'bench', `${shape}-random`);
  log(`  ${shape}: building the random model (once)…`);
  buildBertBase(dir, SHAPES[shape]);
  const { text, prompts } = realisticPrompts(dir);
  const file = path.join(dir, 'realistic.prompts');
  fs.writeFileSync(file, text);
  const tok = new PromptTokenizer(dir, 'masked');
  const encoded = prompts.map((p) => tok.encodePrompt(p.text, p.answer));
  const lengths = encoded.map((e) => e.ids.length);
  log(`  ${shape}: a cold kn find on ${prompts.length} prompts of ${Math.min(...lengths)}–${Math.max(...lengths)} tokens…`);
  const cli = path.join(repoRoot(), 'out', 'engine', 'src', 'cli', 'main.js');
  // On an empty cache folder: a first run converts the weights into it (once per model); the next
  // ones, new processes like every later run, reuse them (and the compiled graphs).
  const cache = fs.mkdtempSync(path.join(repoRoot(), '.cache', 'bench', 'kn-cache-'));
  const run = () => {
    const m = measured(process.execPath, [cli, 'find', file, '--device', 'cpu', '--json', '--quiet'], { ...process.env, KN_CACHE_DIR: cache });
    return {
      wall_ms: Math.round(m.ms),
      per_prompt_ms: Math.round(m.ms / prompts.length),
      cpu_s: m.cpu_s,
      peak_resident_mb: m.peak_resident_mb,
      load_ms: Math.round(JSON.parse(m.stdout).timing?.load_ms ?? NaN),
    };
  };
  const first = run();
  log(`  ${shape}: again, a new process with the weights in the cache folder…`);
  const before = run();
  // The host's speed drifts over minutes: the cached run is repeated after the reference, and the
  // ratio uses the two runs' median (their mean), which bracket the reference in time.
  const bracket = (after?: ReturnType<typeof run>) => {
    if (!after) return { ...before, first_run: first };
    const mid = (a: number, b: number) => Math.round((a + b) / 2);
    return {
      wall_ms: mid(before.wall_ms, after.wall_ms),
      per_prompt_ms: mid(before.per_prompt_ms, after.per_prompt_ms),
      cpu_s: +((before.cpu_s + after.cpu_s) / 2).toFixed(1),
      peak_resident_mb: Math.max(before.peak_resident_mb, after.peak_resident_mb),
      load_ms: mid(before.load_ms, after.load_ms),
      runs: [before, after],
      first_run: first,
    };
  };
  const result: Record<string, any> = { vocab: SHAPES[shape], prompts: prompts.length, tokens: lengths, kn_find: bracket() };
  if (torch) {
    log(`  ${shape}: the PyTorch reference on the same prompts (bench/torch_reference.py --prompts)…`);
    const spec = path.join(dir, 'realistic-ids.json');
    fs.writeFileSync(spec, JSON.stringify(encoded.map((e) => ({ ids: e.ids, position: e.positions[0], target: e.answerIds[0] }))));
    const ref = measured('python3', [path.join(repoRoot(), 'bench', 'torch_reference.py'), '--prompts', spec, '--model', dir], {
      ...process.env,
      CUDA_VISIBLE_DEVICES: '',
    });
    const r = JSON.parse(ref.stdout);
    log(`  ${shape}: kn find again, after the reference…`);
    const ours = (result.kn_find = bracket(run()));
    result.pytorch_reference = {
      wall_ms: Math.round(ref.ms),
      cpu_s: ref.cpu_s,
      per_prompt_ms: Math.round(r.get_scores_total_ms / prompts.length),
      get_scores_median_ms: Math.round(r.get_scores_median_ms),
      peak_resident_mb: ref.peak_resident_mb,
      threads: r.threads,
      torch: r.torch,
    };
    result.speedup = r.get_scores_total_ms / ours.wall_ms;
    result.speedup_first_run = r.get_scores_total_ms / first.wall_ms;
  }
  fs.rmSync(cache, { recursive: true, force: true });
  return result;
}

export function realisticSummary(r: Record<string, any>): string[] {
  return [
    '| realistic: a new `kn find` process, 12 prompts of 6–24 tokens, 3 facts, steps 20 | per prompt, all included (ms; mean of the runs before and after the reference) | peak resident (MB) | first run on an empty cache: per prompt (ms), peak (MB) | PyTorch reference get_scores per prompt (ms) | its peak resident (MB) | speed-up (first run) |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries<any>(r).map(
      ([k, v]) =>
        `| ${k} (vocab ${v.vocab}) | ${v.kn_find.per_prompt_ms} | ${v.kn_find.peak_resident_mb} | ${v.kn_find.first_run?.per_prompt_ms ?? '–'}, ${v.kn_find.first_run?.peak_resident_mb ?? '–'} | ${v.pytorch_reference?.per_prompt_ms ?? '–'} | ${v.pytorch_reference?.peak_resident_mb ?? '–'} | ${v.speedup ? `${v.speedup.toFixed(2)}× (${v.speedup_first_run?.toFixed(2) ?? '–'}×)` : '–'} |`,
    ),
  ];
}
