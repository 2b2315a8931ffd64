import net from 'node:net';
import { listenInFrontOf } from './proxyAddress.js';

/**
 * A loopback TCP proxy in front of the test PostgreSQL that can freeze: every byte is held both
 * ways and new connections are accepted but not answered, as a server paused by SIGSTOP (a paused
 * VM, stalled storage) leaves its clients. thaw() lets everything through again. A connection the
 * client closes meanwhile is closed towards the server too, which then ends its session.
 */
export interface FreezableProxy {
  /** DATABASE_URL through the proxy. */
  url: string;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function freezableProxy(databaseUrl: string): Promise<FreezableProxy> {
  const target = new URL(databaseUrl);
  let frozen = false;
  const pairs = new Set<{ client: net.Socket; server: net.Socket }>();
  const hold = ({ client, server }: { client: net.Socket; server: net.Socket }) => {
    client.unpipe(server);
    server.unpipe(client);
    client.pause();
    server.pause();
  };
  const flow = ({ client, server }: { client: net.Socket; server: net.Socket }) => {
    client.pipe(server);
    server.pipe(client);
  };
  const proxy = net.createServer((client) => {
    const server = net.connect(Number(target.port), target.hostname);
    const pair = { client, server };
    pairs.add(pair);
    const close = () => {
      client.destroy();
      server.destroy();
      pairs.delete(pair);
    };
    for (const socket of [client, server]) socket.on('error', close).on('close', close);
    if (frozen) hold(pair);
    else flow(pair);
  });
  const url = await listenInFrontOf(proxy, databaseUrl);
  return {
    url,
    freeze() {
      frozen = true;
      for (const pair of pairs) hold(pair);
    },
    thaw() {
      frozen = false;
      for (const pair of pairs) flow(pair);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, server } of pairs) {
          client.destroy();
          server.destroy();
        }
        proxy.close(() => resolve());
      }),
  };
}
