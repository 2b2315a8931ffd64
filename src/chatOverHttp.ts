import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { Config } from './config.js';

/**
 * `npm run chat` beside `npm start`: the running server holds the data files (or shares the
 * database), so the terminal talks to it as a channel would, over POST /api/messages with the
 * replies in the answer, instead of opening the store a second time.
 */

/** A server that cannot take the terminal's turns; the message says what to do. */
export class ChatServerError extends Error {
  override name = 'ChatServerError';
}

const healthSchema = z.object({ status: z.enum(['ok', 'degraded', 'unavailable']), version: z.string() });
const repliesSchema = z.object({ activities: z.array(z.looseObject({ type: z.string() })) });

/** Where this machine reaches a server listening on `host` (all addresses are reached on loopback). */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The base URL of this bot's server if one answers /healthz where the configuration says it
 * listens; null when nothing (or something else) answers there within `timeoutMs`.
 */
export async function runningServerUrl(
  config: Pick<Config, 'HOST' | 'PORT'>,
  timeoutMs = 1000,
): Promise<string | null> {
  const url = `http://${reachableHost(config.HOST)}:${config.PORT}`;
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    return healthSchema.safeParse(await res.json()).success ? url : null;
  } catch {
    return null;
  }
}

/** Sends the terminal's activities to a running server and returns the bot's replies. */
export class ChatOverHttp {
  constructor(readonly baseUrl: string) {}

  async send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...activity, deliveryMode: 'expectReplies' }),
      });
    } catch (err) {
      throw new ChatServerError(
        `The server at ${this.baseUrl} stopped answering (${(err as Error).message}): start it again, or run npm run chat on its own.`,
      );
    }
    if (res.status === 401 || res.status === 403)
      throw new ChatServerError(
        `The server at ${this.baseUrl} refuses turns without a Bot Framework token (MicrosoftAppId is set there): use the chat page or the Emulator, or stop it and run npm run chat on its own.`,
      );
    const text = await res.text();
    if (!res.ok)
      throw new ChatServerError(`The server at ${this.baseUrl} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    const parsed = repliesSchema.safeParse(parseJson(text));
    if (!parsed.success) throw new ChatServerError(`The server at ${this.baseUrl} answered without the replies.`);
    return parsed.data.activities;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
