import { appendFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { seededRandom } from '../../src/core/random.js';
import { syntheticDb } from '../../src/devtools/syntheticData.js';
import { t } from '../../src/i18n/messages.js';
import { importDocument } from '../../src/store/postgres/documentTransfer.js';
import { migrate } from '../../src/store/postgres/migrate.js';
import { createPool } from '../../src/store/postgres/pool.js';
import { FieldCipher } from '../../src/privacy/fieldCipher.js';
import { RecordSealer } from '../../src/store/sealedRecords.js';
import { startServerProcess, type ServerProcess } from '../../bench/serverProcess.js';
import { signHostToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../support/hostToken.js';
import { post, userMessage } from '../support/http.js';
import { freshDatabase } from '../support/postgres.js';
import { scratchDir } from '../support/testConfig.js';

const INSTANCES = 3;
const ROUNDS = Number(process.env.INSTANCE_KILLS ?? 10);
const JOURNEYS_PER_ROUND = 200;
const MEMBERS = 3000;
const SECRET = 'instances-test-host-token-secret-00000';
/** The servers' keys (PERSONAL_DATA_KEYS, PERSONAL_DATA_INDEX_KEY): the members imported here are sealed with them. */
const SEALING_KEY = 'a'.repeat(64);
const INDEX_KEY = 'instances-test-personal-data-index-key';
const REFERENCE = /CX-\d{8}-[0-9A-Z]{4}/g;
const ERRORS = (
  ['error.turn', 'error.storeUnavailable', 'error.stateUnavailable', 'error.turnOverlap'] as const
).flatMap((key) => [t('en-US', key), t('zh-CN', key)]);

/** A gateway that accepts every message and counts each idempotency key it was given. */
async function startGateway(): Promise<{ url: string; received: Map<string, number>; server: Server }> {
  const received = new Map<string, number>();
  const server = createServer((req, res) => {
    const key = String(req.headers['idempotency-key']);
    req.resume();
    req.on('end', () => {
      received.set(key, (received.get(key) ?? 0) + 1);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`, received, server };
}

/**
 * Three server processes on one PostgreSQL, no affinity: each turn of a conversation goes to the
 * next instance (a load balancer without sticky sessions), while a random instance is SIGKILLed
 * and restarted mid-burst. What no instance's death may break is checked in the database.
 */
describe('several instances on PostgreSQL under SIGKILL', () => {
  it(
    `${INSTANCES} instances, ${ROUNDS} rounds of ${JOURNEYS_PER_ROUND} concurrent journeys, one instance killed each round`,
    async () => {
      const random = seededRandom(2027);
      const url = await freshDatabase();
      const pool = createPool(url, { max: 4 });
      await migrate(pool);
      // Anchored to today: the servers run on the real clock.
      const sealer = new RecordSealer(
        new FieldCipher([{ id: 'stress', key: Buffer.from(SEALING_KEY, 'hex') }], Buffer.from(INDEX_KEY, 'utf8')),
      );
      await importDocument(pool, syntheticDb(MEMBERS, random, undefined, new Date()), sealer);
      const gateway = await startGateway();
      const dir = scratchDir('instances-');
      const env = {
        DATABASE_URL: url,
        // Never used with DATABASE_URL; checked at the end that nothing was written there.
        DB_FILE: join(dir, 'db.json'),
        STATE_FILE: join(dir, 'state.json'),
        NOTIFY_TRANSPORT: 'webhook',
        NOTIFY_WEBHOOK_URL: gateway.url,
        NOTIFY_WEBHOOK_SECRET: 'instances-webhook-secret',
        OUTBOX_LEASE_SECONDS: '5',
        MEMBER_TOKEN_SECRET: SECRET,
        MEMBER_TOKEN_ISSUER: TOKEN_ISSUER,
        MEMBER_TOKEN_AUDIENCE: TOKEN_AUDIENCE,
        OTP_HASH_SECRET: 'instances-otp-hash-secret-000000000000',
        PERSONAL_DATA_KEYS: `stress:${SEALING_KEY}`,
        PERSONAL_DATA_INDEX_KEY: INDEX_KEY,
        WEBCHAT_TOKEN_SECRET: 'instances-webchat-secret-000000000000',
        RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0',
        RATE_LIMIT_TURNS_PER_MINUTE: '0',
      };
      const started: ServerProcess[] = [];
      const start = async () => {
        const server = await startServerProcess(env);
        started.push(server);
        return server;
      };
      const instances: (ServerProcess | null)[] = await Promise.all(Array.from({ length: INSTANCES }, start));
      const token = (memberId: string, conversationId: string) =>
        signHostToken(SECRET, memberId, `user-${conversationId}`, Math.floor(Date.now() / 1000) + 600);

      const seen: string[] = [];
      const referencesSeen = new Set<string>();
      let turns = 0;
      let resent = 0;
      let journeys = 0;
      let kills = 0;

      /** One turn through the "load balancer": the next live instance; a member resends after a dropped connection. */
      async function turn(conversationId: string, slot: number, text: string, extra = {}) {
        for (let attempt = 0; ; attempt++) {
          const live = instances.map((p, i) => (p ? i : -1)).filter((i) => i >= 0);
          const instance = instances[live[(slot + attempt) % live.length]]!;
          try {
            turns += 1;
            const { status, body } = await post(instance.url, userMessage(conversationId, text, extra));
            const texts = (body.activities ?? []).map((a) => a.text ?? '');
            seen.push(...texts);
            for (const m of texts.join('\n').matchAll(REFERENCE)) referencesSeen.add(m[0]);
            expect([conversationId, status]).toEqual([conversationId, 200]);
            return texts;
          } catch (err) {
            if (attempt >= 5 || !/fetch failed|ECONNRESET|socket/i.test(String((err as Error).message))) throw err;
            resent += 1;
          }
        }
      }

      async function journey(round: number, k: number) {
        const conversationId = `r${round}-c${k}`;
        // Members drawn at random, so some journeys race for the same membership.
        const member = `sm-${random.int(MEMBERS)}`;
        const first = await turn(conversationId, k, 'I want to cancel', {
          channelData: { memberToken: token(member, conversationId) },
        });
        if (first.includes('Which membership do you want to cancel?')) await turn(conversationId, k + 1, '1');
        await turn(conversationId, k + 2, k % 2 ? 'at period end' : 'cancel now');
        journeys += 1;
      }

      for (let round = 0; round < ROUNDS; round++) {
        const burst = Promise.all(Array.from({ length: JOURNEYS_PER_ROUND }, (_, k) => journey(round, k)));
        await new Promise((resolve) => setTimeout(resolve, 200 + random.int(600)));
        const victim = random.int(INSTANCES);
        const dying = instances[victim]!;
        instances[victim] = null;
        dying.child.kill('SIGKILL');
        await dying.exited;
        kills += 1;
        instances[victim] = await start();
        await burst;
      }

      // Every committed receipt reaches the gateway once the dead instances' claims lapse.
      const receipts = async () =>
        (
          await pool.query<{ id: string; status: string }>(
            "SELECT id, status FROM outbox WHERE template LIKE 'cancellation-%'",
          )
        ).rows;
      const until = Date.now() + 60_000;
      while ((await receipts()).some((r) => r.status !== 'sent') && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }

      const cancellations = (
        await pool.query<{ reference: string; membership_id: string; status: string; undone_at: Date | null }>(
          'SELECT c.reference, c.membership_id, m.status, c.undone_at FROM cancellations c JOIN memberships m ON m.id = c.membership_id',
        )
      ).rows;
      const byReference = new Map(cancellations.map((c) => [c.reference, c]));
      // Every receipt a member saw is exactly one stored cancellation, and its membership shows it.
      for (const reference of referencesSeen) {
        expect([reference, byReference.get(reference)?.status]).toEqual([
          reference,
          expect.stringMatching(/^(pending_cancel|cancelled)$/),
        ]);
      }
      // No membership cancelled (or refunded) twice.
      const perMembership = (
        await pool.query<{ membership_id: string; n: string }>(
          "SELECT membership_id, count(*) AS n FROM audit WHERE type = 'cancellation.committed' GROUP BY membership_id HAVING count(*) > 1",
        )
      ).rows;
      expect(perMembership).toEqual([]);
      // Every receipt delivered, and once per message id (the gateway drops a repeat by its key).
      const stored = await receipts();
      expect(stored.filter((r) => r.status !== 'sent')).toEqual([]);
      expect(stored.length).toBe(cancellations.length);
      const missing = stored.filter((r) => !gateway.received.has(r.id));
      expect(missing).toEqual([]);
      const repeats = stored.filter((r) => (gateway.received.get(r.id) ?? 0) > 1).length;
      // No member saw an error: a turn on an instance that died was sent again, never failed.
      const turnFailures = started.flatMap((p) =>
        p
          .output()
          .split('\n')
          .filter((line) => line.includes('"level":50')),
      );
      expect({ shown: seen.filter((text) => ERRORS.includes(text)), turnFailures }).toEqual({
        shown: [],
        turnFailures: [],
      });
      // With DATABASE_URL nothing goes to the JSON files.
      expect([existsSync(env.DB_FILE), existsSync(env.STATE_FILE)]).toEqual([false, false]);

      const figures = `instances: ${INSTANCES} instances, ${kills} SIGKILLs mid-burst, ${journeys} journeys (${turns} turns, ${resent} resent after a killed connection), ${cancellations.length} cancellations committed, ${referencesSeen.size} receipts seen by members, ${stored.length} receipts delivered (${repeats} sent twice and dropped by id), no error shown`;
      console.info(figures);
      if (process.env.STRESS_REPORT) appendFileSync(process.env.STRESS_REPORT, `${figures}\n`);
      expect(kills).toBeGreaterThanOrEqual(10);
      expect(journeys).toBe(ROUNDS * JOURNEYS_PER_ROUND);

      for (const p of instances) p?.child.kill('SIGTERM');
      await Promise.all(instances.flatMap((p) => (p ? [p.exited] : [])));
      gateway.server.close();
      await pool.end();
    },
    30 * 60_000,
  );
});
