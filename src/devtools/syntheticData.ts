import { readFileSync } from 'node:fs';
import type { RandomSource } from '../core/random.js';
import { dbSchema, type Db, type Member, type Membership } from '../model/schema.js';

/**
 * A data set of `count` generated members (plus the demo seed's plans) for stress tests and
 * benchmarks: phones +86 170xxxxxxxx from a counter so every member is findable, about one in
 * ten with two memberships, most of them active. Never committed; generated when needed.
 * Every active period is running at `now` and ends at least a day after it, so a server started
 * with the real clock (`now` = today) sweeps none of them during a test.
 */
export function syntheticDb(
  count: number,
  random: RandomSource,
  seedFile = 'data/seed.json',
  now = new Date('2026-11-24T00:00:00Z'),
): Db {
  const seed = dbSchema.parse(JSON.parse(readFileSync(seedFile, 'utf8')));
  const plans = seed.plans;
  const members: Member[] = [];
  const memberships: Membership[] = [];
  const day = 86_400_000;
  const base = now.getTime();
  for (let i = 0; i < count; i++) {
    const id = `sm-${i}`;
    members.push({
      id,
      name: `Member ${i}`,
      phone: syntheticPhone(i),
      email: `member${i}@example.test`,
      locale: i % 2 ? 'en-US' : 'zh-CN',
      notifyChannel: i % 3 === 0 ? 'email' : 'sms',
    });
    const n = i % 10 === 0 ? 2 : 1;
    for (let k = 0; k < n; k++) {
      const plan = plans[(i + k) % plans.length];
      const length = plan.period === 'year' ? 365 : 30;
      const start = base - random.int(length) * day;
      const status = random.int(10) < 8 ? 'active' : 'expired';
      memberships.push({
        id: `sms-${i}-${k}`,
        memberId: id,
        planId: plan.id,
        status,
        autoRenew: status === 'active',
        startedAt: new Date(start - 365 * day).toISOString(),
        currentPeriodStart: new Date(start).toISOString(),
        currentPeriodEnd: new Date(start + length * day).toISOString(),
        pricePaid: plan.price,
        points: random.int(5000),
        coupons: [],
        timeZone: plan.currency === 'CNY' ? 'Asia/Shanghai' : 'America/Los_Angeles',
      });
    }
  }
  return {
    ...seed,
    members,
    memberships,
    cancellations: [],
    audit: [],
    outbox: [],
    otpChallenges: [],
    handoffs: [],
    apiKeys: [],
  };
}

/** The phone number of synthetic member `i`. */
export function syntheticPhone(i: number): string {
  return `+86170${String(i).padStart(8, '0')}`;
}
