import type { ConversationData } from '../../dialogs/conversationData.js';
import type { AppStorage } from '../appStorage.js';
import type { OtpService } from '../identity/otpService.js';
import type { Logger } from '../log.js';
import type { LifecycleService } from '../membership/lifecycleService.js';
import type { MembershipService } from '../membership/membershipService.js';
import type { OutboxDispatcher } from '../notify/outboxDispatcher.js';
import type { MaskedTranscriptLogger } from '../transcripts/maskedTranscriptLogger.js';

/** What the background passes run over. */
export interface BackgroundParts {
  storage: AppStorage;
  memberships: MembershipService;
  lifecycle: LifecycleService;
  otp: OtpService;
  dispatcher: OutboxDispatcher;
  transcripts: MaskedTranscriptLogger | null;
  logger: Logger;
}

/** The passes a long-running process runs on timers. */
export interface BackgroundWiring {
  /** Due cancellations, reminders, renewals and the retention periods; at start and hourly. */
  sweep: () => Promise<void>;
  /** Starts the outbox's delivery, the transcripts' flushing and the hourly sweep. */
  start: () => void;
  /** Stops the hourly sweep (the dispatcher and transcripts are stopped by their owner). */
  stop: () => void;
}

/** How often the outbox is delivered and the sweep runs. */
const DELIVERY_MS = 5000;
const SWEEP_MS = 60 * 60_000;

/**
 * Builds the sweep and the timers that run it.
 *
 * @param parts - The services the sweep calls, and what runs beside it.
 * @returns The sweep, and start and stop for its timers.
 */
export function wireBackground(parts: BackgroundParts): BackgroundWiring {
  let sweepTimer: NodeJS.Timeout | undefined;
  const sweep = async () => {
    await parts.memberships.sweep();
    await parts.lifecycle.run();
    await parts.otp.purgeStale();
    await parts.storage.purgeIdleState(worthKeeping);
  };
  return {
    sweep,
    start: () => {
      parts.dispatcher.start(DELIVERY_MS);
      parts.transcripts?.start();
      sweepTimer = setInterval(() => {
        sweep().catch((err: Error) => parts.logger.error({ err }, 'sweep failed'));
      }, SWEEP_MS);
      sweepTimer.unref();
    },
    stop: () => {
      if (sweepTimer) clearInterval(sweepTimer);
    },
  };
}

/**
 * Only a conversation whose member chose a language is worth the full STATE_IDLE_DAYS: anything else
 * idle for a day is over (its code has expired, its verification lapsed).
 */
function worthKeeping(value: Record<string, unknown>): boolean {
  return (value.conversationData as ConversationData | undefined)?.localeChosen === true;
}
