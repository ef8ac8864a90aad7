/** An error whose message is meant for the user as is: what is wrong, and where. */
export class KnError extends Error {
  constructor(
    message: string,
    /** Where the problem is, when it has a place: a file and 0-based line/column. */
    readonly where?: { file?: string; line?: number; column?: number },
  ) {
    super(message);
    this.name = 'KnError';
  }
}

/** A NaN or infinite result is an error, not an answer: refuses `values` named `what` if one is not finite. */
export function checkFinite(what: string, values: Iterable<number>): void {
  for (const v of values)
    if (!Number.isFinite(v))
      throw new KnError(`${what} came out as ${v}: the computation overflowed float32 (weights or a scaling factor too large) or read invalid weights`);
}
