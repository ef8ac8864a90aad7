/** Settings: `knowledgeNeurons.*` from the editor, overridden by the file's directives. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { METHOD_DEFAULTS, MethodSettings, SettingsLayer, resolveMethodSettings } from '../../engine/src/method';
import { DEVICES, WEIGHT_STORAGES } from '../../engine/src/types';
import type { CoarseRule, Device, WeightStorage } from '../../engine/src/types';
import type { DatasetSettings } from '../../engine/src/prompts';

export type OnSave = 'attributions' | 'predictions' | 'off';

/** What the editor's settings say (`knowledgeNeurons.*`). */
export interface UserSettings {
  model: string;
  device: Device;
  weights: WeightStorage;
  steps: number;
  batchSize: number | null;
  adaptiveThreshold: number;
  threshold: number | null;
  percentile: number | null;
  /** `knowledgeNeurons.sharedFraction`, or the old `knowledgeNeurons.p` while that is set. */
  p: number;
  lowConfidence: number;
  cacheFolder: string;
  concurrency: number;
  onSave: OnSave;
  /** A `@model` folder may lie outside the workspace (VS Code: user settings only; trust.ts). */
  allowModelsOutsideWorkspace: boolean;
}

/** The editor settings' defaults (package.json declares the same); the method's come from METHOD_DEFAULTS. */
export const EDITOR_DEFAULTS: UserSettings = {
  model: '',
  device: METHOD_DEFAULTS.device,
  weights: METHOD_DEFAULTS.weights,
  steps: METHOD_DEFAULTS.steps,
  batchSize: METHOD_DEFAULTS.batchSize,
  adaptiveThreshold: METHOD_DEFAULTS.rule.value,
  threshold: null,
  percentile: null,
  p: METHOD_DEFAULTS.p,
  lowConfidence: 0.1,
  cacheFolder: '',
  concurrency: 1,
  onSave: 'attributions',
  allowModelsOutsideWorkspace: false,
};

function num(v: unknown, fallback: number, ok: (n: number) => boolean): number {
  return typeof v === 'number' && Number.isFinite(v) && ok(v) ? v : fallback;
}
function optNum(v: unknown, ok: (n: number) => boolean): number | null {
  return typeof v === 'number' && Number.isFinite(v) && ok(v) ? v : null;
}
function oneOf<T extends string>(v: unknown, values: readonly T[], fallback: T): T {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fallback;
}

const fraction = (n: number) => n >= 0 && n < 1;

/** Validates whatever the client sent; anything invalid falls back to the default. */
export function normalizeSettings(raw: unknown): UserSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const d = EDITOR_DEFAULTS;
  const rows = optNum(r.batchSize, (n) => n >= 1);
  return {
    model: typeof r.model === 'string' ? r.model.trim() : d.model,
    device: oneOf(r.device, DEVICES, d.device),
    weights: oneOf(r.weights, WEIGHT_STORAGES, d.weights),
    steps: Math.round(num(r.steps, d.steps, (n) => n >= 1)),
    batchSize: rows === null ? null : Math.round(rows),
    adaptiveThreshold: num(r.adaptiveThreshold, d.adaptiveThreshold, (n) => n > 0 && n <= 1),
    threshold: optNum(r.threshold, (n) => n >= 0),
    percentile: optNum(r.percentile, (n) => n > 0 && n < 100),
    // `p` is the old name of `sharedFraction` (a setting titled "P"): while it is set, it is used
    p: num(r.p, num(r.sharedFraction, d.p, fraction), fraction),
    lowConfidence: num(r.lowConfidence, d.lowConfidence, (n) => n >= 0 && n <= 1),
    cacheFolder: typeof r.cacheFolder === 'string' ? r.cacheFolder.trim() : d.cacheFolder,
    concurrency: Math.round(num(r.concurrency, d.concurrency, (n) => n >= 1 && n <= 16)),
    onSave: oneOf(r.onSave, ['attributions', 'predictions', 'off'] as const, d.onSave),
    allowModelsOutsideWorkspace: r.allowModelsOutsideWorkspace === true,
  };
}

/** The settings one analysis runs with: the method's (directives over editor settings) and the editor's own. */
export interface EffectiveSettings extends MethodSettings {
  /** What the model was given as (directive, setting or default), before resolution. */
  modelSpec: string;
  modelSource: 'directive' | 'setting' | 'default' | 'none';
  lowConfidence: number;
  onSave: OnSave;
}

/** The editor settings as a layer of method settings. */
function editorLayer(user: UserSettings): SettingsLayer {
  let rule: CoarseRule;
  if (user.percentile !== null) rule = { kind: 'percentile', value: user.percentile };
  else if (user.threshold !== null) rule = { kind: 'threshold', value: user.threshold };
  else rule = { kind: 'adaptive', value: user.adaptiveThreshold };
  return { device: user.device, weights: user.weights, steps: user.steps, batchSize: user.batchSize, rule, p: user.p };
}

export function effectiveSettings(user: UserSettings, file: DatasetSettings, defaultModel: string | undefined): EffectiveSettings {
  const modelSource = file.model ? 'directive' : user.model ? 'setting' : defaultModel ? 'default' : 'none';
  return {
    ...resolveMethodSettings(file, editorLayer(user)),
    modelSpec: file.model ?? (user.model || defaultModel || ''),
    modelSource,
    lowConfidence: user.lowConfidence,
    onSave: user.onSave,
  };
}

/** A model as a file or the settings name it: a folder on disk, or a hub id the engine resolves (hub/resolve.ts). */
export interface ModelSpec {
  /** What is passed to loadModel. */
  ref: string;
  isPath: boolean;
  /** Short name for the status bar. */
  display: string;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') || p.startsWith('~\\') ? path.join(os.homedir(), p.slice(1)) : p;
}

function looksLikePath(spec: string): boolean {
  return /^(\.{1,2}([\\/]|$)|[\\/]|~([\\/]|$)|[A-Za-z]:[\\/])/.test(spec) || spec.includes('\\');
}

/**
 * Resolves a model spec: a directive's relative path against the .prompts file's folder, a setting's
 * against the workspace folder; something that is not an existing folder and does not look like a
 * path is a hub id (`org/name`).
 */
export function resolveModelSpec(spec: string, base: string | undefined): ModelSpec | undefined {
  if (!spec) return undefined;
  const expanded = expandHome(spec);
  if (path.isAbsolute(expanded)) return { ref: path.normalize(expanded), isPath: true, display: path.basename(expanded) };
  const candidate = base ? path.resolve(base, expanded) : undefined;
  if (candidate && (looksLikePath(spec) || fs.existsSync(candidate))) {
    return { ref: candidate, isPath: true, display: path.basename(candidate) };
  }
  if (looksLikePath(spec)) return { ref: path.resolve(expanded), isPath: true, display: path.basename(expanded) };
  return { ref: spec, isPath: false, display: spec };
}

/** The embedded default model (`models/bert-tiny-facts` beside the extension), if present. */
export function findDefaultModel(from: string): string | undefined {
  if (process.env.KN_DEFAULT_MODEL !== undefined) return process.env.KN_DEFAULT_MODEL || undefined;
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'models', 'bert-tiny-facts');
    if (fs.existsSync(path.join(candidate, 'config.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** The version in the package.json this file ships in (repository or VSIX). */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'knowledge-neurons' && manifest.version) return manifest.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
