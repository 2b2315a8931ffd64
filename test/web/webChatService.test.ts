import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from 'botbuilder';
import pg from 'pg';
import { createApp, type App } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { FieldCipher } from '../../src/privacy/fieldCipher.js';
import { JsonStateStorage } from '../../src/store/json/jsonStateStorage.js';
import { PostgresStateStorage } from '../../src/store/postgres/postgresStateStorage.js';
import { SealedStateStorage } from '../../src/store/sealedStateStorage.js';
import type { WebChatSession } from '../../src/web/webChatService.js';
import { PG_KEY, PG_KEY_SETTINGS, seededDatabase } from '../store/postgres/postgresFixture.js';
import { scratchDir, testConfig } from '../support/testConfig.js';

const NOW = '2026-11-24T02:00:00.000Z';
/** James Miller (m-1007), who prefers in-app messages: his copy of his data goes into the page. */
const PERSONAL = ['James Miller', '+14155550188', '415 555 0188', 'james.miller@example.com'];

/** Bytes of James Miller's name, phone and e-mail in `text`. */
const personalBytes = (text: string) =>
  PERSONAL.reduce((sum, p) => sum + (text.split(p).length - 1) * Buffer.byteLength(p), 0);

interface Engine {
  config: Config;
  /** An instance of the service; on the JSON store, one at a time (the files are locked). */
  open: (seed: number) => Promise<App>;
  /** A view of the conversation state as it is stored, opened with the service's key. */
  state: () => Promise<{ storage: Storage; close(): Promise<void> }>;
}

const cipher = () => new FieldCipher([PG_KEY], Buffer.from(PG_KEY_SETTINGS.PERSONAL_DATA_INDEX_KEY, 'utf8'));

const ENGINES: [string, () => Promise<Engine>][] = [
  [
    'the JSON store',
    async () => {
      const config = testConfig({ ...PG_KEY_SETTINGS, TRANSCRIPTS_DIR: join(scratchDir(), 'transcripts') });
      const clock = new ManualClock(NOW);
      return {
        config,
        open: (seed) => createApp(config, { clock, random: seededRandom(seed), deliverOnCommit: false }),
        state: async () => {
          const inner = await JsonStateStorage.open(config.STATE_FILE, clock, 30);
          return { storage: new SealedStateStorage(inner, cipher()), close: () => inner.close() };
        },
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const url = await seededDatabase();
      const config = testConfig({
        DATABASE_URL: url,
        ...PG_KEY_SETTINGS,
        TRANSCRIPTS_DIR: join(scratchDir(), 'transcripts'),
      });
      const clock = new ManualClock(NOW);
      return {
        config,
        open: (seed) => createApp(config, { clock, random: seededRandom(seed), deliverOnCommit: false }),
        state: async () => {
          const pool = new pg.Pool({ connectionString: url, max: 1 });
          const inner = new PostgresStateStorage(pool, clock, 30);
          return { storage: new SealedStateStorage(inner, cipher()), close: () => pool.end() };
        },
      };
    },
  ],
];

describe.each(ENGINES)('erasure from the web page over %s', (_name, engine) => {
  it('tells the member exactly what was erased, closes the page for every instance, and leaves no name, phone or e-mail in the page’s state, the transcripts or the outbox', async () => {
    const { config, open, state } = await engine();
    const app = await open(5);
    app.createAdapter(); // the in-app transport, which delivers into the page
    const started = await app.webChat.start({});
    if (!started.ok) throw new Error(started.error);
    const session = started.value;
    const claims = async (s: WebChatSession) => {
      const checked = await app.webChat.authorize(`Bearer ${s.token}`, s.conversationId);
      if (!checked.ok) throw new Error(checked.error);
      return checked.value;
    };
    const say = async (text: string) => {
      const posted = await app.webChat.post(await claims(session), { type: 'message', text });
      if (!posted.ok) throw new Error(posted.error);
      return posted.value.activities.filter((a) => a.from?.role === 'bot').map((a) => a.text ?? '');
    };

    await say('export my data');
    await say('+1 415 555 0188');
    const code = /\d{6}/.exec((await app.repository.outboxOf('m-1007')).at(-1)!.text)![0];
    expect((await say(code)).join('\n')).toContain('Name: James Miller');
    await app.dispatcher.deliverDue();
    // The copy of his data, in full, is in the page's history now.
    expect(JSON.stringify(await app.webChat.history(await claims(session)))).toContain(
      '\\"email\\": \\"james.miller@example.com\\"',
    );
    await say('cancel my membership');
    await say('cancel now and give me the refund');
    await say('skip');
    await say('delete my personal data');
    const [done] = await say('yes');

    const reference = (await app.repository.cancellationsOf('ms-2008'))[0].reference;
    expect(done).toBe(
      [
        [
          'Done. Erased for good:',
          '- your name, phone number and e-mail address (member number m-1007 stands in for them)',
          '- the link to your last conversation, which in-app messages used to reach you',
          '- the addresses and texts of the 3 messages we sent you',
          '- the phone number or e-mail address of 1 code request',
          '- the history of this chat page, which is now closed: start a new chat to go on',
        ].join('\n'),
        'This conversation is signed out.',
        `We keep the cancellation records ${reference}, with their dates, amounts and member number m-1007 but no name or contact details: accounting and consumer-protection law require proof of each cancellation and of any refund or fee.`,
        'We also keep a note that your data was erased and when, under member number m-1007, as proof that we did.',
        'Our support transcripts of conversations are deleted 30 days after they were last written; in them your name as we wrote it, your phone number and your e-mail address are masked.',
      ].join('\n\n'),
    );
    const closed = {
      ok: false,
      status: 401,
      error: 'This chat was closed when its personal data was erased; start a new chat.',
    };
    expect(await app.webChat.authorize(`Bearer ${session.token}`, session.conversationId)).toEqual(closed);

    // Another instance (on the JSON store, the same service restarted) refuses the page's token too.
    await app.close();
    const other = await open(6);
    expect(await other.webChat.authorize(`Bearer ${session.token}`, session.conversationId)).toEqual(closed);
    const notices = await other.repository.outboxOf('m-1007');
    expect(notices.map((m) => [m.to, m.text])).toEqual(notices.map(() => ['', '']));
    await other.close();

    const stored = await state();
    const keys = ['conversations', 'history', 'closed'].map((kind) => `webchat/${kind}/${session.conversationId}`);
    const pageState = JSON.stringify(await stored.storage.read(keys));
    await stored.close();
    expect(pageState).toContain('"closed":true');
    const transcripts = readdirSync(config.TRANSCRIPTS_DIR!).map((f) => join(config.TRANSCRIPTS_DIR!, f));
    expect(transcripts).toHaveLength(1);
    expect(statSync(transcripts[0]).mode & 0o777).toBe(0o600);
    expect(personalBytes(pageState + readFileSync(transcripts[0], 'utf8') + JSON.stringify(notices))).toBe(0);
  });
});
