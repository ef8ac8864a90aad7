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
