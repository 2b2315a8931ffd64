import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { storedDbSchema } from '../../src/store/sealedRecords.js';
import { OutboxDispatcher } from '../../src/notify/outboxDispatcher.js';
import { DeliveryError, type Transport } from '../../src/notify/transport.js';
import { FileTransport } from '../../src/notify/transports/fileTransport.js';
import { signBody, WebhookTransport, SIGNATURE_HEADER } from '../../src/notify/transports/webhookTransport.js';
import { JsonRepository } from '../../src/store/json/jsonRepository.js';
import { JsonStore } from '../../src/store/json/jsonStore.js';
import { domain } from '../support/domain.js';
import { testSealer } from '../support/sealer.js';
import { scratchDir } from '../support/testConfig.js';

const OPTIONS = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000, leaseMs: 60_000 };

describe('OutboxDispatcher', () => {
  it('delivers a committed cancellation receipt after a crash and restart, then marks it sent', async () => {
    const file = join(scratchDir(), 'db.json');
    const store = await JsonStore.open({ schema: storedDbSchema, file, seedFile: 'data/seed.json' });
    const before = await domain({ store });
    await before.memberships.cancel({
      memberId: 'm-1001',
      membershipId: 'ms-2001',
      option: 'period_end',
      requestId: 'r',
    });
    // The process dies here: the write is on disk, nothing was delivered. Simulate by dropping the lock.
    await store.close();

    const reopened = await JsonStore.open({ schema: storedDbSchema, file });
    const after = await domain({ store: reopened });
    const inbox = join(scratchDir(), 'outbox.jsonl');
    const dispatcher = new OutboxDispatcher(
      await JsonRepository.open(reopened, testSealer()),
      () => new FileTransport(inbox),
      after.clock,
      OPTIONS,
    );
    expect(await dispatcher.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const lines = readFileSync(inbox, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(Object.keys(lines[0]).sort()).toEqual([
      'at',
      'channel',
      'id',
      'locale',
      'memberId',
      'template',
      'text',
      'to',
    ]);
    expect(lines[0]).toMatchObject({ memberId: 'm-1001', channel: 'sms', template: 'cancellation-scheduled' });
    expect(reopened.data.outbox[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    await reopened.close();
  });

  it('retries with exponential backoff and parks a message that keeps failing, with its last error', async () => {
    const d = await domain();
    await d.memberships.cancel({ memberId: 'm-1001', membershipId: 'ms-2001', option: 'period_end', requestId: 'r' });
    const failing: Transport = {
      send: async () => {
        throw new Error('gateway down');
      },
    };
    const dispatcher = new OutboxDispatcher(d.repo, () => failing, d.clock, OPTIONS);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(d.store.data.outbox[0].nextAttemptAt).toBe('2026-11-24T02:00:01.000Z');
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    d.clock.advance(1000);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(d.store.data.outbox[0].nextAttemptAt).toBe('2026-11-24T02:00:03.000Z');
    d.clock.advance(2000);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(d.store.data.outbox[0]).toMatchObject({ status: 'failed', attempts: 3, lastError: 'gateway down' });
  });

  it('reports a claim that fails (the database is away) and resolves, so a timer pass never rejects; the next pass delivers', async () => {
    const d = await domain();
    await d.memberships.cancel({ memberId: 'm-1001', membershipId: 'ms-2001', option: 'period_end', requestId: 'r' });
    const claim = jest.spyOn(d.repo, 'claimOutbox').mockRejectedValueOnce(new Error('connection terminated'));
    const errors: string[] = [];
    const sent: string[] = [];
    const dispatcher = new OutboxDispatcher(
      d.repo,
      () => ({ send: async (m) => void sent.push(m.id) }),
      d.clock,
      OPTIONS,
      (message, err) => errors.push(`${message?.id ?? 'claim'}: ${err.message}`),
    );
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(errors).toEqual(['claim: connection terminated']);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    claim.mockRestore();
  });

  it('starts no pass after stop, not even one asked for while the last was running', async () => {
    const d = await domain();
    await d.memberships.cancel({ memberId: 'm-1001', membershipId: 'ms-2001', option: 'period_end', requestId: 'r' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const claim = jest.spyOn(d.repo, 'claimOutbox');
    const dispatcher = new OutboxDispatcher(d.repo, () => ({ send: () => held }), d.clock, OPTIONS);
    const first = dispatcher.deliverDue();
    // A commit's wake-up during the SMS pass asks for another one.
    await d.memberships.cancel({ memberId: 'm-1002', membershipId: 'ms-2002', option: 'period_end', requestId: 's' });
    void dispatcher.deliverDue();
    const stopped = dispatcher.stop();
    release();
    await Promise.all([first, stopped]);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(claim.mock.calls.filter((call) => call[3] === 'sms')).toHaveLength(1);
    expect(d.store.data.outbox.filter((m) => m.status === 'pending').map((m) => m.memberId)).toEqual(['m-1002']);
    claim.mockRestore();
  });

  it('parks at once when the transport says retrying cannot help', async () => {
    const d = await domain();
    await d.memberships.cancel({ memberId: 'm-1001', membershipId: 'ms-2001', option: 'period_end', requestId: 'r' });
    const refusing: Transport = {
      send: async () => {
        throw new DeliveryError('webhook answered 400', false);
      },
    };
    expect(await new OutboxDispatcher(d.repo, () => refusing, d.clock, OPTIONS).deliverDue()).toEqual({
      sent: 0,
      retrying: 0,
      failed: 1,
    });
  });

  it('blanks the text of a one-time code in the store once delivered', async () => {
    const d = await domain();
    await d.otp.requestCode({ kind: 'phone', value: '+8613812345678' });
    const delivered: string[] = [];
    await new OutboxDispatcher(
      d.repo,
      () => ({
        send: async (m) => {
          delivered.push(m.text);
        },
      }),
      d.clock,
      OPTIONS,
    ).deliverDue();
    expect(delivered[0]).toMatch(/您的验证码是\d{6}，/);
    expect(d.store.data.outbox[0]).toMatchObject({ status: 'sent', text: '', redacted: true });
  });
});

describe('WebhookTransport against a real HTTP server on loopback', () => {
  async function gateway(statuses: number[]) {
    const received: { body: string; signature: string | undefined }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ body, signature: req.headers[SIGNATURE_HEADER] as string | undefined });
        res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)];
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('signs the body with HMAC-SHA256, retries after a 500 and delivers on the next attempt', async () => {
    const gw = await gateway([500, 200]);
    const d = await domain();
    await d.memberships.cancel({ memberId: 'm-1001', membershipId: 'ms-2001', option: 'period_end', requestId: 'r' });
    const transport = new WebhookTransport(gw.url, 'shared-secret');
    const dispatcher = new OutboxDispatcher(d.repo, () => transport, d.clock, OPTIONS);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    d.clock.advance(1000);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(gw.received).toHaveLength(2);
    for (const r of gw.received) expect(r.signature).toBe(signBody(r.body, 'shared-secret'));
    expect(JSON.parse(gw.received[1].body)).toMatchObject({
      id: d.store.data.outbox[0].id,
      template: 'cancellation-scheduled',
    });
    await gw.close();
  });

  it('does not retry after a 400', async () => {
    const gw = await gateway([400]);
    const d = await domain();
    await d.memberships.cancel({ memberId: 'm-1001', membershipId: 'ms-2001', option: 'period_end', requestId: 'r' });
    const dispatcher = new OutboxDispatcher(d.repo, () => new WebhookTransport(gw.url, 's'), d.clock, OPTIONS);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    d.clock.advance(120_000);
    await dispatcher.deliverDue();
    expect(gw.received).toHaveLength(1);
    expect(d.store.data.outbox[0]).toMatchObject({ status: 'failed', lastError: 'webhook answered 400' });
    await gw.close();
  });
});
