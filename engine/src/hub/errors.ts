import { KnError } from '../errors';

/**
 * Errors raised while resolving or sizing a model. Every message is meant to be shown to the user
 * as is (CLI stderr, VS Code notification): it names the model, says what went wrong and what to do.
 */

export type HubErrorCode =
  | 'LOCAL_NOT_FOUND' // the argument looks like a path but no such folder exists
  | 'INVALID_REF' // not a folder and not a valid repo id
  | 'OFFLINE' // offline mode and not in the cache
  | 'NETWORK' // the Hub could not be reached (or the connection kept dropping)
  | 'AUTH' // 401 / 403: gated or private model, or a bad token
  | 'NOT_FOUND' // repository, revision or a required file does not exist
  | 'PICKLE_ONLY' // only pytorch_model.bin: refused
  | 'NO_WEIGHTS' // no weights at all
  | 'CORRUPT' // size or SHA-256 mismatch after download
  | 'HTTP' // any other unexpected HTTP answer
  | 'MEMORY' // checkMemory refusal
  | 'CANCELLED'; // the caller aborted the download (ResolveOptions.signal)

/**
 * A KnError (its name stays 'KnError', which is how the language server recognises a message meant
 * for the user) with a machine-readable code.
 */
export class HubError extends KnError {
  readonly code: HubErrorCode;
  constructor(code: HubErrorCode, message: string, options?: { cause?: unknown }) {
    super(message);
    this.code = code;
    if (options && 'cause' in options) Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, configurable: true, writable: true });
  }
}
