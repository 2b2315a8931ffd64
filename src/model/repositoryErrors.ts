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
