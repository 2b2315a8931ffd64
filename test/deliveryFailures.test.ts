import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { createJsonApp } from './support/jsonApp.js';
import { ManualClock } from '../src/core/clock.js';
import { seededRandom } from '../src/core/random.js';
import { DEFAULT_DISPATCH } from '../src/notify/outboxDispatcher.js';
import { scratchDir, testConfig } from './support/testConfig.js';

const NOW = '2026-11-24T02:00:00.000Z';

async function app(config: Record<string, string> = {}) {
  const clock = new ManualClock(NOW);
  const built = await createJsonApp(testConfig(config), {
    db: 'memory',
    stateStorage: new MemoryStorage(),
    clock,
    random: seededRandom(3),
    deliverOnCommit: false,
  });
  return { app: built, clock };
}

/** A channel's connector on loopback that answers every activity with `status`. */
async function channel(status: number): Promise<{ url: string; posts: string[]; server: Server }> {
  const posts: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts.push(`${req.method} ${req.url}`);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'ServiceError', message: 'channel down' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts, server };
}

/** Runs the dispatcher until the message is no longer pending, waiting out each backoff on the manual clock. */
async function untilDone(built: Awaited<ReturnType<typeof app>>, id: string) {
  const delays: number[] = [];
  for (let i = 0; i < DEFAULT_DISPATCH.maxAttempts; i += 1) {
    await built.app.dispatcher.deliverDue();
    const message = built.app.store.data.outbox.find((m) => m.id === id)!;
    if (message.status !== 'pending') return { message, delays };
    const delay = Date.parse(message.nextAttemptAt) - built.clock.now().getTime();
    delays.push(delay);
    built.clock.advance(delay);
  }
  return { message: built.app.store.data.outbox.find((m) => m.id === id)!, delays };
}

async function receiptFor(built: Awaited<ReturnType<typeof app>>, memberId: string, membershipId: string) {
  await built.app.services.memberships.cancel({
    memberId,
    membershipId,
    option: 'period_end',
    requestId: `r-${memberId}`,
  });
  return built.app.store.data.outbox.filter((m) => m.memberId === memberId).at(-1)!;
}

/** #17.5: a failed delivery is never recorded as sent, on any transport. */
describe('a notice that could not be delivered', () => {
  it('in-app: a channel answering 5xx is retried with backoff and parked with its reason, never marked sent', async () => {
    // 501: the connector's HTTP client retries other 5xx itself on real timers; this test keeps to the outbox's.
    const ch = await channel(501);
    const built = await app();
    built.app.createAdapter();
    // James Miller prefers in-app messages; his last conversation was on this channel.
    await built.app.services.members.rememberConversation('m-1007', {
      channelId: 'msteams',
      serviceUrl: ch.url,
      conversation: { id: 'conv-james' },
      user: { id: 'u-james' },
      bot: { id: 'bot' },
    });
    const receipt = await receiptFor(built, 'm-1007', 'ms-2008');
    expect(receipt.channel).toBe('in-app');
    const first = await built.app.dispatcher.deliverDue();
    expect(first).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(built.app.store.data.outbox.find((m) => m.id === receipt.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
    });
    const { message, delays } = await untilDone(built, receipt.id);
    expect(delays).toEqual([2000, 4000, 8000, 16000, 32000, 64000, 128000]);
    expect(message).toMatchObject({ status: 'failed', attempts: DEFAULT_DISPATCH.maxAttempts });
    expect(message.sentAt).toBeUndefined();
    expect(message.lastError).toMatch(/^the channel refused the message \(HTTP 501\): /);
    expect(ch.posts).toHaveLength(DEFAULT_DISPATCH.maxAttempts);
    expect(ch.posts[0]).toMatch(/^POST \/v3\/conversations\/conv-james\/activities/);
    ch.server.close();
    await built.app.close();
  });

  it('in-app: a channel refusing the conversation (403) parks the notice at once, with the reason', async () => {
    const ch = await channel(403);
    const built = await app();
    built.app.createAdapter();
    await built.app.services.members.rememberConversation('m-1007', {
      channelId: 'msteams',
      serviceUrl: ch.url,
      conversation: { id: 'conv-james' },
      user: { id: 'u-james' },
      bot: { id: 'bot' },
    });
    const receipt = await receiptFor(built, 'm-1007', 'ms-2008');
    expect(await built.app.dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(built.app.store.data.outbox.find((m) => m.id === receipt.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringMatching(/HTTP 403/),
    });
    ch.server.close();
    await built.app.close();
  });

  it('webhook (SMS gateway): a gateway answering 500 is retried with backoff and parked with its reason', async () => {
    const ch = await channel(500);
    const built = await app({
      NOTIFY_TRANSPORT: 'webhook',
      NOTIFY_WEBHOOK_URL: `${ch.url}/sms`,
      NOTIFY_WEBHOOK_SECRET: 's'.repeat(32),
    });
    const receipt = await receiptFor(built, 'm-1001', 'ms-2001');
    const { message, delays } = await untilDone(built, receipt.id);
    expect(delays).toHaveLength(DEFAULT_DISPATCH.maxAttempts - 1);
    expect(message).toMatchObject({
      status: 'failed',
      attempts: DEFAULT_DISPATCH.maxAttempts,
      lastError: 'webhook answered 500',
    });
    expect(ch.posts).toHaveLength(DEFAULT_DISPATCH.maxAttempts);
    ch.server.close();
    await built.app.close();
  });

  it('file (development inbox): an outbox file that cannot be written is retried with backoff and parked with its reason', async () => {
    const blocker = join(scratchDir(), 'not-a-directory');
    writeFileSync(blocker, '');
    const built = await app({ NOTIFY_OUTBOX_FILE: join(blocker, 'outbox.jsonl') });
    const receipt = await receiptFor(built, 'm-1001', 'ms-2001');
    const { message, delays } = await untilDone(built, receipt.id);
    expect(delays).toHaveLength(DEFAULT_DISPATCH.maxAttempts - 1);
    expect(message).toMatchObject({ status: 'failed', attempts: DEFAULT_DISPATCH.maxAttempts });
    expect(message.lastError).toMatch(/^could not append to .*outbox\.jsonl: .*(EEXIST|ENOTDIR)/);
    await built.app.close();
  });
});
