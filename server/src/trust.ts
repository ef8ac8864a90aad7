/**
 * Workspace Trust, as the client tells it (VS Code's Restricted Mode). Until the folder is trusted
 * only the syntax features run: no model is loaded, no file outside the workspace is read (no model
 * folder, no results cache), nothing is downloaded. Trusted or not, a `.prompts` file's `@model`
 * may name a folder outside the workspace only where the user-level setting
 * `knowledgeNeurons.allowModelsOutsideWorkspace` allows it (sent with the trust state, or read with
 * the other settings: VS Code takes it from user settings only, its scope being `application`).
 *
 * A client that says nothing of trust (another editor, which has no such notion) is trusted and
 * allows models outside the workspace, as before; it may send `initializationOptions.trust`.
 */
import * as path from 'node:path';
import type { TrustParams } from '../../protocol/lsp';

export const TRUSTED: TrustParams = { trusted: true, allowModelsOutsideWorkspace: true };

/** The trust state from `initializationOptions.trust`; a client that sends none is trusted. */
export function trustFromInit(value: unknown): TrustParams {
  if (!value || typeof value !== 'object') return { ...TRUSTED };
  const v = value as Partial<Record<keyof TrustParams, unknown>>;
  return { trusted: v.trusted !== false, allowModelsOutsideWorkspace: v.allowModelsOutsideWorkspace === true };
}

/** The model a document asks for, as far as trust is concerned. */
export interface ModelRequest {
  /** A folder (true) or a Hub id. */
  isPath: boolean;
  /** The folder, or the Hub id. */
  ref: string;
  /** Named by the file's `@model` line (not a setting, not the embedded default). */
  fromDirective: boolean;
}

/** Why the model may not be loaded (nor its folder read) now, or undefined when it may. */
export function modelRefusal(model: ModelRequest, trust: TrustParams, workspaceFolders: readonly string[]): string | undefined {
  if (!trust.trusted) return 'Restricted Mode: models are not loaded until you trust this folder (only syntax features run)';
  if (model.fromDirective && model.isPath && !trust.allowModelsOutsideWorkspace && !workspaceFolders.some((f) => isInside(model.ref, f))) {
    return `@model names a folder outside the workspace (${model.ref}); to allow it, set knowledgeNeurons.allowModelsOutsideWorkspace in your user settings`;
  }
  return undefined;
}

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(path.resolve(folder), path.resolve(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
