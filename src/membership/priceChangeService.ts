import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import type { Repository } from '../model/repository.js';
import type { Membership, Plan } from '../model/schema.js';
import { MembershipNotFoundError } from './membershipErrors.js';
import { cycleOf } from './billingZone.js';
import { nextPeriodEnd, type BillingCycle } from './periods.js';
import { jurisdictionOf, minimumPriceNoticeDays, type ReminderPolicy } from './reminderPolicy.js';

const DAY_MS = 86_400_000;

export interface PriceChangeRequest {
  membershipId: string;
  /** The new price in minor units, in the plan's currency. */
  amount: number;
  /** Renewals at or after this instant charge the new price. */
  effectiveAt: string;
  /** Who asked (an API key's id), for the audit trail. */
  actor: string;
}

export type PriceChange = NonNullable<Membership['priceChange']>;

/** A price change cannot be made: the message says why and what would do. */
export class PriceChangeRefusedError extends Error {
  constructor(
    readonly code: 'not_renewing' | 'app_store' | 'already_announced' | 'notice_too_short',
    message: string,
  ) {
    super(message);
    this.name = 'PriceChangeRefusedError';
  }
}

/**
 * Records a future price change of one membership, with its notice scheduled before the first
 * renewal at the new price, inside its jurisdiction's window; the lifecycle pass sends the notice
 * (once) and charges the new price from then on (src/membership/lifecycleService.ts).
 */
export class PriceChangeService {
  constructor(
    private readonly repo: Repository,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly policy: ReminderPolicy,
  ) {}

  async record(request: PriceChangeRequest): Promise<PriceChange> {
    return this.repo.transact(async (tx) => {
      const m = await tx.membership(request.membershipId);
      const plan = m && (await tx.plan(m.planId));
      const member = m && (await tx.memberById(m.memberId));
      if (!m || !plan || !member) throw new MembershipNotFoundError(request.membershipId);
      this.check(m);
      const now = this.clock.now().getTime();
      const firstChargeAt = firstRenewalFrom(
        m.currentPeriodEnd,
        plan.period,
        cycleOf(m, member, plan),
        request.effectiveAt,
      );
      const jurisdiction = jurisdictionOf(member, plan, this.policy);
      const minimum = minimumPriceNoticeDays(jurisdiction);
      if (Date.parse(firstChargeAt) - minimum * DAY_MS < now)
        throw new PriceChangeRefusedError(
          'notice_too_short',
          `The first renewal at the new price would be on ${firstChargeAt}, less than the ${minimum} days' notice ${jurisdiction} requires; choose a later effective date.`,
        );
      const planned = Date.parse(firstChargeAt) - this.policy.days[jurisdiction].price * DAY_MS;
      const change: PriceChange = {
        amount: request.amount,
        effectiveAt: request.effectiveAt,
        firstChargeAt,
        noticeAt: new Date(Math.max(planned, now)).toISOString(),
        recordedAt: new Date(now).toISOString(),
      };
      tx.put('memberships', { ...m, priceChange: change });
      tx.put('audit', {
        id: `au-${this.random.hex(8)}`,
        at: change.recordedAt,
        type: 'membership.price_change_recorded',
        memberId: m.memberId,
        membershipId: m.id,
        data: { amount: change.amount, from: m.price ?? plan.price, firstChargeAt, actor: request.actor },
      });
      return change;
    });
  }

  private check(m: Membership): void {
    if (m.appStore)
      throw new PriceChangeRefusedError(
        'app_store',
        `Membership ${m.id} is billed by ${m.appStore}: its price is set in the store.`,
      );
    if (m.status !== 'active' || !m.autoRenew)
      throw new PriceChangeRefusedError(
        'not_renewing',
        `Membership ${m.id} does not renew, so no renewal would charge a new price.`,
      );
    if (m.priceChange?.notifiedAt)
      throw new PriceChangeRefusedError(
        'already_announced',
        `Membership ${m.id} was already told of a change to ${m.priceChange.amount} from ${m.priceChange.firstChargeAt}; it cannot be replaced before then.`,
      );
  }
}

/** The first renewal (a period end) at or after `effectiveAt`. */
function firstRenewalFrom(periodEnd: string, period: Plan['period'], cycle: BillingCycle, effectiveAt: string): string {
  let end = periodEnd;
  while (Date.parse(end) < Date.parse(effectiveAt)) end = nextPeriodEnd(end, period, cycle);
  return end;
}
