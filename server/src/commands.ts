/** The server's commands (workspace/executeCommand) and custom requests: protocol/lsp.ts types them. */
import * as path from 'node:path';
import { ExecuteCommandParams } from 'vscode-languageserver/node';
import { Fact, datasetSettings, exportCsv, exportJson } from '../../engine/src/prompts';
import type { NeuronCard } from '../../engine/src/neuronCard';
import type { CompareData, FactEffects, FactResult, Neuron } from '../../engine/src/types';
import {
  ClearCacheResult,
  CompareDataParams,
  ExportResultsResult,
  FindNeuronsResult,
  InterveneParams,
  InterveneResult,
  InterventionSummary,
  NeuronCardParams,
  ServerCommands,
  ServerStatusResult,
  SetDirectivesParams,
  SetDirectivesResult,
  TestCommands,
} from '../../protocol/lsp';
import { intervene, loadModel, run } from './analysis';
import type { Context, DocState } from './document';
import { directiveEdits } from './directiveEdits';
import { neuronKey } from '../../engine/src/neurons';
import { clearArtifacts } from '../../engine/src/artifacts';
import { currentNeurons, factResult, neuronsFor } from './results';
import { cardsFor } from './neuronCards';
import type { World } from './world';

export async function findNeurons(world: World, uri: string, fact?: string): Promise<FindNeuronsResult> {
  const st = await world.document(uri);
  const facts = st.facts(fact ? [fact] : undefined);
  const r = await run(world, st, { attributions: true, facts: facts.map((f) => f.name) });
  return { facts: facts.map((f) => factResult(st, f)), cancelled: r.cancelled };
}

/** Suppresses or enhances each fact's refined neurons on its prompts (each prompt with its group's set). */
export async function interveneFacts(
  world: World,
  uri: string,
  mode: 'suppress' | 'enhance',
  factName?: string,
  factor?: number,
): Promise<InterventionSummary[]> {
  const st = await world.document(uri);
  const facts = st.facts(factName ? [factName] : undefined);
  await run(world, st, { attributions: true, facts: facts.map((f) => f.name) });
  const ctx = st.ctx!;
  const out: InterventionSummary[] = [];
  const counts = new Map<string, number>();
  for (const fact of facts) {
    const n = currentNeurons(st, fact);
    if (!n) continue;
    const summary: InterventionSummary = { fact: fact.name, mode, neurons: neuronsFor(n, 'all'), prompts: [] };
    const used = new Set<string>();
    for (const p of fact.prompts.filter((x) => x.ok && !x.negative)) {
      const neurons = neuronsFor(n, p.lang);
      if (!neurons.length) continue;
      neurons.forEach((x) => used.add(neuronKey(x)));
      summary.prompts.push({ text: p.text, lang: p.lang, result: await intervene(world, ctx, p.text, p.answer!, neurons, mode, factor) });
    }
    counts.set(fact.name, used.size);
    out.push(summary);
  }
  // shown where they can be read again, in any client: the fact's lens title and hover (no toast)
  for (const s of out) st.interventions.set(s.fact, { ...st.interventions.get(s.fact), [mode]: s });
  world.log(`${mode}: ${out.map((s) => `${s.fact}, ${counts.get(s.fact) ?? 0} neurons on ${s.prompts.length} prompts`).join('; ') || 'no refined neurons'}`);
  world.refreshViews();
  return out;
}

/** Before / suppressed / enhanced on the fact's own prompts and on up to 8 prompts of another fact (the control). */
async function effects(world: World, st: DocState, ctx: Context, fact: Fact): Promise<FactEffects | undefined> {
  const n = currentNeurons(st, fact);
  if (!n) return undefined;
  const out: FactEffects = { own: [], control: [] };
  const triple = async (text: string, answer: string, neurons: Neuron[], before?: number) => {
    const s = await intervene(world, ctx, text, answer, neurons, 'suppress');
    const e = await intervene(world, ctx, text, answer, neurons, 'enhance', ctx.settings.factor);
    return { text, before: before ?? s.before.p_target, suppressed: s.after.p_target, enhanced: e.after.p_target };
  };
  for (const p of fact.prompts.filter((x) => x.ok && !x.negative)) {
    const neurons = neuronsFor(n, p.lang);
    if (neurons.length) out.own.push(await triple(p.text, p.answer!, neurons, st.entryFor(p)?.prediction?.p_target));
  }
  const all = st.facts();
  const i = all.indexOf(fact);
  const control = [...all.slice(i + 1), ...all.slice(0, i)].find((f) => f !== fact && JSON.stringify(f.answers) !== JSON.stringify(fact.answers));
  for (const p of control?.prompts.filter((x) => x.ok && !x.negative).slice(0, 8) ?? []) {
    const neurons = neuronsFor(n, p.lang);
    if (neurons.length) out.control.push(await triple(p.text, p.answer!, neurons));
  }
  return out;
}

/** Everything the compare panel shows, for the document's facts (all, or the named ones). */
export async function compareData(world: World, params: CompareDataParams): Promise<CompareData> {
  const st = await world.document(params.uri);
  const facts = st.facts(params.facts);
  await run(world, st, { attributions: true, facts: facts.map((f) => f.name) });
  const ctx = st.ctx!;
  // Not host.infoFor: when every result came from the cache, run() never loaded the model, and the
  // panel needs its shape (to check neuron selections) and the model itself (for the effects).
  const info = await loadModel(world, ctx);
  const results: FactResult[] = [];
  for (const fact of facts) {
    const r = factResult(st, fact);
    if (info) {
      try {
        const e = await effects(world, st, ctx, fact);
        if (e) r.effects = e;
      } catch (e) {
        world.log(`effects of ${fact.name} failed: ${e instanceof Error ? e.message : e}`);
      }
    }
    results.push(r);
  }
  return {
    model: info?.id ?? ctx.model?.display ?? '',
    layers: info?.layers ?? 0,
    neurons: info?.neurons ?? 0,
    settings: { rule: ctx.settings.rule, p: ctx.settings.p },
    facts: results,
  };
}

/** The panel's buttons: chosen neurons on some of a fact's prompts. */
export async function interveneRequest(world: World, params: InterveneParams): Promise<InterveneResult> {
  const st = await world.document(params.uri);
  const fact = st.facts([params.fact])[0];
  const ctx = await world.refreshContext(st);
  const info = await loadModel(world, ctx, st.uri);
  if (!info) throw new Error('the model could not be loaded');
  const wanted = params.prompts && params.prompts.length ? new Set(params.prompts) : undefined;
  const results: InterveneResult['results'] = [];
  for (const p of fact.prompts) {
    if (!p.ok || p.negative || (wanted && !wanted.has(p.text))) continue;
    const r = await intervene(world, ctx, p.text, p.answer!, params.neurons, params.mode, params.factor);
    results.push({ text: p.text, before: r.before.p_target, after: r.after.p_target });
  }
  return { results };
}

/** The panel's drill-down: a neuron's card, for the document's model (refused in Restricted Mode, as every model use). */
export async function neuronCardRequest(world: World, params: NeuronCardParams): Promise<NeuronCard> {
  const st = await world.document(params.uri);
  const n = params.neuron;
  if (!n || !Number.isInteger(n.layer) || !Number.isInteger(n.index)) throw new Error('a neuron is {layer, index} with integers');
  const cards = await cardsFor(world, st, [{ layer: n.layer, index: n.index }]);
  if (!cards) throw new Error(st.ctx?.refused ?? 'the model could not be loaded');
  return cards[0];
}

async function exportResults(world: World, uri: string, format: 'json' | 'csv'): Promise<ExportResultsResult> {
  const st = await world.document(uri);
  if (!st.ctx) await world.refreshContext(st);
  const results = st.facts().map((f) => factResult(st, f));
  const base = path.basename(uri.replace(/[?#].*$/, '')).replace(/\.prompts$/, '') || 'results';
  return { format, content: format === 'csv' ? exportCsv(results) : exportJson(results), suggestedName: `${base}.neurons.${format}` };
}

async function clearCache(world: World): Promise<ClearCacheResult> {
  for (const st of world.documents.values()) st.cancel();
  // Results, and the model weights files kept beside them (a worker using one writes it again when it next needs it).
  const removed = (await world.cache.clear()) + clearArtifacts(world.cache.folder);
  for (const st of world.documents.values()) {
    st.entries.clear();
    st.neurons.clear();
    world.publish(st);
  }
  world.refreshViews();
  return { removed, folder: world.cache.folder };
}

/** What the page or a client sent, checked field by field (the values themselves are checked against the directives' rules). */
function directiveChanges(v: unknown): SetDirectivesParams {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('setDirectives: the second argument must be an object {rule?, p?, model?}');
  const o = v as Record<string, unknown>;
  const out: SetDirectivesParams = {};
  for (const k of Object.keys(o)) if (!['rule', 'p', 'model'].includes(k)) throw new Error(`setDirectives: unexpected field "${k.slice(0, 40)}"`);
  if (o.rule !== undefined) {
    const r = o.rule as Record<string, unknown> | null;
    if (!r || typeof r !== 'object' || !['adaptive', 'threshold', 'percentile'].includes(r.kind as string) || typeof r.value !== 'number')
      throw new Error("setDirectives: rule must be {kind: 'adaptive' | 'threshold' | 'percentile', value: number}");
    out.rule = { kind: r.kind as 'adaptive' | 'threshold' | 'percentile', value: r.value };
  }
  if (o.p !== undefined) {
    if (typeof o.p !== 'number') throw new Error('setDirectives: p must be a number');
    out.p = o.p;
  }
  if (o.model !== undefined) {
    if (typeof o.model !== 'string') throw new Error('setDirectives: model must be a string');
    out.model = o.model;
  }
  return out;
}

/**
 * Writes settings into a document's directives: an edit the client applies (workspace/applyEdit),
 * for the document's version the edit was computed on. Run only when the user asks for it (the
 * panel's "Write to file", Select Model's "Edit @model"); a client without applyEdit gets the edits.
 */
async function setDirectives(world: World, uri: string, raw: unknown): Promise<SetDirectivesResult> {
  const st = await world.document(uri);
  const edits = directiveEdits(st.text, st.ds, directiveChanges(raw));
  if (!edits.length || !world.capabilities.applyEdit) return { applied: false, edits };
  const edit =
    world.capabilities.versionedEdits && st.version > 0
      ? { documentChanges: [{ textDocument: { uri, version: st.version }, edits }] }
      : { changes: { [uri]: edits } };
  const r = await world.connection.workspace.applyEdit({ label: 'Knowledge Neurons: write settings to the file', edit });
  if (!r.applied) world.log(`setDirectives: the client did not apply the edit${r.failureReason ? ` (${r.failureReason})` : ''}`);
  return { applied: r.applied, edits };
}

/** An open document's `@model` as written. */
function directiveModel(world: World, uri: string): string | undefined {
  const st = world.documents.get(uri);
  return st ? datasetSettings(st.ds).model : undefined;
}

/** The command ids the server announces. */
export function serverCommandIds(testHooks: boolean): string[] {
  return [...Object.values(ServerCommands), ...(testHooks ? Object.values(TestCommands) : [])];
}

/** workspace/executeCommand: `[uri, fact?]` for the fact commands (ServerCommandResults types the answers). */
export async function executeCommand(world: World, params: ExecuteCommandParams): Promise<unknown> {
  const args = (params.arguments ?? []) as unknown[];
  const uri = typeof args[0] === 'string' ? args[0] : undefined;
  const fact = typeof args[1] === 'string' ? args[1] : undefined;
  const needUri = () => {
    if (!uri) throw new Error(`${params.command}: the first argument must be a document URI`);
    return uri;
  };
  switch (params.command) {
    case ServerCommands.findNeurons:
      return findNeurons(world, needUri(), fact);
    case ServerCommands.suppress:
      return interveneFacts(world, needUri(), 'suppress', fact);
    case ServerCommands.enhance:
      return interveneFacts(world, needUri(), 'enhance', fact, typeof args[2] === 'number' ? args[2] : undefined);
    case ServerCommands.compare:
      return compareData(world, { uri: needUri(), ...(fact ? { facts: [fact] } : {}) });
    case ServerCommands.exportResults:
      return exportResults(world, needUri(), args[1] === 'csv' ? 'csv' : 'json');
    case ServerCommands.clearCache:
      return clearCache(world);
    case ServerCommands.status:
      // with a document: its status and its settings as the server took them (init options, pushes, configuration)
      return {
        ...(uri ? (world.docStatus.get(uri) ?? world.status) : world.status),
        cacheFolder: world.cache.folder,
        defaultModel: world.defaultModel,
        ...(uri ? { settings: await world.settingsFor(uri), modelDirective: directiveModel(world, uri) } : {}),
      } satisfies ServerStatusResult;
    case ServerCommands.setDirectives:
      return setDirectives(world, needUri(), args[1]);
    case TestCommands.crashWorker:
      if (!world.testHooks) throw new Error('test hooks are off');
      await world.host.crashForTest();
      return null;
    default:
      throw new Error(`unknown command ${params.command}`);
  }
}
