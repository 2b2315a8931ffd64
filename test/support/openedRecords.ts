import type { RecordReader } from '../../src/model/repository.js';
import type { OutboxMessage } from '../../src/model/schema.js';

/** A store's records by id, in the order it holds them (their sealed fields are not read). */
interface Held {
  data: { outbox: { id: string }[]; members: { id: string }[] };
}

/** The outbox as the domain sees it (addresses opened), in the order the store holds it. */
export async function openedOutbox(store: Held | null, repo: RecordReader): Promise<OutboxMessage[]> {
  const messages = await Promise.all(store!.data.outbox.map((m) => repo.outboxMessage(m.id)));
  return messages as OutboxMessage[];
}
