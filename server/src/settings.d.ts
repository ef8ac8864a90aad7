import { MethodSettings } from '../../engine/src/method';
import type { Device } from '../../engine/src/types';
import type { DatasetSettings } from '../../engine/src/prompts';
export type OnSave = 'attributions' | 'predictions' | 'off';
/** What the editor's settings say (`knowledgeNeurons.*`). */
export interface UserSettings {
  model: string;
  device: Device;
  steps: number;
  batchSize: number | null;
  adaptiveThreshold: number;
  threshold: number | null;
  percentile: number | null;
  p: number;
  lowConfidence: number;
  cacheFolder: string;
  concurrency: number;
  onSave: OnSave;
  /** A `@model` folder may lie outside the workspace (VS Code: user settings only; trust.ts). */
  allowModelsOutsideWorkspace: boolean;
}
/** The editor settings' defaults (package.json declares the same); the method's come from METHOD_DEFAULTS. */
export declare const EDITOR_DEFAULTS: UserSettings;
/** Validates whatever the client sent; anything invalid falls back to the default. */
export declare function normalizeSettings(raw: unknown): UserSettings;
/** The settings one analysis runs with: the method's (directives over editor settings) and the editor's own. */
export interface EffectiveSettings extends MethodSettings {
  /** What the model was given as (directive, setting or default), before resolution. */
  modelSpec: string;
  modelSource: 'directive' | 'setting' | 'default' | 'none';
  lowConfidence: number;
  onSave: OnSave;
}
export declare function effectiveSettings(user: UserSettings, file: DatasetSettings, defaultModel: string | undefined): EffectiveSettings;
/** A model as a file or the settings name it: a folder on disk, or a hub id the engine resolves (hub/resolve.ts). */
export interface ModelSpec {
  /** What is passed to loadModel. */
  ref: string;
  isPath: boolean;
  /** Short name for the status bar. */
  display: string;
}
/**
 * Resolves a model spec: a directive's relative path against the .prompts file's folder, a setting's
 * against the workspace folder; something that is not an existing folder and does not look like a
 * path is a hub id (`org/name`).
 */
export declare function resolveModelSpec(spec: string, base: string | undefined): ModelSpec | undefined;
/** The embedded default model (`models/bert-tiny-facts` beside the extension), if present. */
export declare function findDefaultModel(from: string): string | undefined;
/** Default cache folder: the OS cache dir (XDG on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows). */
export declare function defaultCacheFolder(): string;
/** The version in the package.json this file ships in (repository or VSIX). */
export declare function packageVersion(): string;
