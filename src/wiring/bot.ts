import type { ConversationState, Middleware, TurnContext } from 'botbuilder';
import type { BotServices } from '../../dialogs/botServices.js';
import { MainDialog } from '../../dialogs/mainDialog.js';
import type { AppStorage } from '../appStorage.js';
import { MembershipBot } from '../bot.js';
import { PlainConversationState } from '../botframework/plainConversationState.js';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log.js';
import { MaskedTranscriptLogger, MaskedTranscriptMiddleware } from '../transcripts/maskedTranscriptLogger.js';
import { TurnLockMiddleware } from '../turnLockMiddleware.js';
import { turnErrorHandler } from '../turnErrorPolicy.js';

/** The bot, its dialogs and what every adapter running it must use. */
export interface BotWiring {
  bot: MembershipBot;
  conversationState: ConversationState;
  /** The turn lock first, then the masked transcript log when configured. */
  middleware: Middleware[];
  transcripts: MaskedTranscriptLogger | null;
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
}

/**
 * Builds the main dialog over the services, the bot that runs it, and the turn's middleware and error path.
 *
 * @param config - The app's configuration.
 * @param storage - The conversation state, turn lock and rate limits.
 * @param services - What the dialogs call.
 * @param clock - Dates the transcripts.
 * @param logger - Where turns and transcripts report.
 * @returns The bot and what its adapters need.
 */
export function wireBot(
  config: Config,
  storage: AppStorage,
  services: BotServices,
  clock: Clock,
  logger: Logger,
): BotWiring {
  const transcripts = config.TRANSCRIPTS_DIR
    ? new MaskedTranscriptLogger(
        { dir: config.TRANSCRIPTS_DIR, retentionDays: config.TRANSCRIPT_RETENTION_DAYS, idleMs: 60_000 },
        clock,
        logger,
      )
    : null;
  // The turn lock first, so that all of a turn runs under it.
  const middleware: Middleware[] = [
    new TurnLockMiddleware(storage.turnLock),
    ...(transcripts ? [new MaskedTranscriptMiddleware(transcripts)] : []),
  ];
  const conversationState = new PlainConversationState(storage.stateStorage);
  const bot = new MembershipBot({
    conversationState,
    mainDialog: new MainDialog(services, conversationState),
    defaultLocale: config.DEFAULT_LOCALE,
    logger,
    turnLimiter: storage.rateLimiter('turns-per-conversation', config.RATE_LIMIT_TURNS_PER_MINUTE, 60_000),
  });
  const onTurnError = turnErrorHandler({
    logger,
    defaultLocale: config.DEFAULT_LOCALE,
    dataFile: config.DB_FILE,
    conversationState,
  });
  return { bot, conversationState, middleware, transcripts, onTurnError };
}
