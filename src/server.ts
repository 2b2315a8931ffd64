import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { checkActivityRequest, MAX_BODY_BYTES } from './activityRequest.js';
import type { App } from './app.js';
import { RateLimiter } from './core/rateLimiter.js';
import { registerWebChatRoutes } from './web/webChatRoutes.js';

export interface RunningServer {
  port: number;
  url: string;
  /** Stops accepting, lets turns in progress finish, then writes everything pending. */
  shutdown(): Promise<void>;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync('package.json', 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Serves the bot over HTTP: POST /api/messages for Bot Framework, GET /healthz for probes. */
export async function startServer(app: App, port = app.config.PORT, host = '0.0.0.0'): Promise<RunningServer> {
  const adapter = app.createAdapter();
  const startedAt = Date.now();
  const version = packageVersion();
  let inFlight = 0;
  let drained: (() => void) | null = null;

  if (!app.config.MicrosoftAppId) {
    app.logger.warn('MicrosoftAppId is not set: Bot Framework authentication is off. Fine for the Emulator on this machine; never expose this to a network.');
  }

  const server = restify.createServer({ name: 'membership-assistant', version, handleUncaughtExceptions: false });
  // Read the raw body (restify answers 413 past the limit); parsing and checks are ours.
  server.use(restify.plugins.bodyReader({ maxBodySize: MAX_BODY_BYTES }));
  const perAddress = new RateLimiter(app.config.RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP, 60_000, app.clock);

  server.get('/healthz', async (_req, res) => {
    res.json(200, { status: 'ok', version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });

  server.post('/api/messages', async (req, res) => {
    if (!perAddress.take(req.socket.remoteAddress ?? 'unknown')) {
      res.json(429, { error: 'Too many requests from this address; try again in a minute.' });
      return;
    }
    const checked = checkActivityRequest(req.header('content-type'), req.body);
    if (!checked.ok) {
      res.json(checked.status, { error: checked.error });
      return;
    }
    inFlight++;
    try {
      const outcome = await adapter.runTurn(req.header('authorization') ?? '', checked.activity, (context) => app.bot.run(context));
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

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const actualPort = (server.address() as AddressInfo).port;
  app.logger.info({ port: actualPort }, `listening on http://localhost:${actualPort}/api/messages`);

  let closing: Promise<void> | null = null;
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    shutdown() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
        await webChat.drain();
        await app.close();
        await stopped;
      })();
      return closing;
    },
  };
}
