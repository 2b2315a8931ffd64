import type { ApiCall, ApiResult } from '../../src/api/apiCall.js';
import { ApiProblem } from '../../src/api/apiProblem.js';
import { HOLD_MS, IdempotentRequests, REPLAYED_HEADER } from '../../src/api/idempotentRequests.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import type { ApiKey } from '../../src/model/schema.js';
import { createJsonApp, type JsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';

const apiKey = (id: string): ApiKey => ({
  id,
  secretHash: 'ab'.repeat(32),
  scopes: ['billing'],
  createdAt: '2026-11-24T02:00:00.000Z',
});

const renewal = (idempotencyKey: string, chargeId = 'pay-1', key = apiKey('ak_000000000001')): ApiCall => ({
  key,
  params: { memberId: '', membershipId: 'ms-2001' },
  query: {},
  headers: { 'idempotency-key': idempotencyKey },
  body: { chargeId, amount: 23800 },
});

describe('acting requests answered once per Idempotency-Key', () => {
  let app: JsonApp;
  let clock: ManualClock;
  let requests: IdempotentRequests;
  let runs: number;

  beforeEach(async () => {
    clock = new ManualClock('2026-11-24T02:00:00.000Z');
    app = await createJsonApp(testConfig(), { clock, random: seededRandom(4), deliverOnCommit: false });
    requests = new IdempotentRequests(app.repository, clock, app.logger, 0);
    runs = 0;
  });

  const answer = (call: ApiCall, result: () => Promise<ApiResult>) =>
    requests.answer({ call, operation: 'recordRenewal', instance: '/v1/memberships/ms-2001/renewals' }, () => {
      runs += 1;
      return result();
    });
  const made = async (): Promise<ApiResult> => ({
    status: 201,
    body: { membership: { id: 'ms-2001' }, replayed: false },
  });

  it('runs the first request and answers the same request again from the record: 200, replayed', async () => {
    expect(await answer(renewal('renew-0001'), made)).toEqual({
      status: 201,
      body: { membership: { id: 'ms-2001' }, replayed: false },
    });
    expect(await answer(renewal('renew-0001'), made)).toEqual({
      status: 200,
      body: { membership: { id: 'ms-2001' }, replayed: true },
      headers: { [REPLAYED_HEADER]: 'true' },
    });
    expect(runs).toBe(1);
    // The store holds the answer, named by the API key's id and the Idempotency-Key.
    expect(app.store.data.idempotencyKeys).toEqual([
      expect.objectContaining({ id: 'ak_000000000001:renew-0001', response: expect.objectContaining({ status: 201 }) }),
    ]);
    expect(app.store.data.idempotencyKeys[0].lockedUntil).toBeUndefined();
  });

  it('refuses the key with another body, and keeps one API key apart from another', async () => {
    await answer(renewal('renew-0002'), made);
    await expect(answer(renewal('renew-0002', 'pay-2'), made)).rejects.toMatchObject({
      status: 422,
      code: 'idempotency_key_reused',
    });
    expect((await answer(renewal('renew-0002', 'pay-2', apiKey('ak_000000000002')), made)).status).toBe(201);
    expect(runs).toBe(2);
  });

  /** A run that starts now and ends when told, with a promise of its start. */
  function heldOpen() {
    let finish: (result: ApiResult) => void = () => undefined;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const run = () =>
      new Promise<ApiResult>((resolve) => {
        finish = resolve;
        started();
      });
    return { run, running, finish: (result: ApiResult) => finish(result) };
  }

  it('answers a repeat that arrives while the first runs with the first answer, once it is given', async () => {
    const waiting = new IdempotentRequests(app.repository, clock, app.logger);
    const held = heldOpen();
    const request = {
      call: renewal('renew-0006'),
      operation: 'recordRenewal',
      instance: '/v1/memberships/ms-2001/renewals',
    };
    const first = waiting.answer(request, held.run);
    await held.running;
    const repeat = waiting.answer(request, made);
    held.finish({ status: 201, body: { membership: { id: 'ms-2001' }, replayed: false } });
    expect((await first).status).toBe(201);
    expect(await repeat).toMatchObject({ status: 200, body: { replayed: true } });
  });

  it('tells a repeat to try again while the first runs, and lets it run once the hold of a dead instance lapses', async () => {
    const held = heldOpen();
    const first = answer(renewal('renew-0003'), held.run);
    await held.running;
    await expect(answer(renewal('renew-0003'), made)).rejects.toMatchObject({
      status: 409,
      code: 'idempotency_key_in_progress',
    });
    clock.advance(HOLD_MS);
    expect((await answer(renewal('renew-0003'), made)).status).toBe(201);
    // The first, finishing late, no longer holds the key: the answer kept is the one given meanwhile.
    held.finish({ status: 201, body: { late: true } });
    await first;
    expect((await answer(renewal('renew-0003'), made)).body).toEqual({ membership: { id: 'ms-2001' }, replayed: true });
  });

  it('keeps a problem the request caused, and frees the key after one a retry may change (503)', async () => {
    const refused = async (): Promise<ApiResult> => {
      throw new ApiProblem(409, 'period_already_paid', 'Not possible in the current state', 'Paid by pay-0.');
    };
    await expect(answer(renewal('renew-0004'), refused)).rejects.toMatchObject({ status: 409 });
    const again = answer(renewal('renew-0004'), made);
    await expect(again).rejects.toMatchObject({
      status: 409,
      code: 'period_already_paid',
      message: 'Paid by pay-0.',
      headers: { [REPLAYED_HEADER]: 'true' },
    });
    const unavailable = async (): Promise<ApiResult> => {
      throw new ApiProblem(503, 'store_unavailable', 'The store cannot answer now', 'Nothing was changed; try again.');
    };
    await expect(answer(renewal('renew-0005'), unavailable)).rejects.toMatchObject({ status: 503 });
    expect((await answer(renewal('renew-0005'), made)).status).toBe(201);
    expect(runs).toBe(3);
  });
});
