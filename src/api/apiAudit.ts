import type { Request } from 'restify';
import type { Logger } from '../log.js';
import type { MembershipService } from '../membership/membershipService.js';
import type { ApiKey } from '../model/schema.js';
import type { ApiOperation } from './apiOperations.js';

/** One audit entry a call, naming the key's id (never the key); a failure to write it is logged, not answered. */
export async function auditCall(
  deps: { memberships: MembershipService; logger: Logger },
  op: ApiOperation,
  key: ApiKey,
  req: Request,
  status: number,
): Promise<void> {
  const checked = op.params.safeParse(req.params ?? {});
  const params = (checked.success ? checked.data : {}) as { memberId?: string; membershipId?: string };
  const { memberId, membershipId } = params;
  deps.logger.info({ keyId: key.id, operation: op.id, status }, 'API request');
  await deps.memberships
    .recordAudit({
      type: 'api.request',
      ...(memberId ? { memberId } : {}),
      ...(membershipId ? { membershipId } : {}),
      data: { keyId: key.id, operation: op.id, status },
    })
    .catch((err: Error) => deps.logger.warn({ keyId: key.id, err: err.message }, 'API call not audited'));
}
