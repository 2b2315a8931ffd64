/**
 * The states a process last sealed or opened, by key: the sealed text each was stored as and what
 * it opens to. Opening is a pure function of the sealed text, so a state stored as exactly that
 * text again (a conversation's next turn) is not opened again; a state changed anywhere else
 * (another instance, a rotation, an altered row) is stored as other text, which misses and is
 * opened as before. Bounded: the conversations of the moment, the longest unused forgotten first.
 */
export class OpenedStates {
  private readonly entries = new Map<string, { sealed: string; json: string }>();

  constructor(private readonly limit: number) {}

  /** What `sealed`, stored under `key`, opens to, if it is what was last sealed or opened there. */
  get(key: string, sealed: string): string | undefined {
    const entry = this.entries.get(key);
    if (entry?.sealed !== sealed) return undefined;
    // Map keeps insertion order: put back last, the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.json;
  }

  set(key: string, sealed: string, json: string): void {
    this.entries.delete(key);
    this.entries.set(key, { sealed, json });
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
