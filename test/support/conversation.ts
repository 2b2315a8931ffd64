import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { createJsonApp } from './jsonApp.js';
import type { Logger } from '../../src/log.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { cardText, type CardElement } from '../../src/terminalRender.js';
import { testConfig } from './testConfig.js';

export const NOW = '2026-11-24T02:00:00.000Z';

/** What the user sees of one reply: its text, quick replies and the visible text of any card. */
export interface Seen {
  text: string;
  choices: string[];
  cards: string[];
}

function seen(activity: Partial<Activity>): Seen {
  return {
    text: activity.text ?? '',
    choices: (activity.suggestedActions?.actions ?? []).map((a) => String(a.title)),
    cards: (activity.attachments ?? []).map((a) => cardText(a.content as CardElement).join('\n')),
  };
}

/**
 * A whole bot built by the composition root (in-memory data from the seed, memory state, a fixed
 * clock and random source) behind botbuilder's TestAdapter, driven as a user would drive it.
 */
export async function conversation(
  options: {
    channelId?: string;
    locale?: string;
    config?: Record<string, string>;
    storage?: MemoryStorage;
    logger?: Logger;
  } = {},
) {
  const clock = new ManualClock(NOW);
  const storage = options.storage ?? new MemoryStorage();
  const app = await createJsonApp(testConfig(options.config), {
    db: 'memory',
    stateStorage: storage,
    clock,
    random: seededRandom(11),
    logger: options.logger,
    deliverOnCommit: false,
  });
  const adapter = new TestAdapter(async (context) => app.bot.run(context), {
    channelId: options.channelId ?? 'emulator',
    conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: 'c' },
    user: { id: 'user-1', name: 'User', role: 'user' },
    bot: { id: 'bot', name: 'Bot', role: 'bot' },
    locale: options.locale ?? 'en-US',
  } as never);
  adapter.onTurnError = app.onTurnError;
  for (const m of app.middleware) adapter.use(m);

  async function say(text: string | Partial<Activity>): Promise<Seen[]> {
    const activity: Partial<Activity> =
      typeof text === 'string' ? { type: 'message', text } : { type: 'message', ...text };
    await adapter.receiveActivity(activity);
    const replies: Seen[] = [];
    while (adapter.activeQueue.length) replies.push(seen(adapter.activeQueue.shift()!));
    return replies;
  }

  /** The code the member received, read from the outbox as the member reads their SMS. */
  function lastCode(): string {
    const message = app.store.data.outbox.filter((m) => m.template === 'otp').at(-1);
    return /\d{6}/.exec(message?.text ?? '')?.[0] ?? 'none';
  }

  return {
    app,
    adapter,
    clock,
    storage,
    say,
    lastCode,
    text: (replies: Seen[]) => replies.map((r) => [r.text, ...r.cards].join('\n')).join('\n---\n'),
  };
}
