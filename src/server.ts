import { readFileSync } from 'node:fs';
import restify from 'restify';
import { checkActivityRequest, checkContentEncoding, MAX_BODY_BYTES } from './activityRequest.js';
import type { App } from './app.js';
import { clientAddressResolver, setClientAddress } from './clientAddress.js';
import { IdempotentRequests } from './api/idempotentRequests.js';
import { registerApiRoutes } from './api/apiRoutes.js';
import { storeInUse } from './appStorage.js';
import { bodyReader } from './bodyReader.js';
import { registerWebChatRoutes } from './web/webChatRoutes.js';

export interface RunningServer {
  port: number;
  url: string;
  /** Stops accepting, lets turns in progress finish, then writes everything pending. */
  shutdown(): Promise<void>;
}

/** The server cannot listen where it was told to; the message says what to change. */
export class ListenError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
    readonly errno: string | undefined,
  ) {
    const why =
      errno === 'EADDRINUSE'
        ? 'the port is already in use (EADDRINUSE). Stop the process that holds it, or set PORT to a free port'
        : errno === 'EACCES'
          ? 'permission denied (EACCES): ports below 1024 need privileges; set PORT to 1024 or above'
          : errno === 'EADDRNOTAVAIL'
            ? 'this machine has no such address (EADDRNOTAVAIL); check the address to listen on'
            : `${errno ?? 'unknown error'}; check PORT`;
    super(`Cannot listen on ${host}:${port}: ${why}.`);
    this.name = 'ListenError';
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync('package.json', 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Serves the bot over HTTP: POST /api/messages for Bot Framework, the provider's API under /v1, GET /healthz for probes. */
export async function startServer(app: App, port = app.config.PORT, host = app.config.HOST): Promise<RunningServer> {
  const adapter = app.createAdapter();
  const startedAt = Date.now();
  const version = packageVersion();
  let inFlight = 0;
  let drained: (() => void) | null = null;

  if (!app.config.MicrosoftAppId) {
    app.logger.warn(
      'MicrosoftAppId is not set: Bot Framework authentication is off, and only serviceUrls on this machine or in SERVICE_URL_ALLOWLIST are answered. Fine for the Emulator on this machine; never expose this to a network.',
    );
  }

  // restify logs a request it could not answer with the request itself; through our logger it is
  // masked. restify 11 logs with pino (its types still say bunyan).
  const log = app.logger as unknown as restify.ServerOptions['log'];
  const server = restify.createServer({ name: 'membership-assistant', version, handleUncaughtExceptions: false, log });
  server.use((req, res, next) => {
    const refused = checkContentEncoding(req.header('content-encoding'));
    if (!refused) return next();
    // Read and dropped (up to the size limit), never expanded: a client still sending gets the
    // answer instead of a reset connection.
    discardBody(req, MAX_BODY_BYTES);
    res.header('connection', 'close');
    res.json(refused.status, { error: refused.error });
    return next(false);
  });
  // Read the raw body (413 past the limit); parsing and checks are ours.
  server.use(bodyReader(MAX_BODY_BYTES));
  const perAddress = app.rateLimiter('requests-per-address', app.config.RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP, 60_000);
  const addressOf = clientAddressResolver(app.config.TRUSTED_PROXIES);

  server.get('/healthz', async (_req, res) => {
    const uptimeSeconds = Math.round((Date.now() - startedAt) / 1000);
    const health = await app.health();
    // 503 while the data cannot be written: members are told nothing changed, so take this instance out of rotation.
    if (!health.ok) res.json(503, { status: 'unavailable', problems: health.problems, version, uptimeSeconds });
    // Still 200: the bot answers and late notifications are kept; taking the instance out would not help.
    else if (health.degraded.length)
      res.json(200, { status: 'degraded', degraded: health.degraded, version, uptimeSeconds });
    else res.json(200, { status: 'ok', version, uptimeSeconds });
  });

  server.post('/api/messages', async (req, res) => {
    // Counted from the start: the limit's check waits for the database, and a shutdown must wait for it.
    inFlight++;
    try {
      const address = addressOf(req);
      if (!(await perAddress.take(address ?? 'unknown'))) {
        res.json(429, { error: 'Too many requests from this address; try again in a minute.' });
        return;
      }
      const checked = checkActivityRequest(req.header('content-type'), req.body);
      if (!checked.ok) {
        res.json(checked.status, { error: checked.error });
        return;
      }
      const { serviceUrl, deliveryMode } = checked.activity;
      // Replies returned in the response (expectReplies) go to no serviceUrl, so they need no check.
      if (deliveryMode !== 'expectReplies' && !app.serviceUrls.allows(serviceUrl!)) {
        app.logger.warn({ serviceUrl }, 'request refused: serviceUrl not allowed without authentication');
        res.json(403, {
          error:
            'Without authentication (MicrosoftAppId unset) replies go only to a serviceUrl on this machine or in SERVICE_URL_ALLOWLIST; this one is neither.',
        });
        return;
      }
      const outcome = await adapter.runTurn(req.header('authorization') ?? '', checked.activity, (context) => {
        if (!app.config.MicrosoftAppId) setClientAddress(context, address);
        return app.bot.run(context);
      });
      if ('refused' in outcome) {
        app.logger.warn({ reason: outcome.refused }, 'request refused: not authenticated');
        res.json(401, { error: 'Unauthorized: the request does not carry a valid Bot Framework token.' });
      } else if (outcome.body === undefined) {
        res.status(outcome.status);
        res.end();
      } else {
        res.json(outcome.status, outcome.body);
      }
    } catch (err) {
      app.logger.error({ err }, 'request failed outside a turn');
      res.json(500, { error: 'The request could not be processed; try again.' });
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  });

  const webChat = registerWebChatRoutes(server, app);
  const api = registerApiRoutes(server, {
    services: { ...app.services, renewals: app.provider.renewals, records: app.provider.records },
    apiKeys: app.apiKeys,
    perKey: app.rateLimiter('api-requests-per-key', app.config.API_REQUESTS_PER_MINUTE_PER_KEY, 60_000),
    idempotency: new IdempotentRequests(app.repository, app.clock, app.logger),
    logger: app.logger,
    version,
  });

  await new Promise<void>((resolve, reject) => {
    // restify passes its HTTP server's errors on as its own 'error' event; only listening's are ours.
    const failed = (err: NodeJS.ErrnoException) => reject(new ListenError(port, host, err.code));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.removeListener('error', failed);
      resolve();
    });
  });
  const { port: actualPort, address } = server.address();
  app.logger.info(
    { address, port: actualPort, store: storeInUse(app.config) },
    `listening on http://localhost:${actualPort}/ (the chat page; the bot at /api/messages), data in ${storeInUse(app.config)}`,
  );

  let closing: Promise<void> | null = null;
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    shutdown() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => {
          server.close(() => resolve());
        });
        if (inFlight > 0)
          await new Promise<void>((resolve) => {
            drained = resolve;
          });
        await webChat.drain();
        await api.drain();
        await app.close();
        await stopped;
      })();
      return closing;
    },
  };
}

/** Reads a refused request's body to its end without keeping it; past `limit` bytes the socket is closed. */
function discardBody(req: restify.Request, limit: number): void {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) req.destroy();
  });
  req.resume();
}
