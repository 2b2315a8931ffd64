import { readFileSync } from 'node:fs';
import type { Activity } from 'botbuilder';
import { createApp } from '../../../src/app.js';
import { ManualClock } from '../../../src/core/clock.js';
import { seededRandom } from '../../../src/core/random.js';
import { enUS as en } from '../../../src/i18n/catalog.en-US.js';
import { CommitOutcomeUnknownError } from '../../../src/model/repositoryErrors.js';
import { createPool, DatabaseUnreachableError } from '../../../src/store/postgres/pool.js';
import { PostgresRepository } from '../../../src/store/postgres/postgresRepository.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { freezableProxy, type FreezableProxy } from '../../support/freezableProxy.js';
import { post, userMessage } from '../../support/http.js';
import { testConfig } from '../../support/testConfig.js';
import { PG_KEY_SETTINGS, pgSealer, rawQuery, seededDatabase } from './postgresFixture.js';

/** Deadlines short enough for a test: the server cancels at 1 s, the client gives up at 2 s. */
const DEADLINES = { connectMs: 1_000, queryMs: 1_000 };
const HEALTH_MS = 500;

/** What `promise` settles to, or 'no answer' once `ms` have passed; and how long it took. */
async function within<T>(ms: number, promise: Promise<T>): Promise<{ value: T | 'no answer'; ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'no answer'>((resolve) => (timer = setTimeout(() => resolve('no answer'), ms)));
  try {
    return { value: await Promise.race([promise, late]), ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'done',
    (err: unknown) => err,
  );

/** PostgreSQL stops answering (connections open, nothing said), as under SIGSTOP: proxied on loopback. */
describe('a database that stops answering', () => {
  let url: string;
  let proxy: FreezableProxy;
  let repo: PostgresRepository | undefined;
  let running: RunningServer | undefined;

  beforeEach(async () => {
    url = await seededDatabase();
    proxy = await freezableProxy(url);
  });
  afterEach(async () => {
    proxy.thaw();
    await running?.shutdown();
    await repo?.close();
    await proxy.close();
    running = undefined;
    repo = undefined;
  });

  const membershipStatus = async (id: string) =>
    (await rawQuery<{ status: string }>(url, 'SELECT status FROM memberships WHERE id = $1', [id]))[0].status;
  const cancellationsOf = async (id: string) =>
    Number(
      (await rawQuery<{ n: string }>(url, 'SELECT count(*) AS n FROM cancellations WHERE membership_id = $1', [id]))[0]
        .n,
    );

  it('the member at the warning is told to try again within seconds, nothing is kept, and the same choice later cancels once', async () => {
    const config = testConfig({
      DATABASE_URL: proxy.url,
      ...PG_KEY_SETTINGS,
      DATABASE_CONNECT_TIMEOUT_MS: String(DEADLINES.connectMs),
      DATABASE_QUERY_TIMEOUT_MS: String(DEADLINES.queryMs),
      DATABASE_HEALTH_TIMEOUT_MS: String(HEALTH_MS),
    });
    const app = await createApp(config, {
      clock: new ManualClock('2026-11-24T02:00:00.000Z'),
      random: seededRandom(7),
      deliverOnCommit: false,
    });
    running = await startServer(app, 0, '127.0.0.1');
    const say = async (text: string) =>
      (await post(running!.url, userMessage('frozen', text, { locale: 'en-US' }))).body.activities ?? [];
    await say('I want to cancel my membership');
    await say('+86 138 1234 5678');
    await app.dispatcher.deliverDue();
    const sent = readFileSync(config.NOTIFY_OUTBOX_FILE, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { template: string; text: string });
    const code = /\d{6}/.exec(sent.find((m) => m.template === 'otp')!.text)![0];
    const warning = await say(code);
    const periodEnd = (warning.at(-1) as Partial<Activity>)
      .suggestedActions!.actions.map((a) => String(a.title))
      .find((title) => /period end/i.test(title))!;
    expect(periodEnd).toBeDefined();

    proxy.freeze();
    // The address's rate limit (1 s, then counted in memory) and the turn lock (2 s) give up; the member hears why.
    const turn = await within(8_000, say(periodEnd));
    expect(turn.value).not.toBe('no answer');
    expect((turn.value as Partial<Activity>[]).map((a) => a.text)).toEqual([en['error.storeUnavailable']]);
    expect(turn.ms).toBeLessThan(5_000);
    const health = await within(
      3_000,
      fetch(`${running.url}/healthz`).then((res) => res.status),
    );
    expect(health.value).toBe(503);
    expect(health.ms).toBeLessThan(HEALTH_MS + 1_000);
    // Read past the proxy: nothing of the choice was kept.
    expect(await membershipStatus('ms-2001')).toBe('active');
    expect(await cancellationsOf('ms-2001')).toBe(0);

    proxy.thaw();
    // The conversation is still at the warning: the same choice now cancels, once.
    const done = await say(periodEnd);
    expect(done[0].text).toMatch(/CX-20261124-[0-9A-Z]{4}/);
    expect(await membershipStatus('ms-2001')).toBe('pending_cancel');
    expect(await cancellationsOf('ms-2001')).toBe(1);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  });

  it('/healthz (the repository probe) says the database does not answer within its own deadline', async () => {
    repo = new PostgresRepository(createPool(proxy.url, { deadlines: DEADLINES }), pgSealer(), {
      healthTimeoutMs: HEALTH_MS,
    });
    expect(await repo.problem()).toBeNull();
    proxy.freeze();
    const frozen = await within(3_000, repo.problem());
    expect(frozen.value).toBe(`the database did not answer within ${HEALTH_MS} ms`);
    expect(frozen.ms).toBeLessThan(HEALTH_MS + 400);
    proxy.thaw();
    expect(await repo.problem()).toBeNull();
  });

  it('a change whose statement gets no answer is rolled back and reported unreachable, never done', async () => {
    repo = new PostgresRepository(createPool(proxy.url, { deadlines: DEADLINES }), pgSealer());
    const change = repo.transact(async (tx) => {
      const membership = (await tx.membership('ms-2001'))!;
      proxy.freeze();
      tx.put('memberships', { ...membership, status: 'cancelled' });
      await tx.membership('ms-2001');
    });
    const outcome = await within(6_000, failure(change));
    expect(outcome.value).toBeInstanceOf(DatabaseUnreachableError);
    expect(outcome.ms).toBeLessThan(DEADLINES.queryMs + 2_000);
    proxy.thaw();
    expect(await membershipStatus('ms-2001')).toBe('active');
    // The pool goes on with fresh connections.
    expect((await repo.membership('ms-2001'))?.status).toBe('active');
  });

  it('a COMMIT that gets no answer is an unknown outcome, never reported done', async () => {
    repo = new PostgresRepository(createPool(proxy.url, { deadlines: DEADLINES }), pgSealer());
    const change = repo.transact(async (tx) => {
      const membership = (await tx.membership('ms-2001'))!;
      tx.put('memberships', { ...membership, status: 'cancelled' });
      // Reading again sends the write; only the COMMIT is left when the database freezes.
      await tx.membership('ms-2002');
      proxy.freeze();
    });
    const outcome = await within(6_000, failure(change));
    expect(outcome.value).toBeInstanceOf(CommitOutcomeUnknownError);
    expect(outcome.ms).toBeLessThan(DEADLINES.queryMs + 2_000);
    // The COMMIT was on its way: the server takes it when it thaws, as a paused server would, and
    // the change stands. That is why the member is told it may have gone through, never that nothing changed.
    proxy.thaw();
    while ((await membershipStatus('ms-2001')) === 'active') await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await membershipStatus('ms-2001')).toBe('cancelled');
  });

  it('a statement the server cancels at its deadline (a row held by another session) is rolled back and reported unreachable', async () => {
    repo = new PostgresRepository(createPool(url, { deadlines: DEADLINES }), pgSealer());
    const holder = createPool(url, { max: 1 });
    const held = await holder.connect();
    try {
      await held.query('BEGIN');
      await held.query("SELECT 1 FROM memberships WHERE id = 'ms-2001' FOR UPDATE");
      const change = repo.transact(async (tx) => {
        await tx.membership('ms-2002');
        await tx.membership('ms-2001');
      });
      const outcome = await within(6_000, failure(change));
      expect(outcome.value).toBeInstanceOf(DatabaseUnreachableError);
      expect(((outcome.value as Error).cause as { code?: string }).code).toBe('57014');
      expect(outcome.ms).toBeLessThan(DEADLINES.queryMs + 1_000);
    } finally {
      await held.query('ROLLBACK');
      held.release();
      await holder.end();
    }
    expect(await repo.transact(async (tx) => (await tx.membership('ms-2001'))?.status)).toBe('active');
  });
});
