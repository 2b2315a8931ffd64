// The provider's API under load: status reads (GET a member with their memberships) and
// cancellations (POST …/cancel, each with its own Idempotency-Key) per second, through a real
// server process on the JSON store with 10,000 members. Prints JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { closedLoop, type LoadResult } from './loadClient.js';
import { startServerProcess } from './serverProcess.js';
import { seededJsonStore } from './seededStore.js';

export interface ApiThroughput {
  members: number;
  reads: LoadResult[];
  cancellations: LoadResult[];
}

const MEMBERS = 10_000;
const CONCURRENCY = [10, 50];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** As bench/serverProcess.ts starts the server: the key command below must open the same store. */
const KEYS = {
  OTP_HASH_SECRET: 'bench-otp-hash-secret-0000000000000000',
  PERSONAL_DATA_KEYS: `k1:${'ab'.repeat(32)}`,
  PERSONAL_DATA_INDEX_KEY: 'i'.repeat(32),
};

function apiClient(url: string, connections: number, key: string) {
  const agent = new Agent({ connections, pipelining: 1, keepAliveTimeout: 30_000 });
  return async (call: unknown) => {
    const { method, path, idempotencyKey } = call as { method: 'GET' | 'POST'; path: string; idempotencyKey?: string };
    const res = await request(`${url}${path}`, {
      method,
      dispatcher: agent,
      headers: {
        authorization: `Bearer ${key}`,
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey, 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: '{"option":"period_end"}' } : {}),
    });
    await res.body.text();
    // A loop counts an answer outside 2xx as an error.
    return { status: res.statusCode >= 200 && res.statusCode < 300 ? 200 : res.statusCode };
  };
}

async function measure(): Promise<ApiThroughput> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-api-'));
  const { data, env: files } = seededJsonStore(dir, MEMBERS, 3);
  const env = {
    ...files,
    SECRETS_DIR: join(dir, 'secrets'),
    BILLING_FILE: join(dir, 'charges.jsonl'),
    API_REQUESTS_PER_MINUTE_PER_KEY: '0',
    RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0',
    ...KEYS,
  };
  // The key is made as `npm run api:key` makes it: on the store, before the server opens it.
  const keyApp = await createApp(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  const { token } = await keyApp.apiKeys.create(['read', 'cancel']);
  await keyApp.close();
  const server = await startServerProcess(env);
  const active = data.memberships.filter((m) => m.status === 'active');
  const reads: LoadResult[] = [];
  const cancellations: LoadResult[] = [];
  try {
    for (const c of CONCURRENCY) {
      const send = apiClient(server.url, c, token);
      reads.push(
        await closedLoop(send, c, SECONDS, (_w, i) => ({
          method: 'GET',
          path: `/v1/members/${data.members[i % data.members.length].id}`,
        })),
      );
    }
    let next = 0;
    for (const c of CONCURRENCY) {
      const send = apiClient(server.url, c, token);
      cancellations.push(
        await closedLoop(send, c, SECONDS, () => {
          const m = active[next++];
          return m
            ? {
                method: 'POST',
                path: `/v1/members/${m.memberId}/memberships/${m.id}/cancel`,
                idempotencyKey: `bench-${m.id}`,
              }
            : null;
        }),
      );
    }
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
  return { members: MEMBERS, reads, cancellations };
}

process.stdout.write(`${JSON.stringify(await measure())}\n`);
