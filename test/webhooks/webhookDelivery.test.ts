import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { webhookEventSchema } from '../../src/webhooks/webhookSchemas.js';
import { verifySignature } from '../../src/webhooks/webhookSignature.js';
import { call, conforms } from '../api/apiClient.js';
import { conversation } from '../support/conversation.js';
import type { App } from '../../src/app.js';
import { API_ENGINES } from '../support/apiEngines.js';
import { webhookReceiver } from './receiver.js';

const SECRET = 'whsec-test-whsec-test-whsec-test-0001';
const MS = '/v1/members/m-1001/memberships/ms-2001';

describe.each(API_ENGINES)('webhook events through the outbox (%s)', (_name, engine) => {
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let app: App;
  let clock: ManualClock;
  let running: RunningServer | undefined;

  beforeEach(async () => {
    receiver = await webhookReceiver();
  });
  afterEach(async () => {
    await running?.shutdown();
    running = undefined;
    await receiver.close();
  });

  async function start(extra: Record<string, string> = {}) {
    clock = new ManualClock('2026-11-24T02:00:00.000Z');
    ({ app } = await engine.open(
      { WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: SECRET, ...extra },
      { clock, random: seededRandom(5), deliverOnCommit: false },
    ));
    running = await startServer(app, 0, '127.0.0.1');
    return running.url;
  }

  /** The member's webhook rows as the outbox holds them. */
  const webhookRows = async (memberId = 'm-1001') =>
    (await app.repository.outboxOf(memberId)).filter((m) => m.channel === 'webhook');

  it('a cancellation through the API, sent twice, makes one signed membership.cancelled event', async () => {
    const base = await start();
    const key = (await app.apiKeys.create(['cancel'])).token;
    const cancel = () =>
      call(base, 'POST', `${MS}/cancel`, {
        key,
        body: { option: 'period_end', reason: 'expensive' },
        headers: { 'idempotency-key': 'hook-cancel-1' },
      });
    expect((await cancel()).status).toBe(201);
    expect((await cancel()).status).toBe(200);
    expect(await app.dispatcher.deliverDue()).toMatchObject({ failed: 0 });

    expect(receiver.events().map((e) => e.type)).toEqual(['membership.cancelled']);
    const [got] = receiver.received;
    expect(verifySignature(got.body, String(got.headers['webhook-signature']), [SECRET], clock.now())).toBe('valid');
    const event = conforms(webhookEventSchema('membership.cancelled'), JSON.parse(got.body));
    expect(got.headers['webhook-id']).toBe(event.id);
    const reference = (await app.repository.cancellationsOf('ms-2001'))[0]?.reference;
    expect(event.data).toMatchObject({
      memberId: 'm-1001',
      membershipId: 'ms-2001',
      reference,
      option: 'period_end',
      reason: 'expensive',
      actor: key.slice(0, 15),
    });
    // What the store holds: one webhook row, delivered, beside the member's receipt.
    expect(await webhookRows()).toEqual([
      expect.objectContaining({ template: 'membership.cancelled', status: 'sent' }),
    ]);
  });

  it('retries a failing endpoint with the same event id and a fresh signature, then parks it', async () => {
    const base = await start();
    const key = (await app.apiKeys.create(['data'])).token;
    // m-1004's membership has ended: erasure is allowed.
    receiver.answer(500, 8);
    expect(
      (await call(base, 'POST', '/v1/members/m-1004/erasure', { key, headers: { 'idempotency-key': 'erase-m-1004' } }))
        .status,
    ).toBe(200);
    for (let attempt = 1; attempt <= 8; attempt++) {
      await app.dispatcher.deliverDue();
      clock.advance(10 * 60_000);
    }
    expect(receiver.received).toHaveLength(8);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const stamps = receiver.received.map((r) => /^t=(\d+)/.exec(String(r.headers['webhook-signature']))![1]);
    expect(new Set(stamps).size).toBe(8);
    expect(receiver.events()[0]).toMatchObject({ type: 'member.erased', data: { memberId: 'm-1004' } });
    const rows = await webhookRows('m-1004');
    expect(rows).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 8, lastError: 'webhook endpoint answered 500' }),
    ]);
    // The erased member's own notices were blanked; the event, which names no one, was not.
    expect(rows[0].text).toContain('member.erased');
  });

  it('a failed attempt is retried and delivered once the endpoint answers', async () => {
    const base = await start();
    const key = (await app.apiKeys.create(['cancel'])).token;
    receiver.answer(503);
    await call(base, 'POST', `${MS}/cancel`, {
      key,
      body: { option: 'period_end' },
      headers: { 'idempotency-key': 'hook-cancel-2' },
    });
    expect(await app.dispatcher.deliverDue()).toMatchObject({ retrying: 1 });
    clock.advance(60_000);
    expect(await app.dispatcher.deliverDue()).toMatchObject({ sent: 1 });
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([
      receiver.received[0].headers['webhook-id'],
      receiver.received[0].headers['webhook-id'],
    ]);
    expect((await webhookRows())[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('records no event without WEBHOOK_URLS, and parks one whose endpoint was removed', async () => {
    const base = await start({ WEBHOOK_URLS: '' });
    const key = (await app.apiKeys.create(['cancel'])).token;
    await call(base, 'POST', `${MS}/cancel`, {
      key,
      body: { option: 'period_end' },
      headers: { 'idempotency-key': 'hook-cancel-3' },
    });
    expect(await webhookRows()).toEqual([]);
    const [receipt] = await app.repository.outboxOf('m-1001');
    const row = { ...receipt, id: 'evt_x.0', channel: 'webhook' as const, to: receiver.url };
    await app.repository.transact(async (tx) =>
      tx.put('outbox', { ...row, status: 'pending', text: '{"id":"evt_x"}' }),
    );
    await app.dispatcher.deliverDue();
    expect(receiver.received).toEqual([]);
    expect((await webhookRows())[0]).toMatchObject({
      status: 'failed',
      lastError: 'the endpoint is no longer in WEBHOOK_URLS',
    });
  });

  it('the lifecycle announces what it does: reminders, renewals, cancellations taking effect', async () => {
    await start();
    clock.set('2026-12-16T00:00:00.000Z');
    await app.sweep();
    await app.dispatcher.deliverDue();
    const events = receiver.events();
    const types = new Set(events.map((e) => e.type));
    expect([...types].sort()).toEqual(['cancellation.effective', 'membership.renewed', 'reminder.sent']);
    for (const event of events) conforms(webhookEventSchema(event.type as 'reminder.sent'), event);
    expect(events.find((e) => e.type === 'cancellation.effective')?.data).toMatchObject({ membershipId: 'ms-2004' });
    expect(events.find((e) => e.type === 'membership.renewed')?.data).toMatchObject({ actor: 'billing' });
    // One event a change: as many renewal events as renewals the audit trail records.
    const renewedAudit = (await app.repository.auditEntries()).filter((e) => e.type === 'membership.renewed');
    expect(events.filter((e) => e.type === 'membership.renewed')).toHaveLength(renewedAudit.length);
  });

  it("an erasure leaves the provider's events alone: they are not the member's notices and name no one", async () => {
    const base = await start();
    const key = (await app.apiKeys.create(['write', 'data'])).token;
    const member = {
      name: 'Ada',
      phone: '+447700900124',
      email: 'ada@example.com',
      locale: 'en-US',
      notifyChannel: 'email',
    };
    await fetch(`${base}/v1/members/m-7002`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(member),
    });
    const erased = await call(base, 'POST', '/v1/members/m-7002/erasure', {
      key,
      headers: { 'idempotency-key': 'erase-m-7002' },
    });
    expect(erased.body).toMatchObject({ erasedNotices: 0 });
    expect((await webhookRows('m-7002')).map((r) => [r.template, r.status])).toEqual([
      ['member.updated', 'pending'],
      ['member.erased', 'pending'],
    ]);
    await app.dispatcher.deliverDue();
    expect(receiver.events().map((e) => e.type)).toEqual(['member.updated', 'member.erased']);
    expect(receiver.received.map((r) => r.body).join()).not.toMatch(/Ada|7700900124/);
  });
});

describe('webhook events of the conversation (JSON store)', () => {
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeEach(async () => {
    receiver = await webhookReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('a cancellation in the conversation makes exactly one membership.cancelled event; its undo one more', async () => {
    const c = await conversation({ config: { WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: SECRET } });
    await c.say('I want to cancel my membership');
    await c.say('138 1234 5678');
    await c.say(c.lastCode());
    await c.say('1');
    await c.app.services.memberships.undo('m-1001', 'ms-2001');
    await c.app.dispatcher.deliverDue();
    const events = receiver.events();
    expect(events.map((e) => e.type)).toEqual(['membership.cancelled', 'cancellation.undone']);
    expect(events[0].data).toMatchObject({ membershipId: 'ms-2001', actor: 'member' });
    conforms(webhookEventSchema('cancellation.undone'), events[1]);
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
    await c.app.close();
  });
});
