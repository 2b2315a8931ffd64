import type net from 'node:net';

/** Starts the proxy on a loopback port and gives the database URL that goes through it. */
export async function listenInFrontOf(proxy: net.Server, databaseUrl: string): Promise<string> {
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((proxy.address() as net.AddressInfo).port);
  return url.toString();
}
