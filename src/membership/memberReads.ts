import type { Member } from '../model/schema.js';

/** Where a member service reads members from, outside transactions. */
export interface MemberReads {
  /**
   * The member with this id.
   *
   * @param id - The member's id.
   * @returns The member, or undefined when there is none.
   */
  member(id: string): Promise<Member | undefined>;
  /**
   * Drops what was read of this member, after a write to it.
   *
   * @param id - The member's id.
   */
  forget(id: string): void;
}

/** Every read goes to the store. */
export class StoreReads implements MemberReads {
  constructor(private readonly read: (id: string) => Promise<Member | undefined>) {}

  member(id: string): Promise<Member | undefined> {
    return this.read(id);
  }

  forget(): void {}
}

/**
 * Each member read once for one unit of work (a conversation's turn): the turn's checks (is the
 * member known, where do notices go, which conversation was last) ask several times, and on
 * PostgreSQL each ask is a round trip. Only reads go through it; writes read in their own
 * transaction, and a write made through the same service drops the member read before it.
 */
export class ReadsOnce implements MemberReads {
  private readonly read = new Map<string, Promise<Member | undefined>>();

  constructor(private readonly store: MemberReads) {}

  member(id: string): Promise<Member | undefined> {
    let member = this.read.get(id);
    if (!member) {
      member = this.store.member(id);
      this.read.set(id, member);
      // A failed read is not kept: the next ask tries the store again.
      const asked = member;
      asked.catch(() => this.read.get(id) === asked && this.read.delete(id));
    }
    return member;
  }

  forget(id: string): void {
    this.read.delete(id);
  }
}
