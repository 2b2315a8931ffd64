import { BehaviorSubject, Observable, type Observer } from './observable.js';

/** DirectLineJS's ConnectionStatus values, which Web Chat reads. */
export const ConnectionStatus = {
  Uninitialized: 0,
  Connecting: 1,
  Online: 2,
  ExpiredToken: 3,
  FailedToConnect: 4,
  Ended: 5,
} as const;
export type ConnectionStatusValue = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];

/** What the server hands out for a conversation (src/web/webChatService.ts). */
export interface Session {
  conversationId: string;
  userId: string;
  token: string;
  expiresAt: string;
  /** seconds the token is valid from when it was received */
  expiresIn: number;
  /** the page's clock (ms) when it was received; set by the page */
  receivedAt?: number;
}

/** An activity as it travels; Web Chat reads more fields than this. */
export interface ChatActivity {
  type: string;
  id?: string;
  text?: string;
  [field: string]: unknown;
}

/** Why a request was refused, so the page can say what to do. */
export class ChatRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ChatRequestError';
  }
}

export interface DirectLineOptions {
  session: Session;
  fetch: typeof fetch;
  /** The page's clock (milliseconds), so tests can set the time. */
  now?: () => number;
  /** The page's language: a conversation nobody has written in yet is shown its welcome in it. */
  locale?: () => string;
  /** Called with every renewed session, for the page to keep across a reload. */
  onSession?: (session: Session) => void;
  /** Called when the token can no longer be used (expired or refused): the page offers a new chat. */
  onExpired?: () => void;
}

/**
 * The object Web Chat takes as its `directLine`, talking to the bot's own server on the page's
 * origin instead of the Direct Line service: `activity$` (history first, then each turn's echo and
 * replies), `connectionStatus$`, `postActivity` (an observable of the new activity's id) and `end`.
 * A turn's replies come back in the answer to the POST, so there is no socket and no polling.
 */
export class SameOriginDirectLine {
  readonly connectionStatus$ = new BehaviorSubject<ConnectionStatusValue>(ConnectionStatus.Uninitialized);
  readonly activity$: Observable<ChatActivity>;
  private readonly subscribers = new Set<Required<Observer<ChatActivity>>>();
  /** Everything received so far, replayed to each new subscriber: Web Chat subscribes for activities only once it sees Online. */
  private readonly received: ChatActivity[] = [];
  /** The highest sequence number received: the server answers a message with everything after it. */
  private lastSequence = 0;
  private session: Session;
  private connected: Promise<void> | null = null;
  private renewal: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: DirectLineOptions) {
    this.now = options.now ?? Date.now;
    this.session = { ...options.session, receivedAt: options.session.receivedAt ?? this.now() };
    this.activity$ = new Observable<ChatActivity>((observer) => {
      this.subscribers.add(observer);
      for (const activity of this.received) observer.next(activity);
      this.connected ??= this.connect();
      return () => this.subscribers.delete(observer);
    });
  }

  postActivity(activity: ChatActivity): Observable<string> {
    return new Observable<string>((observer) => {
      this.send(activity).then(
        (id) => {
          observer.next(id);
          observer.complete();
        },
        (err: unknown) => observer.error(err),
      );
    });
  }

  /** Web Chat calls this when it is unmounted. */
  end(): void {
    this.connectionStatus$.next(ConnectionStatus.Ended);
    this.subscribers.clear();
  }

  /** Renews the token when less than half its life is left; the page calls this on a timer and before each message. */
  async keepAlive(): Promise<void> {
    const age = this.now() - (this.session.receivedAt ?? 0);
    const lifetime = this.session.expiresIn * 1000;
    if (age >= lifetime || age < lifetime / 2) return;
    this.renewal ??= this.request('POST', 'token')
      .then(
        (session) => {
          this.session = { ...(session as Session), receivedAt: this.now() };
          this.options.onSession?.(this.session);
        },
        () => undefined,
      )
      .finally(() => {
        this.renewal = null;
      });
    await this.renewal;
  }

  private async connect(): Promise<void> {
    this.connectionStatus$.next(ConnectionStatus.Connecting);
    try {
      const locale = this.options.locale?.();
      const { activities } = (await this.request(
        'GET',
        locale ? `activities?locale=${encodeURIComponent(locale)}` : 'activities',
      )) as { activities: ChatActivity[] };
      this.emit(activities);
      this.connectionStatus$.next(ConnectionStatus.Online);
    } catch (err) {
      this.connectionStatus$.next(
        err instanceof ChatRequestError && err.status === 401
          ? ConnectionStatus.ExpiredToken
          : ConnectionStatus.FailedToConnect,
      );
    }
  }

  private async send(activity: ChatActivity): Promise<string> {
    await this.keepAlive();
    const { id, activities } = (await this.request('POST', `activities?after=${this.lastSequence}`, activity)) as {
      id: string;
      activities: ChatActivity[];
    };
    this.emit(activities);
    return id;
  }

  private emit(activities: ChatActivity[]): void {
    for (const activity of activities) {
      const sequence = Number(
        (activity.channelData as Record<string, unknown> | undefined)?.['webchat:sequence-id'] ?? 0,
      );
      if (sequence > this.lastSequence) this.lastSequence = sequence;
    }
    // An in-app notice that repeats the receipt its turn's answer already showed is kept by the
    // server but not shown again (src/web/shownReceipt.ts): one receipt per event on the page.
    const shown = activities.filter(
      (a) => !(a.channelData as Record<string, unknown> | undefined)?.['webchat:receipt-shown'],
    );
    this.received.push(...shown);
    for (const activity of shown) for (const subscriber of [...this.subscribers]) subscriber.next(activity);
  }

  private async request(method: 'GET' | 'POST', what: string, body?: unknown): Promise<unknown> {
    const res = await this.options.fetch(
      `/webchat/api/conversations/${encodeURIComponent(this.session.conversationId)}/${what}`,
      {
        method,
        headers: {
          authorization: `Bearer ${this.session.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
      },
    );
    const payload = (await res.json().catch(() => ({}))) as { error?: string };
    if (!res.ok) {
      if (res.status === 401 || res.status === 403) {
        this.connectionStatus$.next(ConnectionStatus.ExpiredToken);
        this.options.onExpired?.();
      }
      throw new ChatRequestError(res.status, payload.error ?? `HTTP ${res.status}`);
    }
    return payload;
  }
}
