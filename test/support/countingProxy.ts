import net from 'node:net';
import { listenInFrontOf } from './proxyAddress.js';

/** What crossed the proxy since the last reset. */
export interface WireCounts {
  /** Statements run: simple queries and executions of prepared ones. */
  statements: number;
  /** Times a connection sent a statement while it awaited no answer: each starts a wait for the database. */
  roundTrips: number;
}

/**
 * A loopback TCP proxy in front of the test PostgreSQL that reads the protocol's messages both ways
 * and counts statements and round trips, whoever sends them (the app's pools, its turn lock). A
 * round trip starts when a connection sends a statement while none of its requests (a query, a
 * sync) is still waiting for the server's ReadyForQuery; statements sent behind those
 * (pipelined) share their round trip.
 */
export async function countingProxy(
  databaseUrl: string,
): Promise<{ url: string; counts: WireCounts; reset(): void; close(): Promise<void> }> {
  const target = new URL(databaseUrl);
  const counts: WireCounts = { statements: 0, roundTrips: 0 };
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const server = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(server);
    let waiting = 0;
    const fromClient = messages(true, (type) => {
      if (type === 'Q' || type === 'E') {
        counts.statements += 1;
        if (waiting === 0) counts.roundTrips += 1;
      }
      // Each of these is answered by one ReadyForQuery.
      if (type === 'Q' || type === 'S') waiting += 1;
    });
    const fromServer = messages(false, (type) => {
      // The server's first ReadyForQuery, after the start-up, answers no request.
      if (type === 'Z') waiting = Math.max(0, waiting - 1);
    });
    client.on('data', (chunk: Buffer) => {
      fromClient(chunk);
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      fromServer(chunk);
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      server.destroy();
      sockets.delete(client);
      sockets.delete(server);
    };
    for (const socket of [client, server]) socket.on('error', close).on('close', close);
  });
  const url = await listenInFrontOf(proxy, databaseUrl);
  return {
    url,
    counts,
    reset() {
      counts.statements = 0;
      counts.roundTrips = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}

/**
 * Splits a stream into the protocol's messages (a type byte and a length) and reports each type.
 * The client's first message, the start-up, has no type byte.
 */
function messages(startsUntyped: boolean, seen: (type: string) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  let untyped = startsUntyped;
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const header = untyped ? 4 : 5;
      if (pending.length < header) return;
      const length = pending.readInt32BE(untyped ? 0 : 1);
      const size = untyped ? length : length + 1;
      if (pending.length < size) return;
      if (!untyped) seen(String.fromCharCode(pending[0]));
      untyped = false;
      pending = pending.subarray(size);
    }
  };
}
