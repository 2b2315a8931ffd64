import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom, type RandomSource } from '../../src/core/random.js';
import { syntheticDb } from '../../src/devtools/syntheticData.js';
import type { ChargeRequest } from '../../src/membership/billing.js';
import {
  CancelOptionUnavailableError,
  MembershipNotActiveError,
  RenewalInProgressError,
} from '../../src/membership/membershipErrors.js';
import { MembershipService } from '../../src/membership/membershipService.js';
import { Notifier } from '../../src/notify/notifier.js';
import { instance, PG_KEY_SETTINGS, rawQuery, seededDatabase } from '../store/postgres/postgresFixture.js';
import { scratchDir } from '../support/testConfig.js';

const INSTANCES = 3;
/**
 * 300 by default; LIFECYCLE_YEAR_MEMBERS=1000 runs the full population (6½ minutes on a shared
 * two-core machine). The instances claim the due memberships (SKIP LOCKED), so they share the list
 * instead of queueing behind each other's row locks.
 */
const MEMBERS = Number(process.env.LIFECYCLE_YEAR_MEMBERS ?? 300);
const START = '2026-11-24T00:00:00.000Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A pass every twelve hours for a year. */
const STEP_HOURS = 12;
const STEPS = (365 * 24) / STEP_HOURS;
/** On average one step in this many has an instance SIGKILLed at a random moment of its pass. */
const KILL_ONE_STEP_IN = 30;
/** On average one charge in this many kills the instance that asked for it, before it hears the answer. */
const KILL_ONE_CHARGE_IN = 400;
/** Day 40: one active membership in 25 cancelled at period end, between two passes. */
const QUIET_CANCEL_STEP = (40 * 24) / STEP_HOURS;
/** Day 200: memberships whose period has just ended cancelled, while the passes run. */
const RACING_CANCEL_STEP = (200 * 24) / STEP_HOURS;
const RACING_CANCELS = 20;
const REMINDER_DAYS = { month: 7, year: 15 } as const;

interface Charge {
  key: string;
  membershipId: string;
  periodStart: string;
  /** `charged` with its id, or `refused`: the provider answers a key the same every time. */
  chargeId: string | null;
  /** The simulated time it was first asked for, and the wall time (for ordering against a racing cancellation). */
  at: number;
  wallAt: number;
  asked: number;
}

/**
 * The provider's billing: charges a key once and answers it the same every time it is asked. Each
 * instance asks under its own path (`/i<n>/charges`), so a charge can kill the instance that asked
 * for it between the charge and its record. Memberships of every 40th member are refused until
 * their grace period ends.
 */
async function startBilling(now: () => number, random: RandomSource, kill: (instance: number) => boolean) {
  const charges = new Map<string, Charge>();
  let killedMidCharge = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = JSON.parse(body) as ChargeRequest;
      const key = String(req.headers['idempotency-key']);
      const refused = Number(request.memberId.split('-')[1]) % 40 === 7 && !key.endsWith(':after-grace');
      const charge = charges.get(key) ?? {
        key,
        membershipId: request.membershipId,
        periodStart: request.periodStart,
        chargeId: refused ? null : `ch-${charges.size + 1}`,
        at: now(),
        wallAt: Date.now(),
        asked: 0,
      };
      charge.asked += 1;
      charges.set(key, charge);
      const asker = Number(/^\/i(\d+)\//.exec(req.url ?? '')?.[1]);
      if (random.int(KILL_ONE_CHARGE_IN) === 0 && kill(asker)) {
        // Charged, and the instance that asked is gone before it hears so.
        killedMidCharge += 1;
        req.socket.destroy();
        return;
      }
      const answer = charge.chargeId
        ? { status: 'charged', chargeId: charge.chargeId }
        : { status: 'refused', reason: 'card_declined' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, charges, server, killedMidCharge: () => killedMidCharge };
}

/** One lifecycle instance (test/support/lifecycleInstance.mjs): a pass at the time it is given, until it is killed. */
class LifecycleInstance {
  private output = '';
  private readonly waiting = new Map<number, { resolve: (done: boolean) => void; reject: (err: Error) => void }>();
  readonly exited: Promise<void>;
  dead = false;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d) => (this.output = (this.output + d).slice(-20_000)));
    child.stderr!.on('data', (d) => (this.output = (this.output + d).slice(-20_000)));
    child.on('message', (m: { step: number; error?: string }) => {
      const w = this.waiting.get(m.step);
      this.waiting.delete(m.step);
      if (m.error) w?.reject(new Error(`instance failed at step ${m.step}: ${m.error}\n${this.output}`));
      else w?.resolve(true);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        // Killed by the test, the pass died with it; an exit of its own is a failure.
        const killed = this.dead;
        this.dead = true;
        const crashed = new Error(`instance exited by itself (${code ?? signal}):\n${this.output}`);
        for (const w of this.waiting.values()) {
          if (killed) w.resolve(false);
          else w.reject(crashed);
        }
        this.waiting.clear();
        resolve();
      }),
    );
  }

  /** Runs a pass at `at`; false if the instance died during it. */
  pass(step: number, at: number): Promise<boolean> {
    if (this.dead) return Promise.resolve(false);
    return new Promise((resolve, reject) => {
      this.waiting.set(step, { resolve, reject });
      this.child.send({ step, at: new Date(at).toISOString() });
    });
  }

  kill(): boolean {
    if (this.dead) return false;
    this.dead = true;
    this.child.kill('SIGKILL');
    return true;
  }
}

/**
 * The year of the lifecycle on three instances over one PostgreSQL database, with SIGKILLs: three
 * processes built by the composition root run the background pass at each simulated twelve-hour
 * step, while instances are killed at random moments of a pass and whenever the provider has just
 * charged for them (before they hear it), and restarted at once. What no death or race may break is
 * checked in the database and at the provider.
 */
describe('a year of the lifecycle on 3 PostgreSQL instances under SIGKILL', () => {
  it(
    `${MEMBERS} members, a pass every ${STEP_HOURS} h, instances killed and restarted`,
    async () => {
      const document = syntheticDb(MEMBERS, seededRandom(3), 'data/seed.json', new Date(START));
      const url = await seededDatabase(document);
      const dir = scratchDir('lifecycle-instances-');
      const clock = new ManualClock(START);
      const killRandom = seededRandom(2028);
      const repo = instance(url);
      const random = seededRandom(11);
      const memberships = new MembershipService(repo, new Notifier(clock, random), clock, random);
      const instances: LifecycleInstance[] = [];
      let kills = 0;
      let restarts = 0;
      const killInstance = (n: number) => {
        const killed = instances[n]?.kill() ?? false;
        if (killed) kills += 1;
        return killed;
      };
      const billing = await startBilling(() => clock.now().getTime(), seededRandom(2029), killInstance);
      const env = (n: number) => ({
        PATH: process.env.PATH,
        DATABASE_URL: url,
        ...PG_KEY_SETTINGS,
        BILLING_URL: `${billing.url}/i${n}/`,
        DB_FILE: join(dir, 'db.json'),
        STATE_FILE: join(dir, 'state.json'),
        SECRETS_DIR: join(dir, 'secrets'),
        NOTIFY_TRANSPORT: 'file',
        NOTIFY_OUTBOX_FILE: join(dir, `outbox-${n}.jsonl`),
        OTP_HASH_SECRET: 'lifecycle-instances-otp-secret-0000000',
        WEBCHAT_TOKEN_SECRET: 'lifecycle-instances-webchat-secret-000',
        // The year's audit is read at its end.
        AUDIT_RETENTION_DAYS: '36500',
        LOG_LEVEL: 'error',
      });
      /** Instances that have started and not died since: the passes go to them. */
      const ready: (LifecycleInstance | null)[] = [];
      const starting = new Map<number, Promise<void>>();
      /**
       * Starts instance `n` in the background (the others go on meanwhile, as behind a load balancer);
       * its start runs a pass at `at`, by then perhaps behind the others' clocks. Killed while starting, it starts again.
       */
      const start = (n: number, step: number, at: number) => {
        ready[n] = null;
        const started = (async () => {
          for (;;) {
            const child = fork('test/support/lifecycleInstance.mjs', [], {
              env: env(n),
              execArgv: ['--disable-warning=DEP0111'],
              silent: true,
            });
            instances[n] = new LifecycleInstance(child);
            if (await instances[n].pass(step, at)) break;
            await instances[n].exited;
            restarts += 1;
          }
          ready[n] = instances[n];
          starting.delete(n);
        })();
        starting.set(n, started);
        return started;
      };

      /** A restarted instance that failed (other than by a kill): the test stops with it. */
      let failure: Error | undefined;
      const quietCancels = new Map<string, number>();
      const racingCancels = new Map<string, number>();
      /** Racing cancellations refused because their renewal charge was in flight. */
      const waitedForCharge = new Set<string>();
      try {
        await Promise.all(Array.from({ length: INSTANCES }, (_, n) => start(n, 0, Date.parse(START))));
        for (let step = 1; step <= STEPS; step++) {
          const at = Date.parse(START) + step * STEP_HOURS * HOUR;
          clock.set(new Date(at));
          if (failure) throw failure;
          if (!ready.some((i) => i && !i.dead)) await Promise.race(starting.values());
          // Between passes: none runs, not even a restarted instance's first.
          if (step === QUIET_CANCEL_STEP) await Promise.all(starting.values());
          if (step === QUIET_CANCEL_STEP) await cancelQuietly(memberships, document, quietCancels, at);
          const passes = ready.flatMap((i) => (i && !i.dead ? [i.pass(step, at)] : []));
          const racing =
            step === RACING_CANCEL_STEP ? cancelRacing(memberships, url, racingCancels, waitedForCharge, at) : null;
          if (killRandom.int(KILL_ONE_STEP_IN) === 0) {
            await new Promise((resolve) => setTimeout(resolve, killRandom.int(250)));
            killInstance(killRandom.int(INSTANCES));
          }
          await Promise.all([...passes, racing]);
          for (let n = 0; n < INSTANCES; n++) {
            if (!instances[n].dead || starting.has(n)) continue;
            await instances[n].exited;
            restarts += 1;
            start(n, step, at).catch((err: Error) => (failure ??= err));
          }
        }
        await Promise.all(starting.values());

        const figures = await check(url, billing.charges, quietCancels, racingCancels);
        const line = `lifecycle on ${INSTANCES} PostgreSQL instances, year of ${MEMBERS} members (${STEPS} passes): ${kills} SIGKILLs (${billing.killedMidCharge()} between a charge and its record), ${restarts} restarts; ${figures}; ${waitedForCharge.size} racing cancellations refused while their charge was in flight`;
        console.info(line);
        if (process.env.STRESS_REPORT) appendFileSync(process.env.STRESS_REPORT, `${line}\n`);
        expect(billing.killedMidCharge()).toBeGreaterThan(0);
        expect(kills).toBeGreaterThan(billing.killedMidCharge());
      } finally {
        for (const i of instances) i.kill();
        await Promise.all(instances.map((i) => i.exited));
        billing.server.close();
        await repo.close();
      }
    },
    30 * 60_000,
  );
});

/**
 * A cancellation refused because the membership had ended, no longer offered that option, or had
 * its renewal charge in flight (an instance asked for it and has not recorded the answer yet).
 */
const refusedAsEnded = (err: unknown) =>
  err instanceof MembershipNotActiveError ||
  err instanceof CancelOptionUnavailableError ||
  err instanceof RenewalInProgressError;

/** One active membership in 25 cancelled at period end, while no pass runs. */
async function cancelQuietly(
  memberships: MembershipService,
  document: ReturnType<typeof syntheticDb>,
  cancelledAt: Map<string, number>,
  at: number,
) {
  for (const [i, m] of document.memberships.entries()) {
    if (i % 25 !== 0) continue;
    try {
      await memberships.cancel({
        memberId: m.memberId,
        membershipId: m.id,
        option: 'period_end',
        requestId: `q-${m.id}`,
      });
      cancelledAt.set(m.id, at);
    } catch (err) {
      if (!refusedAsEnded(err)) throw err;
    }
  }
}

/**
 * Memberships whose period has ended and which no pass has renewed yet, cancelled at once while the
 * passes run: each cancellation races the renewal of its membership. Keeps the wall time each committed.
 */
async function cancelRacing(
  memberships: MembershipService,
  url: string,
  committedAt: Map<string, number>,
  waitedForCharge: Set<string>,
  at: number,
) {
  const due = await rawQuery<{ id: string; member_id: string }>(
    url,
    `SELECT id, member_id FROM memberships WHERE status = 'active' AND auto_renew AND grace_until IS NULL
       AND current_period_end <= $1::timestamptz ORDER BY seq LIMIT $2`,
    [new Date(at).toISOString(), RACING_CANCELS],
  );
  await Promise.all(
    due.map(async (m, k) => {
      await new Promise((resolve) => setTimeout(resolve, 5 * k));
      try {
        await memberships.cancel({
          memberId: m.member_id,
          membershipId: m.id,
          option: 'period_end',
          requestId: `r-${m.id}`,
        });
        committedAt.set(m.id, Date.now());
      } catch (err) {
        if (err instanceof RenewalInProgressError) waitedForCharge.add(m.id);
        // Renewed first and then no longer quoted this way, or already ended: the race went the other way.
        if (!refusedAsEnded(err)) throw err;
      }
    }),
  );
}

interface AuditRow {
  seq: string;
  at: Date;
  type: string;
  membership_id: string;
  data: Record<string, unknown> | null;
}

/** What the year left in the database and at the provider, checked; the counts, as a sentence. */
async function check(
  url: string,
  charges: Map<string, Charge>,
  quietCancels: Map<string, number>,
  racingCancels: Map<string, number>,
): Promise<string> {
  const audit = await rawQuery<AuditRow>(
    url,
    `SELECT seq, at, type, membership_id, data FROM audit WHERE type IN
       ('membership.renewed', 'membership.reminded', 'renewal.charge_unapplied', 'membership.renewal_refused',
        'membership.expired', 'cancellation.committed') ORDER BY seq`,
  );
  const of = (type: string) => audit.filter((a) => a.type === type);
  const renewed = of('membership.renewed');
  const reminded = of('membership.reminded');
  const unapplied = of('renewal.charge_unapplied');
  const periodKey = (a: AuditRow) => `${a.membership_id}:${Date.parse(String(a.data?.periodEnd))}`;
  const charged = [...charges.values()].filter((c) => c.chargeId !== null);

  // Every renewal recorded once per membership period, each by a charge taken once, and every charge recorded.
  const duplicates = (keys: string[]) => keys.filter((k, i) => keys.indexOf(k) !== i);
  expect(duplicates(renewed.map(periodKey))).toEqual([]);
  expect(duplicates(charged.map((c) => `${c.membershipId}:${Date.parse(c.periodStart)}`))).toEqual([]);
  expect(duplicates(renewed.map((a) => String(a.data?.chargeId)))).toEqual([]);
  const recorded = new Set([...renewed, ...unapplied].map((a) => String(a.data?.chargeId)));
  expect(charged.filter((c) => !recorded.has(c.chargeId!))).toEqual([]);
  const chargeIds = new Set(charged.map((c) => c.chargeId));
  expect(renewed.filter((a) => !chargeIds.has(String(a.data?.chargeId)))).toEqual([]);

  // Every reminder sent once per period, inside its legal window (5–30 days before), and each one's message with it.
  expect(duplicates(reminded.map(periodKey))).toEqual([]);
  const lead = (a: AuditRow) => Date.parse(String(a.data?.periodEnd)) - a.at.getTime();
  const windowOpenedInYear = reminded.filter(
    (a) => Date.parse(String(a.data?.periodEnd)) - REMINDER_DAYS.year * DAY >= Date.parse(START),
  );
  expect(windowOpenedInYear.filter((a) => lead(a) < 5 * DAY || lead(a) > 30 * DAY)).toEqual([]);
  const messages = await rawQuery<{ n: string }>(
    url,
    "SELECT count(*) AS n FROM outbox WHERE template = 'renewal-reminder'",
  );
  expect(Number(messages[0].n)).toBe(reminded.length);

  // Nothing reminded, renewed or charged after a cancellation: by simulated time for those made
  // between passes, by commit order (and wall time at the provider) for those racing a pass.
  const committed = new Map(of('cancellation.committed').map((a) => [a.membership_id, a]));
  const after = [...renewed, ...reminded].filter((a) => {
    const quiet = quietCancels.get(a.membership_id);
    const racing = racingCancels.has(a.membership_id) ? committed.get(a.membership_id) : undefined;
    return (quiet !== undefined && a.at.getTime() >= quiet) || (racing && BigInt(a.seq) > BigInt(racing.seq));
  });
  expect(after).toEqual([]);
  // No charge asked after a cancellation made between passes. One that was in flight when a racing
  // cancellation committed is not applied, and is on record for a refund; no other charge is.
  expect(charged.filter((c) => c.at >= (quietCancels.get(c.membershipId) ?? Infinity))).toEqual([]);
  const inFlight = charged.filter((c) => c.wallAt > (racingCancels.get(c.membershipId) ?? Infinity));
  const unappliedIds = new Set(unapplied.map((a) => String(a.data?.chargeId)));
  expect(inFlight.filter((c) => !unappliedIds.has(c.chargeId!))).toEqual([]);
  expect(unapplied.filter((a) => !racingCancels.has(a.membership_id))).toEqual([]);
  // Each cancelled membership ended at its period end, unless that is still to come (a yearly
  // period renewed before the cancellation).
  const cancelled = [...quietCancels.keys(), ...racingCancels.keys()];
  const statuses = await rawQuery<{ id: string; status: string; effective_at: Date }>(
    url,
    'SELECT id, status, effective_at FROM memberships WHERE id = ANY($1)',
    [cancelled],
  );
  const yearEnd = Date.parse(START) + STEPS * STEP_HOURS * HOUR;
  const pending = (m: { status: string; effective_at: Date }) =>
    m.status === 'pending_cancel' && m.effective_at.getTime() > yearEnd;
  expect(statuses.filter((m) => m.status !== 'cancelled' && !pending(m))).toEqual([]);

  const askedAgain = [...charges.values()].filter((c) => c.asked > 1).length;
  return (
    `${renewed.length} renewals recorded once per period, ${charged.length} charges once per key ` +
    `(${askedAgain} keys asked more than once; ${unappliedIds.size} taken but not applied, ${inFlight.length} of them in flight as a cancellation committed), ` +
    `${of('membership.renewal_refused').length} refused into grace, ${of('membership.expired').length} expired, ` +
    `${reminded.length} reminders once per period (${windowOpenedInYear.length} checked 5–30 days ahead), ` +
    `${quietCancels.size} cancelled between passes and ${racingCancels.size} while a pass ran, nothing after a cancellation`
  );
}
