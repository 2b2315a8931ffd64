import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type pg from 'pg';
import { startServerProcess, type ServerProcess } from '../../bench/serverProcess.js';
import type { RandomSource } from '../../src/core/random.js';
import { syntheticDb } from '../../src/devtools/syntheticData.js';
import type { Db } from '../../src/model/schema.js';
import { FieldCipher } from '../../src/privacy/fieldCipher.js';
import { importDocument } from '../../src/store/postgres/documentTransfer.js';
import { migrate } from '../../src/store/postgres/migrate.js';
import { createPool } from '../../src/store/postgres/pool.js';
import { RecordSealer } from '../../src/store/sealedRecords.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './hostToken.js';
import { freshDatabase } from './postgres.js';
import { scratchDir } from './testConfig.js';

/** The servers' host-token secret: tests sign members' tokens with it. */
export const HOST_TOKEN_SECRET = 'instances-test-host-token-secret-00000';
/** The servers' keys (PERSONAL_DATA_KEYS, PERSONAL_DATA_INDEX_KEY): the members imported here are sealed with them. */
const SEALING_KEY = 'a'.repeat(64);
const INDEX_KEY = 'instances-test-personal-data-index-key';

/** The sealer the servers' keys make: what the test writes, they read. */
export const instancesSealer = () =>
  new RecordSealer(
    new FieldCipher([{ id: 'stress', key: Buffer.from(SEALING_KEY, 'hex') }], Buffer.from(INDEX_KEY, 'utf8')),
  );

/** A gateway that accepts every message and counts each idempotency key it was given. */
export async function startGateway(): Promise<{ url: string; received: Map<string, number>; server: Server }> {
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

/** A new migrated database holding `members` synthetic members, dated from today (the servers run on the real clock). */
export async function syntheticDatabase(
  members: number,
  random: RandomSource,
): Promise<{ url: string; pool: pg.Pool; document: Db }> {
  const url = await freshDatabase();
  const pool = createPool(url, { max: 4 });
  await migrate(pool);
  const document = syntheticDb(members, random, undefined, new Date());
  await importDocument(pool, document, instancesSealer());
  return { url, pool, document };
}

/**
 * The environment of a server process on the database at `url`, sending members' messages to the
 * gateway; the JSON files it must never write (with DATABASE_URL) in a scratch directory.
 */
export function instanceEnv(url: string, gatewayUrl: string, extra: Record<string, string> = {}) {
  const dir = scratchDir('instances-');
  return {
    DATABASE_URL: url,
    DB_FILE: join(dir, 'db.json'),
    STATE_FILE: join(dir, 'state.json'),
    NOTIFY_TRANSPORT: 'webhook',
    NOTIFY_WEBHOOK_URL: gatewayUrl,
    NOTIFY_WEBHOOK_SECRET: 'instances-webhook-secret',
    OUTBOX_LEASE_SECONDS: '5',
    MEMBER_TOKEN_SECRET: HOST_TOKEN_SECRET,
    MEMBER_TOKEN_ISSUER: TOKEN_ISSUER,
    MEMBER_TOKEN_AUDIENCE: TOKEN_AUDIENCE,
    OTP_HASH_SECRET: 'instances-otp-hash-secret-000000000000',
    PERSONAL_DATA_KEYS: `stress:${SEALING_KEY}`,
    PERSONAL_DATA_INDEX_KEY: INDEX_KEY,
    WEBCHAT_TOKEN_SECRET: 'instances-webchat-secret-000000000000',
    RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0',
    RATE_LIMIT_TURNS_PER_MINUTE: '0',
    ...extra,
  };
}

/** A request cut off by an instance's death: the client sends it again elsewhere. */
export const droppedConnection = (err: unknown) =>
  /fetch failed|ECONNRESET|ECONNREFUSED|socket/i.test(String((err as Error).message));

/**
 * Built server processes behind a load balancer without affinity: a request goes to the live
 * instance its slot names, and is sent again to the next one when the connection drops (as a
 * client resends after a timeout). One instance at a time is SIGKILLed and started again.
 */
export class LoadBalancedInstances {
  readonly started: ServerProcess[] = [];
  kills = 0;
  resent = 0;

  private constructor(
    private readonly env: Record<string, string>,
    private readonly instances: (ServerProcess | null)[],
  ) {}

  static async start(env: Record<string, string>, count: number): Promise<LoadBalancedInstances> {
    const pool = new LoadBalancedInstances(env, []);
    const running = await Promise.all(Array.from({ length: count }, () => pool.startOne()));
    pool.instances.push(...running);
    return pool;
  }

  /** `request` against the slot's live instance, sent again to the next on a dropped connection. */
  async send<T>(slot: number, request: (url: string) => Promise<T>, retries = 5): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const live = this.instances.flatMap((p) => (p ? [p] : []));
      try {
        return await request(live[(slot + attempt) % live.length].url);
      } catch (err) {
        if (attempt >= retries || !droppedConnection(err)) throw err;
        this.resent += 1;
      }
    }
  }

  /** SIGKILLs instance `victim` and starts another in its place. */
  async killAndRestart(victim: number): Promise<void> {
    const dying = this.instances[victim]!;
    this.instances[victim] = null;
    dying.child.kill('SIGKILL');
    await dying.exited;
    this.kills += 1;
    this.instances[victim] = await this.startOne();
  }

  /** Lines any instance, dead or alive, logged at level error. */
  errorsLogged(): string[] {
    return this.started.flatMap((p) =>
      p
        .output()
        .split('\n')
        .filter((line) => line.includes('"level":50')),
    );
  }

  async stop(): Promise<void> {
    for (const p of this.instances) p?.child.kill('SIGTERM');
    await Promise.all(this.instances.flatMap((p) => (p ? [p.exited] : [])));
  }

  private async startOne(): Promise<ServerProcess> {
    // Generous: on a machine shared with other work a cold start can take a while.
    const server = await startServerProcess(this.env, 60_000);
    this.started.push(server);
    return server;
  }
}
