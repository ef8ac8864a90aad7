/**
 * A loaded model: config, tokenizer, weights and the compiled graphs, with the operations of the
 * method: predict, integrated-gradient scores, and interventions on activations.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFinite, KnError } from '../errors';
import { formatBytes } from '../hub/memory';
import { checkNeuron } from '../neurons';
import { quadrature } from '../quadrature';
import { ArtifactOptions, ExternalWeights, openWeights } from '../artifacts';
import { CompiledGraph, Runtime, ResolvedDevice } from '../runtime';
import type { Device, Effect, InterventionResult, Neuron, PredictionDetail, ScoreOptions, Scores, TopToken, WeightStorage } from '../types';
import type { Value } from '../graph/ir';
import { ModelConfig, readConfig } from './config';
import { buildForward, buildIntegratedGradients, ForwardGraph, IgGraph, keyMask } from './graphs';
import { valueVectorsKey, weightPrefix, wordEmbeddingsKey } from './architectures';
import { SafetensorsFile, WeightStore } from './safetensors';
import { EncodedPrompt, PromptTokenizer } from './tokenizer';
import { Weights } from './weights';
import { SymbolicError, SymbolicPlan } from '../onnx/symbolic';
import { forwardRunBytes, IG_MEMORY_BUDGET, igPlan, igRunBytes } from './memory';

export interface LoadOptions extends ArtifactOptions {
  device?: Device;
  log?: (msg: string) => void;
  threads?: number;
  /**
   * Weights go to ONNX external data (mapped by every session: one copy in memory) unless they are
   * smaller than this many bytes, when they are inlined in each graph. Default 0: always external.
   */
  externalDataAbove?: number;
  /** Memory an integrated-gradients run may never exceed (it is refused, naming the numbers). Default: the machine's RAM. */
  memoryBytes?: number;
  /** The memory a model must fit before it loads (loadModel refuses it otherwise, naming the numbers). Default: the machine's RAM. */
  ramBytes?: number;
  /** How weight matrices are kept: float32 (default) or int8 rows with a scale each (README, "Models larger than memory"). */
  weights?: WeightStorage;
  /**
   * Sessions kept whatever the memory budget (default 1). A language server keeps 2, a forward and
   * an integrated-gradient one, so that an edited prompt's prediction does not evict the session
   * its attribution needs next. The weights file they map is one copy in memory, but resident
   * memory counts it once per session.
   */
  keepSessions?: number;
}

export interface ModelInfo {
  id: string;
  dir: string;
  architecture: string;
  kind: 'masked' | 'causal';
  layers: number;
  neurons: number;
  maxPositions: number;
  device: ResolvedDevice;
}

const MAX_SESSIONS = 16;
/** The longest prompt an any-length integrated-gradients session runs (its constant tables are this long). */
const ANY_LENGTH_MAX = 512;

/** A cached compiled graph: the memory its session keeps, and the jobs using it now. */
interface CachedGraph {
  graph: Promise<{ compiled: CompiledGraph; spec: ForwardGraph | IgGraph }>;
  bytes: number;
  users: number;
  /** Out of the cache while in use: its session is released when its last user is done. */
  evicted: boolean;
}

export class Model {
  /** Compiled graphs by key, least recently used first, with the memory each session keeps. */
  private readonly graphs = new Map<string, CachedGraph>();
  private readonly plain = new Map<string, Promise<{ probs: Float32Array }[]>>();
  /** Per kind of graph, whether it can be built for any prompt length (`anyLength`). */
  private readonly anyLengthWorks = new Map<'ig' | 'fwd', boolean>();
  /** Graphs lent to jobs now, and who waits for none to be (`dispose`). */
  private readonly lent = new Set<CachedGraph>();
  private readonly idle: (() => void)[] = [];
  /** Set by `dispose`: integrated-gradient jobs stop before their next run. */
  private closed = false;
  /** The any-length graph built to learn it, kept for the session that needs it. */
  private anyLengthKept?: { key: string; spec: (ForwardGraph | IgGraph) & { plan: SymbolicPlan } };

  private constructor(
    readonly info: ModelInfo,
    readonly config: ModelConfig,
    readonly tokenizer: PromptTokenizer,
    readonly weights: Weights,
    private readonly runtime: Runtime,
    private readonly external?: ExternalWeights,
    private readonly memoryBytes = os.totalmem(),
    private readonly log?: (msg: string) => void,
    private readonly keepSessions = 1,
  ) {}

  static async load(dir: string, opts: LoadOptions = {}): Promise<Model> {
    const configFile = path.join(dir, 'config.json');
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new KnError(`model folder ${dir} does not exist`, { file: dir });
    if (!fs.existsSync(configFile)) throw new KnError(`${dir}: config.json is missing; is this a Hugging Face model folder?`, { file: configFile });
    const { config } = readConfig(configFile);
    const store = new WeightStore(weightFiles(dir));
    const tokenizer = new PromptTokenizer(dir, config.kind);
    const weights = new Weights(store, opts.weights);
    const runtime = await Runtime.open({ device: opts.device ?? 'auto', log: opts.log, intraOpThreads: opts.threads });
    const info: ModelInfo = {
      id: path.basename(path.resolve(dir)),
      dir: path.resolve(dir),
      architecture: config.architecture,
      kind: config.kind,
      layers: config.layers,
      neurons: config.ffn,
      maxPositions: config.maxPositions,
      device: runtime.device,
    };
    const inline = 4 * store.parameterCount() < (opts.externalDataAbove ?? 0);
    if (!inline && 4 * store.parameterCount() > 2 ** 31) opts.log?.("weights exceed protobuf's 2 GB: they load through ONNX external data");
    // The weights file holds the forward graph's weights (all of the model's, as graphs use them).
    const external = inline ? undefined : await openWeights(dir, () => buildForward(config, weights, 1).graph, opts);
    return new Model(info, config, tokenizer, weights, runtime, external, opts.memoryBytes, opts.log, opts.keepSessions);
  }

  encode(prompt: string, target: string): EncodedPrompt {
    const enc = this.tokenizer.encodePrompt(prompt, target);
    const needed = enc.ids.length + (this.config.kind === 'causal' ? enc.answerIds.length - 1 : 0);
    if (needed > this.config.maxPositions)
      throw new KnError(`the prompt is ${needed} tokens long, longer than the model's ${this.config.maxPositions} positions`);
    return enc;
  }

  async predict(prompt: string, target: string, opts: { topK?: number } = {}): Promise<PredictionDetail> {
    const enc = this.encode(prompt, target);
    const steps = await this.plainProbabilities(enc);
    const first = steps[0];
    const topK = opts.topK ?? 5;
    const p = first.probs;
    for (const s of steps) checkFinite('a probability', s.probs);
    const pTarget = p[enc.answerIds[0]];
    const unknown = this.tokenizer.unkId === undefined ? [] : enc.tokens.filter((t) => t.id === this.tokenizer.unkId);
    return {
      prompt,
      target,
      target_ids: enc.answerIds,
      input_ids: enc.ids,
      position: enc.positions[0],
      p_target: pTarget,
      top_k: this.topK(p, topK),
      rank: 1 + p.reduce((n, x) => n + (x > pTarget ? 1 : 0), 0),
      p_joint: steps.reduce((acc, s, j) => acc * s.probs[enc.answerIds[j]], 1),
      tokens: enc.tokens,
      unknown,
      max_positions: this.config.maxPositions,
    };
  }

  /**
   * Builds (and runs once) the forward sessions that these prompts' predictions will use (one of
   * any length, or one per graph length), so that the predictions asked for next come at once: a
   * language server does it when a file opens, before its first save. The probabilities computed
   * are remembered as every prediction's are (`plainProbabilities`). A prompt that cannot be
   * encoded is skipped: its prediction reports the error.
   */
  async warm(items: { prompt: string; target: string }[]): Promise<void> {
    const warmed = new Set<number>();
    for (const { prompt, target } of items) {
      let enc: EncodedPrompt;
      try {
        enc = this.encode(prompt, target);
      } catch {
        continue;
      }
      const T = enc.ids.length + (this.config.kind === 'causal' ? enc.answerIds.length - 1 : 0);
      // One session for every length when the model has any-length forward graphs (known after the first).
      const session = this.anyLengthWorks.get('fwd') && T <= this.anyLengthMax() ? 0 : this.graphLength(T, false);
      if (warmed.has(session)) continue;
      warmed.add(session);
      await this.plainProbabilities(enc);
    }
  }

  /**
   * Integrated-gradient scores [layer][neuron] of P(target). For answers of several tokens the
   * matrices of each token (its own mask, or teacher forcing) are averaged.
   */
  async scores(prompt: string, target: string, opts: ScoreOptions = {}): Promise<Scores> {
    return (await this.scoresMany([{ prompt, target }], opts))[0];
  }

  /**
   * `scores` of many prompts, in their order. They are computed grouped by graph length and layer
   * range, so a file of mixed lengths builds each session once, whatever the order of its prompts.
   * `onScored(i)` is called when item i's scores are complete.
   */
  async scoresMany(items: { prompt: string; target: string }[], opts: ScoreOptions = {}, onScored?: (i: number) => void): Promise<Scores[]> {
    return (await this.scoresEach(items, opts, onScored)).map((s) => {
      if (s instanceof KnError) throw s;
      return s;
    });
  }

  /**
   * `scoresMany`, where an item whose probability or scores came out non-finite is its KnError
   * instead of failing the others.
   */
  async scoresEach(items: { prompt: string; target: string }[], opts: ScoreOptions = {}, onScored?: (i: number) => void): Promise<(Scores | KnError)[]> {
    const encs = items.map((it) => this.encode(it.prompt, it.target));
    const steps = opts.steps ?? 20;
    const { layers, ffn } = this.config;
    const jobs = encs.flatMap((enc, item) => enc.answerIds.map((targetId, j) => ({ ...this.answerStep(enc, j), targetId, item })));
    const pending = encs.map((enc) => enc.answerIds.length);
    const jobDone = (k: number) => {
      if (--pending[jobs[k].item] === 0) onScored?.(jobs[k].item);
    };
    const results: { scores: number[][]; probs: Float32Array }[] = [];
    if (opts.method === 'activation')
      for (let k = 0; k < jobs.length; k++) {
        results.push(await this.activationScores(jobs[k].ids, jobs[k].position));
        jobDone(k);
      }
    else results.push(...(await this.igScoresMany(jobs, steps, opts, jobDone)));
    const out = encs.map((enc, i) => ({
      prompt: items[i].prompt,
      target: items[i].target,
      p_target: NaN,
      p_joint: 1,
      layers,
      neurons: ffn,
      total: Array.from({ length: layers }, () => new Float64Array(ffn)),
      answerTokens: enc.answerIds.length,
    }));
    jobs.forEach((job, k) => {
      const o = out[job.item];
      if (Number.isNaN(o.p_target)) o.p_target = results[k].probs[job.targetId];
      o.p_joint *= results[k].probs[job.targetId];
      results[k].scores.forEach((row, l) => row.forEach((s, i) => (o.total[l][i] += s / o.answerTokens)));
    });
    return out.map(({ total, answerTokens: _, ...o }) => {
      try {
        checkFinite('P(target)', [o.p_target, o.p_joint]);
        for (const row of total) checkFinite('an attribution score', row);
      } catch (e) {
        if (e instanceof KnError) return e;
        throw e;
      }
      return { ...o, scores: total.map((r) => Array.from(r)) };
    });
  }

  /** Integrated gradients for one token, with P at every α (for completeness checks). */
  async igScores(ids: number[], position: number, targetId: number, steps: number, opts: ScoreOptions = {}) {
    return (await this.igScoresMany([{ ids, position, targetId }], steps, opts))[0];
  }

  /**
   * Integrated gradients of many tokens, in their order: for each layer range, every job runs on
   * that range's any-length session (or, for prompts longer than any-length sessions run, on the
   * session of its graph length). A run holds `plan.steps` of the quadrature's steps, which depends
   * on the prompt's length; a rule of more steps runs in chunks on the same session (the last one
   * shorter), and the chunks' sums are added.
   */
  private async igScoresMany(jobs: { ids: number[]; position: number; targetId: number }[], steps: number, opts: ScoreOptions, jobDone?: (k: number) => void) {
    const { layers, ffn, vocab } = this.config;
    // The causal graph keeps patched rows at the last position only, which is where the target is.
    for (const { ids, position } of jobs)
      if (this.config.kind === 'causal' && position !== ids.length - 1) throw new Error('a causal model is attributed at the last position');
    const rule = quadrature(opts.quadrature ?? 'reference', steps);
    const results = jobs.map(() => ({ scores: [] as number[][], pAlpha: [] as number[][], probs: new Float32Array(0) as Float32Array }));
    // Each job's sessions: one per layer range, of any length (symbolic.ts) or of its graph length.
    const groups = new Map<string, { first: number; last: number; anyLength: boolean; jobs: { k: number; T: number; m: number }[] }>();
    jobs.forEach((job, k) => {
      const anyLength = this.anyLengthIg(job.ids.length);
      const T = anyLength ? job.ids.length : this.graphLength(job.ids.length, true);
      const plan = this.igPlan(T, steps, opts.batchSize);
      for (let first = 0; first < layers; first += plan.layers) {
        const last = Math.min(layers, first + plan.layers) - 1;
        const key = anyLength ? `ig:any:${first}:${last}` : `ig:${T}:${plan.steps}:${first}:${last}`;
        if (!groups.has(key)) groups.set(key, { first, last, anyLength, jobs: [] });
        groups.get(key)!.jobs.push({ k, T, m: plan.steps });
      }
    });
    // The sessions still cached run first (most recently used first, so that consecutive calls,
    // e.g. fact after fact, reuse the last session), the others by length. Within a session the
    // longest prompts run first: its arena then grows once, not at each longer prompt.
    const recency = [...this.graphs.keys()];
    const rank = (key: string) => recency.indexOf(key);
    const shortest = (g: { jobs: { T: number }[] }) => Math.min(...g.jobs.map((j) => j.T));
    const runs = [...groups].sort(([ka, a], [kb, b]) => rank(kb) - rank(ka) || shortest(a) - shortest(b) || a.first - b.first);
    const rangesLeft = jobs.map((_, k) => runs.filter(([, g]) => g.jobs.some((j) => j.k === k)).length);
    for (const [key, { first, last, anyLength, jobs: group }] of runs) {
      group.sort((a, b) => b.T - a.T);
      const { T: longest, m: mostSteps } = group[0];
      const build = anyLength
        ? () => this.anyLengthGraph(key, this.igBuilder(first, last), true)
        : () => buildIntegratedGradients(this.config, this.weights, longest, mostSteps, first, last, false, true);
      const lease = this.graph(key, igRunBytes(this.config, longest, mostSteps, first, last), build);
      try {
        const { compiled, spec } = await lease.graph;
        const ig = spec as IgGraph;
        for (const { k, T, m } of group) {
          const { ids, position, targetId } = jobs[k];
          const target = new Float32Array(vocab);
          target[targetId] = 1;
          const sums = Array.from({ length: last - first + 1 }, () => new Float64Array(ffn));
          const pAlpha = sums.map(() => [] as number[]);
          for (const chunk of stepChunks(rule, m, !anyLength)) {
            if (this.closed) throw new KnError('the model was closed');
            const out = await compiled.run(
              new Map<any, any>([
                [ig.ids, padded(ids, T)],
                [ig.position, oneHot(T, position)],
                [ig.target, target],
                [ig.alphas, chunk.alphas],
                [ig.weights, chunk.weights],
                ...maskFeed(ig, ids.length, T),
              ]),
            );
            const s = out.get(ig.scores) as Float32Array;
            const pa = out.get(ig.pAlpha) as Float32Array;
            const rows = chunk.alphas.length;
            sums.forEach((sum, i) => {
              for (let n = 0; n < ffn; n++) sum[n] += s[i * ffn + n];
              pAlpha[i].push(...pa.subarray(i * rows, i * rows + chunk.count));
            });
            if (last === layers - 1) results[k].probs = out.get(ig.probs) as Float32Array;
          }
          sums.forEach((sum, i) => {
            results[k].scores[first + i] = Array.from(sum, Math.fround);
            results[k].pAlpha[first + i] = pAlpha[i];
          });
          if (--rangesLeft[k] === 0) jobDone?.(k);
        }
      } finally {
        lease.release();
      }
    }
    return results;
  }

  /**
   * The length of the graph that runs a prompt of T tokens where any-length sessions do not (prompts
   * longer than `ANY_LENGTH_MAX`, an architecture whose graphs cannot be made symbolic, a forward
   * pass with edited weights). Prompts are padded at the end to a few lengths so that a file of
   * mixed lengths shares a few sessions: for integrated gradients, whose
   * cost grows with the length, multiples of 4 up to 32, of 8 up to 64, …; for a forward pass, whose
   * session is cheap to build, 16 at least, then multiples of 8 up to 32, of 16 up to 64, … (a
   * 17-token prompt runs at 24, not 32). Masked models mask the padding out of attention
   * (`keyMask`), and a causal model's positions never see the ones after them. Causal integrated
   * gradients keep the prompt's own length: their graph needs the target at the last position.
   */
  private graphLength(T: number, ig: boolean): number {
    if (ig && this.config.kind === 'causal') return T;
    const step = Math.max(ig ? 4 : 8, 2 ** Math.ceil(Math.log2(T)) / (ig ? 8 : 4));
    return Math.min(Math.max(Math.ceil(T / step) * step, ig ? 0 : 16), this.config.maxPositions);
  }

  /**
   * Whether a graph of this kind runs a T-token prompt on an any-length session (onnx/symbolic.ts):
   * one session for every prompt up to `ANY_LENGTH_MAX` tokens, with no padding. Learnt once per
   * model and kind by building one (`trial`, kept for the session that needs it): an architecture
   * whose graph cannot be made symbolic keeps one session per graph length.
   */
  private anyLength(kind: 'ig' | 'fwd', T: number, trial: () => void): boolean {
    if (T > this.anyLengthMax() || this.anyLengthMax() < 16) return false;
    let ok = this.anyLengthWorks.get(kind);
    if (ok === undefined) {
      try {
        trial();
        ok = true;
      } catch (e) {
        if (!(e instanceof SymbolicError)) throw e;
        this.log?.(`${kind === 'ig' ? 'integrated-gradient' : 'forward'} graphs of ${this.info.architecture} are built per length (${e.message})`);
        ok = false;
      }
      this.anyLengthWorks.set(kind, ok);
    }
    return ok;
  }

  private anyLengthIg(T: number): boolean {
    const key = `ig:any:0:${this.config.layers - 1}`;
    return this.anyLength('ig', T, () => this.keepAnyLengthGraph(key, this.igBuilder(0, this.config.layers - 1), true));
  }

  /** The integrated-gradients graph of layers first…last at sizes [T, steps per run], unpadded. */
  private igBuilder(first: number, last: number): (sizes: number[]) => IgGraph {
    return ([T, m]) => buildIntegratedGradients(this.config, this.weights, T, m, first, last, false, false);
  }

  private anyLengthMax(): number {
    return Math.min(this.config.maxPositions, ANY_LENGTH_MAX);
  }

  /** The graph of `key` for any prompt length, from `build` at the sizes it is probed at (symbolic.ts). */
  private anyLengthGraph<T extends ForwardGraph | IgGraph>(key: string, build: (sizes: number[]) => T, steps: boolean): T & { plan: SymbolicPlan } {
    const kept = this.anyLengthKept;
    this.anyLengthKept = undefined;
    // The kept graph was built by the same builder for this key.
    if (kept?.key === key) return kept.spec as unknown as T & { plan: SymbolicPlan };
    let spec: T | undefined;
    const sizes = steps
      ? { names: ['T', 'steps'], max: [this.anyLengthMax(), 64], low: [7, 3], check: [11, 5] }
      : { names: ['T'], max: [this.anyLengthMax()], low: [7], check: [11] };
    const { plan } = SymbolicPlan.make(
      (at) => {
        const built = buildChecked(this.info.dir, () => build(at));
        spec ??= built;
        return built.graph;
      },
      sizes,
      this.runtime.emitOptions,
    );
    return { ...spec!, plan };
  }

  /** `anyLengthGraph`, built now and kept for the session of `key` (anyLength's trial). */
  private keepAnyLengthGraph(key: string, build: (sizes: number[]) => ForwardGraph | IgGraph, steps: boolean): void {
    this.anyLengthKept = { key, spec: this.anyLengthGraph(key, build, steps) };
  }

  private async activationScores(ids: number[], position: number) {
    const out = await this.forwardAt(ids, position, [position], this.ones());
    const { ffn } = this.config;
    return {
      scores: Array.from({ length: this.config.layers }, (_, l) => Array.from(out.activations.subarray(l * ffn, (l + 1) * ffn))),
      probs: out.probs,
    };
  }

  /** Target probability and argmax at the target position, before and after scaling the neurons' activations there. */
  async intervene(prompt: string, target: string, neurons: Neuron[], opts: { mode: 'suppress' | 'enhance'; factor?: number }): Promise<InterventionResult> {
    const enc = this.encode(prompt, target);
    const scales = this.neuronScales(neurons, [opts.mode === 'suppress' ? 0 : (opts.factor ?? 2)]);
    return {
      before: this.effect(enc, (await this.plainProbabilities(enc))[0].probs),
      after: this.effect(enc, (await this.answerProbabilities(enc, scales))[0].probs),
    };
  }

  /**
   * `intervene`'s suppress and enhance at once: the unchanged, suppressed and enhanced prompt are
   * three rows of one run (the effects of a fact's refined neurons on each of its prompts).
   */
  async suppressAndEnhance(
    prompt: string,
    target: string,
    neurons: Neuron[],
    factor: number,
  ): Promise<{ before: Effect; suppressed: Effect; enhanced: Effect }> {
    const enc = this.encode(prompt, target);
    const rows = await this.answerProbabilities(enc, this.neuronScales(neurons, [1, 0, factor]), undefined, 3);
    // Each row's answer tokens, in order (a causal model's are not `enc.positions`): its first token's.
    const perRow = rows.length / 3;
    const [before, suppressed, enhanced] = [0, 1, 2].map((r) => this.effect(enc, rows[r * perRow].probs));
    return { before, suppressed, enhanced };
  }

  /** A row of FFN multipliers [L, F] per factor: `factor` at `neurons`, 1 elsewhere. */
  private neuronScales(neurons: Neuron[], factors: number[]): Float32Array {
    const { layers, ffn } = this.config;
    for (const n of neurons) checkNeuron(n, layers, ffn);
    const scales = new Float32Array(factors.length * layers * ffn).fill(1);
    factors.forEach((factor, r) => {
      for (const n of neurons) scales[(r * layers + n.layer) * ffn + n.index] = factor;
    });
    return scales;
  }

  /**
   * Weight edits on the FFN value vectors (row i of layer l's output matrix): `erase` sets them to
   * zero or to the unknown token's embedding; `edit` moves them away from the current prediction's
   * embedding and towards `newTarget`'s. The edited model is measured on the prompt; the loaded
   * model is not changed.
   */
  async editWeights(
    prompt: string,
    target: string,
    neurons: Neuron[],
    edit:
      { mode: 'erase'; replacement?: 'zero' | 'unk' } | { mode: 'edit'; newTarget: string; scaling?: 'norm' | 'reference'; lambda1?: number; lambda2?: number },
  ): Promise<InterventionResult & { p_new_target?: { before: number; after: number } }> {
    for (const n of neurons) checkNeuron(n, this.config.layers, this.config.ffn);
    const enc = this.encode(prompt, target);
    const prefix = weightPrefix(this.config, (n) => this.weights.has(n));
    const H = this.config.hidden;
    const embeddings = this.weights.array(wordEmbeddingsKey(this.config, prefix));
    const embedding = (id: number) => embeddings.subarray(id * H, (id + 1) * H);
    const newEnc = edit.mode === 'edit' ? this.encode(prompt, edit.newTarget) : undefined;
    if (edit.mode === 'erase' && edit.replacement === 'unk' && this.tokenizer.unkId === undefined)
      throw new KnError('the tokenizer has no unknown token to erase with');
    const measure = async (overrides?: Map<string, Float32Array>) => {
      const p = (await this.answerProbabilities(enc, this.ones(), overrides))[0].probs;
      const effect = this.effect(enc, p);
      return { effect, pNew: newEnc ? p[newEnc.answerIds[0]] : undefined, argmax: effect.argmax.id };
    };
    const before = await measure();
    // The edited value-vector matrices are copies bound into a graph built for this measurement;
    // the model's own weights (and every cached session) are untouched, so nothing needs undoing.
    const overrides = new Map<string, Float32Array>();
    for (const n of neurons) {
      const key = valueVectorsKey(this.config, prefix, n.layer);
      if (!overrides.has(key)) overrides.set(key, this.weights.array(key));
      const v = overrides.get(key)!.subarray(n.index * H, (n.index + 1) * H);
      if (edit.mode === 'erase') v.set(edit.replacement === 'unk' ? embedding(this.tokenizer.unkId!) : new Float32Array(H));
      else {
        const from = embedding(before.argmax);
        const to = embedding(newEnc!.answerIds[0]);
        const norm = (x: Float32Array) => Math.hypot(...x);
        const reference = edit.scaling === 'reference';
        const l1 = edit.lambda1 ?? (reference ? 2 : 1);
        const l2 = edit.lambda2 ?? (reference ? 2 : 8);
        const s1 = reference ? l1 : (l1 * norm(v)) / norm(from);
        const s2 = reference ? l2 : (l2 * norm(v)) / norm(to);
        for (let i = 0; i < H; i++) v[i] = v[i] - s1 * from[i] + s2 * to[i];
      }
    }
    const after = await measure(overrides);
    return { before: before.effect, after: after.effect, ...(newEnc ? { p_new_target: { before: before.pNew!, after: after.pNew! } } : {}) };
  }

  /** Greedy continuation of a causal model. */
  async generate(prompt: string, maxNewTokens: number): Promise<{ ids: number[]; text: string }> {
    if (this.config.kind !== 'causal') throw new KnError('generation needs a causal language model');
    const ids = this.tokenizer.encode(prompt);
    const out: number[] = [];
    for (let k = 0; k < maxNewTokens && ids.length < this.config.maxPositions; k++) {
      const { probs } = await this.forwardAt(ids, ids.length - 1, [ids.length - 1], this.ones());
      const next = argmax(probs);
      ids.push(next);
      out.push(next);
    }
    return { ids: out, text: this.tokenizer.decode(out) };
  }

  /** P(target) and the most probable token, from the probabilities at the target position. */
  private effect(enc: EncodedPrompt, p: Float32Array): Effect {
    checkFinite('a probability', p);
    const best = argmax(p);
    return { p_target: p[enc.answerIds[0]], argmax: { id: best, token: this.tokenizer.idToToken(best) } };
  }

  /** `answerProbabilities` of the unchanged model, remembered for the last few prompts (suppress and enhance both start from it). */
  private async plainProbabilities(enc: EncodedPrompt): Promise<{ probs: Float32Array }[]> {
    const key = JSON.stringify([enc.ids, enc.positions, enc.answerIds]);
    let hit = this.plain.get(key);
    if (hit) this.plain.delete(key);
    else hit = this.answerProbabilities(enc, this.ones());
    this.plain.set(key, hit);
    for (const old of this.plain.keys()) if (this.plain.size > 4) this.plain.delete(old);
    try {
      return await hit;
    } catch (e) {
      this.plain.delete(key);
      throw e;
    }
  }

  /**
   * For each answer token: the probabilities at its position (masked: its mask; causal: teacher
   * forcing). With `rows` rows of `scales`, the tokens of row 0, then those of row 1, ….
   */
  private async answerProbabilities(
    enc: EncodedPrompt,
    scales: Float32Array,
    overrides?: Map<string, Float32Array>,
    rows = 1,
  ): Promise<{ probs: Float32Array }[]> {
    const V = this.config.vocab;
    const causal = this.config.kind === 'causal';
    const ids = causal ? [...enc.ids, ...enc.answerIds.slice(0, -1)] : enc.ids;
    const at = causal ? enc.answerIds.map((_, j) => enc.positions[0] + j) : enc.positions;
    const run = await this.forwardAt(ids, enc.positions[0], at, scales, overrides, rows);
    return Array.from({ length: rows * at.length }, (_, j) => ({ probs: run.probs.subarray(j * V, (j + 1) * V) }));
  }

  private answerStep(enc: EncodedPrompt, j: number): { ids: number[]; position: number } {
    if (this.config.kind === 'masked') return { ids: enc.ids, position: enc.positions[j] };
    const ids = [...enc.ids, ...enc.answerIds.slice(0, j)];
    return { ids, position: ids.length - 1 };
  }

  /** The forward pass with probabilities at every position of the prompt: `forwardAt` all of them. */
  async runForward(ids: number[], position: number, scales: Float32Array, overrides?: Map<string, Float32Array>) {
    return this.forwardAt(ids, position, Array.from(ids.keys()), scales, overrides);
  }

  /**
   * The forward graph for this length (padded, see `graphLength`): probabilities [P, V] at the P
   * positions `at`, and the activations at `position`, which `scales` multiplies. With `overrides`
   * (edited weights), a session for this run only.
   */
  private async forwardAt(
    ids: number[],
    position: number,
    at: number[],
    scales: Float32Array,
    overrides?: Map<string, Float32Array>,
    rows = 1,
  ): Promise<{ probs: Float32Array; activations: Float32Array }> {
    const P = at.length;
    const uncached = overrides !== undefined;
    const anyBuild = (sizes: number[]) => buildForward(this.config, this.weights, sizes[0], undefined, false, P, rows);
    const shape = `${P}${rows > 1 ? `:${rows}` : ''}`;
    const anyLength = !uncached && this.anyLength('fwd', ids.length, () => this.keepAnyLengthGraph(`fwd:any:${shape}`, anyBuild, false));
    const T = anyLength ? ids.length : this.graphLength(ids.length, false);
    const key = anyLength ? `fwd:any:${shape}` : `fwd:${T}:${shape}`;
    const build = anyLength ? () => this.anyLengthGraph(key, anyBuild, false) : () => buildForward(this.config, this.weights, T, overrides, true, P, rows);
    const lease = uncached ? undefined : this.graph(key, rows * forwardRunBytes(this.config, T, P), build);
    let out: Map<Value, Float32Array | BigInt64Array>;
    let f: ForwardGraph;
    try {
      const { compiled, spec } = lease ? await lease.graph : await this.compile(build);
      f = spec as ForwardGraph;
      const select = new Float32Array(P * T);
      at.forEach((p, i) => (select[i * T + p] = 1));
      out = await compiled.run(
        new Map<any, any>([[f.ids, padded(ids, T)], [f.position, oneHot(T, position)], [f.scales, scales], [f.select!, select], ...maskFeed(f, ids.length, T)]),
      );
      if (uncached) await compiled.dispose();
    } finally {
      lease?.release();
    }
    return { probs: out.get(f.probs) as Float32Array, activations: out.get(f.activations) as Float32Array };
  }

  private async compile<T extends ForwardGraph | IgGraph>(build: () => T & { plan?: SymbolicPlan }): Promise<{ compiled: CompiledGraph; spec: T }> {
    const spec = buildChecked(this.info.dir, build);
    return { compiled: await CompiledGraph.create(spec.graph, this.runtime, this.external, spec.plan), spec };
  }

  /**
   * A cached compiled graph, lent until `release()`. `bytes` is what its session keeps between runs:
   * its working memory (the CPU arena; device memory elsewhere) plus the weights. The least recently
   * used sessions leave the cache while the kept total exceeds twice the integrated-gradient budget
   * and one copy of the weights; a session another job is running (a prediction beside an
   * attribution, in the language server) is released when that job is done with it.
   */
  private graph<T extends ForwardGraph | IgGraph>(
    key: string,
    workingBytes: number,
    build: () => T,
  ): { graph: Promise<{ compiled: CompiledGraph; spec: T }>; release: () => void } {
    if (this.closed) throw new KnError('the model was closed');
    const lend = (e: CachedGraph) => {
      e.users++;
      this.lent.add(e);
      return {
        graph: e.graph as Promise<{ compiled: CompiledGraph; spec: T }>,
        release: () => {
          if (--e.users > 0) return;
          this.lent.delete(e);
          if (e.evicted) disposeGraph(e);
          if (!this.lent.size) for (const done of this.idle.splice(0)) done();
        },
      };
    };
    let entry = this.graphs.get(key);
    if (entry) {
      this.graphs.delete(key);
      this.graphs.set(key, entry);
      return lend(entry);
    }
    // Every session holds the weights: its own copy when inlined; mapped from the external data
    // file otherwise, which the kernel shares but counts in the resident memory of each mapping.
    const weightBytes = 4 * this.weights.store.parameterCount();
    entry = { graph: this.compile(build), bytes: workingBytes + weightBytes, users: 0, evicted: false };
    this.graphs.set(key, entry);
    // Room for one session's weights and working memory; more sessions only where their weights
    // are small beside the budget (bert-base: one at a time, each new one paid with ~0.5 s), or
    // the `keepSessions` most recently used (an editor's prediction beside its attribution).
    const budget = 2 * Math.min(this.memoryBudget(), this.memoryBytes) + weightBytes;
    let kept = [...this.graphs.values()].reduce((sum, e) => sum + e.bytes, 0);
    for (const [oldKey, old] of this.graphs) {
      if (oldKey === key || (kept <= budget && this.graphs.size <= MAX_SESSIONS) || this.graphs.size <= this.keepSessions) break;
      this.graphs.delete(oldKey);
      kept -= old.bytes;
      if (old.users) old.evicted = true;
      else disposeGraph(old);
    }
    return lend(entry);
  }

  private memoryBudget(): number {
    return this.runtime.device === 'cpu' ? IG_MEMORY_BUDGET.cpu : IG_MEMORY_BUDGET.gpu;
  }

  /**
   * How one integrated-gradients run is shaped: how many layers' rows it holds and how many of the
   * quadrature's steps. All layers in one run when they fit, in chunks of steps when the memory
   * budget (or `batchSize`, in rows) asks for it: chunks share one session and add up, while
   * layer ranges would each build their own. Small runs are also faster to start: every page a
   * session's arena touches for the first time costs a page fault.
   */
  private igPlan(T: number, steps: number, batchSize?: number): { layers: number; steps: number } {
    if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1))
      throw new KnError(`batch size must be a positive integer (got ${batchSize})`);
    const budget = Math.min(this.memoryBudget(), this.memoryBytes);
    const plan = igPlan(this.config, T, steps, budget, batchSize);
    const one = igRunBytes(this.config, T, 1, 0, 0);
    if (plan.layers === 1 && plan.steps === 1 && one > this.memoryBytes)
      throw new KnError(
        `integrated gradients on a ${T}-token prompt need ${formatBytes(one)} in one run (one layer, one step: 2 rows of ${T} tokens), ` +
          `more than the ${formatBytes(this.memoryBytes)} of memory here; use a shorter prompt or a machine with more memory`,
      );
    return plan;
  }

  private ones(): Float32Array {
    return new Float32Array(this.config.layers * this.config.ffn).fill(1);
  }

  topK(p: Float32Array, k: number): TopToken[] {
    const idx = Array.from(p.keys())
      .sort((a, b) => p[b] - p[a])
      .slice(0, k);
    return idx.map((id) => ({ id, token: this.tokenizer.idToToken(id), p: p[id] }));
  }

  /**
   * Releases every session. A session is never released while it runs (ONNX Runtime would abort the
   * process): jobs stop at their next run (`closed`), and this waits for the runs in progress.
   */
  async dispose(): Promise<void> {
    this.closed = true;
    if (this.lent.size) await new Promise<void>((done) => this.idle.push(done));
    const all = [...this.graphs.values()];
    this.graphs.clear();
    for (const e of all) await (await e.graph.catch(() => undefined))?.compiled.dispose();
    this.external?.dispose();
  }
}

/** Builds a graph; shapes are inferred while it is built, so a mismatch means weights that do not fit config.json. */
function buildChecked<T extends ForwardGraph | IgGraph>(dir: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof KnError) throw e;
    const file = path.join(dir, 'config.json');
    throw new KnError(`${file}: the model's weights do not have the sizes it gives (${(e as Error).message})`, { file });
  }
}

function disposeGraph(e: CachedGraph): void {
  void e.graph.then((g) => g.compiled.dispose()).catch(() => undefined);
}

function argmax(p: Float32Array): number {
  return p.reduce((best, x, i) => (x > p[best] ? i : best), 0);
}

/**
 * A quadrature rule cut into runs of m steps. With `fill` (a session of m steps), the last run is
 * filled up with α = 0 and weight 0: its gradient is finite, so those rows add exactly nothing.
 */
function stepChunks(rule: { alphas: Float32Array; weights: Float32Array }, m: number, fill: boolean) {
  const n = rule.alphas.length;
  return Array.from({ length: Math.ceil(n / m) }, (_, c) => {
    const count = Math.min(m, n - c * m);
    const alphas = new Float32Array(fill ? m : count);
    const weights = new Float32Array(fill ? m : count);
    alphas.set(rule.alphas.subarray(c * m, c * m + count));
    weights.set(rule.weights.subarray(c * m, c * m + count));
    return { alphas, weights, count };
  });
}

/** The key-mask feed of a masked model's graph (none for a causal one). */
function maskFeed(spec: { keyMask?: Value }, length: number, T: number): [Value, Float32Array][] {
  return spec.keyMask ? [[spec.keyMask, keyMask(length, T)]] : [];
}

/** Token ids padded to T (with id 0: padding is masked out, so any id would do). */
function padded(ids: number[], T: number): number[] {
  return ids.length === T ? ids : [...ids, ...new Array<number>(T - ids.length).fill(0)];
}

function oneHot(n: number, i: number): Float32Array {
  const v = new Float32Array(n);
  v[i] = 1;
  return v;
}

/** The safetensors files of a model folder; pickle-only folders are refused. */
function weightFiles(dir: string): SafetensorsFile[] {
  const single = path.join(dir, 'model.safetensors');
  const index = path.join(dir, 'model.safetensors.index.json');
  if (fs.existsSync(single)) return [new SafetensorsFile(single)];
  if (fs.existsSync(index)) {
    let map: Record<string, string>;
    try {
      map = JSON.parse(fs.readFileSync(index, 'utf8')).weight_map;
    } catch (e) {
      throw new KnError(`${index}: not valid JSON (${(e as Error).message})`, { file: index });
    }
    if (!map || typeof map !== 'object') throw new KnError(`${index}: no weight_map`, { file: index });
    return [...new Set(Object.values(map))].map((f) => new SafetensorsFile(path.join(dir, f)));
  }
  if (fs.existsSync(path.join(dir, 'pytorch_model.bin')))
    throw new KnError(
      `${dir} has only pickle weights (pytorch_model.bin), which are refused: loading pickle can execute arbitrary code. Convert them to safetensors (e.g. transformers' save_pretrained(..., safe_serialization=True)).`,
      { file: path.join(dir, 'pytorch_model.bin') },
    );
  throw new KnError(`${dir}: no model.safetensors or model.safetensors.index.json`, { file: dir });
}
