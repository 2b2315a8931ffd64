import { readFileSync, writeFileSync, existsSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../src/core/random.js';
import { syntheticDb } from '../../src/devtools/syntheticData.js';
import { storedDbSchema, type StoredDb } from '../../src/store/sealedRecords.js';
import { openDataStore } from '../../src/store/json/dataStore.js';
import { signHostToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../support/hostToken.js';
import { post, userMessage } from '../support/http.js';
import { scratchDir } from '../support/testConfig.js';
import { startServerProcess } from '../../bench/serverProcess.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 20);
const CONVERSATIONS_PER_ROUND = 40;
const SECRET = 'crash-test-host-token-secret-000000000';
const MEMBERS = 2000;

/**
 * Starts the real server, runs concurrent cancellations and code requests against it, SIGKILLs it
 * at a random moment, restarts it, and checks what a crash may never break.
 */
describe('crash safety under SIGKILL', () => {
  it(
    `survives ${KILLS} kills mid-load with every cancellation all-or-nothing and delivered`,
    async () => {
      const dir = scratchDir('crash-');
      const random = seededRandom(2026);
      const seedFile = join(dir, 'seed.json');
      // The server runs on the real clock, so the memberships' periods are anchored to today: with a
      // fixed date, a period that had ended by the day of the run was swept to cancelled mid-test.
      writeFileSync(seedFile, JSON.stringify(syntheticDb(MEMBERS, random, undefined, new Date())));
      const env = {
        DB_FILE: join(dir, 'db.json'),
        STATE_FILE: join(dir, 'state.json'),
        SEED_FILE: seedFile,
        NOTIFY_OUTBOX_FILE: join(dir, 'outbox.jsonl'),
        MEMBER_TOKEN_SECRET: SECRET,
        MEMBER_TOKEN_ISSUER: TOKEN_ISSUER,
        MEMBER_TOKEN_AUDIENCE: TOKEN_AUDIENCE,
        RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0',
        RATE_LIMIT_TURNS_PER_MINUTE: '0',
        // Every code request comes from this machine's one address: the load, not its limit, is tested.
        OTP_GUESSES_PER_HOUR_PER_ADDRESS: '10000',
        OTP_GUESSES_PER_HOUR_PER_RANGE: '10000',
        // Snapshots are rewritten every few turns, so kills also land while one is being written.
        STORE_COMPACT_AFTER: '25',
        STORE_COMPACT_PERCENT: '0',
      };
      const token = (memberId: string, conversationId: string) =>
        signHostToken(SECRET, memberId, `user-${conversationId}`, Math.floor(Date.now() / 1000) + 600);
      const conversationsSeen: string[] = [];
      let committedBeforeKills = 0;
      let requestsSent = 0;
      let killsDuringSnapshot = 0;

      for (let round = 0; round < KILLS; round++) {
        const server = await startServerProcess(env);
        // Every conversation of earlier rounds answers after the restart (resumes or starts cleanly).
        for (const conv of conversationsSeen.slice(-10)) {
          const { status, body } = await post(server.url, userMessage(conv, 'help'));
          expect([conv, status, (body.activities ?? []).length > 0]).toEqual([conv, 200, true]);
        }
        const load = Array.from({ length: CONVERSATIONS_PER_ROUND }, async (_, k) => {
          const conv = `r${round}-c${k}`;
          conversationsSeen.push(conv);
          const member = `sm-${random.int(MEMBERS)}`;
          try {
            requestsSent += 1;
            if (k % 4 === 3) {
              await post(server.url, userMessage(conv, 'I want to cancel'));
              await post(server.url, userMessage(conv, `+86 171 ${String(random.int(1e8)).padStart(8, '0')}`));
              return;
            }
            const first = await post(
              server.url,
              userMessage(conv, 'I want to cancel', { channelData: { memberToken: token(member, conv) } }),
            );
            if ((first.body.activities ?? []).some((a) => a.text === 'Which membership do you want to cancel?'))
              await post(server.url, userMessage(conv, '1'));
            await post(server.url, userMessage(conv, k % 2 ? 'at period end' : 'cancel now'));
          } catch {
            // The server was killed under this request: that is the point.
          }
        });
        const killAfter = 150 + random.int(900);
        await new Promise((resolve) => setTimeout(resolve, killAfter));
        server.child.kill('SIGKILL');
        await Promise.all([server.exited, ...load]);
        if (existsSync(`${env.DB_FILE}.journal.old`) || existsSync(`${env.STATE_FILE}.journal.old`))
          killsDuringSnapshot += 1;
        committedBeforeKills = (await checkInvariants(env.DB_FILE)).cancellations;
      }

      // A last clean start: every committed cancellation's confirmation is delivered.
      const final = await startServerProcess(env);
      // The server holds the file now, and its snapshot was rewritten at start: read it as it is.
      const db = storedDbSchema.parse(JSON.parse(readFileSync(env.DB_FILE, 'utf8')));
      const receipts = db.outbox.filter((m) => m.template.startsWith('cancellation-'));
      await waitFor(() => {
        const inbox = existsSync(env.NOTIFY_OUTBOX_FILE) ? readFileSync(env.NOTIFY_OUTBOX_FILE, 'utf8') : '';
        return receipts.every((m) => inbox.includes(`"id":"${m.id}"`));
      }, 15_000);
      final.child.kill('SIGTERM');
      expect(await final.exited).toBe(0);
      const figures = `crash safety: ${KILLS} SIGKILLs, ${requestsSent} conversations started, ${committedBeforeKills} cancellations committed, ${killsDuringSnapshot} kills while a snapshot was being written, all consistent and delivered`;
      console.info(figures);
      if (process.env.STRESS_REPORT) appendFileSync(process.env.STRESS_REPORT, `${figures}\n`);
      expect(committedBeforeKills).toBeGreaterThan(0);
    },
    30 * 60_000,
  );
});

/** What a crash may never break, read as the server reads it (snapshot plus journal); returns counts. */
async function checkInvariants(dbFile: string): Promise<{ cancellations: number }> {
  const store = await openDataStore(dbFile, undefined, Infinity);
  const db: StoredDb = structuredClone(store.data);
  await store.close();
  const byMembership = new Map<string, number>();
  for (const c of db.cancellations) {
    byMembership.set(c.membershipId, (byMembership.get(c.membershipId) ?? 0) + 1);
    const m = db.memberships.find((x) => x.id === c.membershipId)!;
    expect([c.reference, m.status]).toEqual([c.reference, c.option === 'immediate' ? 'cancelled' : 'pending_cancel']);
    expect(db.audit.some((a) => a.type === 'cancellation.committed' && a.data?.reference === c.reference)).toBe(true);
    expect(
      db.outbox.filter(
        (o) => o.template.startsWith('cancellation-') && o.memberId === c.memberId && o.text.includes(c.reference),
      ),
    ).toHaveLength(1);
  }
  for (const [membershipId, n] of byMembership) expect([membershipId, n]).toEqual([membershipId, 1]);
  const refunds = db.audit.filter((a) => a.type === 'cancellation.committed').length;
  expect(refunds).toBe(db.cancellations.length);
  return { cancellations: db.cancellations.length };
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out waiting for pending notifications to be delivered');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
