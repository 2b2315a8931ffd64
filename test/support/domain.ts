import { readFileSync } from 'node:fs';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { DEFAULT_OTP_POLICY, type OtpPolicy } from '../../src/identity/otpPolicy.js';
import { OtpService } from '../../src/identity/otpService.js';
import { MembershipService } from '../../src/membership/membershipService.js';
import { dbSchema, type Db } from '../../src/model/schema.js';
import { Notifier } from '../../src/notify/notifier.js';
import { JsonRepository } from '../../src/store/json/jsonRepository.js';
import { JsonStore } from '../../src/store/json/jsonStore.js';
import { storedDbSchema } from '../../src/store/sealedRecords.js';
import { testSealer } from './sealer.js';

export const NOW = '2026-11-24T02:00:00.000Z';

export function seed(): Db {
  return dbSchema.parse(JSON.parse(readFileSync('data/seed.json', 'utf8')));
}

/** The domain services over an in-memory copy of the demo data, a manual clock and a seeded random source. */
export async function domain(
  options: { policy?: Partial<OtpPolicy>; data?: Db; store?: JsonStore<typeof storedDbSchema> } = {},
) {
  const clock = new ManualClock(NOW);
  const random = seededRandom(7);
  const store =
    options.store ?? (await JsonStore.open({ schema: storedDbSchema, file: null, initial: options.data ?? seed() }));
  const repo = await JsonRepository.open(store, testSealer());
  const notifier = new Notifier(clock, random);
  const otp = new OtpService(
    repo,
    notifier,
    clock,
    random,
    { ...DEFAULT_OTP_POLICY, ...options.policy },
    'k'.repeat(32),
  );
  const memberships = new MembershipService(repo, notifier, clock, random);
  return { clock, random, store, repo, notifier, otp, memberships };
}
