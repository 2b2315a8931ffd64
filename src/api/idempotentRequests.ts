import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { hasPassed } from '../core/instant.js';
import type { Repository } from '../model/repository.js';
import type { Logger } from '../log.js';
import type { IdempotencyKey } from '../model/schema.js';
import type { ApiCall, ApiResult } from './apiCall.js';
import { ApiProblem, problemFor } from './apiProblem.js';

/** How long a request holds its key while it runs: a repeat meanwhile waits; one after an instance died takes over. */
export const HOLD_MS = 30_000;

/** How often a repeat looks again whether the first has answered. */
const LOOK_AGAIN_MS = 25;

/** The header that marks an answer given before, to the same request. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** One acting request as the key's record names it. */
export interface IdempotentCall {
  call: ApiCall;
  operation: string;
  /** The path asked, for a problem's `instance`. */
  instance: string;
}

const fingerprintOf = ({ call, operation }: IdempotentCall) =>
  createHash('sha256')
    .update(JSON.stringify([operation, call.params, call.body ?? null]))
    .digest('hex');

const reused = (held: IdempotencyKey) =>
  new ApiProblem(
    422,
    'idempotency_key_reused',
    'The Idempotency-Key was used for another request',
    `This Idempotency-Key answered another request (${held.operation}, another path or body); use a new key for a new request.`,
  );

const inProgress = () =>
  new ApiProblem(
    409,
    'idempotency_key_in_progress',
    'A request with this Idempotency-Key is still running',
    'Send the same request again in a moment: it will be answered as the first one was.',
    { 'Retry-After': '1' },
  );

/** A first answer as a repeat gets it: a 201 becomes 200 (nothing was made this time), marked replayed. */
function replay(response: { status: number; body: unknown }): ApiResult {
  const headers = { [REPLAYED_HEADER]: 'true' };
  if (response.status >= 400) {
    const body = response.body as { status: number; code: string; title: string; detail: string };
    throw new ApiProblem(body.status, body.code, body.title, body.detail, headers);
  }
  const body = response.body as Record<string, unknown>;
  return {
    status: response.status === 201 ? 200 : response.status,
    body: typeof body.replayed === 'boolean' ? { ...body, replayed: true } : body,
    headers,
  };
}

/**
 * The Idempotency-Key rule of every acting request: the first request with a key runs and its
 * answer (success, or a problem the request itself caused) is kept; the same request again, on
 * any instance, gets that answer; the key with another request is refused. An answer that a retry
 * may change (the store could not answer, the outcome is unknown, a renewal charge is in flight:
 * every problem sent with Retry-After) is not kept, so a retry runs.
 */
export class IdempotentRequests {
  constructor(
    private readonly repo: Repository,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** How long a repeat waits for the first to answer before it is told to try again (409). */
    private readonly waitMs = 5_000,
  ) {}

  async answer(request: IdempotentCall, run: () => Promise<ApiResult>): Promise<ApiResult> {
    const claimed = await this.claimWaiting(request);
    if ('replay' in claimed) return replay(claimed.replay);
    let result: ApiResult;
    try {
      result = await run();
    } catch (err) {
      const problem = problemFor(err);
      // A problem that says when to try again (Retry-After) passes: the same request may succeed then.
      const lasting = problem && problem.status < 500 && !problem.headers['Retry-After'];
      const kept = lasting ? { status: problem.status, body: problem.body(request.instance) } : undefined;
      await this.settle(claimed.held, kept);
      throw err;
    }
    await this.settle(claimed.held, { status: result.status, body: result.body });
    return result;
  }

  /** A repeat that arrives while the first runs (two instances asked at once) waits for its answer, a while. */
  private async claimWaiting(request: IdempotentCall) {
    const until = Date.now() + this.waitMs;
    for (;;) {
      try {
        return await this.claim(request);
      } catch (err) {
        const running = err instanceof ApiProblem && err.code === 'idempotency_key_in_progress';
        if (!running || Date.now() >= until) throw err;
        await new Promise((resolve) => setTimeout(resolve, LOOK_AGAIN_MS));
      }
    }
  }

  /** Either the first answer, or the key held for this request to run. */
  private claim(request: IdempotentCall) {
    const { call, operation } = request;
    const id = `${call.key.id}:${call.headers['idempotency-key']}`;
    const fingerprint = fingerprintOf(request);
    return this.repo.transact(
      async (tx): Promise<{ replay: NonNullable<IdempotencyKey['response']> } | { held: IdempotencyKey }> => {
        const now = this.clock.now();
        const found = await tx.idempotencyKey(id);
        if (found && found.fingerprint !== fingerprint) throw reused(found);
        if (found?.response) return { replay: found.response };
        if (found?.lockedUntil && !hasPassed(found.lockedUntil, now)) throw inProgress();
        const held: IdempotencyKey = {
          id,
          operation,
          fingerprint,
          createdAt: found?.createdAt ?? now.toISOString(),
          lockedUntil: new Date(now.getTime() + HOLD_MS).toISOString(),
        };
        tx.put('idempotencyKeys', held);
        return { held };
      },
    );
  }

  /**
   * Keeps the answer, or frees the key; a request that lost its hold (it ran past {@link HOLD_MS})
   * leaves the record to the one that took it. Not kept when the store fails now: the answer still
   * goes out, the hold lapses, and a repeat runs again (cancelling and renewing answer a repeat
   * from their own records).
   */
  private async settle(held: IdempotencyKey, response: IdempotencyKey['response']): Promise<void> {
    await this.keep(held, response).catch((err: Error) =>
      this.logger.warn({ err: err.message, operation: held.operation }, 'Idempotency-Key answer not kept'),
    );
  }

  private async keep(held: IdempotencyKey, response: IdempotencyKey['response']): Promise<void> {
    await this.repo.transact(async (tx) => {
      const current = await tx.idempotencyKey(held.id);
      // Compared as instants: an engine may write them back in another form.
      const stillHeld = current?.lockedUntil && Date.parse(current.lockedUntil) === Date.parse(held.lockedUntil!);
      if (!current || !stillHeld) return;
      const { lockedUntil: _free, ...rest } = current;
      tx.put('idempotencyKeys', response ? { ...rest, response } : rest);
    });
  }
}
