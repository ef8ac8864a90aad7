/**
 * The engine worker's jobs, one typed map (job → arguments → result) used on both sides of the
 * worker: server/src/engineHost.ts sends them, server/src/engineWorker.ts answers them.
 *
 * Every job that runs the model names the model it is for (`ModelRef`): the worker may hold
 * several models, and never runs one file's job on another file's model.
 */
import type { ModelInfo } from '../engine/src/model/model';
import type { NeuronCard } from '../engine/src/neuronCard';
import type { Device, InterventionResult, Neuron, PredictionDetail, ScoreOptions, Scores, WeightStorage } from '../engine/src/types';

/** A model as the worker loads it: the folder or hub id, the device, its weights' storage, and the content hash of its files. */
export interface ModelRef {
  ref: string;
  device: Device;
  /** Absent: float32. */
  weights?: WeightStorage;
  /** Content hash of the model's files, and the weights' storage when not float32 (modelFiles.ts). */
  fingerprint: string;
}

export function modelRefKey(m: ModelRef): string {
  return `${m.ref}\0${m.device}\0${m.weights ?? 'float32'}\0${m.fingerprint}`;
}

export interface WorkerJobs {
  ping: { args: Record<string, never>; result: 'pong' };
  load: { args: { model: ModelRef }; result: ModelInfo };
  predict: { args: { model: ModelRef; prompt: string; target: string; topK: number }; result: PredictionDetail };
  /** Builds the sessions these prompts' predictions will use (a file opened before its first save). */
  warm: { args: { model: ModelRef; prompts: Array<{ prompt: string; target: string }> }; result: null };
  scores: { args: { model: ModelRef; prompt: string; target: string; options: ScoreOptions }; result: Scores };
  intervene: {
    args: { model: ModelRef; prompt: string; target: string; neurons: Neuron[]; mode: 'suppress' | 'enhance'; factor?: number };
    result: InterventionResult;
  };
  /** What a neuron writes: its value vector through the output embedding (engine/src/neuronCard.ts). */
  card: { args: { model: ModelRef; neuron: Neuron; topK: number }; result: NeuronCard };
  /** Disposes every model the worker holds. */
  dispose: { args: Record<string, never>; result: null };
  /** Test hook (only with testHooks): the worker exits with code 3. */
  crash: { args: Record<string, never>; result: null };
}

export type JobName = keyof WorkerJobs;
export type JobArgs<K extends JobName> = WorkerJobs[K]['args'];
export type JobResult<K extends JobName> = WorkerJobs[K]['result'];
/** The jobs that run a model: they queue for a slot. */
export type ModelJob = 'predict' | 'warm' | 'scores' | 'intervene' | 'card';

export interface JobRequest<K extends JobName = JobName> {
  id: number;
  op: K;
  args: JobArgs<K>;
}

/** What the worker posts: a job's answer, or a log line. */
export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { message: string; name: string } } | { log: string };

export interface WorkerData {
  enginePath?: string;
  testHooks?: boolean;
}
