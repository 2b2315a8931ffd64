import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, existsSync } from 'node:fs';
import { createJsonApp } from './support/jsonApp.js';
import { ServiceUrlPolicy } from '../src/serviceUrlPolicy.js';
import { startServer, type RunningServer } from '../src/server.js';
import { post, userMessage } from './support/http.js';
import { signHostToken } from './support/hostToken.js';
import { testConfig } from './support/testConfig.js';

/** A channel connector on this machine: counts the replies the bot POSTs to it. */
async function startSink(): Promise<{ url: string; posts: string[]; close: () => Promise<void> }> {
  const posts: string[] = [];
  const server: Server = createServer((req, res) => {
    posts.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${posts.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, posts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function conversationUpdate(
  conversationId: string,
  serviceUrl: string,
  members: number,
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'conversationUpdate',
    id: `update-${conversationId}`,
    channelId: 'emulator',
    serviceUrl,
    from: { id: 'user-1', role: 'user' },
    recipient: { id: 'bot', role: 'bot' },
    conversation: { id: conversationId },
    membersAdded: [{ id: 'bot' }, ...Array.from({ length: members }, (_, i) => ({ id: String(i) }))],
    ...extra,
  };
}

describe('without authentication', () => {
  let running: RunningServer;
  let sink: Awaited<ReturnType<typeof startSink>>;
  beforeAll(async () => {
    sink = await startSink();
    const config = testConfig({ RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0' });
    // The port and address the configuration gives (HOST defaults to 127.0.0.1 without an app id).
    running = await startServer(await createJsonApp(config), 0);
  });
  afterAll(async () => {
    await running.shutdown();
    await sink.close();
  });

  it('refuses a serviceUrl that is neither on this machine nor allowed, before any turn runs', async () => {
    const { status, body } = await post(
      running.url,
      userMessage('ssrf-1', 'hello', { deliveryMode: 'normal', serviceUrl: 'http://169.254.169.254/latest' }),
    );
    expect(status).toBe(403);
    expect(body.error).toBe(
      'Without authentication (MicrosoftAppId unset) replies go only to a serviceUrl on this machine or in SERVICE_URL_ALLOWLIST; this one is neither.',
    );
  });

  it('answers a serviceUrl on this machine by POSTing to it', async () => {
    const { status } = await post(
      running.url,
      userMessage('local-1', 'hello', { deliveryMode: 'normal', serviceUrl: sink.url }),
    );
    expect(status).toBe(200);
    expect(sink.posts).toHaveLength(1);
    expect(sink.posts[0]).toMatch(/^\/v3\/conversations\/local-1\/activities\//);
  });

  it('still answers expectReplies from any serviceUrl: the replies go back in the response', async () => {
    const { status, body } = await post(
      running.url,
      userMessage('expect-1', 'hello', { serviceUrl: 'https://elsewhere.example' }),
    );
    expect(status).toBe(200);
    expect(body.activities?.[0]?.text).toMatch(/^Hi!/);
  });

  it('welcomes once per conversationUpdate, and ignores one listing more members than a chat adds', async () => {
    sink.posts.length = 0;
    expect((await post(running.url, conversationUpdate('group-1', sink.url, 3))).status).toBe(200);
    expect(sink.posts).toHaveLength(1);
    sink.posts.length = 0;
    expect((await post(running.url, conversationUpdate('flood-1', sink.url, 12_000))).status).toBe(200);
    expect(sink.posts).toHaveLength(0);
    const replies = await post(
      running.url,
      conversationUpdate('flood-2', sink.url, 12_000, { deliveryMode: 'expectReplies' }),
    );
    expect(replies.body.activities ?? []).toEqual([]);
  });
});

describe('the 403 runs no turn', () => {
  it('leaves no conversation state behind for a refused serviceUrl', async () => {
    const config = testConfig();
    const running = await startServer(await createJsonApp(config), 0);
    expect(
      (
        await post(
          running.url,
          userMessage('ssrf-2', 'I want to cancel', { deliveryMode: 'normal', serviceUrl: 'http://10.0.0.1:80' }),
        )
      ).status,
    ).toBe(403);
    await running.shutdown();
    const state = existsSync(config.STATE_FILE) ? readFileSync(config.STATE_FILE, 'utf8') : '';
    expect(state).not.toContain('ssrf-2');
  });
});

describe('in-app notifications without authentication', () => {
  it('are never sent to a serviceUrl saved from an expectReplies turn that is not allowed', async () => {
    const secret = 'i'.repeat(32);
    const config = testConfig({ MEMBER_TOKEN_SECRET: secret, RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0' });
    const app = await createJsonApp(config, { deliverOnCommit: false });
    const running = await startServer(app, 0);
    // James Miller prefers in-app messages: his receipt goes to the conversation he last used.
    const elsewhere = { serviceUrl: 'https://elsewhere.example/hook' };
    const token = signHostToken(secret, 'm-1007', 'user-inapp-1', Math.floor(Date.now() / 1000) + 300);
    await post(
      running.url,
      userMessage('inapp-1', 'I want to cancel', { ...elsewhere, channelData: { memberToken: token } }),
    );
    const confirmed = await post(running.url, userMessage('inapp-1', 'at period end', elsewhere));
    expect(confirmed.body.activities?.map((a) => a.text).join('\n')).toMatch(/CX-\d{8}-[0-9A-Z]{4}/);
    const report = await app.dispatcher.deliverDue();
    const receipt = app.store.data.outbox.find(
      (m) => m.memberId === 'm-1007' && m.template.startsWith('cancellation-'),
    )!;
    await running.shutdown();
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect(receipt).toMatchObject({ channel: 'in-app', status: 'failed', attempts: 1 });
    expect(receipt.lastError).toBe(
      "the conversation's serviceUrl is not allowed without authentication (see SERVICE_URL_ALLOWLIST)",
    );
  });
});

describe('ServiceUrlPolicy', () => {
  it('allows loopback and listed origins when unauthenticated, everything when authenticated', () => {
    const policy = new ServiceUrlPolicy(false, ['https://smba.trafficmanager.net']);
    expect(
      [
        'http://127.0.0.1:1',
        'http://localhost:3978/x',
        'http://[::1]:9',
        'http://2130706433/',
        'https://smba.trafficmanager.net/amer/',
      ].map((u) => policy.allows(u)),
    ).toEqual([true, true, true, true, true]);
    expect(
      [
        'http://127.0.0.1.evil.example/',
        'https://smba.trafficmanager.net.evil.example',
        'http://smba.trafficmanager.net/',
        'file:///etc/passwd',
        'not a url',
        'http://10.0.0.1',
      ].map((u) => policy.allows(u)),
    ).toEqual([false, false, false, false, false, false]);
    expect(new ServiceUrlPolicy(true, []).allows('https://anything.example')).toBe(true);
  });
});
