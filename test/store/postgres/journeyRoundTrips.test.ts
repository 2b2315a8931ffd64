import { TestAdapter, type Activity } from 'botbuilder';
import { createApp, type App } from '../../../src/app.js';
import { ManualClock } from '../../../src/core/clock.js';
import { seededRandom } from '../../../src/core/random.js';
import { countingProxy } from '../../support/countingProxy.js';
import { signHostToken } from '../../support/hostToken.js';
import { testConfig } from '../../support/testConfig.js';
import { PG_KEY_SETTINGS, seededDatabase } from './postgresFixture.js';

const SECRET = 'h'.repeat(32);

/** The whole bot on PostgreSQL behind botbuilder's TestAdapter, as the channel drives it. */
function adapterFor(app: App, conversationId: string): TestAdapter {
  const adapter = new TestAdapter(async (context) => app.bot.run(context), {
    channelId: 'emulator',
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: 'c' },
    bot: { id: 'bot', name: 'Bot', role: 'bot' },
    locale: 'en-US',
  } as never);
  adapter.onTurnError = app.onTurnError;
  for (const m of app.middleware) adapter.use(m);
  return adapter;
}

/** The bench's journey (host token, "at period end", skip the reason), with `before` and `after` around each turn. */
async function journey(app: App, memberId: string, after: () => void, before: () => void = () => undefined) {
  const adapter = adapterFor(app, `pg-${memberId}`);
  const token = signHostToken(SECRET, memberId, 'user1', Math.floor(Date.parse('2026-11-24T02:05:00Z') / 1000));
  for (const turn of [
    { text: 'I want to cancel', channelData: { memberToken: token } },
    { text: 'at period end' },
    { text: 'Skip' },
  ] as Partial<Activity>[]) {
    before();
    await adapter.receiveActivity({ type: 'message', ...turn });
    after();
  }
}

describe('a whole journey on PostgreSQL, at the wire', () => {
  it('reads the member once a turn: the statements and round trips of each turn', async () => {
    const proxy = await countingProxy(await seededDatabase());
    const config = testConfig({ DATABASE_URL: proxy.url, MEMBER_TOKEN_SECRET: SECRET, ...PG_KEY_SETTINGS });
    const app = await createApp(config, {
      clock: new ManualClock('2026-11-24T02:00:00.000Z'),
      random: seededRandom(7),
      deliverOnCommit: false,
    });
    const turns: { statements: number; roundTrips: number }[] = [];
    try {
      // One journey first, unmeasured: the pools' connections opened and the listener started.
      await journey(app, 'm-1001', () => undefined);
      await journey(
        app,
        'm-1006',
        () => turns.push({ ...proxy.counts }),
        () => proxy.reset(),
      );
      expect((await app.repository.membership('ms-2007'))?.status).toBe('pending_cancel');
      // Per turn: the lock with the state read, the state written, the unlock, a rate limit. The
      // first turn reads the member once (18 statements and 15 round trips when the token's check
      // and the conversation remembered each read it), then the conversation remembered and the
      // warning's reads; the second is the cancellation, whose read of the member the receipt
      // uses (15 and 9 when the receipt read it again).
      expect(turns).toEqual([
        { statements: 17, roundTrips: 14 },
        { statements: 14, roundTrips: 8 },
        { statements: 5, roundTrips: 4 },
      ]);
    } finally {
      await app.close();
      await proxy.close();
    }
  });
});
