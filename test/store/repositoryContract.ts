import { readFileSync } from 'node:fs';
import {
  defaultReminderPolicy,
  parseReminderPolicy,
  type ReminderPolicy,
} from '../../src/membership/reminderPolicy.js';
import type { Repository } from '../../src/model/repository.js';
import {
  dbSchema,
  type AuditEntry,
  type Cancellation,
  type Db,
  type OtpChallenge,
  type OutboxMessage,
} from '../../src/model/schema.js';

/** data/seed.json as dbSchema reads it: what every opened repository holds. */
export function seedDocument(): Db {
  return dbSchema.parse(JSON.parse(readFileSync('data/seed.json', 'utf8')));
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A record with every instant in one form (UTC, milliseconds): adapters may keep "+08:00" as
 * written or hand back the same instant in UTC; what counts is the instant.
 */
export function canonical<T>(value: T): T {
  if (typeof value === 'string') return (ISO.test(value) ? new Date(value).toISOString() : value) as T;
  if (Array.isArray(value)) return value.map(canonical) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v)])) as T;
  return value;
}

const T0 = '2026-11-24T02:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

export function outboxMessage(id: string, overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id,
    at: T0,
    memberId: 'm-1006',
    channel: 'email',
    to: 'emily.carter@example.com',
    locale: 'en-US',
    template: 'cancellation_confirmed',
    text: `message ${id}`,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: T0,
    ...overrides,
  };
}

export function challenge(id: string, overrides: Partial<OtpChallenge> = {}): OtpChallenge {
  const record: OtpChallenge = {
    id,
    identifier: '+8613812345678',
    memberId: 'm-1001',
    codeHash: `hash-${id}`,
    issuedAt: T0,
    expiresAt: at(600_000),
    failedAttempts: 0,
    state: 'open',
    requesters: ['conv-key-1'],
    ...overrides,
  };
  // `requesters: undefined` asks for a challenge without the field (an optional field is absent, not undefined).
  if (record.requesters === undefined) delete record.requesters;
  return record;
}

export function cancellation(reference: string, overrides: Partial<Cancellation> = {}): Cancellation {
  return {
    reference,
    requestId: `req-${reference}`,
    membershipId: 'ms-2001',
    memberId: 'm-1001',
    planId: 'video-vip-annual',
    option: 'period_end',
    receivedAt: T0,
    effectiveAt: '2027-02-28T16:00:00.000Z',
    refund: 0,
    fee: 0,
    currency: 'CNY',
    forfeited: { points: 1280, coupons: [{ id: 'cp-1', value: 3000 }], tier: { 'zh-CN': '黄金会员', 'en-US': 'Gold' } },
    ...overrides,
  };
}

export function audit(id: string, type: string, when: string): AuditEntry {
  return { id, at: when, type, memberId: 'm-1001', data: { channel: 'phone', n: 1, ok: true, none: null } };
}

export interface OpenedRepository {
  repo: Repository;
  close(): Promise<void>;
}

/**
 * What every adapter of the storage port (src/model/repository.ts) must do, run against each of
 * them. `open` gives a repository holding data/seed.json's records and nothing else.
 */
export function describeRepositoryContract(name: string, open: () => Promise<OpenedRepository>): void {
  describe(`the storage port over ${name}`, () => {
    let opened: OpenedRepository;
    let repo: Repository;
    const seed = seedDocument();
    const seedMember = (id: string) => canonical(seed.members.find((m) => m.id === id)!);
    const seedMembership = (id: string) => canonical(seed.memberships.find((m) => m.id === id)!);

    beforeEach(async () => {
      opened = await open();
      repo = opened.repo;
    });
    afterEach(async () => {
      await opened.close();
    });

    /** Cancels ms-2001 if it is still active, as the domain does: the check and the writes in one transaction. */
    const cancelIfActive = (reference: string) =>
      repo.transact(async (tx) => {
        const membership = await tx.membership('ms-2001');
        if (membership?.status !== 'active') return false;
        tx.put('memberships', { ...membership, status: 'pending_cancel', effectiveAt: membership.currentPeriodEnd });
        tx.put('cancellations', cancellation(reference));
        return true;
      });

    describe('look-ups', () => {
      it('finds members by id, phone and e-mail (any case), and nothing for strangers', async () => {
        expect(canonical(await repo.memberById('m-1006'))).toEqual(seedMember('m-1006'));
        expect(canonical(await repo.memberByPhone('+8613812345678'))).toEqual(seedMember('m-1001'));
        expect(canonical(await repo.memberByEmail('Zhang.Wei@EXAMPLE.com'))).toEqual(seedMember('m-1001'));
        expect(await repo.memberById('m-9999')).toBeUndefined();
        expect(await repo.memberByPhone('+8613800000000')).toBeUndefined();
        expect(await repo.memberByEmail('nobody@example.com')).toBeUndefined();
      });

      it('hands out plans and memberships as dbSchema has them, optional fields absent', async () => {
        expect(canonical(await repo.plan('music-plus-annual'))).toEqual(
          canonical(seed.plans.find((p) => p.id === 'music-plus-annual')),
        );
        const plain = await repo.plan('video-vip-monthly');
        expect(plain).not.toHaveProperty('retentionOffer');
        const membership = await repo.membership('ms-2002');
        expect(canonical(membership)).toEqual(seedMembership('ms-2002'));
        expect(membership).not.toHaveProperty('effectiveAt');
        expect(await repo.plan('nope')).toBeUndefined();
        expect(await repo.membership('nope')).toBeUndefined();
      });

      it("lists a member's memberships", async () => {
        expect((await repo.membershipsOf('m-1002')).map((m) => m.id).sort()).toEqual(['ms-2002', 'ms-2003']);
        expect(await repo.membershipsOf('m-9999')).toEqual([]);
      });

      it('finds cancellations by request and by reference, and lists a membership’s oldest first', async () => {
        expect((await repo.cancellationByRequest('seed-ms-2004'))?.reference).toBe('CX-20261118-4H7M');
        const byReference = await repo.cancellationByReference('CX-20261020-9P2D');
        expect(canonical(byReference)).toEqual(canonical(seed.cancellations[1]));
        expect(byReference).not.toHaveProperty('conversationId');
        expect(await repo.cancellationByRequest('nope')).toBeUndefined();
        await repo.transact(async (tx) => {
          tx.put('cancellations', cancellation('CX-20261124-AAAA', { receivedAt: at(0) }));
          tx.put('cancellations', cancellation('CX-20261124-BBBB', { receivedAt: at(1000), undoneAt: at(2000) }));
        });
        expect((await repo.cancellationsOf('ms-2001')).map((c) => c.reference)).toEqual([
          'CX-20261124-AAAA',
          'CX-20261124-BBBB',
        ]);
        expect(await repo.cancellationsOf('ms-2002')).toEqual([]);
      });

      it('finds challenges by id, lists them by identifier and by requester key, oldest first', async () => {
        await repo.transact(async (tx) => {
          tx.put('otpChallenges', challenge('otp-1', { state: 'replaced', closedAt: at(1000), requesters: ['k-a'] }));
          tx.put('otpChallenges', challenge('otp-2', { issuedAt: at(1000), requesters: ['k-a', 'k-b'] }));
          tx.put(
            'otpChallenges',
            challenge('otp-3', { identifier: 'x@example.com', memberId: null, requesters: ['k-b'] }),
          );
          tx.put(
            'otpChallenges',
            challenge('otp-4', { identifier: 'y@example.com', memberId: null, requesters: undefined }),
          );
        });
        expect(await repo.challenge('otp-3')).toEqual(
          challenge('otp-3', { identifier: 'x@example.com', memberId: null, requesters: ['k-b'] }),
        );
        expect(await repo.challenge('otp-4')).not.toHaveProperty('requesters');
        expect((await repo.challengesFor('+8613812345678')).map((c) => c.id)).toEqual(['otp-1', 'otp-2']);
        expect((await repo.challengesBy('k-a')).map((c) => c.id)).toEqual(['otp-1', 'otp-2']);
        expect((await repo.challengesBy('k-b')).map((c) => c.id).sort()).toEqual(['otp-2', 'otp-3']);
        expect(await repo.challengesBy('k-none')).toEqual([]);
        expect(await repo.challenge('nope')).toBeUndefined();
      });

      it("lists a requester's latest challenges: issued since, newest first, at most the limit, a transaction's own too", async () => {
        const mine = (id: string, issuedAt: string, overrides: Partial<OtpChallenge> = {}) =>
          challenge(id, { identifier: `${id}@example.com`, issuedAt, requesters: ['k-l'], ...overrides });
        await repo.transact(async (tx) => {
          tx.put('otpChallenges', mine('l-old', at(-5000)));
          tx.put(
            'otpChallenges',
            mine('l-1', at(-2000), { state: 'dead', closedAt: at(-1000), requesters: ['k-x', 'k-l'] }),
          );
          tx.put('otpChallenges', mine('l-2', at(-1000)));
          tx.put('otpChallenges', mine('l-3', at(0)));
          tx.put('otpChallenges', mine('l-else', at(0), { requesters: ['k-x'] }));
        });
        const ids = (list: OtpChallenge[]) => list.map((c) => c.id);
        expect(ids(await repo.latestChallengesBy('k-l', at(-2000), 10))).toEqual(['l-3', 'l-2', 'l-1']);
        expect(ids(await repo.latestChallengesBy('k-l', at(-9000), 2))).toEqual(['l-3', 'l-2']);
        expect(canonical(await repo.latestChallengesBy('k-l', at(0), 10))).toEqual([mine('l-3', at(0))]);
        expect(await repo.latestChallengesBy('k-none', at(-9000), 10)).toEqual([]);
        await repo.transact(async (tx) => {
          tx.put('otpChallenges', mine('l-2', at(-1000), { state: 'used', closedAt: at(500) }));
          tx.put('otpChallenges', mine('l-4', at(1000)));
          const seen = await tx.latestChallengesBy('k-l', at(-1000), 10);
          expect(ids(seen)).toEqual(['l-4', 'l-3', 'l-2']);
          expect(seen[2].state).toBe('used');
        });
      });

      it('holds a requester key in a transaction: of racing checks of one key, exactly one finds nothing and adds', async () => {
        const added = await Promise.all(
          ['r-1', 'r-2', 'r-3', 'r-4'].map((id) =>
            repo.transact(async (tx) => {
              if ((await tx.latestChallengesBy('k-race', at(-1000), 1)).length) return false;
              tx.put('otpChallenges', challenge(id, { identifier: `${id}@example.com`, requesters: ['k-race'] }));
              return true;
            }),
          ),
        );
        expect(added.filter(Boolean)).toHaveLength(1);
        expect(await repo.latestChallengesBy('k-race', at(-1000), 10)).toHaveLength(1);
      });
    });

    describe('copies and puts', () => {
      it('hands out copies: changing a record read changes nothing stored', async () => {
        const member = (await repo.memberById('m-1001'))!;
        member.name = 'changed';
        const membership = (await repo.membership('ms-2001'))!;
        membership.coupons[0].value = 1;
        membership.status = 'cancelled';
        expect((await repo.memberById('m-1001'))!.name).toBe('张伟');
        expect(canonical(await repo.membership('ms-2001'))).toEqual(seedMembership('ms-2001'));
      });

      it('keeps a record as it was put, whatever happens to the object afterwards', async () => {
        const record = outboxMessage('o-1');
        await repo.transact(async (tx) => {
          tx.put('outbox', record);
          record.status = 'sent';
        });
        expect((await repo.outboxMessage('o-1'))?.status).toBe('pending');
      });

      it('inserts a new record and replaces one with the same key whole (a field left out is gone)', async () => {
        const newcomer = { ...seed.members[0], id: 'm-2000', phone: '+8613000000001', email: 'new@example.com' };
        await repo.transact(async (tx) => {
          tx.put('members', newcomer);
          const pending = (await tx.membership('ms-2004'))!;
          const { effectiveAt: _dropped, ...active } = pending;
          tx.put('memberships', { ...active, status: 'active', autoRenew: true });
        });
        expect(await repo.memberById('m-2000')).toEqual(newcomer);
        const replaced = await repo.membership('ms-2004');
        expect(replaced?.status).toBe('active');
        expect(replaced).not.toHaveProperty('effectiveAt');
        expect((await repo.membershipsOf('m-1003')).length).toBe(1);
      });

      it('keeps nothing of a transaction that throws, and passes its error on', async () => {
        const failure = new Error('the work failed');
        await expect(
          repo.transact(async (tx) => {
            tx.put('cancellations', cancellation('CX-20261124-FAIL'));
            const membership = (await tx.membership('ms-2001'))!;
            tx.put('memberships', { ...membership, status: 'cancelled' });
            tx.put('outbox', outboxMessage('o-lost'));
            await tx.membership('ms-2001');
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect((await repo.membership('ms-2001'))?.status).toBe('active');
        expect(await repo.cancellationByReference('CX-20261124-FAIL')).toBeUndefined();
        expect(await repo.outboxMessage('o-lost')).toBeUndefined();
      });

      it("lets a transaction's reads see its own writes", async () => {
        const seen = await repo.transact(async (tx) => {
          const membership = (await tx.membership('ms-2001'))!;
          tx.put('memberships', { ...membership, status: 'pending_cancel', effectiveAt: membership.currentPeriodEnd });
          tx.put('cancellations', cancellation('CX-20261124-SEEN'));
          return {
            status: (await tx.membership('ms-2001'))?.status,
            byRequest: (await tx.cancellationByRequest('req-CX-20261124-SEEN'))?.reference,
            listed: (await tx.cancellationsOf('ms-2001')).length,
          };
        });
        expect(seen).toEqual({ status: 'pending_cancel', byRequest: 'CX-20261124-SEEN', listed: 1 });
      });

      it('finds a record by the unique field a transaction gave it, and no longer by the one it had', async () => {
        const seen = await repo.transact(async (tx) => {
          const member = (await tx.memberById('m-1001'))!;
          tx.put('members', { ...member, phone: '+8613000000009', email: 'New.Address@example.com' });
          return {
            byNewPhone: (await tx.memberByPhone('+8613000000009'))?.id,
            byOldPhone: (await tx.memberByPhone(member.phone))?.id,
            byNewEmail: (await tx.memberByEmail('new.address@example.com'))?.id,
            byOldEmail: (await tx.memberByEmail(member.email))?.id,
          };
        });
        expect(seen).toEqual({
          byNewPhone: 'm-1001',
          byOldPhone: undefined,
          byNewEmail: 'm-1001',
          byOldEmail: undefined,
        });
        expect((await repo.memberByPhone('+8613000000009'))?.id).toBe('m-1001');
      });

      it('runs two transactions over one membership one after the other: of racing cancellations exactly one cancels', async () => {
        const results = await Promise.all(
          ['CX-20261124-RAC1', 'CX-20261124-RAC2', 'CX-20261124-RAC3', 'CX-20261124-RAC4'].map(cancelIfActive),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await repo.cancellationsOf('ms-2001')).toHaveLength(1);
        expect((await repo.membership('ms-2001'))?.status).toBe('pending_cancel');
      });

      it('refuses a second cancellation with the same request id and keeps nothing of that transaction', async () => {
        await expect(
          repo.transact(async (tx) => {
            const membership = (await tx.membership('ms-2001'))!;
            tx.put('memberships', { ...membership, status: 'cancelled' });
            tx.put('cancellations', cancellation('CX-20261124-DUPE', { requestId: 'seed-ms-2004' }));
          }),
        ).rejects.toThrow();
        expect(await repo.cancellationByReference('CX-20261124-DUPE')).toBeUndefined();
        expect((await repo.cancellationByRequest('seed-ms-2004'))?.reference).toBe('CX-20261118-4H7M');
        expect((await repo.membership('ms-2001'))?.status).toBe('active');
      });

      it('refuses a second member with the same phone, or an e-mail differing only in case', async () => {
        const base = { ...seed.members[0], id: 'm-3000', phone: '+8613000000002', email: 'third@example.com' };
        await expect(
          repo.transact(async (tx) => tx.put('members', { ...base, phone: '+8613812345678' })),
        ).rejects.toThrow();
        await expect(
          repo.transact(async (tx) => tx.put('members', { ...base, email: 'ZHANG.WEI@example.com' })),
        ).rejects.toThrow();
        expect(await repo.memberById('m-3000')).toBeUndefined();
      });
    });

    describe('due cancellations', () => {
      it('lists pending cancellations whose date has come, up to the limit', async () => {
        // ms-2004 takes effect 2026-12-15T00:00+08:00, i.e. 2026-12-14T16:00Z.
        expect(await repo.dueCancellations('2026-12-14T15:59:59.999Z', 10)).toEqual([]);
        expect((await repo.dueCancellations('2026-12-14T16:00:00.000Z', 10)).map((m) => m.id)).toEqual(['ms-2004']);
        await repo.transact(async (tx) => {
          // No effectiveAt: its period's end counts.
          const m = (await tx.membership('ms-2007'))!;
          tx.put('memberships', { ...m, status: 'pending_cancel' });
        });
        // The port names no order: what is due, each once.
        const due = await repo.dueCancellations('2027-01-01T00:00:00.000Z', 10);
        expect(due.map((m) => m.id).sort()).toEqual(['ms-2004', 'ms-2007']);
        expect(canonical(due.find((m) => m.id === 'ms-2004'))).toEqual(seedMembership('ms-2004'));
        const [one, ...more] = await repo.dueCancellations('2027-01-01T00:00:00.000Z', 1);
        expect(['ms-2004', 'ms-2007']).toContain(one.id);
        expect(more).toEqual([]);
      });
    });

    describe('periods in time', () => {
      it('claims active memberships whose period, or its grace, has ended, each for one holder at a time', async () => {
        const claim = (now: string) => repo.claimPeriodsEnded(now, 60_000, 10);
        // ms-2007 (Emily, monthly) ends 2026-12-05T00:00-08:00, i.e. 2026-12-05T08:00Z; ms-2002 on 2026-12-09T16:00Z.
        expect(await claim('2026-12-05T07:59:59.999Z')).toEqual([]);
        expect((await claim('2026-12-05T08:00:00.000Z')).map((m) => m.id)).toEqual(['ms-2007']);
        // Held: another claim, here or on another instance, passes it by until the hold ends or is let go.
        expect(await claim('2026-12-05T08:00:30.000Z')).toEqual([]);
        expect((await claim('2026-12-05T08:01:00.000Z')).map((m) => m.id)).toEqual(['ms-2007']);
        await repo.releasePeriodClaims(['ms-2007']);
        await repo.transact(async (tx) => {
          tx.put('memberships', { ...(await tx.membership('ms-2007'))!, graceUntil: '2026-12-12T08:00:00.000Z' });
        });
        // In grace until the 12th; ms-2004 is pending_cancel, not active: never claimed here.
        expect((await claim('2026-12-11T00:00:00.000Z')).map((m) => m.id)).toEqual(['ms-2002']);
        await repo.releasePeriodClaims(['ms-2002']);
        const ended = await claim('2026-12-12T08:00:00.000Z');
        expect(ended.map((m) => m.id)).toEqual(['ms-2002', 'ms-2007']);
        expect(ended.find((m) => m.id === 'ms-2007')?.graceUntil).toBe('2026-12-12T08:00:00.000Z');
        // A batch takes at most `limit`; the next claim takes the rest.
        await repo.releasePeriodClaims(['ms-2002', 'ms-2007']);
        const first = await repo.claimPeriodsEnded('2026-12-12T08:00:00.000Z', 60_000, 1);
        const second = await repo.claimPeriodsEnded('2026-12-12T08:00:00.000Z', 60_000, 1);
        expect([...first, ...second].map((m) => m.id)).toEqual(['ms-2002', 'ms-2007']);
      });

      it('keeps a renewal charge in flight and a billing time zone with the membership', async () => {
        const renewalCharge = { key: 'ms-2007:2026-12-05T00:00:00-08:00', askedAt: '2026-12-05T08:00:00.000Z' };
        await repo.transact(async (tx) => {
          const m = (await tx.membership('ms-2007'))!;
          tx.put('memberships', { ...m, renewalCharge, timeZone: 'America/Los_Angeles' });
        });
        expect(await repo.membership('ms-2007')).toMatchObject({ renewalCharge, timeZone: 'America/Los_Angeles' });
      });

      it('lists renewals whose reminder is due by the plan period, until it is marked sent for that period', async () => {
        const lead = defaultReminderPolicy();
        // Monthly ms-2007 ends 2026-12-05T08:00Z: its reminder opens on 2026-11-28T08:00Z.
        expect(await repo.renewalsToRemind('2026-11-28T07:59:59.999Z', lead, 10)).toEqual([]);
        expect((await repo.renewalsToRemind('2026-11-28T08:00:00.000Z', lead, 10)).map((m) => m.id)).toEqual([
          'ms-2007',
        ]);
        // Yearly ms-2003 ends 2027-01-14T16:00Z: 15 days before is 2026-12-30T16:00Z.
        const late = await repo.renewalsToRemind('2026-12-30T16:00:00.000Z', lead, 10);
        expect(late.map((m) => m.id).sort()).toEqual(['ms-2002', 'ms-2003', 'ms-2007']);
        await repo.transact(async (tx) => {
          const m = (await tx.membership('ms-2007'))!;
          tx.put('memberships', { ...m, remindedFor: m.currentPeriodEnd });
          tx.put('memberships', { ...(await tx.membership('ms-2002'))!, autoRenew: false });
        });
        expect((await repo.renewalsToRemind('2026-12-30T16:00:00.000Z', lead, 10)).map((m) => m.id)).toEqual([
          'ms-2003',
        ]);
      });
    });

    describe('notice periods by jurisdiction', () => {
      const lead = defaultReminderPolicy();

      it("takes the member's jurisdiction, else the plan's, else the fallback", async () => {
        const lead = parseReminderPolicy(
          'default=EU,US-CA:month=20,CN:year=30',
          defaultReminderPolicy(),
        ) as ReminderPolicy;
        // Yearly ms-2003 (a CN plan) ends 2027-01-14T16:00Z: 30 days ahead is 2026-12-15T16:00Z.
        expect((await repo.renewalsToRemind('2026-12-15T15:59:59.999Z', lead, 10)).map((m) => m.id)).not.toContain(
          'ms-2003',
        );
        // Monthly ms-2007 (a US-CA plan) ends 2026-12-05T08:00Z: 20 days ahead is 2026-11-15T08:00Z.
        expect(await repo.renewalsToRemind('2026-11-15T07:59:59.999Z', lead, 10)).toEqual([]);
        expect((await repo.renewalsToRemind('2026-11-15T08:00:00.000Z', lead, 10)).map((m) => m.id)).toEqual([
          'ms-2007',
        ]);
        const ms2007 = (await repo.membership('ms-2007'))!;
        await repo.transact(async (tx) => {
          tx.put('members', { ...(await tx.memberById(ms2007.memberId))!, reminderPolicy: 'EU' });
        });
        // The member's own market (EU: 7 days) over the plan's.
        expect(await repo.renewalsToRemind('2026-11-15T08:00:00.000Z', lead, 10)).toEqual([]);
        expect((await repo.memberById(ms2007.memberId))?.reminderPolicy).toBe('EU');
        const all = await repo.renewalsToRemind('2026-12-15T16:00:00.000Z', lead, 10);
        expect(all.map((m) => m.id).sort()).toEqual(['ms-2002', 'ms-2003', 'ms-2007']);
      });

      it('leaves out a membership an app store bills', async () => {
        await repo.transact(async (tx) => {
          tx.put('memberships', { ...(await tx.membership('ms-2007'))!, appStore: 'app-store' });
        });
        expect((await repo.renewalsToRemind('2026-11-28T08:00:00.000Z', lead, 10)).map((m) => m.id)).toEqual([]);
        expect((await repo.membership('ms-2007'))?.appStore).toBe('app-store');
      });

      it('lists price changes whose notice is due and unsent', async () => {
        const change = {
          amount: 1999,
          effectiveAt: '2026-12-01T00:00:00.000Z',
          firstChargeAt: '2026-12-05T08:00:00.000Z',
          noticeAt: '2026-11-21T08:00:00.000Z',
          recordedAt: '2026-11-20T00:00:00.000Z',
        };
        await repo.transact(async (tx) => {
          tx.put('memberships', { ...(await tx.membership('ms-2007'))!, priceChange: change, price: 1499 });
        });
        expect(await repo.priceNoticesDue('2026-11-21T07:59:59.999Z', 10)).toEqual([]);
        const [due] = await repo.priceNoticesDue('2026-11-21T08:00:00.000Z', 10);
        expect(canonical(due)).toMatchObject({ id: 'ms-2007', price: 1499, priceChange: change });
        await repo.transact(async (tx) => {
          const m = (await tx.membership('ms-2007'))!;
          tx.put('memberships', { ...m, priceChange: { ...change, notifiedAt: '2026-11-21T08:00:00.000Z' } });
        });
        expect(await repo.priceNoticesDue('2026-12-01T00:00:00.000Z', 10)).toEqual([]);
      });
    });

    describe('the outbox', () => {
      it('claims a due message once, again only after its lease, never after it was put back as sent', async () => {
        await repo.transact(async (tx) => tx.put('outbox', outboxMessage('o-1', { nextAttemptAt: at(1000) })));
        expect(await repo.claimOutbox(at(999), 30_000, 10)).toEqual([]);
        const [claimed] = await repo.claimOutbox(at(1000), 30_000, 10);
        expect(claimed).toEqual(outboxMessage('o-1', { nextAttemptAt: at(1000) }));
        expect(await repo.claimOutbox(at(2000), 30_000, 10)).toEqual([]);
        expect((await repo.claimOutbox(at(31_001), 30_000, 10)).map((m) => m.id)).toEqual(['o-1']);
        await repo.transact(async (tx) =>
          tx.put('outbox', { ...claimed, status: 'sent', attempts: 1, sentAt: at(31_002) }),
        );
        expect(await repo.claimOutbox(at(10_000_000), 30_000, 10)).toEqual([]);
      });

      it('ends the lease when a message is put back with its next attempt', async () => {
        await repo.transact(async (tx) => tx.put('outbox', outboxMessage('o-1')));
        const [claimed] = await repo.claimOutbox(at(0), 60_000, 10);
        await repo.transact(async (tx) =>
          tx.put('outbox', { ...claimed, attempts: 1, lastError: 'timeout', nextAttemptAt: at(2000) }),
        );
        expect(await repo.claimOutbox(at(1999), 60_000, 10)).toEqual([]);
        const [again] = await repo.claimOutbox(at(2000), 60_000, 10);
        expect(again).toMatchObject({ id: 'o-1', attempts: 1, lastError: 'timeout' });
      });

      it('takes due messages oldest first, up to the limit, and never hands one to two concurrent claims', async () => {
        await repo.transact(async (tx) => {
          for (let i = 0; i < 30; i++)
            tx.put('outbox', outboxMessage(`o-${String(i).padStart(2, '0')}`, { nextAttemptAt: at(i) }));
        });
        expect((await repo.claimOutbox(at(100), 1000, 3)).map((m) => m.id)).toEqual(['o-00', 'o-01', 'o-02']);
        const claims = await Promise.all([0, 1, 2].map(() => repo.claimOutbox(at(200), 1000, 30)));
        const ids = claims.flat().map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toHaveLength(27);
      });

      it("claims one channel's messages when asked for that channel, past older ones of another", async () => {
        await repo.transact(async (tx) => {
          for (let i = 0; i < 5; i++) tx.put('outbox', outboxMessage(`o-mail-${i}`, { nextAttemptAt: at(i) }));
          tx.put('outbox', outboxMessage('o-sms', { channel: 'sms', to: '+8613812345678', nextAttemptAt: at(10) }));
        });
        expect((await repo.claimOutbox(at(100), 30_000, 2, 'sms')).map((m) => m.id)).toEqual(['o-sms']);
        expect(await repo.claimOutbox(at(100), 30_000, 2, 'in-app')).toEqual([]);
        expect((await repo.claimOutbox(at(100), 30_000, 2, 'email')).map((m) => m.id)).toEqual([
          'o-mail-0',
          'o-mail-1',
        ]);
        expect((await repo.claimOutbox(at(100), 30_000, 10)).map((m) => m.id)).toEqual([
          'o-mail-2',
          'o-mail-3',
          'o-mail-4',
        ]);
      });

      it('tells its listeners after a commit that added a message, not after one rolled back', async () => {
        let calls = 0;
        repo.onOutbox(() => calls++);
        await expect(
          repo.transact(async (tx) => {
            tx.put('outbox', outboxMessage('o-rolled-back'));
            throw new Error('no');
          }),
        ).rejects.toThrow('no');
        expect(calls).toBe(0);
        await repo.transact(async (tx) => tx.put('outbox', outboxMessage('o-1')));
        expect(calls).toBe(1);
      });

      it("hands a code's text to this process's claim and reads", async () => {
        await repo.transact(async (tx) =>
          tx.put('outbox', outboxMessage('o-code', { template: 'otp', channel: 'sms', text: 'Your code is 493021' })),
        );
        expect((await repo.outboxMessage('o-code'))?.text).toBe('Your code is 493021');
        const [claimed] = await repo.claimOutbox(at(0), 30_000, 10);
        expect(claimed.text).toBe('Your code is 493021');
      });

      it("lists a member's messages oldest first, with a code's text, and sees a transaction's own puts", async () => {
        await repo.transact(async (tx) => {
          tx.put('outbox', outboxMessage('o-a'));
          tx.put('outbox', outboxMessage('o-other', { memberId: 'm-1001' }));
          tx.put('outbox', outboxMessage('o-code', { template: 'otp', channel: 'sms', text: 'Your code is 493021' }));
        });
        const mine = await repo.outboxOf('m-1006');
        expect(mine.map((m) => [m.id, m.text])).toEqual([
          ['o-a', 'message o-a'],
          ['o-code', 'Your code is 493021'],
        ]);
        expect(await repo.outboxOf('m-9999')).toEqual([]);
        const seen = await repo.transact(async (tx) => {
          tx.put('outbox', { ...(await tx.outboxMessage('o-a'))!, status: 'sent', sentAt: at(1000) });
          tx.put('outbox', outboxMessage('o-b'));
          return tx.outboxOf('m-1006');
        });
        expect(seen.map((m) => [m.id, m.status])).toEqual([
          ['o-a', 'sent'],
          ['o-code', 'pending'],
          ['o-b', 'pending'],
        ]);
        expect((await repo.outboxOf('m-1006')).map((m) => m.id)).toEqual(['o-a', 'o-code', 'o-b']);
      });
    });

    describe('pruning', () => {
      const cutoff = at(0);

      it('drops challenges that ended before the cutoff, open ones by their expiry', async () => {
        await repo.transact(async (tx) => {
          tx.put('otpChallenges', challenge('c-closed-old', { state: 'used', issuedAt: at(-9000), closedAt: at(-1) }));
          tx.put(
            'otpChallenges',
            challenge('c-open-expired', { identifier: 'a@example.com', issuedAt: at(-9000), expiresAt: at(-1) }),
          );
          tx.put(
            'otpChallenges',
            challenge('c-open-live', { identifier: 'b@example.com', issuedAt: at(-9000), expiresAt: at(1) }),
          );
          tx.put('otpChallenges', challenge('c-closed-new', { state: 'dead', issuedAt: at(-9000), closedAt: at(0) }));
          tx.put('otpChallenges', challenge('c-unclosed-old', { state: 'expired', issuedAt: at(-9000) }));
        });
        await repo.transact(async (tx) => tx.pruneChallenges(cutoff));
        const left = await Promise.all(
          ['c-closed-old', 'c-open-expired', 'c-open-live', 'c-closed-new', 'c-unclosed-old'].map((id) =>
            repo.challenge(id),
          ),
        );
        expect(left.map((c) => c?.id)).toEqual([undefined, undefined, 'c-open-live', 'c-closed-new', undefined]);
        expect((await repo.challengesBy('conv-key-1')).map((c) => c.id)).toEqual(['c-open-live', 'c-closed-new']);
      });

      it('drops code messages delivered or parked before the cutoff, and nothing else', async () => {
        const code = { template: 'otp', text: '' };
        await repo.transact(async (tx) => {
          tx.put('outbox', outboxMessage('o-code-sent', { ...code, status: 'sent', sentAt: at(-1) }));
          tx.put('outbox', outboxMessage('o-code-failed', { ...code, status: 'failed', nextAttemptAt: at(-1) }));
          tx.put('outbox', outboxMessage('o-code-pending', { ...code, text: 'code 1', nextAttemptAt: at(-1) }));
          tx.put('outbox', outboxMessage('o-code-sent-late', { ...code, status: 'sent', sentAt: at(1) }));
          tx.put('outbox', outboxMessage('o-receipt-sent', { status: 'sent', sentAt: at(-1) }));
        });
        await repo.transact(async (tx) => tx.pruneSpentSecrets(cutoff));
        const ids = ['o-code-sent', 'o-code-failed', 'o-code-pending', 'o-code-sent-late', 'o-receipt-sent'];
        const left = await Promise.all(ids.map((id) => repo.outboxMessage(id)));
        expect(left.map((m) => m?.id)).toEqual([
          undefined,
          undefined,
          'o-code-pending',
          'o-code-sent-late',
          'o-receipt-sent',
        ]);
      });

      it('drops audit entries before the cutoff except the kept kinds, and lists the rest oldest first', async () => {
        await repo.transact(async (tx) => {
          tx.put('audit', audit('a-1', 'verification.code_requested', at(-2000)));
          tx.put('audit', audit('a-2', 'cancellation.requested', at(-1000)));
          tx.put('audit', audit('a-3', 'verification.code_requested', at(0)));
          tx.put('audit', audit('a-4', 'cancellation_like.other', at(-500)));
        });
        await repo.transact(async (tx) => tx.pruneAudit(cutoff, ['cancellation.']));
        const entries = await repo.auditEntries();
        expect(entries.map((e) => e.id)).toEqual(['a-2', 'a-3']);
        expect(entries[0]).toEqual(audit('a-2', 'cancellation.requested', at(-1000)));
      });
    });
  });
}
