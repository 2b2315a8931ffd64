import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log.js';
import type { Repository } from '../model/repository.js';
import { DEFAULT_DISPATCH, OutboxDispatcher } from '../notify/outboxDispatcher.js';
import type { Transport } from '../notify/transport.js';
import { ConsoleTransport } from '../notify/transports/consoleTransport.js';
import { FileTransport } from '../notify/transports/fileTransport.js';
import { SMTP_CONNECTIONS, SmtpTransport } from '../notify/transports/smtpTransport.js';
import { WebhookTransport } from '../notify/transports/webhookTransport.js';
import { WebhookEventTransport } from '../webhooks/webhookEventTransport.js';

/** The outbox's delivery: which transport takes each channel, and the dispatcher that sends. */
export interface NotificationWiring {
  dispatcher: OutboxDispatcher;
  /**
   * Hands in-app notices to a transport from now on.
   *
   * @param transport - Sends into the member's conversation; it needs the channel adapter, built later.
   * @remarks Until it is called, in-app notices go through NOTIFY_TRANSPORT like text messages.
   */
  useInApp(transport: Transport): void;
  /** Releases the SMTP pool, if any. */
  close(): void;
}

/**
 * Builds the transports NOTIFY_TRANSPORT and NOTIFY_EMAIL_TRANSPORT name and the outbox dispatcher over them.
 *
 * @param config - The app's configuration.
 * @param repository - The outbox's store.
 * @param clock - Dates leases and retries.
 * @param logger - Where failed sends are reported.
 * @param deliverOnCommit - Send as soon as a notice is committed (else only on the timer or on demand).
 * @returns The dispatcher and the hook for the in-app transport.
 */
export function wireNotifications(
  config: Config,
  repository: Repository,
  clock: Clock,
  logger: Logger,
  deliverOnCommit: boolean,
): NotificationWiring {
  const transport = mainTransport(config);
  // E-mail may leave through its own server while SMS keeps NOTIFY_TRANSPORT (the gateway or the file).
  const email =
    config.NOTIFY_EMAIL_TRANSPORT === 'smtp' ? new SmtpTransport(config.SMTP_URL!, config.MAIL_FROM!) : null;
  // Over SMTP, as many e-mails at once as the pool has connections, each within SMTP_SEND_TIMEOUT_MS.
  const emailLane = email ? { sendTimeoutMs: config.SMTP_SEND_TIMEOUT_MS, batch: SMTP_CONNECTIONS } : undefined;
  // The provider's webhook events, signed as each attempt is sent.
  const webhooks = new WebhookEventTransport(config.WEBHOOK_URLS, config.WEBHOOK_SECRET, clock);
  let inApp: Transport | null = null;
  const dispatcher = new OutboxDispatcher(
    repository,
    (message) =>
      message.channel === 'webhook'
        ? webhooks
        : message.channel === 'in-app' && inApp
          ? inApp
          : message.channel === 'email' && email
            ? email
            : transport,
    clock,
    { ...DEFAULT_DISPATCH, leaseMs: config.OUTBOX_LEASE_SECONDS * 1000, lanes: { email: emailLane } },
    (message, err) =>
      message
        ? logger.warn(
            { messageId: message.id, channel: message.channel, err: err.message },
            'notification not delivered yet',
          )
        : logger.warn({ err: err.message }, 'notifications cannot be read now; the next pass tries again'),
  );
  // Always listened to: on PostgreSQL this also hears the commits of other instances.
  repository.onOutbox(() => {
    if (deliverOnCommit) void dispatcher.deliverDue();
  });
  return {
    dispatcher,
    useInApp: (chosen) => {
      inApp = chosen;
    },
    close: () => email?.close(),
  };
}

/** The transport for text messages, and for e-mail unless SMTP is configured. */
function mainTransport(config: Config): Transport {
  if (config.NOTIFY_TRANSPORT === 'webhook')
    return new WebhookTransport(config.NOTIFY_WEBHOOK_URL!, config.NOTIFY_WEBHOOK_SECRET!);
  return config.NOTIFY_TRANSPORT === 'console' ? new ConsoleTransport() : new FileTransport(config.NOTIFY_OUTBOX_FILE);
}
