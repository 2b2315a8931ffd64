import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStorage } from 'botbuilder';
import { createJsonApp } from '../support/jsonApp.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { WEBCHAT_SERVICE_URL } from '../../src/web/webChatService.js';
import { testConfig } from '../support/testConfig.js';

/** A Bot Framework channel's connector on loopback: keeps what it is sent, answers 200. */
async function connector(): Promise<{ url: string; received: { path: string; text?: string }[]; server: Server }> {
  const received: { path: string; text?: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', text: (JSON.parse(body || '{}') as { text?: string }).text });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"1"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

/** A receipt for James Miller (m-1007), or another member who prefers in-app messages, sent through `reference`. */
async function receiptVia(reference: Record<string, unknown>, memberId = 'm-1007', membershipId = 'ms-2008') {
  const memory: Record<string, string> = {};
  const app = await createJsonApp(testConfig(), {
    db: 'memory',
    stateStorage: new MemoryStorage(memory),
    clock: new ManualClock('2026-11-24T02:00:00.000Z'),
    random: seededRandom(5),
    deliverOnCommit: false,
  });
  app.createAdapter(); // the in-app transport
  // The member's receipt goes to the conversation they last used.
  await app.services.members.rememberConversation(memberId, reference);
  await app.services.memberships.cancel({ memberId, membershipId, option: 'period_end', requestId: `r-${memberId}` });
  const report = await app.dispatcher.deliverDue();
  const receipt = app.store.data.outbox.find((m) => m.memberId === memberId && m.channel === 'in-app')!;
  await app.close();
  return { report, receipt, storedKeys: Object.keys(memory) };
}

describe('in-app notices and the channels called "webchat"', () => {
  it("reach a member on Azure's Web Chat channel (id webchat) through its connector, not this server's page", async () => {
    const azure = await connector();
    const { report, receipt, storedKeys } = await receiptVia({
      channelId: 'webchat',
      serviceUrl: azure.url,
      conversation: { id: 'AzWebChat0123456789-us' },
      user: { id: 'dl_james' },
      bot: { id: 'bot' },
    });
    azure.server.close();
    expect(report).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(receipt.status).toBe('sent');
    // What the member sees: the receipt, in their Web Chat conversation.
    expect(azure.received).toEqual([
      { path: expect.stringMatching(/^\/v3\/conversations\/AzWebChat0123456789-us\/activities/), text: receipt.text },
    ]);
    expect(receipt.text).toMatch(/^Cancellation confirmed: /);
    // Nothing went into this server's page history.
    expect(storedKeys.filter((k) => k.startsWith('webchat/history/'))).toEqual([]);
  });

  it('are written in the language of the conversation they land in', async () => {
    const azure = await connector();
    // 赵磊 (m-1009) reads Chinese by default, but chatted in English on Azure's Web Chat.
    const { receipt } = await receiptVia(
      {
        channelId: 'webchat',
        serviceUrl: azure.url,
        conversation: { id: 'AzWebChatZhao-us' },
        locale: 'en-US',
        user: { id: 'dl_zhao' },
        bot: { id: 'bot' },
      },
      'm-1009',
      'ms-2009',
    );
    azure.server.close();
    expect(receipt).toMatchObject({ status: 'sent', locale: 'en-US' });
    expect(azure.received.map((a) => a.text)).toEqual([receipt.text]);
    expect(receipt.text).toMatch(/^Cancellation confirmed: Music Plus Annual \(membership ms-2009\)/);
  });

  it('are not recorded as sent to a page conversation that has no history (never held, or purged)', async () => {
    const { report, receipt, storedKeys } = await receiptVia({
      channelId: 'webchat',
      serviceUrl: WEBCHAT_SERVICE_URL,
      conversation: { id: 'wc-0123456789abcdef01234567' },
      user: { id: 'wu-james' },
      bot: { id: 'membership-assistant' },
    });
    expect(report).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(receipt).toMatchObject({ status: 'failed', lastError: 'the chat page conversation no longer exists' });
    expect(storedKeys.filter((k) => k.startsWith('webchat/history/'))).toEqual([]);
  });
});
