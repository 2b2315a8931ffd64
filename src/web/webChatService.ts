import type { Activity, ChannelAccount, TurnContext } from 'botbuilder';
import { setClientAddress } from '../clientAddress.js';
import { toSupportedLocale, type ReplyLocale } from '../i18n/languages.js';
import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import type { RateLimiter } from '../core/rateLimiter.js';
import { DeliveryError } from '../notify/transport.js';
import { maskText } from '../core/mask.js';
import { RECEIPT_SHOWN, receiptShownIn } from './shownReceipt.js';
import type { WebChatAdapter } from './webChatAdapter.js';
import type { WebChatHistory } from './webChatHistory.js';
import type { WebChatSessions } from './webChatSessions.js';
import type { WebChatClaims, WebChatTokens } from './webChatToken.js';

export const WEBCHAT_CHANNEL = 'webchat';
/** Recorded as the conversation's service URL; nothing is ever sent to it (replies go back in the HTTP answer). */
export const WEBCHAT_SERVICE_URL = 'urn:membership-assistant:webchat';
/** The form of the conversation ids {@link WebChatService.start} makes. */
const PAGE_CONVERSATION_ID = /^wc-[0-9a-f]{24}$/;
const BOT: ChannelAccount = { id: 'membership-assistant', name: 'Membership assistant', role: 'bot' };

/** What the page keeps for a conversation (in sessionStorage, never in the URL). */
export interface WebChatSession {
  conversationId: string;
  userId: string;
  token: string;
  /** ISO time the token stops working unless renewed */
  expiresAt: string;
  /** the same as seconds from now, for a page whose clock is not the server's */
  expiresIn: number;
}

/** Why a start was refused with 429: the page shows its own words for each. */
export type StartRefusal = 'chats-per-address' | 'chats-overall';
export type Refusal = { ok: false; status: 400 | 401 | 403 | 429; error: string; code?: StartRefusal };
export type Result<T> = { ok: true; value: T } | Refusal;

export interface WebChatServiceOptions {
  adapter: WebChatAdapter;
  history: WebChatHistory;
  tokens: WebChatTokens;
  sessions: WebChatSessions;
  clock: Clock;
  random: RandomSource;
  /** The bot's turn logic. */
  runBot: (context: TurnContext) => Promise<void>;
  /** The bot's greeting, said without a turn: it reads and saves no state. */
  welcome: (context: TurnContext) => Promise<void>;
  /** New conversations a client address may start (per hour; counted where every instance sees it). */
  startsPerAddress: RateLimiter;
  /** New conversations without a host member token, from all addresses together (per hour). */
  anonymousStarts: RateLimiter;
  /** The user id a member token was issued to and its expiry, when it vouches for a member; null otherwise. */
  memberTokenUser: (token: string) => Promise<{ userId: string; expiresAt: Date } | null>;
  defaultLocale: ReplyLocale;
}

const REPLACED = 'This chat token was replaced by a newer one; use the newest, or start a new chat.';

const refuse = (status: Refusal['status'], error: string, code?: StartRefusal): Refusal => ({
  ok: false,
  status,
  error,
  ...(code ? { code } : {}),
});

/**
 * The web page's conversations: start one (optionally for a member the host app vouches for),
 * check a request's token against the conversation it names, run a message as a turn and keep
 * what was said, so a reload (on any instance) shows the conversation so far.
 */
export class WebChatService {
  /** Each conversation's turn in progress on this instance, until its answer is kept. */
  private readonly turns = new Map<string, Promise<unknown>>();

  constructor(private readonly options: WebChatServiceOptions) {}

  /**
   * Starts a conversation: a member token that does not verify is refused (401), and so is a start
   * past the limits of new conversations (429: per client address, and without a member token for
   * all addresses together). Nothing is stored: a conversation costs the store nothing until its
   * member writes (see {@link history} and {@link post}), so starting many fills nothing.
   */
  async start(body: unknown, address?: string): Promise<Result<WebChatSession>> {
    const memberToken = isObject(body) ? body.memberToken : undefined;
    const token = typeof memberToken === 'string' ? memberToken : undefined;
    const vouched = token === undefined ? null : await this.options.memberTokenUser(token);
    if (memberToken !== undefined && !vouched) {
      return refuse(401, 'The member token is not valid or has expired; open the chat again from the app.');
    }
    const refused = await this.admit(address, vouched === null);
    if (refused) return refused;
    // A host token is one sign-in: a copy of it (a link passed on, a history entry) opens nothing more.
    if (vouched && token !== undefined && !(await this.options.sessions.claimHostToken(token, vouched.expiresAt))) {
      return refuse(401, 'The member token has already opened a chat; open the chat again from the app.');
    }
    const tokenUser = vouched?.userId;
    const { random } = this.options;
    // A signed-in member chats as the user the host token was issued to, which the token is bound to.
    const claims = {
      c: `wc-${random.hex(12)}`,
      u: tokenUser ?? `wu-${random.hex(8)}`,
      ...(token ? { h: token } : {}),
    };
    return { ok: true, value: this.session(this.options.tokens.open(claims)) };
  }

  /**
   * Counts a new conversation against its address's limit, then (without a member token) against
   * the limit of all anonymous ones; a member the host app vouches for is never turned away because
   * strangers used up the latter.
   */
  private async admit(address: string | undefined, anonymous: boolean): Promise<Refusal | null> {
    if (!(await this.options.startsPerAddress.take(address ?? 'unknown')))
      return refuse(429, 'Too many new chats from this address in the last hour.', 'chats-per-address');
    if (anonymous && !(await this.options.anonymousStarts.take('all')))
      return refuse(429, 'Too many new chats right now; try again later.', 'chats-overall');
    return null;
  }

  /**
   * Checks the bearer token of a request about `conversationId`: 401 without a valid, unexpired
   * token, once an erasure closed the conversation or once a renewal replaced the token (a minute
   * after, REPLACED_TOKEN_GRACE_SECONDS), 403 when the token is for another conversation.
   */
  async authorize(authorization: string | undefined, conversationId: string): Promise<Result<WebChatClaims>> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const checked = this.options.tokens.check(bearer);
    if (!checked.ok) {
      return refuse(
        401,
        checked.reason === 'expired'
          ? 'The chat token has expired; start a new chat.'
          : 'A valid chat token is required (Authorization: Bearer <token>).',
      );
    }
    if (checked.claims.c !== conversationId) return refuse(403, 'This token belongs to another conversation.');
    if (await this.options.history.isClosed(conversationId))
      return refuse(401, 'This chat was closed when its personal data was erased; start a new chat.');
    if ((await this.options.sessions.check(conversationId, checked.claims.g)) === 'replaced')
      return refuse(401, REPLACED);
    return { ok: true, value: checked.claims };
  }

  /**
   * A fresh token for the same conversation, user and member, ending no later than the session;
   * the token it replaces stops working. Only the newest token renews (401 otherwise).
   */
  async renew(claims: WebChatClaims): Promise<Result<WebChatSession>> {
    const generation = await this.options.sessions.advance(claims.c, claims.g);
    if (generation === null) return refuse(401, REPLACED);
    return { ok: true, value: this.session(this.options.tokens.renew(claims, generation)) };
  }

  /**
   * What the page shows on (re)loading: the conversation so far, or, before its member has written
   * anything, the welcome in the page's `locale`, rendered anew each time and stored nowhere.
   */
  async history(claims: WebChatClaims, locale?: string): Promise<Partial<Activity>[]> {
    const kept = await this.options.history.stored(claims.c);
    if (kept) return kept;
    const welcome = await this.options.adapter.render(
      { ...this.envelope(claims, this.localeOf(locale)), type: 'conversationUpdate' },
      this.options.welcome,
    );
    return welcome.map((a, i) => this.stamp(a, i + 1));
  }

  /**
   * Runs the page's message as a turn. Resolves with what the page has not seen yet: everything
   * after sequence number `after` (what the page last received), or else from the message on: the
   * message as kept (the echo), anything delivered meanwhile (an in-app notification) and the replies.
   * `address` is the client's: the limits kept per address (the code-guessing budget) count it.
   */
  async post(
    claims: WebChatClaims,
    body: unknown,
    after?: number,
    address?: string,
  ): Promise<Result<{ id: string; activities: Partial<Activity>[] }>> {
    if (!isObject(body)) return refuse(400, 'The body must be one activity (a JSON object).');
    const sent = body as Partial<Activity>;
    if (sent.type !== 'message') return refuse(400, 'Only messages can be sent to this conversation.');
    if (sent.attachments?.length) return refuse(400, 'Files cannot be sent in this chat.');
    const text = typeof sent.text === 'string' ? sent.text : '';
    if (!text && sent.value === undefined) return refuse(400, 'The message has no text.');
    const clientActivityID = (sent.channelData as { clientActivityID?: unknown } | undefined)?.clientActivityID;
    const locale = toSupportedLocale(typeof sent.locale === 'string' ? sent.locale : undefined) ?? undefined;

    const id = this.options.random.hex(8);
    const sofar = (await this.options.history.stored(claims.c)) ?? (await this.open(claims, locale, address));
    const offered = offeredChoices(sofar);
    // Kept and echoed masked (a one-time code or phone number typed here is not stored in the clear),
    // unless it is one of the quick replies just offered: those are the bot's words (and may hold a date).
    // Kept before the turn runs, so that a notification the turn causes comes after it.
    const echo: Partial<Activity> = {
      type: 'message',
      id,
      text: offered.includes(text) ? text : maskText(text),
      from: { id: claims.u, name: '', role: 'user' },
      ...(locale ? { locale } : {}),
      ...(typeof clientActivityID === 'string' && clientActivityID.length <= 100
        ? { channelData: { clientActivityID } }
        : {}),
    };
    const [kept] = await this.options.history.append(claims.c, [echo], (a, sequence) => this.stamp(a, sequence));
    const activity: Partial<Activity> = {
      ...this.envelope(claims, locale),
      type: 'message',
      id,
      text,
      ...(sent.value !== undefined ? { value: sent.value as unknown } : {}),
      timestamp: this.options.clock.now(),
    };
    const turn = this.options.adapter
      .runTurn(activity, this.botFor(address))
      .then((replies) => this.options.history.append(claims.c, replies, (a, sequence) => this.stamp(a, sequence)));
    this.turns.set(claims.c, turn);
    try {
      await turn;
    } finally {
      if (this.turns.get(claims.c) === turn) this.turns.delete(claims.c);
    }
    const since = after ?? sequenceOf(kept) - 1;
    const unseen = (await this.options.history.read(claims.c)).filter((a) => sequenceOf(a) > since);
    return { ok: true, value: { id, activities: unseen } };
  }

  /**
   * Puts a message from the bot into a page's conversation outside a turn (an in-app notification
   * for a member whose last conversation was on this page): the page gets it with the answer to its
   * next message, or when it is loaded again. A conversation without a history (purged when idle)
   * has no page left to show it: the notice fails rather than being recorded as sent to nobody.
   * `composedAt` is when the notice was written, to tell the receipt of the page's last turn.
   */
  async deliver(conversationId: string, text: string, composedAt?: string): Promise<void> {
    // A notice the turn itself caused (delivered as it commits) comes after that turn's answer.
    await this.turns.get(conversationId)?.catch(() => undefined);
    if (!(await this.options.history.exists(conversationId)))
      throw new DeliveryError('the chat page conversation no longer exists', false);
    // Kept and sent to the page either way; the page does not show a receipt twice (shownReceipt.ts).
    const shown = composedAt && receiptShownIn(await this.options.history.read(conversationId), text, composedAt);
    const message: Partial<Activity> = {
      type: 'message',
      text,
      from: BOT,
      timestamp: this.options.clock.now(),
      ...(shown ? { channelData: { [RECEIPT_SHOWN]: shown } } : {}),
    };
    await this.options.history.append(conversationId, [message], (a, sequence) => this.stamp(a, sequence));
  }

  /**
   * The conversation's first stored turn, before its member's first message: the welcome turn (the
   * bot settles the conversation's language and greets), kept as the page's history begins.
   */
  private async open(
    claims: WebChatClaims,
    locale: string | undefined,
    address: string | undefined,
  ): Promise<Partial<Activity>[]> {
    const user: ChannelAccount = { id: claims.u, name: '', role: 'user' };
    const replies = await this.options.adapter.runTurn(
      { ...this.envelope(claims, this.localeOf(locale)), type: 'conversationUpdate', membersAdded: [user, BOT] },
      this.botFor(address),
    );
    return this.options.history.append(claims.c, replies, (a, sequence) => this.stamp(a, sequence));
  }

  private localeOf(requested: string | undefined): ReplyLocale {
    return toSupportedLocale(requested) ?? this.options.defaultLocale;
  }

  /**
   * The bot's logic for a turn of the page, told the client's address: the page's requests come
   * straight from the member's browser, and without it a fresh conversation was a fresh requester.
   */
  private botFor(address: string | undefined): (context: TurnContext) => Promise<void> {
    return (context) => {
      setClientAddress(context, address);
      return this.options.runBot(context);
    };
  }

  /** The fields every activity of the conversation carries; the host's member token rides along to the bot. */
  private envelope(claims: Pick<WebChatClaims, 'c' | 'u' | 'h'>, locale: string | undefined): Partial<Activity> {
    return {
      channelId: WEBCHAT_CHANNEL,
      serviceUrl: WEBCHAT_SERVICE_URL,
      from: { id: claims.u, name: '', role: 'user' },
      recipient: BOT,
      conversation: { id: claims.c } as Activity['conversation'],
      ...(locale ? { locale } : {}),
      ...(claims.h ? { channelData: { memberToken: claims.h } } : {}),
    };
  }

  /** What the page is sent: plain JSON with the conversation, an id, a time and Web Chat's sequence number (its sort order). */
  private stamp(activity: Partial<Activity>, sequence: number): Partial<Activity> {
    const stamped = JSON.parse(
      JSON.stringify({
        ...activity,
        id: activity.id || this.options.random.hex(8),
        // The bot writes plain text with line breaks; as markdown, a masked code (******) would become a rule and the lines would run together.
        ...(activity.text !== undefined && !activity.textFormat ? { textFormat: 'plain' } : {}),
        channelId: WEBCHAT_CHANNEL,
        timestamp: this.options.clock.now().toISOString(),
        channelData: { ...(activity.channelData as object | undefined), 'webchat:sequence-id': sequence },
      }),
    ) as Partial<Activity>;
    delete stamped.conversation;
    delete stamped.serviceUrl;
    delete stamped.recipient;
    delete stamped.replyToId;
    return stamped;
  }

  private session(issued: { token: string; claims: WebChatClaims }): WebChatSession {
    const { claims } = issued;
    const expiresAt = new Date(issued.claims.exp * 1000);
    const expiresIn = Math.round((expiresAt.getTime() - this.options.clock.now().getTime()) / 1000);
    return {
      conversationId: claims.c,
      userId: claims.u,
      token: issued.token,
      expiresAt: expiresAt.toISOString(),
      expiresIn,
    };
  }
}

/**
 * Whether a saved conversation reference is one of this page's own conversations. The channel id
 * alone cannot tell: Azure Bot Service's Web Chat channel is also `webchat`. The service URL can: a
 * Bot Framework channel names the https address its connector answers at (with authentication, the
 * one its token vouches for), never this urn, and the id has the form the page gives.
 */
export function isPageConversation(reference: Record<string, unknown>): boolean {
  const id = (reference.conversation as { id?: unknown } | undefined)?.id;
  return (
    reference.channelId === WEBCHAT_CHANNEL &&
    reference.serviceUrl === WEBCHAT_SERVICE_URL &&
    typeof id === 'string' &&
    PAGE_CONVERSATION_ID.test(id)
  );
}

function sequenceOf(activity: Partial<Activity>): number {
  return Number((activity.channelData as Record<string, unknown> | undefined)?.['webchat:sequence-id'] ?? 0);
}

/** The quick-reply titles of the bot's last message. */
function offeredChoices(history: Partial<Activity>[]): string[] {
  const last = history.findLast((a) => a.from?.role === 'bot');
  return (last?.suggestedActions?.actions ?? []).map((action) => String(action.title ?? ''));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
