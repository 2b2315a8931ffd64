import type { Activity, TurnContext } from 'botbuilder';
import pg from 'pg';
import { PlainConversationState } from '../../../src/botframework/plainConversationState.js';
import { ManualClock } from '../../../src/core/clock.js';
import { PostgresStateStorage } from '../../../src/store/postgres/postgresStateStorage.js';
import { PostgresTurnLock } from '../../../src/store/postgres/postgresTurnLock.js';
import { StateConflictError } from '../../../src/store/stateTextStorage.js';
import { TurnLockMiddleware } from '../../../src/turnLockMiddleware.js';
import { WebChatAdapter } from '../../../src/web/webChatAdapter.js';
import { migratedDatabase } from '../../support/postgresSchema.js';

const TURNS = 50;

/**
 * Two instances of a bot behind a load balancer without affinity: each has its own query pool,
 * conversation state and adapter, and (when locked) its own lock pool, on one database. The bot
 * counts the member's messages in the conversation state and answers with the count.
 */
describe('turns of one conversation on two instances over PostgreSQL', () => {
  let url: string;
  const pools: pg.Pool[] = [];
  const locks: PostgresTurnLock[] = [];
  const clock = new ManualClock('2026-11-24T08:00:00Z');

  function pool(max: number): pg.Pool {
    const created = new pg.Pool({ connectionString: url, max });
    pools.push(created);
    return created;
  }

  function instance(options: { locked: boolean; beforeSave?: () => Promise<void> }) {
    const storage = new PostgresStateStorage(pool(4), clock, 30);
    const state = new PlainConversationState(storage);
    const count = state.createProperty<number>('count');
    const adapter = new WebChatAdapter();
    if (options.locked) {
      const lock = new PostgresTurnLock(pool(4), 20_000);
      locks.push(lock);
      adapter.use(new TurnLockMiddleware(lock));
    }
    const bot = async (context: TurnContext) => {
      const n = (await count.get(context, 0)) + 1;
      // Another turn gets its chance to run between this one's read and its write.
      await (options.beforeSave ?? (() => new Promise<void>((resolve) => setImmediate(resolve))))();
      await count.set(context, n);
      await context.sendActivity(`message ${n}`);
      await state.saveChanges(context);
    };
    return {
      turn: async (conversationId: string) => (await adapter.runTurn(message(conversationId), bot)).map((a) => a.text),
    };
  }

  function message(conversationId: string): Partial<Activity> {
    return {
      type: 'message',
      channelId: 'webchat',
      conversation: { id: conversationId } as Activity['conversation'],
      from: { id: 'member', name: 'Member' },
      recipient: { id: 'bot', name: 'Bot' },
      text: 'one more',
    };
  }

  async function storedCount(conversationId: string): Promise<number | undefined> {
    const { rows } = await pools[0].query<{ state: string }>('SELECT state FROM conversation_state WHERE key = $1', [
      `webchat/conversations/${conversationId}/`,
    ]);
    return rows[0] && (JSON.parse(rows[0].state) as { count: number }).count;
  }

  beforeAll(async () => {
    url = await migratedDatabase();
  });
  afterAll(async () => {
    await Promise.all(locks.map((lock) => lock.close()));
    await Promise.all(pools.map((p) => p.end()));
  });

  it(`loses no write: ${TURNS} simultaneous turns split over both instances each count once, under the turn lock`, async () => {
    const ends = [instance({ locked: true }), instance({ locked: true })];
    const replies = await Promise.all(Array.from({ length: TURNS }, (_, i) => ends[i % 2].turn('locked')));
    expect(replies.map(([text]) => text).sort((x, y) => Number(x!.slice(8)) - Number(y!.slice(8)))).toEqual(
      Array.from({ length: TURNS }, (_, i) => `message ${i + 1}`),
    );
    expect(await storedCount('locked')).toBe(TURNS);
  });

  it('without the lock, the compare-and-set turns every would-be lost update into StateConflictError', async () => {
    // Every turn reads the state before any saves: the worst interleaving, made certain.
    let loaded = 0;
    let allLoaded!: () => void;
    const everyoneRead = new Promise<void>((resolve) => (allLoaded = resolve));
    const beforeSave = async () => {
      if (++loaded === TURNS) allLoaded();
      await everyoneRead;
    };
    const ends = [instance({ locked: false, beforeSave }), instance({ locked: false, beforeSave })];
    const results = await Promise.allSettled(Array.from({ length: TURNS }, (_, i) => ends[i % 2].turn('unlocked')));
    const answered = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(answered).toHaveLength(1);
    expect(refused).toHaveLength(TURNS - 1);
    for (const r of refused) expect(r.reason).toBeInstanceOf(StateConflictError);
    // What the one answered turn said is what is stored: nothing was overwritten behind its back.
    expect(answered[0]).toEqual({ status: 'fulfilled', value: ['message 1'] });
    expect(await storedCount('unlocked')).toBe(1);
  });
});
