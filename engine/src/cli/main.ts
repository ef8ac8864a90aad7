#!/usr/bin/env node
/**
 * `kn`: the engine from the command line. With --json each command prints exactly one JSON object
 * on stdout (a contract other tools rely on); otherwise readable tables. Progress goes to stderr.
 * Exit codes: 0 ok, 1 usage, 2 bad input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultModel, findFact, DEFAULT_CARD_TOKENS, KnError, loadModel, neuronCard, NeuronCard, parseNeurons } from '../index';
import { resolveMethodSettings, MethodSettings } from '../method';
import { formatProgress } from '../hub';
import type { Model } from '../model/model';
import { exportCsv, importDataset } from '../prompts';
import type { DatasetSettings } from '../prompts';
import { DEVICES, WEIGHT_STORAGES } from '../types';
import { MAX_STEPS, MIN_STEPS } from '../quadrature';
import type { CoarseRule, IgMethod, Quadrature } from '../types';
import { checkKnown, intIn, num, numIn, Parsed, parseArgs, str, UsageError } from './args';
import { writeFully } from './stdout';
import { parseShard, planDataset, planSettings } from '../dataset/plan';
import { formatSummary, runDataset } from '../dataset/run';
import { mergeResults } from '../dataset/merge';
import { ControlEffects, readResults, writeResults } from '../dataset/results';
import { reportCsv, reportData, reportHtml } from '../dataset/report';
import { importFolder } from '../dataset/importFolders';
import { startWithHugePages } from '../hugePages';

const USAGE = `kn — knowledge neurons (Dai et al. 2021) from the command line

  kn predict  --model DIR --target ANSWER [--top-k 5] [--json] "PROMPT"
  kn scores   --model DIR --target ANSWER [--steps 20] [--batch-size ROWS] [--method ig|activation]
              [--quadrature reference|midpoint|gauss-legendre] [--json] "PROMPT"
  kn find     [--model DIR] FILE.prompts... [--steps 20] [--adaptive-threshold 0.3 | --threshold T | --percentile P]
              [--p 0.5] [--factor 2] [--json] [--out RESULTS.jsonl [--shard K/N] [--retry-errors]] [--quiet]
  kn merge    SHARD.jsonl... --out ALL.jsonl                  (the shards of kn find --shard K/N --out …)
  kn report   RESULTS.jsonl --out report.html [--csv FILE]   (figures as one self-contained page, numbers as CSV)
  kn suppress --model DIR --target ANSWER --neurons "L:N,L:N" [--json] "PROMPT"
  kn enhance  --model DIR --target ANSWER --neurons "L:N,L:N" [--factor 2] [--json] "PROMPT"
  kn erase    --model DIR --target ANSWER --neurons "L:N,…" [--replacement zero|unk] [--json] "PROMPT"
  kn edit     --model DIR --target ANSWER --new-target ANSWER --neurons "L:N,…" [--scaling norm|reference] [--json] "PROMPT"
  kn generate --model DIR [--max-new-tokens 20] [--json] "PROMPT"
  kn neuron   --model DIR LAYER:INDEX [--top-k 10] [--json]   (the tokens the neuron's value vector promotes / suppresses)
  kn import   FILE.json [--output FILE.prompts]          (PARAREL or the authors' bag format)
  kn import   DIR [--format mlama|mpararel] [--langs en,fr] [--relations P36,P19] [--limit N] [--output FILE.prompts]
  kn export   RESULTS.json [--format csv|json]            (results of 'kn find --json')

Common: --device auto|cuda|cpu|webgpu (default auto: CUDA if available, else CPU; webgpu only on request), --threads N,
--cache-max-mb N: bound on the model weights files kept in the cache folder ($KN_CACHE_DIR, else ~/.cache/knowledge-neurons;
default $KN_CACHE_MAX_MB, else 8192; 0: no cache, a scratch copy removed at exit).
--weights float32|int16|int8 (default float32; int16 keeps weight matrices in half the memory, int8 in a quarter,
within the README's tolerances).
--model takes a folder or a Hugging Face id (cache, then download); default: the embedded bert-tiny-facts.
Prompts use <mask> for the answer, whatever the model's own mask token.
kn find --out appends one JSON line per fact as it is done and skips, when run again, the facts already there;
a fact that fails becomes an error line, and the run exits 4 when any did (0: all done).`;

const BOOLEANS = new Set(['json', 'help', 'quiet', 'retry-errors']);
const COMMON = ['model', 'device', 'json', 'threads', 'cache-max-mb', 'weights', 'help'];

async function main(argv: string[]): Promise<number> {
  let args: Parsed;
  try {
    args = parseArgs(argv, BOOLEANS);
    if (!args.command || args.command === 'help' || args.command === '--help' || args.flags.has('help')) {
      await writeFully(USAGE + '\n');
      return args.command && args.command !== 'help' && args.command !== '--help' ? 0 : args.command ? 0 : 1;
    }
    const command = COMMANDS[args.command];
    if (!command) throw new UsageError(`unknown command '${args.command}'`);
    checkKnown(args, [...COMMON, ...command.flags]);
    const out = await command.run(args);
    if (out !== undefined && (out.text || args.flags.has('json')))
      await writeFully((args.flags.has('json') && !out.raw ? JSON.stringify(out.json) : out.text) + '\n');
    return out?.code ?? 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`kn: ${e.message}\n\n${USAGE}\n`);
      return 1;
    }
    if (e instanceof KnError) {
      // Prefix file:line:column where the message does not already begin with the file.
      const w = e.where;
      const at = w?.file && !e.message.startsWith(w.file) ? `${w.file}${w.line !== undefined ? `:${w.line + 1}:${(w.column ?? 0) + 1}` : ''}: ` : '';
      process.stderr.write(`kn: ${at}${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    // Releases the sessions and removes the model's scratch copy of its weights, if it has one (scratch.ts).
    for (const m of opened.splice(0)) await m.dispose().catch(() => undefined);
  }
}

/** Models loaded by this command, disposed when it ends however it ends. */
const opened: Model[] = [];

interface Output {
  json: unknown;
  text: string;
  /** Exit code when not 0 (a batch run that finished with failed facts). */
  code?: number;
  /** The text is the output even with --json (JSON Lines). */
  raw?: boolean;
}

const COMMANDS: Record<string, { flags: string[]; run: (a: Parsed) => Promise<Output | undefined> }> = {
  predict: {
    flags: ['target', 'top-k'],
    async run(a) {
      const { model } = await open(a);
      const r = await model.predict(prompt(a), need(a, 'target'), { topK: intIn(a, 'top-k', 1, undefined, 5) });
      const json = {
        prompt: r.prompt,
        target: r.target,
        target_ids: r.target_ids,
        input_ids: r.input_ids,
        position: r.position,
        p_target: r.p_target,
        p_joint: r.p_joint,
        top_k: r.top_k,
      };
      const text = [`${probabilityText(r)}  (rank ${r.rank})`, ...r.top_k.map((t, i) => `  ${i + 1}. ${t.token.padEnd(16)} ${t.p.toFixed(4)}`)].join('\n');
      return { json, text };
    },
  },
  scores: {
    flags: ['target', 'steps', 'batch-size', 'method', 'quadrature'],
    async run(a) {
      const { model, loadMs } = await open(a);
      const t0 = performance.now();
      const r = await model.scores(prompt(a), need(a, 'target'), scoreOptions(a));
      const timing = { load_ms: loadMs, compute_ms: performance.now() - t0 };
      const top = r.scores
        .flatMap((row, layer) => row.map((s, index) => ({ layer, index, s })))
        .sort((x, y) => y.s - x.s)
        .slice(0, 10);
      const text = [`${probabilityText(r)}; top neurons by attribution:`, ...top.map((n) => `  L${n.layer}·${n.index}  ${n.s.toExponential(3)}`)].join('\n');
      return { json: { ...r, timing }, text };
    },
  },
  find: {
    flags: [
      'steps',
      'batch-size',
      'method',
      'quadrature',
      'adaptive-threshold',
      'threshold',
      'percentile',
      'p',
      'factor',
      'out',
      'shard',
      'quiet',
      'retry-errors',
    ],
    async run(a) {
      const files = a.positionals;
      if (!files.length) throw new UsageError('kn find needs a .prompts file');
      const fileSettings = planSettings(files);
      const settings = findSettings(a, fileSettings);
      const out = str(a, 'out');
      const shardText = str(a, 'shard');
      const shard = shardText === undefined ? undefined : parseShard(shardText);
      const modelRef = str(a, 'model') ?? (fileSettings.model ? resolveBeside(files[0], fileSettings.model) : defaultModel());
      const { model, loadMs } = await open(a, modelRef, settings);
      // Without --out a file error stops the run before any work; with it, the fact gets an error line.
      const plan = planDataset(files, { causal: model.info.kind === 'causal', strict: !out });
      const t0 = performance.now();
      const quiet = a.flags.has('quiet');
      const { lines, summary } = await runDataset(model, plan, settings, { out, shard, quiet, retryErrors: a.flags.has('retry-errors') });
      for (const l of lines) if (l.error && !out) process.stderr.write(`kn: ${l.error.at}: ${l.error.message}\n`);
      if (out || shard || summary.failed) process.stderr.write(formatSummary(summary, out) + '\n');
      const code = summary.failed ? 4 : 0;
      if (out) return { json: summary, text: '', code };
      const facts = lines.flatMap((l) => (l.fact ? [l.fact] : []));
      const errors = lines.flatMap((l) => (l.error ? [l.error] : []));
      const timing = { load_ms: loadMs, compute_ms: performance.now() - t0 };
      const text = [...facts.map(formatFact), ...errors.map((e) => `fact ${e.name}: error at ${e.at}: ${e.message}`)].join('\n\n');
      return { json: { model: model.info.id, settings, facts, ...(errors.length ? { errors } : {}), timing }, text, code };
    },
  },
  merge: {
    flags: ['out'],
    async run(a) {
      if (!a.positionals.length) throw new UsageError('kn merge needs the shards’ results files (kn find --shard K/N --out …)');
      const { header, raw } = mergeResults(a.positionals);
      const out = str(a, 'out');
      if (!out) return { json: undefined, text: [JSON.stringify(header), ...raw].join('\n'), raw: true };
      writeResults(out, header, raw);
      process.stderr.write(`kn: ${raw.length} facts from ${a.positionals.length} shards → ${out}\n`);
      return undefined;
    },
  },
  report: {
    flags: ['out', 'csv'],
    async run(a) {
      const file = a.positionals[0];
      const out = str(a, 'out');
      if (!file || !out) throw new UsageError('kn report needs RESULTS.jsonl and --out report.html');
      const results = readResults(file);
      if (!results) throw new KnError(`${file}: empty, or no results file`, { file });
      const data = reportData(results);
      const csv = str(a, 'csv') ?? out.replace(/\.html?$/i, '') + '.csv';
      fs.writeFileSync(out, reportHtml(data));
      fs.writeFileSync(csv, reportCsv(data));
      process.stderr.write(`kn: report of ${data.facts} facts → ${out}, its numbers → ${csv}\n`);
      return undefined;
    },
  },
  suppress: { flags: ['target', 'neurons'], run: (a) => intervention(a, 'suppress') },
  enhance: { flags: ['target', 'neurons', 'factor'], run: (a) => intervention(a, 'enhance') },
  erase: {
    flags: ['target', 'neurons', 'replacement'],
    async run(a) {
      const { model } = await open(a);
      const replacement = oneOf(a, 'replacement', ['zero', 'unk'] as const) ?? 'zero';
      const r = await model.editWeights(prompt(a), need(a, 'target'), neurons(a, model), { mode: 'erase', replacement });
      return { json: r, text: effectText(need(a, 'target'), r) };
    },
  },
  edit: {
    flags: ['target', 'new-target', 'neurons', 'scaling'],
    async run(a) {
      const { model } = await open(a);
      const scaling = oneOf(a, 'scaling', ['norm', 'reference'] as const) ?? 'norm';
      const r = await model.editWeights(prompt(a), need(a, 'target'), neurons(a, model), { mode: 'edit', newTarget: need(a, 'new-target'), scaling });
      const text = `${effectText(need(a, 'target'), r)}\nP(${need(a, 'new-target')}): ${r.p_new_target!.before.toFixed(4)} → ${r.p_new_target!.after.toFixed(4)}`;
      return { json: r, text };
    },
  },
  generate: {
    flags: ['max-new-tokens'],
    async run(a) {
      const { model } = await open(a);
      const r = await model.generate(prompt(a), intIn(a, 'max-new-tokens', 1, undefined, 20)!);
      return { json: { prompt: prompt(a), ids: r.ids, text: r.text }, text: prompt(a) + r.text };
    },
  },
  neuron: {
    flags: ['top-k'],
    async run(a) {
      if (a.positionals.length !== 1) throw new UsageError(`'neuron' takes one neuron, LAYER:INDEX (e.g. 3:201)`);
      const topK = num(a, 'top-k', DEFAULT_CARD_TOKENS)!;
      if (!Number.isInteger(topK) || topK < 1) throw new UsageError(`--top-k must be a positive integer (got ${topK})`);
      const { model } = await open(a);
      const [n] = parseNeurons(a.positionals[0], model.info.layers, model.info.neurons);
      if (!n) throw new UsageError(`'neuron' takes one neuron, LAYER:INDEX (e.g. 3:201)`);
      const card = neuronCard(model, n, topK);
      return { json: { model: model.info.id, ...card }, text: formatCard(model.info.id, card) };
    },
  },
  import: {
    flags: ['output', 'format', 'langs', 'relations', 'limit'],
    async run(a) {
      const file = a.positionals[0];
      if (!file) throw new UsageError('kn import needs a JSON file or an mLAMA / mPARAREL folder');
      const format = oneOf(a, 'format', ['pararel', 'bags', 'mlama', 'mpararel'] as const);
      const list = (name: string) =>
        str(a, name)
          ?.split(',')
          .map((x) => x.trim())
          .filter(Boolean);
      const opts = { langs: list('langs'), relations: list('relations'), limit: num(a, 'limit') };
      let text: string;
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
        text = importFolder(file, opts, format === 'mlama' || format === 'mpararel' ? format : undefined);
      } else {
        try {
          text = importDataset(fs.readFileSync(file, 'utf8'), { limit: opts.limit });
        } catch (e) {
          throw new KnError(`${file}: ${(e as Error).message}`, { file });
        }
      }
      const output = str(a, 'output');
      if (output) fs.writeFileSync(output, text);
      return output ? undefined : { json: { prompts: text }, text: text.replace(/\n$/, '') };
    },
  },
  export: {
    flags: ['format'],
    async run(a) {
      const file = a.positionals[0];
      if (!file) throw new UsageError('kn export needs the JSON written by kn find --json');
      const format = oneOf(a, 'format', ['csv', 'json'] as const) ?? 'csv';
      const facts = findResults(file).map((f: any) => ({
        name: f.name,
        answer: f.answer,
        prompts: f.prompts.map((p: any) => ({
          text: p.text,
          lang: p.lang,
          p_target: p.p_target,
          coarse: p.coarse.map(([layer, index]: number[]) => ({ layer, index })),
        })),
        groups: Object.fromEntries(
          Object.entries(f.groups).map(([g, v]: [string, any]) => [g, { refined: v.refined.map(([layer, index]: number[]) => ({ layer, index })) }]),
        ),
      }));
      const body = format === 'csv' ? exportCsv(facts) : JSON.stringify(facts, null, 2);
      return { json: { format, content: body }, text: body.replace(/\n$/, '') };
    },
  },
};

/** The facts of a `kn find --json` output file, checked field by field; bad input names the file and the field (or the line and column of a JSON error). */
function findResults(file: string): any[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new KnError(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  }
  let results: any;
  try {
    results = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    const before = at ? text.slice(0, Number(at[1])).split('\n') : undefined;
    throw new KnError(`not valid JSON (${(e as Error).message})`, {
      file,
      ...(before ? { line: before.length - 1, column: before[before.length - 1].length } : {}),
    });
  }
  const bad = (what: string): never => {
    throw new KnError(`${file}: not the output of 'kn find --json': ${what}`, { file });
  };
  const pairs = (v: unknown, where: string) => {
    if (!Array.isArray(v) || !v.every((n) => Array.isArray(n) && n.length === 2 && n.every(Number.isInteger)))
      bad(`${where} must be a list of [layer, index] pairs`);
  };
  if (!results || typeof results !== 'object' || !Array.isArray(results.facts)) bad('it has no facts list');
  results.facts.forEach((f: any, i: number) => {
    const at = `facts[${i}]`;
    if (!f || typeof f !== 'object' || typeof f.name !== 'string' || typeof f.answer !== 'string') bad(`${at} needs a name and an answer`);
    if (!Array.isArray(f.prompts)) bad(`${at}.prompts must be a list`);
    f.prompts.forEach((p: any, j: number) => {
      if (!p || typeof p.text !== 'string' || typeof p.lang !== 'string' || typeof p.p_target !== 'number')
        bad(`${at}.prompts[${j}] needs text, lang and p_target`);
      pairs(p.coarse, `${at}.prompts[${j}].coarse`);
    });
    if (!f.groups || typeof f.groups !== 'object') bad(`${at}.groups must be an object`);
    for (const [g, v] of Object.entries<any>(f.groups)) pairs(v?.refined, `${at}.groups.${g}.refined`);
  });
  return results.facts;
}

async function open(
  a: Parsed,
  ref = str(a, 'model') ?? defaultModel(),
  /** `kn find` resolves these with the file's directives (findSettings); other commands take the flags. */
  run: Pick<MethodSettings, 'device'> & Partial<Pick<MethodSettings, 'weights'>> = {
    device: oneOf(a, 'device', DEVICES) ?? 'auto',
    weights: oneOf(a, 'weights', WEIGHT_STORAGES),
  },
): Promise<{ model: Model; loadMs: number }> {
  const t0 = performance.now();
  const model = await loadModel(ref, {
    device: run.device,
    threads: intIn(a, 'threads', 1, os.availableParallelism()),
    cacheMaxBytes: cacheMaxBytes(a),
    weights: run.weights,
    log: (m) => process.stderr.write(`kn: ${m}\n`),
    hub: { onProgress: (p) => process.stderr.write(`\r${formatProgress(p)}`) },
  });
  opened.push(model);
  return { model, loadMs: performance.now() - t0 };
}

/** --cache-max-mb in bytes; undefined: the default ($KN_CACHE_MAX_MB, else 8 GiB). */
function cacheMaxBytes(a: Parsed): number | undefined {
  const mb = numIn(a, 'cache-max-mb', 0, Number.MAX_SAFE_INTEGER / 2 ** 20);
  return mb === undefined ? undefined : Math.floor(mb * 2 ** 20);
}

function prompt(a: Parsed): string {
  if (a.positionals.length !== 1) throw new UsageError(`'${a.command}' takes exactly one prompt (quote it)`);
  return a.positionals[0];
}

function need(a: Parsed, name: string): string {
  const v = str(a, name);
  if (v === undefined) throw new UsageError(`'${a.command}' needs --${name}`);
  return v;
}

function oneOf<T extends string>(a: Parsed, name: string, values: readonly T[]): T | undefined {
  const v = str(a, name);
  if (v !== undefined && !values.includes(v as T)) throw new UsageError(`--${name} must be one of ${values.join(', ')} (got '${v}')`);
  return v as T | undefined;
}

function neurons(a: Parsed, model: Model) {
  const list = parseNeurons(need(a, 'neurons'), model.info.layers, model.info.neurons);
  if (!list.length) throw new KnError(`--neurons lists no neuron; write LAYER:INDEX, comma-separated, e.g. "3:201,2:44"`);
  return list;
}

/** Enhance's factor: bounded, so that activations stay far from float32's overflow. */
function factor(a: Parsed): number {
  return numIn(a, 'factor', -1000, 1000, 2)!;
}

function scoreOptions(a: Parsed) {
  return {
    steps: intIn(a, 'steps', MIN_STEPS, MAX_STEPS, 20)!,
    batchSize: intIn(a, 'batch-size', 1),
    method: (oneOf(a, 'method', ['ig', 'activation'] as const) ?? 'ig') as IgMethod,
    quadrature: (oneOf(a, 'quadrature', ['reference', 'midpoint', 'gauss-legendre'] as const) ?? 'reference') as Quadrature,
  };
}

/** `kn find`'s settings: flags, then the file's directives (@steps, @method, @quadrature, @device, …), then the defaults. */
function findSettings(a: Parsed, fromFile: DatasetSettings): MethodSettings {
  const rules: CoarseRule[] = [];
  if (a.flags.has('adaptive-threshold')) rules.push({ kind: 'adaptive', value: num(a, 'adaptive-threshold')! });
  if (a.flags.has('threshold')) rules.push({ kind: 'threshold', value: num(a, 'threshold')! });
  if (a.flags.has('percentile')) rules.push({ kind: 'percentile', value: num(a, 'percentile')! });
  if (rules.length > 1) throw new UsageError('give one of --adaptive-threshold, --threshold and --percentile, not several');
  const settings = resolveMethodSettings(
    {
      steps: intIn(a, 'steps', MIN_STEPS, MAX_STEPS),
      batchSize: intIn(a, 'batch-size', 1),
      method: oneOf(a, 'method', ['ig', 'activation'] as const) as IgMethod | undefined,
      quadrature: oneOf(a, 'quadrature', ['reference', 'midpoint', 'gauss-legendre'] as const) as Quadrature | undefined,
      rule: rules[0],
      p: num(a, 'p'),
      factor: a.flags.has('factor') ? factor(a) : undefined,
      device: oneOf(a, 'device', DEVICES),
      weights: oneOf(a, 'weights', WEIGHT_STORAGES),
    },
    fromFile,
  );
  if (!Number.isInteger(settings.steps) || settings.steps < MIN_STEPS || settings.steps > MAX_STEPS)
    throw new KnError(`--steps must be an integer from ${MIN_STEPS} to ${MAX_STEPS} (got ${settings.steps})`);
  if (!(settings.p >= 0 && settings.p < 1)) throw new KnError(`--p must be within [0, 1) (got ${settings.p})`);
  return settings;
}

async function intervention(a: Parsed, mode: 'suppress' | 'enhance'): Promise<Output> {
  const { model } = await open(a);
  const r = await model.intervene(prompt(a), need(a, 'target'), neurons(a, model), { mode, factor: factor(a) });
  return { json: r, text: effectText(need(a, 'target'), r) };
}

/** P(answer): one number for a one-token answer; for several tokens the joint probability and the first token's, named. */
function probabilityText(r: { target: string; p_target: number; p_joint: number }): string {
  if (r.p_joint === r.p_target) return `P(${r.target}) = ${r.p_target.toFixed(4)}`;
  return `P(${r.target}) = ${r.p_joint.toFixed(4)} (joint over its tokens; first token ${r.p_target.toFixed(4)})`;
}

function effectText(
  target: string,
  r: { before: { p_target: number; argmax: { token: string } }; after: { p_target: number; argmax: { token: string } } },
): string {
  const change = (r.after.p_target - r.before.p_target) / r.before.p_target;
  return `P(${target}): ${r.before.p_target.toFixed(4)} → ${r.after.p_target.toFixed(4)} (${change >= 0 ? '+' : ''}${(100 * change).toFixed(1)}%); argmax ${r.before.argmax.token} → ${r.after.argmax.token}`;
}

function formatFact(f: Awaited<ReturnType<typeof findFact>> & { control?: ControlEffects | null }): string {
  const ns = (list: [number, number][]) => (list.length ? list.map(([l, n]) => `L${l}·${n}`).join(' ') : '(none)');
  const lines = [`fact ${f.name} -> ${f.answer}`, `  refined: ${ns(f.refined)}`];
  for (const [g, v] of Object.entries(f.groups)) lines.push(`  refined [${g}]: ${ns(v.refined)}`);
  if (Object.keys(f.groups).filter((g) => g !== 'all').length > 1) lines.push(`  shared by every language: ${ns(f.shared)}`);
  if (f.removed_by_negatives.length) lines.push(`  removed by negative examples: ${ns(f.removed_by_negatives)}`);
  lines.push('  effect of the refined neurons on P(answer): before → suppressed (×0) / enhanced (×2)');
  for (const e of f.effects)
    lines.push(`    ${e.before.toFixed(3)} → ${e.suppressed.toFixed(3)} / ${e.enhanced.toFixed(3)}   ${e.lang ? `[${e.lang}] ` : ''}${e.text}`);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
  const change = (es: { before: number; suppressed: number; enhanced: number }[]) =>
    `suppressed ${pct(mean(es.map((e) => (e.suppressed - e.before) / e.before)))}, enhanced ${pct(mean(es.map((e) => (e.enhanced - e.before) / e.before)))}`;
  lines.push(`  mean change: ${change(f.effects)}`);
  if (f.control?.effects.length) lines.push(`  on unrelated prompts (fact ${f.control.fact}): ${change(f.control.effects)}`);
  return lines.join('\n');
}

function formatCard(modelId: string, c: NeuronCard): string {
  const cell = (t: NeuronCard['promotes'][number] | undefined) => (t ? `${t.token.padEnd(16)} ${t.score >= 0 ? '+' : ''}${t.score.toPrecision(3)}` : '');
  const lines = [`${c.label} of ${modelId}: value vector (norm ${c.norm.toPrecision(3)}) · output embedding`, `  ${'promotes'.padEnd(26)}suppresses`];
  for (let i = 0; i < Math.max(c.promotes.length, c.suppresses.length); i++) lines.push(`  ${cell(c.promotes[i]).padEnd(26)}${cell(c.suppresses[i])}`);
  return lines.join('\n');
}

function resolveBeside(file: string, model: string): string {
  const candidate = path.resolve(path.dirname(file), model);
  return fs.existsSync(candidate) ? candidate : model;
}

if (require.main === module)
  startWithHugePages(() => {
    // A signal becomes an exit, so that exit handlers remove the model's scratch files.
    for (const [signal, n] of [
      ['SIGINT', 2],
      ['SIGTERM', 15],
      ['SIGHUP', 1],
    ] as const)
      process.once(signal, () => process.exit(128 + n));
    // exitCode, not exit(): process.exit would drop what a pipe has not yet taken of stdout.
    main(process.argv.slice(2)).then(
      (code) => {
        process.exitCode = code;
      },
      (e) => {
        process.stderr.write(`kn: internal error: ${(e as Error).stack ?? e}\n`);
        process.exitCode = 3;
      },
    );
  });

export { main };
