import type { Clock } from '../core/clock.js';
import type { Repository } from '../model/repository.js';
import type { OutboxMessage } from '../model/schema.js';
import { maskEmail, maskPhone } from '../core/mask.js';
import { SECRET_TEMPLATES } from './notifier.js';
import { realTimer, SendTimeoutError, withinDeadline, type Timer } from './sendDeadline.js';
import { DeliveryError, type Transport } from './transport.js';

export type Channel = OutboxMessage['channel'];
const CHANNELS: readonly Channel[] = ['sms', 'email', 'in-app', 'webhook'];

/** How one channel's messages leave. */
export interface LaneLimits {
  /** The most one send may take, all of it (queueing, connecting, every reply); then it is retried. */
  sendTimeoutMs: number;
  /** Messages claimed and sent at once: as many as the transport sends in parallel. */
  batch: number;
}

export interface DispatcherOptions {
  /** Attempts before a message is parked as failed. */
  maxAttempts: number;
  /** First retry delay; each further retry waits twice as long, up to {@link maxDelayMs}. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * How long a claimed message is held by the instance sending it: longer than any send's
   * deadline, so two instances never send it at once; an instance that dies mid-send lets it go then.
   */
  leaseMs: number;
  /** Per channel; one not named gets {@link DEFAULT_LANE}. */
  lanes?: Partial<Record<Channel, LaneLimits>>;
  /** Starts the send deadlines' timers (tests fire them by hand). */
  timer?: Timer;
}

/** Why a code's message was parked: its text lived in memory only, and the service restarted first. */
export const LOST_SECRET =
  'the text (a code, or a copy of personal data) was held in memory only and the service restarted before it was sent; the member can ask again';

export const DEFAULT_DISPATCH: DispatcherOptions = {
  maxAttempts: 8,
  baseDelayMs: 2000,
  maxDelayMs: 5 * 60_000,
  leaseMs: 2 * 60_000,
};
/** The webhook's own timeout (5 s) fits inside; the file and the console answer at once. */
export const DEFAULT_LANE: LaneLimits = { sendTimeoutMs: 15_000, batch: 100 };
/** Sends past their deadline in a row before {@link OutboxDispatcher.degraded} names the channel. */
const TIMEOUTS_BEFORE_DEGRADED = 3;

/**
 * Once a message is done with (sent or parked), the store keeps no more of it than a person
 * handling a dispute needs: the address masked, and no secret text. The member has the message.
 */
function redactDone(message: OutboxMessage): OutboxMessage {
  const to =
    message.channel === 'sms'
      ? maskPhone(message.to)
      : message.channel === 'email'
        ? maskEmail(message.to)
        : message.to;
  if (!SECRET_TEMPLATES.has(message.template)) return { ...message, to };
  return { ...message, to, text: '', redacted: true };
}

export interface DispatchReport {
  sent: number;
  retrying: number;
  failed: number;
}

/** One channel's deliveries: its passes run one at a time, and apart from every other channel's. */
interface Lane {
  channel: Channel;
  limits: LaneLimits;
  running: Promise<DispatchReport> | null;
  /** A pass was asked for while one ran. */
  again: boolean;
  timeoutsInARow: number;
}

const nothing = (): DispatchReport => ({ sent: 0, retrying: 0, failed: 0 });

function add(into: DispatchReport, more: DispatchReport): DispatchReport {
  into.sent += more.sent;
  into.retrying += more.retrying;
  into.failed += more.failed;
  return into;
}

/**
 * Delivers what the outbox holds. Messages were written in the same store write as the change
 * they announce, so whatever is pending after a crash is delivered after the restart; a message is
 * claimed (held for the lease) before it is sent, so of several instances one sends
 * it; it is marked sent only after its transport accepted it (at least once, with its id for the
 * receiver to drop duplicates), and one that keeps failing is parked with its last error.
 * Each channel is a lane of its own (its claims, its batch, its send deadline): a mail server
 * that stalls holds back e-mail only, never an SMS code.
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly lanes: Lane[];
  private readonly deadlineTimer: Timer;

  constructor(
    private readonly repo: Repository,
    private readonly transportFor: (message: OutboxMessage) => Transport,
    private readonly clock: Clock,
    private readonly options: DispatcherOptions = DEFAULT_DISPATCH,
    /** Told of each failure: a message's (its send, or recording what happened), or the claim's (message null). */
    private readonly onError: (message: OutboxMessage | null, error: Error) => void = () => undefined,
  ) {
    this.lanes = CHANNELS.map((channel) => ({
      channel,
      limits: options.lanes?.[channel] ?? DEFAULT_LANE,
      running: null,
      again: false,
      timeoutsInARow: 0,
    }));
    this.deadlineTimer = options.timer ?? realTimer;
  }

  /**
   * Delivers every message that is due now, each channel on its own; on a channel with a pass
   * under way, the call shares it and queues another. Resolves once every channel's pass is done.
   */
  async deliverDue(): Promise<DispatchReport> {
    const reports = await Promise.all(this.lanes.map((lane) => this.deliverLane(lane)));
    return reports.reduce(add, nothing());
  }

  /** Delivers due messages now and then every `intervalMs` until {@link stop}. */
  start(intervalMs: number): void {
    void this.deliverDue();
    this.timer = setInterval(() => void this.deliverDue(), intervalMs);
    this.timer.unref();
  }

  /** No pass starts after this; the batches under way finish (their messages are recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.lanes.flatMap((lane) => lane.running ?? []));
  }

  /**
   * The channels whose last sends all ran past their deadline: the bot still works and every
   * message is kept and retried, but members on that channel are waiting (reported by /healthz).
   */
  degraded(): string[] {
    return this.lanes
      .filter((lane) => lane.timeoutsInARow >= TIMEOUTS_BEFORE_DEGRADED)
      .map(
        (lane) =>
          `${lane.channel}: the last ${lane.timeoutsInARow} sends had no answer within ${lane.limits.sendTimeoutMs} ms; they are retried`,
      );
  }

  private deliverLane(lane: Lane): Promise<DispatchReport> {
    if (this.stopped) return Promise.resolve(nothing());
    if (lane.running) {
      lane.again = true;
      return lane.running;
    }
    lane.running = this.pass(lane).finally(() => {
      lane.running = null;
      if (lane.again) {
        lane.again = false;
        void this.deliverLane(lane);
      }
    });
    return lane.running;
  }

  /**
   * Writes what happened to a message; false when the store could not (nothing was written, and
   * the message is claimed again once its hold ends). A pass never rejects: it runs on timers.
   */
  private async record(message: OutboxMessage): Promise<boolean> {
    try {
      await this.repo.transact(async (tx) => tx.put('outbox', message));
      return true;
    } catch (err) {
      this.onError(message, err as Error);
      return false;
    }
  }

  /** Claims and sends a batch at a time until the lane has nothing due (or the dispatcher stops). */
  private async pass(lane: Lane): Promise<DispatchReport> {
    const report = nothing();
    for (;;) {
      const due = await this.claim(lane);
      await Promise.all(due.map(async (message) => this.deliver(message, lane, report)));
      if (due.length < lane.limits.batch || this.stopped) return report;
    }
  }

  private async claim(lane: Lane): Promise<OutboxMessage[]> {
    try {
      const now = this.clock.now().toISOString();
      return await this.repo.claimOutbox(now, this.options.leaseMs, lane.limits.batch, lane.channel);
    } catch (err) {
      // The store cannot be read now (a database outage): the next pass tries again.
      this.onError(null, err as Error);
      return [];
    }
  }

  /** The transport's answer within the lane's deadline: null when it accepted the message. */
  private async send(message: OutboxMessage, lane: Lane): Promise<Error | null> {
    // A code's text is kept in memory only (never in the data files): after a restart it is gone.
    if (SECRET_TEMPLATES.has(message.template) && !message.text) return new DeliveryError(LOST_SECRET, false);
    try {
      const transport = this.transportFor(message);
      await withinDeadline(
        (signal) => transport.send({ ...message }, signal),
        lane.limits.sendTimeoutMs,
        this.deadlineTimer,
      );
      lane.timeoutsInARow = 0;
      return null;
    } catch (err) {
      lane.timeoutsInARow = err instanceof SendTimeoutError ? lane.timeoutsInARow + 1 : 0;
      return err as Error;
    }
  }

  private async deliver(message: OutboxMessage, lane: Lane, report: DispatchReport): Promise<void> {
    const failure = await this.send(message, lane);
    const attempts = message.attempts + 1;
    if (!failure) {
      // If this cannot be written the message stays pending and is sent again later (the
      // receiver drops the duplicate by its id): the store never says sent before it was.
      const { lastError: _cleared, ...rest } = message;
      const sent = redactDone({ ...rest, status: 'sent', sentAt: this.clock.now().toISOString(), attempts });
      if (await this.record(sent)) report.sent += 1;
      else report.retrying += 1;
      return;
    }
    const retryable = !(failure instanceof DeliveryError) || failure.retryable;
    this.onError(message, failure);
    if (!retryable || attempts >= this.options.maxAttempts) {
      // A parked code can never be used, so it has no reason to stay readable in the store.
      await this.record(redactDone({ ...message, status: 'failed', attempts, lastError: failure.message }));
      report.failed += 1;
      return;
    }
    const delay = Math.min(this.options.baseDelayMs * 2 ** (attempts - 1), this.options.maxDelayMs);
    const nextAttemptAt = new Date(this.clock.now().getTime() + delay).toISOString();
    await this.record({ ...message, attempts, lastError: failure.message, nextAttemptAt });
    report.retrying += 1;
  }
}
