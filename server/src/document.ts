/** One open `.prompts` document: its text, its parse, and the results that belong to it. */
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { Dataset, Fact, Prompt, parse } from '../../engine/src/prompts';
import type { Scores } from '../../engine/src/types';
import type { InterventionSummary } from '../../protocol/lsp';
import type { ModelRef } from './engineHost';
import type { FactNeurons, PromptEntry } from './render';
import type { EffectiveSettings, ModelSpec } from './settings';

/** What a document's results depend on, resolved for one analysis. */
export interface Context {
  settings: EffectiveSettings;
  model?: ModelSpec;
  /** The model as every engine job names it (undefined without a model). */
  ref?: ModelRef;
  /** Content hash of the model's files and its weights' storage (modelFingerprint): the cache key's model part ('' when its files are not here: no caching). */
  fingerprint: string;
  /** Identifies what entries depend on: model files and attribution settings. */
  id: string;
  ruleKey: string;
  /** The model is a folder without config.json. */
  missing: boolean;
  /** Why the model asked for is not loaded (Workspace Trust, trust.ts); `model` is then unset. */
  refused?: string;
}

interface LineIndex {
  prompts: Map<number, { prompt: Prompt; fact: Fact }>;
  facts: Map<number, Fact>;
}

export class DocState {
  ds: Dataset = { version: 1, directives: [], facts: [], diagnostics: [] };
  index: LineIndex = { prompts: new Map(), facts: new Map() };
  causal = false;
  /** The model's kind is unknown (its folder is missing): no mask rules that depend on it (#20.6). */
  kindUnknown = false;
  ctx: Context | undefined;
  /** The last suppress / enhance results per fact, shown in its lenses and hover. */
  readonly interventions = new Map<string, Partial<Record<'suppress' | 'enhance', InterventionSummary>>>();
  /** Results by `answer \0 text`, valid for `ctx.id`. */
  readonly entries = new Map<string, PromptEntry>();
  readonly neurons = new Map<string, FactNeurons>();
  /** The running analysis: cancelled by a newer edit. */
  cts: CancellationTokenSource | undefined;
  running: Promise<unknown> | undefined;
  /** Attribution jobs running, by context id and entry key (analysis.ts): a newer analysis awaits them. */
  readonly scoring = new Map<string, Promise<Scores>>();
  /** The prompts (entry keys) of the text as opened or as last analysed to the end: the others are the user's new edits. */
  known = new Set<string>();
  /** Waits for an edited `@model` line to settle before its model is loaded (server.ts). */
  modelTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly uri: string,
    public text: string,
    public version: number,
  ) {
    this.reparse();
    this.remember();
  }

  /** The prompts of the text now are no longer new edits (after a complete analysis). */
  remember(): void {
    this.known = new Set(this.modelPrompts().map(({ prompt }) => entryKey(prompt.answer!, prompt.text)));
  }

  /**
   * The prompts in the order their results should come: the prompts edited since the last analysis
   * first, then the other prompts of their facts, then the rest in file order (a file opened and
   * saved: file order).
   */
  editedFirst(list: Array<{ prompt: Prompt; fact: Fact }>): Array<{ prompt: Prompt; fact: Fact }> {
    const edited = new Set(list.filter(({ prompt }) => !this.known.has(entryKey(prompt.answer!, prompt.text))).map(({ prompt }) => prompt));
    const facts = new Set(list.filter(({ prompt }) => edited.has(prompt)).map(({ fact }) => fact));
    const rank = ({ prompt, fact }: { prompt: Prompt; fact: Fact }) => (edited.has(prompt) ? 0 : facts.has(fact) ? 1 : 2);
    return [...list].sort((a, b) => rank(a) - rank(b));
  }

  reparse(): void {
    this.ds = parse(this.text, { causal: this.causal, kindUnknown: this.kindUnknown });
    const index: LineIndex = { prompts: new Map(), facts: new Map() };
    for (const f of this.ds.facts) {
      index.facts.set(f.headerRange.start.line, f);
      for (const p of f.prompts) index.prompts.set(p.range.start.line, { prompt: p, fact: f });
    }
    this.index = index;
  }

  /** Parses again when the model's kind (masked / causal, or unknown) changed; true if it did. */
  setCausal(causal: boolean, kindUnknown = false): boolean {
    if (causal === this.causal && kindUnknown === this.kindUnknown) return false;
    this.causal = causal;
    this.kindUnknown = kindUnknown;
    this.reparse();
    return true;
  }

  entryFor(p: Prompt): PromptEntry | undefined {
    if (!p.ok || p.answer === undefined) return undefined;
    return this.entries.get(entryKey(p.answer, p.text));
  }

  getEntry(p: Prompt): PromptEntry {
    const k = entryKey(p.answer!, p.text);
    let e = this.entries.get(k);
    if (!e) this.entries.set(k, (e = {}));
    return e;
  }

  /** The valid facts, all or the named ones (an error when none of the names is a fact). */
  facts(names?: string[]): Fact[] {
    const facts = this.ds.facts.filter((f) => f.ok && (!names || !names.length || names.includes(f.name)));
    if (names && names.length && !facts.length) throw new Error(`no fact named ${names.join(', ')} in this file`);
    return facts;
  }

  /** The prompts the model runs on (valid, with an answer), of all facts or the named ones. */
  modelPrompts(facts?: string[]): Array<{ prompt: Prompt; fact: Fact }> {
    const out: Array<{ prompt: Prompt; fact: Fact }> = [];
    for (const f of this.ds.facts) {
      if (!f.ok || (facts && facts.length && !facts.includes(f.name))) continue;
      for (const p of f.prompts) if (p.ok && p.answer !== undefined) out.push({ prompt: p, fact: f });
    }
    return out;
  }

  /** Cancels the running analysis (a newer edit made it stale). */
  cancel(): void {
    this.cts?.cancel();
    this.cts = undefined;
  }
}

export function entryKey(answer: string, text: string): string {
  return `${answer}\u0000${text}`;
}
