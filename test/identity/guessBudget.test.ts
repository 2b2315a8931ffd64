import type { Repository, Transaction } from '../../src/model/repository.js';
import type { Requester } from '../../src/identity/otpService.js';
import { JsonStore } from '../../src/store/json/jsonStore.js';
import { storedDbSchema } from '../../src/store/sealedRecords.js';
import { domain, seed } from '../support/domain.js';

type Domain = Awaited<ReturnType<typeof domain>>;

/** A phone number nobody registered: its code never verifies, so every answer is a wrong guess. */
const stranger = (n: number) => ({ kind: 'phone', value: `+86139${String(n).padStart(8, '0')}` }) as const;

let asked = 0;
/** Asks a code for a fresh number in a fresh conversation from `address`, then types `wrong` wrong codes. */
async function guess(d: Domain, address: string, wrong: number) {
  asked++;
  const requester: Requester = { conversationId: `conv-${asked}`, address };
  const sent = await d.otp.requestCode(stranger(asked), requester);
  if (sent.status === 'sent')
    for (let i = 0; i < wrong; i++) await d.otp.verify(sent.challengeId, '000000', requester.conversationId);
  d.clock.advance(60_000);
  return sent;
}

/** The challenges of the store filed under the same address key as challenge `index` (in issue order). */
function sameAddress(d: Domain, index: number) {
  const key = d.store.data.otpChallenges[index].requesters![1];
  return d.store.data.otpChallenges.filter((c) => c.requesters!.includes(key));
}

describe('the guess budget of a client address and of its network', () => {
  it('counts wrong codes, not only dead ones: three codes answered wrong four times and left spend the address’s 15', async () => {
    const d = await domain();
    for (let i = 0; i < 3; i++) expect((await guess(d, '203.0.113.7', 4)).status).toBe('sent');
    d.clock.set('2026-11-24T02:15:00.000Z'); // the three codes have expired unanswered
    // 12 guesses spent: one more code's 5 would pass 15. The first code (02:00) leaves the count
    // an hour and a code's lifetime later.
    expect(await guess(d, '203.0.113.7', 0)).toEqual({ status: 'throttled', retryAt: '2026-11-24T03:10:00.000Z' });
    const filed = sameAddress(d, 0);
    expect(filed.map((c) => [c.state, c.failedAttempts])).toEqual([
      ['open', 4],
      ['open', 4],
      ['open', 4],
    ]);
    expect(d.store.data.otpChallenges).toHaveLength(3);
    d.clock.set('2026-11-24T03:10:00.000Z');
    expect((await guess(d, '203.0.113.7', 0)).status).toBe('sent');
  });

  it('holds all of an open code’s attempts until it is answered or expires, so codes asked at once cannot add up', async () => {
    const d = await domain({ data: seed() });
    for (let i = 0; i < 3; i++) expect((await guess(d, '2001:db8:5::7', 0)).status).toBe('sent');
    expect((await guess(d, '2001:db8:5::7', 0)).status).toBe('throttled');
    d.clock.set('2026-11-24T02:13:00.000Z'); // all three expired unanswered: one guess each
    expect((await guess(d, '2001:db8:5::7', 0)).status).toBe('sent');
    expect(sameAddress(d, 0).map((c) => c.state)).toEqual(['open', 'open', 'open', 'open']);
  });

  it('shares a budget of 60 across a network: a /24, a /64, an IPv4 address however written', async () => {
    const d = await domain();
    // Four addresses of 198.51.100.0/24 let three codes each die (5 wrong guesses each): 60.
    for (const host of [1, 2, 3, 4])
      for (let i = 0; i < 3; i++) expect((await guess(d, `198.51.100.${host}`, 5)).status).toBe('sent');
    expect((await guess(d, '198.51.100.200', 0)).status).toBe('throttled');
    expect((await guess(d, '::ffff:198.51.100.201', 0)).status).toBe('throttled');
    expect((await guess(d, '198.51.101.1', 0)).status).toBe('sent');
    expect(d.store.data.otpChallenges.filter((c) => c.state === 'dead')).toHaveLength(12);

    // The same over IPv6: any address of 2001:db8:1:2::/64 is one network.
    for (const host of ['a', 'b', 'c', 'd'])
      for (let i = 0; i < 3; i++) expect((await guess(d, `2001:db8:1:2::${host}`, 5)).status).toBe('sent');
    expect((await guess(d, '2001:db8:1:2:ffff:ffff:ffff:ffff', 0)).status).toBe('throttled');
    expect((await guess(d, '2001:db8:1:3::a', 0)).status).toBe('sent');
  });

  it('reads at most the budget’s codes of an address, however many it asked (a NAT)', async () => {
    const store = await JsonStore.open({ schema: storedDbSchema, file: null, initial: seed() });
    const busy = await domain({ store, policy: { guessesPerAddress: 10_000, guessesPerRange: 10_000 } });
    for (let i = 0; i < 200; i++) expect((await guess(busy, '192.0.2.1', 0)).status).toBe('sent');
    const d = await domain({ store });
    d.clock.set(busy.clock.now());
    const handedOut = countReads(d.repo);
    expect((await guess(d, '192.0.2.1', 0)).status).toBe('throttled');
    expect(sameAddress(d, 0)).toHaveLength(200);
    // The address's latest 15, its network's latest 60, the fresh conversation's none.
    expect(handedOut).toEqual([15, 60, 0]);
  });
});

/** Counts the challenges each requester look-up of a transaction hands out. */
function countReads(repo: Repository): number[] {
  const counts: number[] = [];
  const transact = repo.transact.bind(repo);
  const counted =
    (read: (...args: never[]) => Promise<unknown[]>) =>
    async (...args: never[]) => {
      const got = await read(...args);
      counts.push(got.length);
      return got;
    };
  repo.transact = (work) =>
    transact((tx) =>
      work({
        ...tx,
        challengesBy: counted(tx.challengesBy.bind(tx)),
        latestChallengesBy: counted(tx.latestChallengesBy.bind(tx)),
      } as Transaction),
    );
  return counts;
}
