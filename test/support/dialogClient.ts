import { MemoryStorage, type Activity } from 'botbuilder';
import type { DialogTestClient } from 'botbuilder-testing';
import { createJsonApp } from './jsonApp.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import type { Locale } from '../../src/i18n/languages.js';
import { NOW } from './conversation.js';
import { testConfig } from './testConfig.js';

/**
 * The services a dialog is given, built by the composition root as the bot's are (in-memory data
 * from the seed, a fixed clock and random source), for driving one dialog on its own with
 * botbuilder-testing's DialogTestClient.
 */
export async function dialogApp() {
  const clock = new ManualClock(NOW);
  const app = await createJsonApp(testConfig(), {
    db: 'memory',
    stateStorage: new MemoryStorage(),
    clock,
    random: seededRandom(5),
    deliverOnCommit: false,
  });
  /** The code the member received, read from the outbox as the member reads their message. */
  const lastCode = () => /\d{6}/.exec(app.store.data.outbox.filter((m) => m.template === 'otp').at(-1)?.text ?? '')![0];
  return { app, clock, lastCode };
}

/** Sends what the member types, in one language, and returns the text of every reply of the turn. */
export function speaker(client: DialogTestClient, locale: Locale) {
  return async (text: string): Promise<string[]> => {
    const replies: Partial<Activity>[] = [];
    const first = (await client.sendActivity({ type: 'message', text, locale })) as Partial<Activity> | undefined;
    for (let reply = first; reply; reply = client.getNextReply() as Partial<Activity> | undefined) replies.push(reply);
    return replies.map((r) => r.text ?? '');
  };
}
