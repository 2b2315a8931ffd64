import type { Clock } from '../core/clock.js';
import type { MemberService } from '../membership/memberService.js';
import type { MembershipService } from '../membership/membershipService.js';
import type { PriceChangeService } from '../membership/priceChangeService.js';
import type { ProviderRecords } from '../membership/providerRecords.js';
import type { ProviderRenewals } from '../membership/providerRenewals.js';
import type { Member } from '../model/schema.js';
import type { PersonalDataService } from '../privacy/personalDataService.js';
import type { ApiCall, ApiResult } from './apiCall.js';
import { ApiProblem } from './apiProblem.js';
import { membershipBody } from './apiViews.js';

/** The domain services the API uses: the conversation's own, so both follow one set of rules. */
export interface ApiServices {
  clock: Clock;
  memberships: MembershipService;
  members: MemberService;
  personalData: PersonalDataService;
  renewals: ProviderRenewals;
  records: ProviderRecords;
  priceChanges: PriceChangeService;
}

/** One checked request's work: the key that made it, its path parameters, body and required headers. */
export type Handler = (call: ApiCall) => Promise<ApiResult>;

const memberNotFound = (id: string) => new ApiProblem(404, 'member_not_found', 'Not found', `No member ${id}.`);

/** The look-ups several routes share: a member that must exist, and memberships as the API shows them. */
export function apiLookups(s: Pick<ApiServices, 'clock' | 'members' | 'memberships'>) {
  const memberships = async (memberId: string) => {
    const now = s.clock.now();
    return (await s.memberships.list(memberId)).map((view) => membershipBody(view, now));
  };
  return {
    async member(id: string): Promise<Member> {
      const found = await s.members.member(id);
      if (!found) throw memberNotFound(id);
      return found;
    },
    memberships,
    membershipOf: async (memberId: string, membershipId: string) =>
      (await memberships(memberId)).find((m) => m.id === membershipId)!,
  };
}

export type ApiLookups = ReturnType<typeof apiLookups>;
