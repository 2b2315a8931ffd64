import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import { clientAddressResolver } from '../clientAddress.js';
import { InFlight } from '../core/inFlight.js';
import { WRITTEN_LOCALES } from '../i18n/languages.js';
import { t } from '../i18n/messages.js';
import { crossSiteOrigin } from './requestOrigin.js';
import { renderChatPage } from './webChatPage.js';
import type { Config } from '../config.js';
import type { RateLimiter } from '../core/rateLimiter.js';
import type { Logger } from '../log.js';
import type { Result, WebChatService } from './webChatService.js';

/** Built by scripts/bundleWeb.mjs (`npm run build`), each beside its .br and .gz. */
const ASSETS: Record<string, string> = {
  'chat.js': 'application/javascript; charset=utf-8',
  'chat.css': 'text/css; charset=utf-8',
};
/**
 * An asset's URL names its content, so a browser keeps it for good and never asks again (a new
 * build is a new name, which the page, never cached, refers to).
 */
const ASSET_CACHING = 'public, max-age=31536000, immutable';

// Web Chat sets its styles at run time (emotion) and Adaptive Cards sizes elements inline, hence 'unsafe-inline' for styles only.
const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'self'";

interface Asset {
  /** the name under /webchat/ the page refers to: the built name with its content's hash */
  path: string;
  type: string;
  etag: string;
  bodies: { br?: Buffer; gzip?: Buffer; identity: Buffer };
}

export interface WebChatRoutes {
  /** Resolves once no web chat request is being processed (the server waits for it before closing the store). */
  drain(): Promise<void>;
}

/** What the page's routes take from the app: its settings, log, rate limits and the page's conversations. */
export interface WebChatHost {
  config: Pick<
    Config,
    'RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP' | 'TRUSTED_PROXIES' | 'WEBCHAT_ALLOWED_ORIGINS' | 'DEFAULT_LOCALE'
  >;
  logger: Logger;
  webChat: WebChatService;
  /**
   * A rate limiter of the app's kind.
   *
   * @param name - Keeps its counts apart from the other limiters'.
   * @param limit - Requests allowed per window.
   * @param windowMs - The window's length.
   * @returns The limiter (shared by every instance on PostgreSQL).
   */
  rateLimiter(name: string, limit: number, windowMs: number): RateLimiter;
}

/** What every route of the page shares: the app, the caller's address and the checks on each request. */
interface RouteContext {
  app: WebChatHost;
  addressOf: (req: Request) => string | undefined;
  /** The foreign origin a request came from, or null when it came from the page or an allowed host app. */
  crossSite: (req: Request) => string | null;
  /** Answers 429 and returns true when the caller's address is over its limit. */
  limited: (req: Request, res: Response) => Promise<boolean>;
}

type ApiAnswer = Result<{ status: number; body: unknown }>;
type ApiRoute = (handler: (req: Request) => Promise<ApiAnswer>) => (req: Request, res: Response) => Promise<void>;

/**
 * The bot's own web page: GET / and /chat (POST /chat for a host app that hands over its member
 * token in a form body), its scripts under /webchat/, and the page's same-origin endpoint under
 * /webchat/api/ (start a conversation, read its history, send a message, renew the token).
 */
export function registerWebChatRoutes(
  server: Server,
  app: WebChatHost,
  assetsDir = join('dist', 'web'),
): WebChatRoutes {
  const context = routeContext(app);
  const requests = new InFlight();
  registerPageRoutes(server, context, loadAssets(assetsDir));
  registerConversationRoutes(server, context, apiRoute(context, requests));
  return { drain: () => requests.drain() };
}

function routeContext(app: WebChatHost): RouteContext {
  const perAddress = app.rateLimiter(
    'webchat-requests-per-address',
    app.config.RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP,
    60_000,
  );
  const addressOf = clientAddressResolver(app.config.TRUSTED_PROXIES);
  return {
    app,
    addressOf,
    crossSite: (req) => crossSiteOrigin(req.headers, app.config.WEBCHAT_ALLOWED_ORIGINS),
    limited: async (req, res) => {
      if (await perAddress.take(addressOf(req) ?? 'unknown')) return false;
      res.json(429, { error: 'Too many requests from this address; try again in a minute.' });
      return true;
    },
  };
}

/** Runs an API handler: rate limit, same site only, no caching, counted for a graceful shutdown, errors as JSON. */
function apiRoute(context: RouteContext, requests: InFlight): ApiRoute {
  return (handler) => async (req, res) => {
    res.header('Cache-Control', 'no-store');
    // Counted from the start: the limit's check waits for the database, and a shutdown must wait for it.
    await requests.around(async () => {
      try {
        if (await context.limited(req, res)) return;
        const foreign = context.crossSite(req);
        sendApiAnswer(res, foreign === null ? await handler(req) : refuseCrossSite(foreign));
      } catch (err) {
        context.app.logger.error({ err }, 'web chat request failed');
        res.json(500, { error: 'The request could not be processed; try again.' });
      }
    });
  };
}

function sendApiAnswer(res: Response, result: ApiAnswer): void {
  if (result.ok) {
    res.json(result.value.status, result.value.body);
    return;
  }
  if (result.status === 401) res.header('WWW-Authenticate', 'Bearer');
  res.json(result.status, { error: result.error, ...(result.code ? { code: result.code } : {}) });
}

/** The page (GET / and /chat, POST /chat) and its built scripts under /webchat/. */
function registerPageRoutes(server: Server, context: RouteContext, assets: Map<string, Asset>): void {
  const { limited, crossSite } = context;
  const sendPage = pageSender(context.app.config.DEFAULT_LOCALE, assets);
  // The page and its assets count in the address's limit with the API: each costs bytes to send.
  for (const path of ['/', '/chat']) {
    server.get(path, async (req, res) => {
      if (!(await limited(req, res))) sendPage(res);
    });
  }
  server.post('/chat', async (req, res) => {
    if (await limited(req, res)) return;
    // A form another site posts would sign the visitor in as the member whose token it holds.
    if (crossSite(req) !== null) {
      res.header('Content-Type', 'text/plain; charset=utf-8');
      res.header('Cache-Control', 'no-store');
      res.sendRaw(403, WRITTEN_LOCALES.map((l) => t(l, 'web.crossSite')).join('\n'));
      return;
    }
    const form = new URLSearchParams(bodyText(req.body));
    const memberToken = form.get('memberToken') ?? undefined;
    sendPage(res, memberToken || undefined);
  });
  const servedAt = new Map([...assets.values()].map((asset) => [asset.path, asset]));
  server.get('/webchat/:file', async (req, res) => {
    if (await limited(req, res)) return;
    const name = pathParam(req, 'file');
    const asset = servedAt.get(name);
    if (!asset) {
      const unbuilt = ASSETS[name] && !assets.has(name);
      res.json(404, { error: unbuilt ? `${name} is not built yet: run npm run build.` : 'Not found.' });
      return;
    }
    sendAsset(req, res, asset);
  });
}

/** Sends the page, which names its scripts by their built (hashed) names. */
function pageSender(
  locale: WebChatHost['config']['DEFAULT_LOCALE'],
  assets: Map<string, Asset>,
): (res: Response, memberToken?: string) => void {
  const assetPath = (name: string) => `/webchat/${assets.get(name)?.path ?? name}`;
  return (res, memberToken) => {
    res.header('Content-Type', 'text/html; charset=utf-8');
    res.header('Cache-Control', 'no-store');
    res.header('Content-Security-Policy', PAGE_POLICY);
    res.header('X-Content-Type-Options', 'nosniff');
    res.header('Referrer-Policy', 'no-referrer');
    const files = { script: assetPath('chat.js'), style: assetPath('chat.css') };
    res.sendRaw(200, renderChatPage(locale, files, memberToken));
  };
}

/** The page's same-origin endpoint: start a conversation, read its history, send a message, renew the token. */
function registerConversationRoutes(server: Server, context: RouteContext, api: ApiRoute): void {
  const conversation = '/webchat/api/conversations/:conversationId';
  server.post('/webchat/api/conversations', api(startConversation(context)));
  server.get(`${conversation}/activities`, api(readHistory(context)));
  server.post(`${conversation}/activities`, api(postActivity(context)));
  server.post(`${conversation}/token`, api(renewToken(context)));
}

function startConversation({ app, addressOf }: RouteContext) {
  return async (req: Request): Promise<ApiAnswer> => {
    const body = parseJson(req);
    if (body === INVALID) return { ok: false, status: 400, error: 'The body must be JSON: {"memberToken"?}.' };
    const started = await app.webChat.start(body ?? {}, addressOf(req));
    return started.ok ? { ok: true, value: { status: 201, body: started.value } } : started;
  };
}

function readHistory({ app }: RouteContext) {
  return async (req: Request): Promise<ApiAnswer> => {
    const claims = await app.webChat.authorize(req.header('authorization'), pathParam(req, 'conversationId'));
    if (!claims.ok) return claims;
    const locale = searchParam(req, 'locale');
    return {
      ok: true,
      value: { status: 200, body: { activities: await app.webChat.history(claims.value, locale) } },
    };
  };
}

function postActivity({ app, addressOf }: RouteContext) {
  return async (req: Request): Promise<ApiAnswer> => {
    const claims = await app.webChat.authorize(req.header('authorization'), pathParam(req, 'conversationId'));
    if (!claims.ok) return claims;
    const body = parseJson(req);
    if (body === INVALID || body === undefined)
      return { ok: false, status: 400, error: 'The body must be one activity as JSON.' };
    const after = /^\d{1,9}$/.exec(searchParam(req, 'after') ?? '')?.[0];
    const posted = await app.webChat.post(
      claims.value,
      body,
      after === undefined ? undefined : Number(after),
      addressOf(req),
    );
    return posted.ok ? { ok: true, value: { status: 200, body: posted.value } } : posted;
  };
}

function renewToken({ app }: RouteContext) {
  return async (req: Request): Promise<ApiAnswer> => {
    const claims = await app.webChat.authorize(req.header('authorization'), pathParam(req, 'conversationId'));
    if (!claims.ok) return claims;
    const renewed = await app.webChat.renew(claims.value);
    return renewed.ok ? { ok: true, value: { status: 200, body: renewed.value } } : renewed;
  };
}

/** The page's API answers only its own page and the configured host apps (WEBCHAT_ALLOWED_ORIGINS). */
function refuseCrossSite(origin: string): Result<never> {
  return {
    ok: false,
    status: 403,
    error: `This chat accepts requests from its own page only, and this one came from another site (${origin}); a host app's origin must be in WEBCHAT_ALLOWED_ORIGINS.`,
  };
}

/** The built assets found in `dir`, by their built name; none before `npm run build`. */
function loadAssets(dir: string): Map<string, Asset> {
  const found = new Map<string, Asset>();
  for (const [name, type] of Object.entries(ASSETS)) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const identity = readFileSync(file);
    const hash = createHash('sha256').update(identity).digest('hex').slice(0, 16);
    const variant = (suffix: string) => (existsSync(file + suffix) ? readFileSync(file + suffix) : undefined);
    found.set(name, {
      path: name.replace(/\.(\w+)$/, `.${hash}.$1`),
      type,
      etag: `"${hash}"`,
      bodies: { identity, br: variant('.br'), gzip: variant('.gz') },
    });
  }
  return found;
}

/** An asset, compressed when the browser accepts it; 304 to a browser that has it already. */
function sendAsset(req: Request, res: Response, asset: Asset): void {
  res.header('Content-Type', asset.type);
  res.header('ETag', asset.etag);
  res.header('Cache-Control', ASSET_CACHING);
  res.header('Vary', 'Accept-Encoding');
  res.header('X-Content-Type-Options', 'nosniff');
  if (req.header('if-none-match') === asset.etag) {
    res.status(304);
    res.end();
    return;
  }
  const accepted = req.header('accept-encoding') ?? '';
  const encoding =
    asset.bodies.br && /\bbr\b/.test(accepted)
      ? 'br'
      : asset.bodies.gzip && /\bgzip\b/.test(accepted)
        ? 'gzip'
        : 'identity';
  if (encoding !== 'identity') res.header('Content-Encoding', encoding);
  res.sendRaw(200, asset.bodies[encoding]!);
}

/** A parameter of the request's query string. */
function searchParam(req: Request, name: string): string | undefined {
  return new URL(req.url ?? '/', 'http://page').searchParams.get(name) ?? undefined;
}

/** A named segment of the route's path (restify types `req.params` as any). */
function pathParam(req: Request, name: string): string {
  return String((req.params as Record<string, unknown>)[name]);
}

const INVALID = Symbol('invalid JSON');

function bodyText(body: unknown): string {
  return Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
}

/** The request's JSON body; undefined when empty, INVALID when it is not JSON. */
function parseJson(req: Request): unknown {
  const text = bodyText(req.body).trim();
  if (!text) return undefined;
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(req.header('content-type') ?? '')) return INVALID;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}
