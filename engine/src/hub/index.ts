/**
 * Model resolution like the Python ecosystem: a local folder, else the shared Hugging Face cache,
 * else a verified, resumable download from the Hub into that cache. See docs/hub.md.
 */
export { resolveModel, parseModelRef, formatProgress } from './resolve';
export type { ResolveOptions, ResolvedModel, DownloadProgress } from './resolve';
export { estimateMemory, estimateRun, checkMemory, checkConfigFits, countParams, formatBytes } from './memory';
export type { MemoryEstimate, MemoryEstimateOptions } from './memory';
export { HubError } from './errors';
export type { HubErrorCode } from './errors';
export { hubCacheDir, hubEndpoint, isOffline } from './env';
export { repoFolder, cachedModels } from './cache';
export type { FetchLike } from './http';
