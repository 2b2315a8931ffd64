import { readFileSync } from 'node:fs';
import restify from 'restify';
import { checkActivityRequest, checkContentEncoding, MAX_BODY_BYTES, type RequestCheck } from './activityRequest.js';
import type { App } from './app.js';
import type { TurnOutcome } from './botframework/httpAdapter.js';
import { clientAddressResolver, setClientAddress } from './clientAddress.js';
import { IdempotentRequests } from './api/idempotentRequests.js';
import { registerApiRoutes } from './api/apiRoutes.js';
import { storeInUse } from './appStorage.js';
import { bodyReader } from './bodyReader.js';
import { InFlight } from './core/inFlight.js';
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
  const version = packageVersion();
  warnIfUnauthenticated(app);
  const server = createRestifyServer(app, version);
  registerHealthRoute(server, app, version);
  const messages = new InFlight();
  registerMessagesRoute(server, app, messages);
  const webChat = registerWebChatRoutes(server, app);
  const api = registerApiRoutes(server, {
    services: { ...app.services, renewals: app.provider.renewals, records: app.provider.records },
    apiKeys: app.apiKeys,
    perKey: app.rateLimiter('api-requests-per-key', app.config.API_REQUESTS_PER_MINUTE_PER_KEY, 60_000),
    idempotency: new IdempotentRequests(app.repository, app.clock, app.logger),
    logger: app.logger,
    version,
  });
  const actualPort = await listen(server, app, port, host);
  let closing: Promise<void> | null = null;
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    shutdown() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => {
          server.close(() => resolve());
        });
        await messages.drain();
        await webChat.drain();
        await api.drain();
        await app.close();
        await stopped;
      })();
      return closing;
    },
  };
}

function warnIfUnauthenticated(app: App): void {
  if (app.config.MicrosoftAppId) return;
  app.logger.warn(
    'MicrosoftAppId is not set: Bot Framework authentication is off, and only serviceUrls on this machine or in SERVICE_URL_ALLOWLIST are answered. Fine for the Emulator on this machine; never expose this to a network.',
  );
}

/** A restify server that refuses compressed bodies and reads the raw body (413 past the limit); parsing and checks are ours. */
function createRestifyServer(app: App, version: string): restify.Server {
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
  server.use(bodyReader(MAX_BODY_BYTES));
  return server;
}

/** GET /healthz: 200 while the bot can answer and write, 503 while its data cannot be written. */
function registerHealthRoute(server: restify.Server, app: App, version: string): void {
  const startedAt = Date.now();
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
}

/** POST /api/messages: the channels' activities, rate-limited per address, checked, then run as a turn. */
function registerMessagesRoute(server: restify.Server, app: App, requests: InFlight): void {
  const adapter = app.createAdapter();
  const perAddress = app.rateLimiter('requests-per-address', app.config.RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP, 60_000);
  const addressOf = clientAddressResolver(app.config.TRUSTED_PROXIES);
  server.post('/api/messages', async (req, res) => {
    // Counted from the start: the limit's check waits for the database, and a shutdown must wait for it.
    await requests.around(async () => {
      try {
        const address = addressOf(req);
        if (!(await perAddress.take(address ?? 'unknown'))) {
          res.json(429, { error: 'Too many requests from this address; try again in a minute.' });
          return;
        }
        const checked = checkActivity(app, req);
        if (!checked.ok) {
          res.json(checked.status, { error: checked.error });
          return;
        }
        const outcome = await adapter.runTurn(req.header('authorization') ?? '', checked.activity, (context) => {
          if (!app.config.MicrosoftAppId) setClientAddress(context, address);
          return app.bot.run(context);
        });
        sendTurnOutcome(app, res, outcome);
      } catch (err) {
        app.logger.error({ err }, 'request failed outside a turn');
        res.json(500, { error: 'The request could not be processed; try again.' });
      }
    });
  });
}

/** The request's activity, or why it is refused: malformed, or bound for a serviceUrl not allowed without authentication. */
function checkActivity(app: App, req: restify.Request): RequestCheck | { ok: false; status: 403; error: string } {
  const checked = checkActivityRequest(req.header('content-type'), req.body);
  if (!checked.ok) return checked;
  const { serviceUrl, deliveryMode } = checked.activity;
  // Replies returned in the response (expectReplies) go to no serviceUrl, so they need no check.
  if (deliveryMode === 'expectReplies' || app.serviceUrls.allows(serviceUrl!)) return checked;
  app.logger.warn({ serviceUrl }, 'request refused: serviceUrl not allowed without authentication');
  return {
    ok: false,
    status: 403,
    error:
      'Without authentication (MicrosoftAppId unset) replies go only to a serviceUrl on this machine or in SERVICE_URL_ALLOWLIST; this one is neither.',
  };
}

function sendTurnOutcome(app: App, res: restify.Response, outcome: TurnOutcome): void {
  if ('refused' in outcome) {
    app.logger.warn({ reason: outcome.refused }, 'request refused: not authenticated');
    res.json(401, { error: 'Unauthorized: the request does not carry a valid Bot Framework token.' });
  } else if (outcome.body === undefined) {
    res.status(outcome.status);
    res.end();
  } else {
    res.json(outcome.status, outcome.body);
  }
}

/** Listens on the port and address; resolves with the port (the one chosen when 0 was asked for). */
async function listen(server: restify.Server, app: App, port: number, host: string): Promise<number> {
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
  return actualPort;
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
