import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_BODY_BYTES } from '../../src/activityRequest.js';
import { post, userMessage } from '../support/http.js';
import { scratchDir } from '../support/testConfig.js';
import { startServerProcess, type ServerProcess } from '../../bench/serverProcess.js';

/**
 * Texts that made a pattern scan once per character (quadratic): a long word for the e-mail
 * patterns, digits and spaces for the phone pattern, and the mixtures between them.
 */
const ADVERSARIAL = ['a', 'a.', '1 ', '1-----x', 'a@b.', 'x@', '１ ', '12345 '];

/** An activity whose JSON body is as large as the server accepts, its text the pattern repeated. */
function largestAccepted(conversationId: string, pattern: string): string {
  const empty = JSON.stringify(userMessage(conversationId, ''));
  let text = pattern.repeat(Math.ceil(MAX_BODY_BYTES / Buffer.byteLength(pattern)));
  // JSON escapes nothing in these patterns, so the body's size is the empty body's plus the text's bytes.
  while (Buffer.byteLength(empty) + Buffer.byteLength(text) > MAX_BODY_BYTES) text = text.slice(0, -1);
  return JSON.stringify(userMessage(conversationId, text));
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/**
 * One member's long message may not hold up anyone else: the real server, with debug logging and
 * support transcripts on (both mask the text), receives the largest body it accepts, over and over,
 * while /healthz and another conversation keep being asked. Before the fix a 255,000-character
 * message held every request for 80 s (27 s at 80,000 characters with transcripts on).
 */
describe('a long message does not freeze the server', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    const dir = scratchDir('long-');
    server = await startServerProcess({
      DB_FILE: join(dir, 'db.json'),
      STATE_FILE: join(dir, 'state.json'),
      SEED_FILE: 'data/seed.json',
      NOTIFY_OUTBOX_FILE: join(dir, 'outbox.jsonl'),
      TRANSCRIPTS_DIR: join(dir, 'transcripts'),
      LOG_LEVEL: 'debug',
      RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0',
      RATE_LIMIT_TURNS_PER_MINUTE: '0',
    });
  }, 30_000);
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('keeps answering /healthz and other conversations promptly while the largest bodies arrive', async () => {
    const longest = { pattern: '', ms: 0 };
    const probes: number[] = [];
    let sending = true;
    const probing = (async () => {
      for (let i = 0; sending; i++) {
        const health = await timed(() => fetch(`${server.url}/healthz`).then((r) => r.status));
        expect(health.result).toBe(200);
        const turn = await timed(() => post(server.url, userMessage(`bystander-${i}`, 'hello')));
        expect(turn.result.body.activities?.[0]?.text).toMatch(/^Hi!/);
        probes.push(health.ms, turn.ms);
      }
    })();
    for (const pattern of ADVERSARIAL) {
      const body = largestAccepted(`long-${ADVERSARIAL.indexOf(pattern)}`, pattern);
      expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES - 16);
      const sent = await timed(() =>
        fetch(`${server.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { activities?: { text?: string }[] } })),
      );
      expect(sent.result.status).toBe(200);
      expect(sent.result.body.activities?.[0]?.text).toMatch(/too long|太长/);
      if (sent.ms > longest.ms) Object.assign(longest, { pattern, ms: sent.ms });
    }
    sending = false;
    await probing;

    probes.sort((a, b) => a - b);
    const worst = probes[probes.length - 1];
    const figures =
      `long message: ${ADVERSARIAL.length} bodies of ${MAX_BODY_BYTES} bytes; slowest of them answered in ${Math.round(longest.ms)} ms (${JSON.stringify(longest.pattern)}); ` +
      `${probes.length} probes of /healthz and another conversation meanwhile, median ${Math.round(probes[probes.length >> 1])} ms, worst ${Math.round(worst)} ms`;
    console.info(figures);
    if (process.env.STRESS_REPORT) appendFileSync(process.env.STRESS_REPORT, `${figures}\n`);
    expect(probes.length).toBeGreaterThan(ADVERSARIAL.length);
    // Generous for a shared 2-core machine running the crash test beside this one (there the worst
    // probe took 491 ms, alone 69 ms); a quadratic pattern takes seconds from 80,000 characters up.
    expect(worst).toBeLessThan(2000);
    expect(longest.ms).toBeLessThan(5000);
  }, 120_000);
});
