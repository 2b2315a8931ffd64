/**
 * A transaction would have stored a second record where the domain relies on one (a cancellation
 * a request, a member a phone number); nothing of it was kept. Adapters that retry conflicts run
 * the work again first, so that it can see the record that won.
 */
export class DuplicateRecordError extends Error {
  constructor(
    readonly collection: string,
    readonly field: string,
  ) {
    super(`Not stored: another record in ${collection} already has this ${field}; nothing of the change was kept.`);
    this.name = 'DuplicateRecordError';
  }
}

/**
 * The connection to the store broke while a commit was under way: the change may have been kept
 * or not, and no one can say which. Running the same request again is safe (a cancellation is
 * answered once a request id) and tells.
 */
export class CommitOutcomeUnknownError extends Error {
  constructor(cause: unknown) {
    super(
      `The connection to the database broke during a commit (${(cause as Error)?.message ?? String(cause)}); the change may or may not have been kept. ` +
        'Send the same request again to find out: it is answered once.',
    );
    this.name = 'CommitOutcomeUnknownError';
    this.cause = cause;
  }
}
