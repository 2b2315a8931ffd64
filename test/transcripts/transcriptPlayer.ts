import type { Activity } from 'botbuilder';
import type { JsonApp as App } from '../support/jsonApp.js';
import type { Scenario, Step, StoreExpectation } from './scenarios.js';
import { assertSameReply } from './transcriptFormat.js';
import { ADVANCE_EVENT, RESTART_EVENT, SWEEP_EVENT, TranscriptSession } from './transcriptSession.js';

const CHANNEL = 'emulator';

const DIGIT_WORDS = {
  zh: ['零', '幺', '二', '三', '四', '五', '六', '七', '八', '九'],
  en: ['oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
};

/** The code as voice input writes it: 四八三九二零, "four eight three nine two oh". */
function spokenDigits(code: string, language: 'zh' | 'en'): string {
  const words = [...code].map((d) => DIGIT_WORDS[language][Number(d)]);
  return words.join(language === 'zh' ? '' : ' ');
}

/** The user activity a scripted step stands for, given what the member's inbox holds now. */
function stepActivity(session: TranscriptSession, step: Step, locale: string): Partial<Activity> {
  if (typeof step === 'string') return session.userActivity({ text: step, locale });
  if ('code' in step) {
    const code = step.spoken ? spokenDigits(session.lastCode(), step.spoken) : session.lastCode();
    return session.userActivity({ text: step.within ? step.within.replace('{code}', code) : code, locale });
  }
  if ('wrongCode' in step)
    return session.userActivity({ text: session.lastCode() === '000000' ? '111111' : '000000', locale });
  if ('restart' in step) return session.userActivity({ type: 'event', name: RESTART_EVENT });
  if ('advanceMs' in step) return session.userActivity({ type: 'event', name: ADVANCE_EVENT, value: step.advanceMs });
  if ('attachment' in step) {
    return session.userActivity({
      text: '',
      locale,
      attachments: [{ contentType: 'image/png', contentUrl: 'https://test.local/sticker.png', name: 'sticker.png' }],
    });
  }
  if ('empty' in step) return session.userActivity({ text: '', locale });
  if ('sweep' in step) return session.userActivity({ type: 'event', name: SWEEP_EVENT });
  // The chat page opened from a reminder's link sends its first message with the link's parameter.
  if ('reminderLinkOf' in step)
    return session.userActivity({
      text: step.text,
      locale,
      channelData: { cancelLink: session.reminderLink(step.reminderLinkOf) },
    });
  return session.userActivity({
    text: step.text,
    locale,
    channelData: { memberToken: session.hostToken(step.hostTokenFor) },
  });
}

/** Applies a control event; true when the activity was one (and so is not sent to the bot). */
async function control(session: TranscriptSession, activity: Partial<Activity>): Promise<boolean> {
  if (activity.type !== 'event') return false;
  if (activity.name === RESTART_EVENT) await session.restart();
  else if (activity.name === ADVANCE_EVENT) session.clock.advance(Number(activity.value));
  else if (activity.name === SWEEP_EVENT) await session.app.sweep();
  else return false;
  return true;
}

/** Plays a scenario's scripted user turns and returns the whole conversation as activities. */
export async function record(scenario: Scenario): Promise<Partial<Activity>[]> {
  const session = await TranscriptSession.start(CHANNEL, `transcript-${scenario.name}`);
  const transcript: Partial<Activity>[] = [];
  try {
    for (const step of scenario.steps) {
      const activity = stepActivity(session, step, scenario.locale ?? 'en-US');
      transcript.push(activity);
      if (await control(session, activity)) continue;
      transcript.push(...(await session.send(activity)));
    }
    checkStore(scenario.name, session.app, scenario.expect);
  } finally {
    await session.close();
  }
  // Stable ids (TestAdapter gives replies random ones) keep re-recording diffs to real changes.
  return JSON.parse(JSON.stringify(transcript.map((a, i) => ({ ...a, id: `a${i}` })))) as Partial<Activity>[];
}

/**
 * Replays a transcript: sends each user activity and checks each bot activity against the next
 * reply, in order; then no reply may be left over, and the store must meet the expectations.
 */
export async function replay(
  name: string,
  transcript: Partial<Activity>[],
  expectation?: StoreExpectation,
): Promise<void> {
  const first = transcript[0];
  const session = await TranscriptSession.start(
    first?.channelId ?? CHANNEL,
    first?.conversation?.id ?? `transcript-${name}`,
  );
  const pending: Partial<Activity>[] = [];
  try {
    for (const [index, activity] of transcript.entries()) {
      const role = activity.from?.role;
      if (role === 'user') {
        if (pending.length) assertSameReply(name, index, undefined, pending[0]);
        if (await control(session, activity)) continue;
        pending.push(...(await session.send(activity)));
      } else if (role === 'bot') {
        assertSameReply(name, index, activity, pending.shift());
      } else {
        throw new Error(
          `Transcript "${name}", step ${index}: from.role must be "user" or "bot", got ${JSON.stringify(role)}.`,
        );
      }
    }
    if (pending.length) assertSameReply(name, transcript.length, undefined, pending[0]);
    checkStore(name, session.app, expectation);
  } finally {
    await session.close();
  }
}

const SEEDED_CANCELLATIONS = 2;

function checkStore(name: string, app: App, e: StoreExpectation | undefined): void {
  if (!e) return;
  const db = app.store.data;
  const problems: string[] = [];
  const check = (what: string, expected: unknown, actual: unknown) => {
    if (JSON.stringify(expected) !== JSON.stringify(actual))
      problems.push(`${what}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`);
  };
  for (const [id, fields] of Object.entries(e.memberships ?? {})) {
    const m = db.memberships.find((x) => x.id === id) as Record<string, unknown> | undefined;
    for (const [field, value] of Object.entries(fields)) check(`membership ${id}.${field}`, value, m?.[field]);
  }
  if (e.newCancellations !== undefined)
    check('new cancellations', e.newCancellations, db.cancellations.length - SEEDED_CANCELLATIONS);
  if (e.lastCancellation) {
    const last = db.cancellations.at(-1) as Record<string, unknown> | undefined;
    for (const [field, value] of Object.entries(e.lastCancellation))
      check(`last cancellation.${field}`, value, last?.[field] ?? null);
  }
  if (e.outbox)
    check(
      'outbox templates',
      e.outbox,
      db.outbox.map((m) => m.template),
    );
  if (e.handoffs !== undefined) check('handoffs', e.handoffs, db.handoffs.length);
  if (problems.length)
    throw new Error(`Transcript "${name}": the store is not as expected:\n- ${problems.join('\n- ')}`);
}
