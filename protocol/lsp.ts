/**
 * The custom parts of the protocol between the extension's client and its language server, typed
 * (RequestType / NotificationType, as vscode-eslint shares them): client and server are
 * type-checked against each other. Types and constants only.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { TextEdit } from 'vscode-languageserver-protocol';
import type { NeuronCard } from '../engine/src/neuronCard';
import type { CoarseRule, CompareData, FactResult, InterventionResult, Neuron } from '../engine/src/types';

export interface CompareDataParams {
  uri: string;
  facts?: string[];
}
export type CompareDataResult = CompareData;
/** Request: everything the compare panel shows, for the document's facts (all, or the named ones). */
export const CompareDataRequest = new RequestType<CompareDataParams, CompareDataResult, void>('knowledgeNeurons/compareData');

export interface InterveneParams {
  uri: string;
  fact: string;
  mode: 'suppress' | 'enhance';
  neurons: Neuron[];
  /** Texts of the fact's prompts to run on; empty or absent = all of them. */
  prompts?: string[];
  factor?: number;
}
export interface InterveneResult {
  results: Array<{ text: string; before: number; after: number }>;
}
/** Request: suppress / enhance chosen neurons on some of a fact's prompts (the compare panel's buttons). */
export const InterveneRequest = new RequestType<InterveneParams, InterveneResult, void>('knowledgeNeurons/intervene');

export interface NeuronCardParams {
  uri: string;
  neuron: Neuron;
}
/** Request: what a neuron of the document's model writes (the compare panel's drill-down). */
export const NeuronCardRequest = new RequestType<NeuronCardParams, NeuronCard, void>('knowledgeNeurons/neuronCard');

export type EngineState = 'idle' | 'loading' | 'ready' | 'working' | 'error';
export interface StatusParams {
  /** The document this status is about (its model, its analysis); absent for the engine as a whole. */
  uri?: string;
  /** Model id or folder name; empty when none is chosen. */
  model: string;
  /** `cpu` / `cuda` once loaded, else the setting (`auto`). */
  device: string;
  state: EngineState;
  /** While working: prompts done and total. */
  done?: number;
  total?: number;
  /** Error text (state `error`) or what is being done. */
  message?: string;
}
/** Notification server → client: what the status bar shows. */
export const StatusNotification = new NotificationType<StatusParams>('knowledgeNeurons/status');

/** Workspace Trust as the client knows it (server/src/trust.ts enforces it). */
export interface TrustParams {
  /** The folder is trusted: models may be loaded. */
  trusted: boolean;
  /** The user-level setting `knowledgeNeurons.allowModelsOutsideWorkspace`. */
  allowModelsOutsideWorkspace: boolean;
}
/** Notification client → server: the trust state changed (the folder was trusted, or the user setting changed). */
export const TrustNotification = new NotificationType<TrustParams>('knowledgeNeurons/trust');

/** Server-side command ids (workspace/executeCommand). The client registers the public ids and forwards. */
export const ServerCommands = {
  findNeurons: 'knowledgeNeurons.server.findNeurons',
  suppress: 'knowledgeNeurons.server.suppress',
  enhance: 'knowledgeNeurons.server.enhance',
  /** The compare panel's data (`CompareData`); its lens goes only to a client that shows the panel. */
  compare: 'knowledgeNeurons.server.compare',
  exportResults: 'knowledgeNeurons.server.exportResults',
  clearCache: 'knowledgeNeurons.server.clearCache',
  status: 'knowledgeNeurons.server.status',
  /** `[uri, SetDirectivesParams]`: writes settings into the file's directives, as an edit the client applies (asked by the user only). */
  setDirectives: 'knowledgeNeurons.server.setDirectives',
} as const;
/** A code lens that only informs (LSP clients show it as plain text): the Restricted Mode lens. */
export const NO_COMMAND = '';
/** The one lens a file gets in Restricted Mode, in place of commands that would do nothing. */
export const RESTRICTED_LENS_TITLE = 'Knowledge Neurons: analysis off in Restricted Mode (trust this folder to find neurons)';

/**
 * `capabilities.experimental[COMPARE_PANEL_CAPABILITY] === true`: the client shows the Compare panel
 * (only this extension's client says so); other clients get no Compare lens.
 */
export const COMPARE_PANEL_CAPABILITY = 'knowledgeNeuronsComparePanel';

/** Only registered when the server runs with KN_TEST_HOOKS=1. */
export const TestCommands = {
  crashWorker: 'knowledgeNeurons.server.test.crashWorker',
} as const;

/** Public (client) command ids, as package.json declares them; the client maps lenses' server ids to these. */
export const ClientCommands = {
  findNeurons: 'knowledgeNeurons.findNeurons',
  selectModel: 'knowledgeNeurons.selectModel',
  suppress: 'knowledgeNeurons.suppress',
  enhance: 'knowledgeNeurons.enhance',
  compare: 'knowledgeNeurons.compare',
  exportResults: 'knowledgeNeurons.exportResults',
  clearCache: 'knowledgeNeurons.clearCache',
  showOutput: 'knowledgeNeurons.showOutput',
  openExamples: 'knowledgeNeurons.openExamples',
} as const;

/** Arguments of findNeurons / suppress / enhance / compare: `[uri, factName?]`. */
export type FactCommandArgs = [uri: string, fact?: string];

export interface FindNeuronsResult {
  facts: FactResult[];
  cancelled: boolean;
}

export interface InterventionSummary {
  fact: string;
  mode: 'suppress' | 'enhance';
  neurons: Neuron[];
  prompts: Array<{ text: string; lang: string; result: InterventionResult }>;
}

export interface ExportResultsResult {
  format: 'json' | 'csv';
  content: string;
  suggestedName: string;
}

export interface ClearCacheResult {
  removed: number;
  folder: string;
}

/** The status (a document's, given its uri), and then that document's settings as the server took them (server/src/settings.ts UserSettings). */
export type ServerStatusResult = StatusParams & {
  cacheFolder: string;
  defaultModel: string | undefined;
  settings?: object;
  /** The document's `@model`, as written: it wins over the `knowledgeNeurons.model` setting. */
  modelDirective?: string;
};

/** What to write into a file's directives: the coarse rule (`@threshold`, `@abs-threshold` or `@percentile`), `@p`, `@model`. */
export interface SetDirectivesParams {
  rule?: CoarseRule;
  p?: number;
  model?: string;
}
export interface SetDirectivesResult {
  /** The client applied the edit (workspace/applyEdit); false when it cannot or refused. */
  applied: boolean;
  /** The edits to the document (empty when its directives already say so). */
  edits: TextEdit[];
}

/** What each server command answers (workspace/executeCommand has no types of its own). */
export interface ServerCommandResults {
  [ServerCommands.findNeurons]: FindNeuronsResult;
  [ServerCommands.suppress]: InterventionSummary[];
  [ServerCommands.enhance]: InterventionSummary[];
  [ServerCommands.exportResults]: ExportResultsResult;
  [ServerCommands.clearCache]: ClearCacheResult;
  [ServerCommands.status]: ServerStatusResult;
  [ServerCommands.compare]: CompareData;
  [ServerCommands.setDirectives]: SetDirectivesResult;
}
