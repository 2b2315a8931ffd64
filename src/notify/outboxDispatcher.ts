import type { Clock } from '../core/clock.js';
import type { Repository } from '../model/repository.js';
import type { OutboxMessage } from '../model/schema.js';
import { maskEmail, maskPhone } from '../privacy/mask.js';
import { SECRET_TEMPLATES } from './notifier.js';
import { DeliveryError, type Transport } from './transport.js';

export interface DispatcherOptions {
  /** Attempts before a message is parked as failed. */
  maxAttempts: number;
  /** First retry delay; each further retry waits twice as long, up to {@link maxDelayMs}. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * How long a claimed message is held by the instance sending it: longer than any transport's
   * timeout, so two instances never send it at once; an instance that dies mid-send lets it go then.
   */
  leaseMs: number;
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
/** Messages claimed a pass; a full batch starts another pass. */
const CLAIM_BATCH = 100;

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

/**
 * Delivers what the outbox holds. Messages were written in the same store write as the change
 * they announce, so whatever is pending after a crash is delivered after the restart; a message is
 * claimed (held for the lease) before it is sent, so of several instances one sends
 * it; it is marked sent only after its transport accepted it (at least once, with its id for the
 * receiver to drop duplicates), and one that keeps failing is parked with its last error.
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private running: Promise<DispatchReport> | null = null;
  private again = false;

  constructor(
    private readonly repo: Repository,
    private readonly transportFor: (message: OutboxMessage) => Transport,
    private readonly clock: Clock,
    private readonly options: DispatcherOptions = DEFAULT_DISPATCH,
    /** Told of each failure: a message's (its send, or recording what happened), or the claim's (message null). */
    private readonly onError: (message: OutboxMessage | null, error: Error) => void = () => undefined,
  ) {}

  /** Delivers every message that is due now; concurrent calls share one pass and queue another. */
  deliverDue(): Promise<DispatchReport> {
    if (this.stopped) return Promise.resolve({ sent: 0, retrying: 0, failed: 0 });
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.deliverDue();
      }
    });
    return this.running;
  }

  /** Delivers due messages now and then every `intervalMs` until {@link stop}. */
  start(intervalMs: number): void {
    void this.deliverDue();
    this.timer = setInterval(() => void this.deliverDue(), intervalMs);
    this.timer.unref();
  }

  /** No pass starts after this; the one under way finishes (its messages are recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
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

  private async pass(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retrying: 0, failed: 0 };
    let due: OutboxMessage[];
    try {
      due = await this.repo.claimOutbox(this.clock.now().toISOString(), this.options.leaseMs, CLAIM_BATCH);
    } catch (err) {
      // The store cannot be read now (a database outage): the next pass tries again.
      this.onError(null, err as Error);
      return report;
    }
    await Promise.all(due.map(async (message) => this.deliver(message, report)));
    if (due.length === CLAIM_BATCH) this.again = true;
    return report;
  }

  private async deliver(message: OutboxMessage, report: DispatchReport): Promise<void> {
    let failure: Error | null = null;
    try {
      // A code's text is kept in memory only (never in the data files): after a restart it is gone.
      if (SECRET_TEMPLATES.has(message.template) && !message.text) throw new DeliveryError(LOST_SECRET, false);
      await this.transportFor(message).send({ ...message });
    } catch (err) {
      failure = err as Error;
    }
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
