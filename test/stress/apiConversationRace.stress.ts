import { appendFileSync } from 'node:fs';
import { cancelOut } from '../../src/api/apiSchemas.js';
import { ApiKeyService } from '../../src/api/apiKeyService.js';
import { systemClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { t } from '../../src/i18n/messages.js';
import type { Db } from '../../src/model/schema.js';
import { createPool } from '../../src/store/postgres/pool.js';
import { PostgresRepository } from '../../src/store/postgres/postgresRepository.js';
import { verifySignature } from '../../src/webhooks/webhookSignature.js';
import { call, conforms, type ApiAnswer } from '../api/apiClient.js';
import { signHostToken } from '../support/hostToken.js';
import { post, userMessage } from '../support/http.js';
import {
  HOST_TOKEN_SECRET,
  instanceEnv,
  instancesSealer,
  LoadBalancedInstances,
  startGateway,
  syntheticDatabase,
} from '../support/serverInstances.js';
import { webhookReceiver } from '../webhooks/receiver.js';

const INSTANCES = 3;
const ROUNDS = Number(process.env.RACE_ROUNDS ?? 6);
const RACES_PER_ROUND = 20;
/** Enough for an Idempotency-Key held by a killed instance to be let go (30 s), one try a second. */
const MAX_API_ATTEMPTS = 60;
const MEMBERS = 400;
const WEBHOOK_SECRET = 'whsec-race-whsec-race-whsec-race-0001';
const REFERENCE = /CX-\d{8}-[0-9A-Z]{4}/g;
const ERRORS = (
  ['error.turn', 'error.storeUnavailable', 'error.stateUnavailable', 'error.turnOverlap'] as const
).flatMap((key) => [t('en-US', key), t('zh-CN', key)]);

/** Memberships that are their member's only one and active: one conversation and one API call can race for each. */
function raceTargets(document: Db): { memberId: string; membershipId: string }[] {
  const count = new Map<string, number>();
  for (const m of document.memberships) count.set(m.memberId, (count.get(m.memberId) ?? 0) + 1);
  return document.memberships
    .filter((m) => m.status === 'active' && count.get(m.memberId) === 1)
    .map((m) => ({ memberId: m.memberId, membershipId: m.id }));
}

/**
 * The same membership cancelled through the API and through the conversation at once, on three
 * server processes on one PostgreSQL, one of them SIGKILLed mid-round at a seeded moment. Whoever
 * wins, the store holds one cancellation, the member gets one receipt and the provider one
 * `membership.cancelled` event (by event id: delivery is at least once).
 */
describe('API and conversation cancelling one membership at once, on PostgreSQL under SIGKILL', () => {
  it(
    `${INSTANCES} instances, ${ROUNDS} rounds of ${RACES_PER_ROUND} races, one instance killed each round`,
    async () => {
      const random = seededRandom(2029);
      const { url, pool, document } = await syntheticDatabase(MEMBERS, random);
      const targets = raceTargets(document).slice(0, ROUNDS * RACES_PER_ROUND);
      expect(targets).toHaveLength(ROUNDS * RACES_PER_ROUND);
      const keys = new PostgresRepository(createPool(url, { max: 1 }), instancesSealer());
      const { token: apiKey } = await new ApiKeyService(keys, systemClock, random).create(['read', 'cancel']);
      await keys.close();
      const gateway = await startGateway();
      const receiver = await webhookReceiver();
      const env = instanceEnv(url, gateway.url, {
        WEBHOOK_URLS: receiver.url,
        WEBHOOK_SECRET,
        API_REQUESTS_PER_MINUTE_PER_KEY: '0',
      });
      const instances = await LoadBalancedInstances.start(env, INSTANCES);

      const seen: string[] = [];
      const referenceShown = new Map<string, string[]>();
      const apiAnswers = new Map<string, ApiAnswer>();
      const tally = { turns: 0, apiCalls: 0, apiRetried: 0 };

      async function turn(conversationId: string, membershipId: string, slot: number, text: string, extra = {}) {
        return instances.send(slot, async (base) => {
          tally.turns += 1;
          const { status, body } = await post(base, userMessage(conversationId, text, extra));
          const texts = (body.activities ?? []).map((a) => a.text ?? '');
          seen.push(...texts);
          for (const m of texts.join('\n').matchAll(REFERENCE))
            referenceShown.set(membershipId, [...(referenceShown.get(membershipId) ?? []), m[0]]);
          expect([conversationId, status]).toEqual([conversationId, 200]);
          return texts;
        });
      }

      /** The provider's desk cancels with one Idempotency-Key, sending it again after a drop, a 503 or a 409 in progress. */
      async function apiCancel(memberId: string, membershipId: string, slot: number): Promise<void> {
        const path = `/v1/members/${memberId}/memberships/${membershipId}/cancel`;
        const request = { key: apiKey, body: { option: 'period_end', reason: 'other' } };
        const headers = { 'idempotency-key': `race-${membershipId}` };
        for (let attempt = 0; attempt < MAX_API_ATTEMPTS; attempt++) {
          tally.apiCalls += 1;
          const answer = await instances.send(slot + attempt, (base) =>
            call(base, 'POST', path, { ...request, headers }),
          );
          // Sent again as told: the store could not answer, or the first request is still held by an instance that died.
          const again = answer.status === 503 || answer.body.code === 'idempotency_key_in_progress';
          if (!again) {
            apiAnswers.set(membershipId, answer);
            return;
          }
          tally.apiRetried += 1;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
        throw new Error(`${membershipId}: the API asked to try again ${MAX_API_ATTEMPTS} times`);
      }

      async function race(k: number, target: { memberId: string; membershipId: string }, round: number) {
        const { memberId, membershipId } = target;
        const conversationId = `race-r${round}-${k}`;
        const memberToken = signHostToken(
          HOST_TOKEN_SECRET,
          memberId,
          `user-${conversationId}`,
          Math.floor(Date.now() / 1000) + 600,
        );
        const chat = async (apiAlongside: Promise<void> | undefined) => {
          const opened = turn(conversationId, membershipId, k, 'I want to cancel', { channelData: { memberToken } });
          await opened;
          const chose = turn(conversationId, membershipId, k + 1, 'at period end');
          await Promise.all([chose, apiAlongside ?? apiCancel(memberId, membershipId, k + 2)]);
        };
        // Seeded: the API call lands with the conversation's first turn, or with its choice.
        await (random.int(2) ? chat(apiCancel(memberId, membershipId, k + 2)) : chat(undefined));
      }

      for (let round = 0; round < ROUNDS; round++) {
        const batch = targets.slice(round * RACES_PER_ROUND, (round + 1) * RACES_PER_ROUND);
        const burst = Promise.all(batch.map((target, k) => race(k, target, round)));
        await new Promise((resolve) => setTimeout(resolve, 50 + random.int(500)));
        await instances.killAndRestart(random.int(INSTANCES));
        await burst;
      }

      // Every receipt and every event reaches its receiver once the dead instances' claims lapse.
      const undelivered = async () =>
        (
          await pool.query<{ id: string }>(
            "SELECT id FROM outbox WHERE (template LIKE 'cancellation-%' OR channel = 'webhook') AND status <> 'sent'",
          )
        ).rows;
      const until = Date.now() + 90_000;
      while ((await undelivered()).length > 0 && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await undelivered()).toEqual([]);

      const ids = targets.map((x) => x.membershipId);
      const perMembership = async (sql: string) => {
        const rows = (await pool.query<{ key: string; n: string }>(sql, [ids])).rows;
        return new Map(rows.map((r) => [r.key, Number(r.n)]));
      };
      const cancellations = await perMembership(
        'SELECT membership_id AS key, count(*) AS n FROM cancellations WHERE membership_id = ANY($1) AND undone_at IS NULL GROUP BY 1',
      );
      const committed = await perMembership(
        "SELECT membership_id AS key, count(*) AS n FROM audit WHERE type = 'cancellation.committed' AND membership_id = ANY($1) GROUP BY 1",
      );
      const memberOf = new Map(targets.map((x) => [x.memberId, x.membershipId]));
      const byMember = async (sql: string) => {
        const rows = (await pool.query<{ key: string; id: string }>(sql, [[...memberOf.keys()]])).rows;
        const found = new Map<string, string[]>();
        for (const r of rows) found.set(memberOf.get(r.key)!, [...(found.get(memberOf.get(r.key)!) ?? []), r.id]);
        return found;
      };
      const receipts = await byMember(
        "SELECT member_id AS key, id FROM outbox WHERE template LIKE 'cancellation-%' AND member_id = ANY($1)",
      );
      const eventRows = await byMember(
        "SELECT member_id AS key, id FROM outbox WHERE channel = 'webhook' AND template = 'membership.cancelled' AND member_id = ANY($1)",
      );
      const stored = new Map(
        (
          await pool.query<{ membership_id: string; reference: string; status: string }>(
            'SELECT c.membership_id, c.reference, m.status FROM cancellations c JOIN memberships m ON m.id = c.membership_id WHERE c.membership_id = ANY($1)',
            [ids],
          )
        ).rows.map((r) => [r.membership_id, r]),
      );

      // What the provider's receiver got: every signature valid, events counted by id.
      const verdicts = receiver.received.map((r) =>
        verifySignature(r.body, String(r.headers['webhook-signature']), [WEBHOOK_SECRET], new Date()),
      );
      expect(verdicts.filter((v) => v !== 'valid')).toEqual([]);
      const cancelledEvents = receiver.events().filter((e) => e.type === 'membership.cancelled');
      const eventIds = new Map<string, Set<string>>();
      for (const e of cancelledEvents) {
        const membershipId = String(e.data.membershipId);
        eventIds.set(membershipId, (eventIds.get(membershipId) ?? new Set()).add(e.id));
      }

      const wrong: unknown[] = [];
      let apiWon = 0;
      let chatWon = 0;
      let receiptRepeats = 0;
      for (const id of ids) {
        const receipt = receipts.get(id) ?? [];
        const cancellation = stored.get(id);
        const answer = apiAnswers.get(id);
        const facts = {
          cancellations: cancellations.get(id) ?? 0,
          committed: committed.get(id) ?? 0,
          receipts: receipt.length,
          receiptDelivered: receipt.every((r) => gateway.received.has(r)),
          eventRows: eventRows.get(id)?.length ?? 0,
          eventIds: eventIds.get(id)?.size ?? 0,
          status: cancellation?.status,
          apiStatus: [200, 201, 409].includes(answer?.status ?? 0),
          // Every reference anyone was shown is the one stored.
          referencesShown: (referenceShown.get(id) ?? []).every((r) => r === cancellation?.reference),
        };
        const expected = {
          cancellations: 1,
          committed: 1,
          receipts: 1,
          receiptDelivered: true,
          eventRows: 1,
          eventIds: 1,
          status: 'pending_cancel',
          apiStatus: true,
          referencesShown: true,
        };
        if (JSON.stringify(facts) !== JSON.stringify(expected)) wrong.push({ id, facts, answer });
        receiptRepeats += receipt.filter((r) => (gateway.received.get(r) ?? 0) > 1).length;
        if (answer && answer.status !== 409) {
          const won = conforms(cancelOut, answer.body);
          expect([id, won.cancellation.reference]).toEqual([id, cancellation?.reference]);
          if (answer.status === 201 && !won.replayed) apiWon += 1;
        }
        if (answer?.status === 409) {
          expect([id, answer.body.code]).toEqual([id, 'already_cancelled']);
          chatWon += 1;
        }
      }
      expect(wrong).toEqual([]);
      expect({ shown: seen.filter((text) => ERRORS.includes(text)), logged: instances.errorsLogged() }).toEqual({
        shown: [],
        logged: [],
      });
      const deliveries = cancelledEvents.length;
      const figures = `api+conversation race: ${INSTANCES} instances, ${instances.kills} SIGKILLs, ${ids.length} memberships raced (API first ${apiWon}, conversation first ${chatWon}, ${ids.length - apiWon - chatWon} API answers replayed after a drop), ${tally.turns} turns + ${tally.apiCalls} API calls (${instances.resent} resent after a killed connection, ${tally.apiRetried} API calls sent again after a 503 or 409 in progress); per membership 1 cancellation, 1 receipt, 1 membership.cancelled event id: ${ids.length} receipts (${receiptRepeats} sent twice), ${eventIds.size} event ids in ${deliveries} signed deliveries (${deliveries - eventIds.size} repeats after a kill)`;
      console.info(figures);
      if (process.env.STRESS_REPORT) appendFileSync(process.env.STRESS_REPORT, `${figures}\n`);
      expect(instances.kills).toBe(ROUNDS);

      await instances.stop();
      gateway.server.close();
      await receiver.close();
      await pool.end();
    },
    30 * 60_000,
  );
});
