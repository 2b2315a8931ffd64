import { appendFileSync, existsSync } from 'node:fs';
import { seededRandom } from '../../src/core/random.js';
import { t } from '../../src/i18n/messages.js';
import { signHostToken } from '../support/hostToken.js';
import { post, userMessage } from '../support/http.js';
import {
  HOST_TOKEN_SECRET,
  instanceEnv,
  LoadBalancedInstances,
  startGateway,
  syntheticDatabase,
} from '../support/serverInstances.js';

const INSTANCES = 3;
const ROUNDS = Number(process.env.INSTANCE_KILLS ?? 10);
const JOURNEYS_PER_ROUND = 200;
const MEMBERS = 3000;
const REFERENCE = /CX-\d{8}-[0-9A-Z]{4}/g;
const ERRORS = (
  ['error.turn', 'error.storeUnavailable', 'error.stateUnavailable', 'error.turnOverlap'] as const
).flatMap((key) => [t('en-US', key), t('zh-CN', key)]);

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
      const { url, pool } = await syntheticDatabase(MEMBERS, random);
      const gateway = await startGateway();
      const env = instanceEnv(url, gateway.url);
      const instances = await LoadBalancedInstances.start(env, INSTANCES);
      const token = (memberId: string, conversationId: string) =>
        signHostToken(HOST_TOKEN_SECRET, memberId, `user-${conversationId}`, Math.floor(Date.now() / 1000) + 600);

      const seen: string[] = [];
      const referencesSeen = new Set<string>();
      let turns = 0;
      let journeys = 0;

      /** One turn through the "load balancer"; a member resends after a dropped connection. */
      async function turn(conversationId: string, slot: number, text: string, extra = {}) {
        return instances.send(slot, async (base) => {
          turns += 1;
          const { status, body } = await post(base, userMessage(conversationId, text, extra));
          const texts = (body.activities ?? []).map((a) => a.text ?? '');
          seen.push(...texts);
          for (const m of texts.join('\n').matchAll(REFERENCE)) referencesSeen.add(m[0]);
          expect([conversationId, status]).toEqual([conversationId, 200]);
          return texts;
        });
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
        await instances.killAndRestart(random.int(INSTANCES));
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
      const turnFailures = instances.errorsLogged();
      expect({ shown: seen.filter((text) => ERRORS.includes(text)), turnFailures }).toEqual({
        shown: [],
        turnFailures: [],
      });
      // With DATABASE_URL nothing goes to the JSON files.
      expect([existsSync(env.DB_FILE), existsSync(env.STATE_FILE)]).toEqual([false, false]);

      const figures = `instances: ${INSTANCES} instances, ${instances.kills} SIGKILLs mid-burst, ${journeys} journeys (${turns} turns, ${instances.resent} resent after a killed connection), ${cancellations.length} cancellations committed, ${referencesSeen.size} receipts seen by members, ${stored.length} receipts delivered (${repeats} sent twice and dropped by id), no error shown`;
      console.info(figures);
      if (process.env.STRESS_REPORT) appendFileSync(process.env.STRESS_REPORT, `${figures}\n`);
      expect(instances.kills).toBeGreaterThanOrEqual(10);
      expect(journeys).toBe(ROUNDS * JOURNEYS_PER_ROUND);

      await instances.stop();
      gateway.server.close();
      await pool.end();
    },
    30 * 60_000,
  );
});
