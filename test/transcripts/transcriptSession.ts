import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryStorage, TestAdapter, type Activity, type ChannelAccount } from 'botbuilder';
import { createJsonApp, type JsonApp } from '../support/jsonApp.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { scratchDir, testConfig } from '../support/testConfig.js';
import { signHostToken } from '../support/hostToken.js';

export const START = '2026-11-24T02:00:00.000Z';
export const TOKEN_SECRET = 'transcript-host-token-secret-0123456789';
export const USER: ChannelAccount = { id: 'member-user', name: 'Member', role: 'user' };
export const BOT: ChannelAccount = { id: 'membership-bot', name: 'Membership assistant', role: 'bot' };

/** Control events a transcript may hold; they drive the harness and are never sent to the bot. */
export const RESTART_EVENT = 'transcript.restart';
export const ADVANCE_EVENT = 'transcript.advanceClock';
export const SWEEP_EVENT = 'transcript.sweep';

/**
 * One conversation with the bot as the composition root builds it: a fresh copy of the demo data
 * on disk, in-memory conversation state, a fixed clock and a seeded random source (so the codes in
 * a transcript are the same on every run). `restart` closes the app and builds a new one on the
 * same data and state, as a process restart would.
 */
export class TranscriptSession {
  readonly clock = new ManualClock(START);
  readonly storage = new MemoryStorage();
  app!: JsonApp;
  private adapter!: TestAdapter;
  private generation = 0;

  private constructor(
    readonly channelId: string,
    readonly conversationId: string,
    private readonly config: ReturnType<typeof testConfig>,
  ) {}

  static async start(channelId: string, conversationId: string): Promise<TranscriptSession> {
    const dir = scratchDir('transcript-');
    copyFileSync('data/seed.json', join(dir, 'db.json'));
    const config = testConfig({
      DB_FILE: join(dir, 'db.json'),
      NOTIFY_OUTBOX_FILE: join(dir, 'outbox.jsonl'),
      MEMBER_TOKEN_SECRET: TOKEN_SECRET,
      // Fixed, so a renewal notice's link recorded in a transcript still opens it on replay.
      WEBCHAT_TOKEN_SECRET: 'transcript-webchat-secret-0123456789abcdef',
    });
    const session = new TranscriptSession(channelId, conversationId, config);
    await session.boot();
    return session;
  }

  private async boot(): Promise<void> {
    this.app = await createJsonApp(this.config, {
      stateStorage: this.storage,
      clock: this.clock,
      random: seededRandom(1000 + this.generation),
      deliverOnCommit: false,
    });
    this.adapter = new TestAdapter(async (context) => this.app.bot.run(context), {
      channelId: this.channelId,
      serviceUrl: 'https://test.local',
      conversation: { id: this.conversationId, isGroup: false, conversationType: 'personal', name: '' },
      user: USER,
      bot: BOT,
    } as never);
    this.adapter.onTurnError = this.app.onTurnError;
  }

  async restart(): Promise<void> {
    await this.app.close();
    this.generation += 1;
    await this.boot();
  }

  /** A user activity as it goes into a transcript, stamped with the session's clock. */
  userActivity(fields: Partial<Activity>): Partial<Activity> {
    return {
      type: 'message',
      timestamp: this.clock.now(),
      channelId: this.channelId,
      from: USER,
      recipient: BOT,
      conversation: { id: this.conversationId } as Activity['conversation'],
      serviceUrl: 'https://test.local',
      ...fields,
    };
  }

  /** Runs one user activity and returns the bot's replies, in order, with roles set. */
  async send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    await this.adapter.receiveActivity({ ...activity, timestamp: this.clock.now() });
    const replies: Partial<Activity>[] = [];
    while (this.adapter.activeQueue.length) {
      const reply = this.adapter.activeQueue.shift()!;
      replies.push({ ...reply, timestamp: this.clock.now(), from: BOT, recipient: USER });
    }
    return replies;
  }

  /** The signed parameter of the link in the newest renewal reminder about `membershipId`. */
  reminderLink(membershipId: string): string {
    const reminder = this.app.store.data.outbox
      .filter((m) => m.template === 'renewal-reminder' && m.text.includes(membershipId))
      .at(-1);
    const param = /[?&]cancel=([A-Za-z0-9._-]+)/.exec(reminder?.text ?? '')?.[1];
    if (!param) throw new Error(`No renewal reminder with a link about ${membershipId} in the outbox.`);
    return param;
  }

  /** The code in the member's inbox: what a person would read off their phone. */
  lastCode(): string {
    const message = this.app.store.data.outbox.filter((m) => m.template === 'otp').at(-1);
    // Once delivered, the store blanks the text; the inbox file still has it.
    const text = message?.redacted
      ? readFileSync(this.config.NOTIFY_OUTBOX_FILE, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { id: string; text?: string })
          .find((m) => m.id === message.id)?.text
      : message?.text;
    return /\d{6}/.exec(text ?? '')?.[0] ?? '000000';
  }

  hostToken(memberId: string): string {
    const exp = Math.floor(this.clock.now().getTime() / 1000) + 300;
    return signHostToken(TOKEN_SECRET, memberId, USER.id, exp);
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
