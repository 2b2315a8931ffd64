import type { Repository, Transaction } from '../../src/model/repository.js';
import { conversation } from '../support/conversation.js';
import { signHostToken } from '../support/hostToken.js';

/** Counts the calls on the repository and on each transaction it opens, by method. */
function countCalls(repo: Repository): Map<string, number> {
  const calls = new Map<string, number>();
  const note = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const wrap = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(obj, key, receiver) {
        const value = Reflect.get(obj, key, receiver) as unknown;
        if (typeof value !== 'function' || typeof key !== 'string') return value;
        return (...args: unknown[]) => {
          if (depth === 0) note(prefix + key);
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  const target = repo as unknown as Record<string, unknown>;
  let depth = 0;
  for (const name of PORT) {
    const original = (target[name] as (...a: unknown[]) => unknown).bind(repo);
    const counted = (...args: unknown[]) => {
      if (depth === 0) note(name);
      depth += 1;
      try {
        return original(...args);
      } finally {
        depth -= 1;
      }
    };
    target[name] =
      name === 'transact'
        ? (work: (tx: Transaction) => Promise<unknown>) => counted((tx: Transaction) => work(wrap(tx, 'tx.')))
        : counted;
  }
  return calls;
}

/** The port's reads and its transaction: what a turn asks of whichever engine is behind it. */
const PORT = [
  'memberById',
  'memberByPhone',
  'memberByEmail',
  'plan',
  'membership',
  'membershipsOf',
  'cancellationsOf',
  'cancellationByRequest',
  'cancellationByReference',
  'challenge',
  'challengesFor',
  'challengesBy',
  'latestChallengesBy',
  'outboxMessage',
  'outboxOf',
  'transact',
] as const satisfies readonly (keyof Repository)[];

/** The member reads a turn made outside transactions, and the store calls of every kind. */
function tally(calls: Map<string, number>) {
  const memberReads = ['memberById', 'memberByPhone', 'memberByEmail'].reduce((n, k) => n + (calls.get(k) ?? 0), 0);
  return { memberReads, all: Object.fromEntries([...calls].sort()) };
}

describe('the store reads of each turn of a journey', () => {
  it('reads the member once in a turn with a host token, and the writes keep their own reads', async () => {
    const secret = 'h'.repeat(32);
    const c = await conversation({ config: { MEMBER_TOKEN_SECRET: secret } });
    const token = signHostToken(secret, 'm-1006', 'user1', Math.floor(Date.parse('2026-11-24T02:05:00Z') / 1000));
    const calls = countCalls(c.app.repository);
    const turns: ReturnType<typeof tally>[] = [];
    for (const turn of [
      { text: 'I want to cancel', channelData: { memberToken: token } },
      { text: 'at period end' },
      { text: 'Skip' },
    ]) {
      calls.clear();
      await c.say(turn);
      turns.push(tally(calls));
    }
    // The token's check and the conversation remembered share one read; the receipt names the contact the cancellation read.
    expect(turns.map((t) => t.memberReads)).toEqual([1, 0, 0]);
    // The writes still read the member in their own transactions: the conversation remembered, the cancellation.
    expect(turns.map((t) => t.all['tx.memberById'] ?? 0)).toEqual([1, 1, 0]);
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2007')?.status).toBe('pending_cancel');
    expect((await c.app.repository.memberById('m-1006'))?.conversationReference).toMatchObject({
      conversation: { id: 'conv-1' },
    });
  });

  it('reads the member once in the turn that verifies a code', async () => {
    const c = await conversation();
    const calls = countCalls(c.app.repository);
    await c.say('I want to cancel');
    await c.say('13812345678');
    calls.clear();
    const replies = await c.say(c.lastCode());
    expect(replies[0].text).toBe('Thank you, 张伟, you are verified.');
    // The greeting's name, the verification's check and the conversation remembered: one read.
    expect(tally(calls).memberReads).toBe(1);
    expect(calls.get('tx.memberById')).toBe(1);
  });
});
