/**
 * Messages between the compare panel's webview and the extension.
 *
 * Everything the page posts is untrusted: {@link validatePageMessage} checks its shape by hand
 * (type, fact names that exist, neuron indices in range, prompt texts that exist, bounded
 * sizes) before the extension acts on it. No `vscode` import here, so the tests can load it.
 */

import type { NeuronCard } from '../engine/src/neuronCard';
import type { CoarseRule, CompareData } from '../engine/src/types';

// ---------------------------------------------------------------------------------------------
// Page → extension

export type InterventionMode = 'suppress' | 'enhance';

export interface IntervenePageMessage {
  type: 'intervene';
  /** Echoed back in the result so the page can match it. */
  requestId: number;
  mode: InterventionMode;
  /** The model the page's selection was made on: must be the one the panel shows now. */
  model: string;
  fact: string;
  neurons: Array<{ layer: number; index: number }>;
  /** Texts of the fact's prompts to run on; all of the fact's prompts when empty. */
  prompts: string[];
}

export type ExportFormat = 'svg' | 'png' | 'csv';
export type ExportView = 'refined' | 'heatmap' | 'layers' | 'effects' | 'neuron';

export interface ExportPageMessage {
  type: 'export';
  requestId: number;
  format: ExportFormat;
  view: ExportView;
  /** Suggested file name: [A-Za-z0-9._-], ending in `.${format}`. */
  filename: string;
  /** SVG text, CSV text, or for PNG a `data:image/png;base64,` URL. */
  content: string;
}

export interface ReadyPageMessage {
  type: 'ready';
}

/** "Write to file": the toolbar's coarse rule and p into the shown file's directives (`@threshold`…, `@p`). */
export interface WriteSettingsPageMessage {
  type: 'writeSettings';
  requestId: number;
  rule: CoarseRule;
  p: number;
}

/** The drill-down asks what a neuron writes (its card: the tokens it promotes and suppresses). */
export interface NeuronCardPageMessage {
  type: 'neuronCard';
  requestId: number;
  /** The model the page shows: must be the panel's. */
  model: string;
  neuron: { layer: number; index: number };
}

export type PageMessage = ReadyPageMessage | IntervenePageMessage | ExportPageMessage | WriteSettingsPageMessage | NeuronCardPageMessage;

// ---------------------------------------------------------------------------------------------
// Extension → page

export interface InterventionResultRow {
  text: string;
  before: number;
  after: number;
}

export interface InterventionResponse {
  results: InterventionResultRow[];
}

/** What the panel shows: the file and (when opened from a fact's code lens) the fact. */
export interface PanelSource {
  /** The document's URI. */
  uri: string;
  /** Its name, to show. */
  file: string;
  /** The fact to open on; all of the file's facts can still be chosen. */
  fact?: string;
}

export type HostMessage =
  | { type: 'update'; data: CompareData; source?: PanelSource }
  /** New data for `source` is being computed: the page shows that it is stale. */
  | { type: 'loading'; source: PanelSource }
  /** Computing it failed. */
  | { type: 'loadFailed'; source: PanelSource; error: string }
  | {
      type: 'interventionResult';
      requestId: number;
      ok: boolean;
      mode?: InterventionMode;
      fact?: string;
      neurons?: Array<{ layer: number; index: number }>;
      results?: InterventionResultRow[];
      error?: string;
    }
  | { type: 'exportResult'; requestId: number; ok: boolean; path?: string; error?: string }
  /** `applied`: the file's directives now say so (unsaved); false with no error: they already did. */
  | { type: 'writeSettingsResult'; requestId: number; ok: boolean; applied?: boolean; error?: string }
  | { type: 'neuronCardResult'; requestId: number; ok: boolean; model?: string; card?: NeuronCard; error?: string };

// ---------------------------------------------------------------------------------------------
// Limits

export const LIMITS = {
  /** Longest fact name / prompt text accepted from the page. */
  maxName: 1_000,
  maxPrompt: 4_000,
  maxNeurons: 10_000,
  maxPrompts: 1_000,
  maxFilename: 120,
  /** SVG / CSV text. */
  maxText: 20 * 1024 * 1024,
  /** PNG data URL. */
  maxPng: 40 * 1024 * 1024,
} as const;

export type ValidationResult = { ok: true; message: PageMessage } | { ok: false; error: string };

const PNG_PREFIX = 'data:image/png;base64,';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown, lo: number, hi: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

function boundedString(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

function onlyKeys(o: Record<string, unknown>, allowed: string[]): string | undefined {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) return `unexpected field "${k.slice(0, 40)}"`;
  return undefined;
}

const fail = (error: string): ValidationResult => ({ ok: false, error });

/**
 * Check a message posted by the page against the data the panel currently shows.
 * Returns the message, re-built from the checked fields only, or why it was rejected.
 */
export function validatePageMessage(msg: unknown, data: CompareData): ValidationResult {
  if (!isRecord(msg)) return fail('message is not an object');
  switch (msg.type) {
    case 'ready': {
      const extra = onlyKeys(msg, ['type']);
      return extra ? fail(extra) : { ok: true, message: { type: 'ready' } };
    }
    case 'intervene':
      return validateIntervene(msg, data);
    case 'export':
      return validateExport(msg);
    case 'writeSettings':
      return validateWriteSettings(msg);
    case 'neuronCard':
      return validateNeuronCard(msg, data);
    default:
      return fail(`unknown message type ${JSON.stringify(String(msg.type).slice(0, 40))}`);
  }
}

function validateIntervene(msg: Record<string, unknown>, data: CompareData): ValidationResult {
  const extra = onlyKeys(msg, ['type', 'requestId', 'mode', 'model', 'fact', 'neurons', 'prompts']);
  if (extra) return fail(extra);
  if (!isInt(msg.requestId, 0, Number.MAX_SAFE_INTEGER)) return fail('requestId must be a non-negative integer');
  if (msg.mode !== 'suppress' && msg.mode !== 'enhance') return fail('mode must be "suppress" or "enhance"');
  if (typeof msg.model !== 'string' || msg.model.length > LIMITS.maxName) return fail('model must be a string');
  if (msg.model !== data.model) return fail('the selection was made on another model than the one the panel shows: select the neurons again');
  if (!(data.layers > 0 && data.neurons > 0)) return fail("the model's shape is unknown (it could not be loaded)");
  if (!boundedString(msg.fact, LIMITS.maxName)) return fail('fact must be a non-empty string');
  const fact = data.facts.find((f) => f.name === msg.fact);
  if (!fact) return fail('unknown fact');
  if (!Array.isArray(msg.neurons) || msg.neurons.length === 0 || msg.neurons.length > LIMITS.maxNeurons) {
    return fail(`neurons must be a list of 1–${LIMITS.maxNeurons} neurons`);
  }
  const neurons: Array<{ layer: number; index: number }> = [];
  const seen = new Set<string>();
  for (const n of msg.neurons) {
    if (!isRecord(n) || onlyKeys(n, ['layer', 'index'])) return fail('a neuron must be {layer, index}');
    if (!isInt(n.layer, 0, data.layers - 1)) return fail('neuron layer out of range');
    if (!isInt(n.index, 0, data.neurons - 1)) return fail('neuron index out of range');
    const k = `${n.layer}:${n.index}`;
    if (seen.has(k)) continue;
    seen.add(k);
    neurons.push({ layer: n.layer, index: n.index });
  }
  if (!Array.isArray(msg.prompts) || msg.prompts.length > LIMITS.maxPrompts) return fail('prompts must be a list');
  const texts = new Set(fact.prompts.map((p) => p.text));
  const prompts: string[] = [];
  for (const t of msg.prompts) {
    if (!boundedString(t, LIMITS.maxPrompt)) return fail('a prompt must be a non-empty string');
    if (!texts.has(t)) return fail("prompt is not one of the fact's prompts");
    if (!prompts.includes(t)) prompts.push(t);
  }
  return {
    ok: true,
    message: { type: 'intervene', requestId: msg.requestId, mode: msg.mode, model: data.model, fact: fact.name, neurons, prompts },
  };
}

const RULE_KINDS: Array<CoarseRule['kind']> = ['adaptive', 'threshold', 'percentile'];

/** The shape only: the values are checked by the server against the directives' own rules. */
function validateWriteSettings(msg: Record<string, unknown>): ValidationResult {
  const extra = onlyKeys(msg, ['type', 'requestId', 'rule', 'p']);
  if (extra) return fail(extra);
  if (!isInt(msg.requestId, 0, Number.MAX_SAFE_INTEGER)) return fail('requestId must be a non-negative integer');
  const rule = msg.rule;
  if (!isRecord(rule) || onlyKeys(rule, ['kind', 'value']) || !RULE_KINDS.includes(rule.kind as CoarseRule['kind'])) {
    return fail("rule must be {kind: 'adaptive' | 'threshold' | 'percentile', value}");
  }
  if (typeof rule.value !== 'number' || !Number.isFinite(rule.value)) return fail('the rule value must be a finite number');
  if (typeof msg.p !== 'number' || !Number.isFinite(msg.p)) return fail('p must be a finite number');
  return {
    ok: true,
    message: { type: 'writeSettings', requestId: msg.requestId, rule: { kind: rule.kind as CoarseRule['kind'], value: rule.value }, p: msg.p },
  };
}

function validateNeuronCard(msg: Record<string, unknown>, data: CompareData): ValidationResult {
  const extra = onlyKeys(msg, ['type', 'requestId', 'model', 'neuron']);
  if (extra) return fail(extra);
  if (!isInt(msg.requestId, 0, Number.MAX_SAFE_INTEGER)) return fail('requestId must be a non-negative integer');
  if (typeof msg.model !== 'string' || msg.model !== data.model) return fail('the neuron is of another model than the one the panel shows');
  if (!(data.layers > 0 && data.neurons > 0)) return fail("the model's shape is unknown (it could not be loaded)");
  const n = msg.neuron;
  if (!isRecord(n) || onlyKeys(n, ['layer', 'index'])) return fail('a neuron must be {layer, index}');
  if (!isInt(n.layer, 0, data.layers - 1)) return fail('neuron layer out of range');
  if (!isInt(n.index, 0, data.neurons - 1)) return fail('neuron index out of range');
  return { ok: true, message: { type: 'neuronCard', requestId: msg.requestId, model: data.model, neuron: { layer: n.layer, index: n.index } } };
}

const FORMATS: ExportFormat[] = ['svg', 'png', 'csv'];
const VIEWS: ExportView[] = ['refined', 'heatmap', 'layers', 'effects', 'neuron'];

function validateExport(msg: Record<string, unknown>): ValidationResult {
  const extra = onlyKeys(msg, ['type', 'requestId', 'format', 'view', 'filename', 'content']);
  if (extra) return fail(extra);
  if (!isInt(msg.requestId, 0, Number.MAX_SAFE_INTEGER)) return fail('requestId must be a non-negative integer');
  const format = msg.format as ExportFormat;
  if (!FORMATS.includes(format)) return fail('format must be svg, png or csv');
  const view = msg.view as ExportView;
  if (!VIEWS.includes(view)) return fail('unknown view');
  if (!boundedString(msg.filename, LIMITS.maxFilename)) return fail('filename must be a short string');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(msg.filename) || msg.filename.includes('..')) {
    return fail('filename may only hold letters, digits, ".", "_" and "-"');
  }
  if (!msg.filename.toLowerCase().endsWith(`.${format}`)) return fail(`filename must end in .${format}`);
  if (typeof msg.content !== 'string' || msg.content.length === 0) return fail('content must be a non-empty string');
  const content = msg.content;
  if (format === 'png') {
    if (content.length > LIMITS.maxPng) return fail('content too large');
    if (!content.startsWith(PNG_PREFIX)) return fail('PNG content must be a data:image/png;base64 URL');
    const b64 = content.slice(PNG_PREFIX.length);
    if (b64.length === 0 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
      return fail('PNG content is not valid base64');
    }
    // PNG signature: 89 50 4E 47 0D 0A 1A 0A → base64 "iVBORw0KGgo".
    if (!b64.startsWith('iVBORw0KGgo')) return fail('content is not a PNG image');
  } else {
    if (content.length > LIMITS.maxText) return fail('content too large');
    if (format === 'svg' && !/^\s*(<\?xml[^>]*\?>\s*)?<svg[\s>]/.test(content)) return fail('content is not an SVG document');
  }
  return {
    ok: true,
    message: { type: 'export', requestId: msg.requestId, format, view, filename: msg.filename, content },
  };
}

/**
 * The answer to a request the page made and {@link validatePageMessage} rejected, so that the page
 * never waits for it ("Running…" forever): undefined when the message carries no request id.
 */
export function rejectionReply(msg: unknown, error: string): HostMessage | undefined {
  if (!isRecord(msg) || !isInt(msg.requestId, 0, Number.MAX_SAFE_INTEGER)) return undefined;
  const requestId = msg.requestId;
  if (msg.type === 'intervene') return { type: 'interventionResult', requestId, ok: false, error: `rejected: ${error}` };
  if (msg.type === 'export') return { type: 'exportResult', requestId, ok: false, error: `rejected: ${error}` };
  if (msg.type === 'writeSettings') return { type: 'writeSettingsResult', requestId, ok: false, error: `rejected: ${error}` };
  if (msg.type === 'neuronCard') return { type: 'neuronCardResult', requestId, ok: false, error: `rejected: ${error}` };
  return undefined;
}

/** Node and browsers both have it; the protocol's lib (ES2022, no DOM, no Node) does not declare it. */
declare function atob(data: string): string;

/** Bytes of a validated PNG data URL. */
export function pngBytes(content: string): Uint8Array {
  const bin = atob(content.slice(PNG_PREFIX.length));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
