import type { BotState, TurnContext } from 'botbuilder';
import { toSupportedLocale, type ReplyLocale } from './i18n/languages.js';
import { t, type MessageKey } from './i18n/messages.js';
import type { Logger } from './log.js';
import { CommitOutcomeUnknownError } from './model/repositoryErrors.js';
import { DatabaseUnreachableError } from './store/postgres/pool.js';
import { TurnLockTimeoutError } from './store/postgres/postgresTurnLock.js';
import { StateConflictError, StateUnavailableError } from './store/stateTextStorage.js';
import { errorIn, storeWriteErrorIn } from './store/storeErrors.js';

/** What a failed turn tells the member, what it logs, and whether the conversation starts afresh. */
export interface TurnErrorVerdict {
  say: MessageKey;
  level: 'error' | 'warn';
  log: string;
  fields: Record<string, unknown>;
  /** Only an unexpected failure clears the conversation; after the others the member can send the same answer again. */
  clearConversation: boolean;
}

/**
 * Decides how to answer a turn that failed.
 *
 * @param error - What the turn threw, possibly wrapping the cause.
 * @param dataFile - DB_FILE: a write that failed there lost the member data's change, not only the state.
 * @returns The verdict; an error the policy does not know is the last case, which clears the conversation.
 * @remarks A commit whose outcome is unknown is never answered with "nothing was changed".
 */
export function turnErrorVerdict(error: Error, dataFile: string): TurnErrorVerdict {
  const unwritable = storeWriteErrorIn(error);
  if (unwritable) {
    // The member data rolled back, or only the state failed and a change confirmed earlier stands.
    const dataFailed = unwritable.file === dataFile || unwritable.file === `${dataFile}.journal`;
    return verdict(dataFailed ? 'error.storeUnavailable' : 'error.stateUnavailable', 'error', {
      log: 'turn failed: the data cannot be written',
      fields: { file: unwritable.file, errno: unwritable.errno },
    });
  }
  if (errorIn(error, CommitOutcomeUnknownError)) {
    // The same message again is answered once (by its request id) and says which way it went.
    return verdict('error.outcomeUnknown', 'error', {
      log: 'turn failed: the connection broke during a commit',
      fields: { err: error.message },
    });
  }
  const unreachable = errorIn(error, DatabaseUnreachableError) ?? errorIn(error, StateUnavailableError);
  if (unreachable) {
    const key = unreachable instanceof DatabaseUnreachableError ? 'error.storeUnavailable' : 'error.stateUnavailable';
    return verdict(key, 'error', {
      log: 'turn failed: the database cannot be reached',
      fields: { err: unreachable.message },
    });
  }
  if (errorIn(error, StateConflictError) ?? errorIn(error, TurnLockTimeoutError)) {
    // Another turn of this conversation ran at the same time: its state stands, so it is left alone.
    return verdict('error.turnOverlap', 'warn', {
      log: 'turn not run or not saved: another turn of the conversation overlapped it',
      fields: { err: error.message },
    });
  }
  return { say: 'error.turn', level: 'error', log: 'turn failed', fields: { err: error }, clearConversation: true };
}

function verdict(
  say: MessageKey,
  level: TurnErrorVerdict['level'],
  { log, fields }: Pick<TurnErrorVerdict, 'log' | 'fields'>,
): TurnErrorVerdict {
  return { say, level, log, fields, clearConversation: false };
}

/** What the turn-error handler works with. */
export interface TurnErrorParts {
  logger: Logger;
  /** The language to answer in when the turn's activity names none the bot speaks. */
  defaultLocale: ReplyLocale;
  /** DB_FILE (see {@link turnErrorVerdict}). */
  dataFile: string;
  /** Cleared after an unexpected failure, so the conversation starts afresh. */
  conversationState: BotState;
}

/**
 * The adapters' `onTurnError`: logs, tells the member, and clears the conversation when the verdict says so.
 *
 * @param parts - The logger, languages, data file and conversation state.
 * @returns A handler that never throws; a channel that cannot take even the apology is only logged.
 */
export function turnErrorHandler(parts: TurnErrorParts): (context: TurnContext, error: Error) => Promise<void> {
  const { logger, conversationState } = parts;
  return async (context, error) => {
    const locale = toSupportedLocale(context.activity.locale) ?? parts.defaultLocale;
    const conversationId = context.activity.conversation?.id;
    const verdict = turnErrorVerdict(error, parts.dataFile);
    logger[verdict.level]({ conversationId, ...verdict.fields }, verdict.log);
    try {
      await context.sendActivity(t(locale, verdict.say));
      if (!verdict.clearConversation) return;
      await conversationState.delete(context);
      await conversationState.saveChanges(context, true);
    } catch (inner) {
      const what = verdict.clearConversation ? 'could not recover the conversation' : 'could not tell the member';
      logger.error({ conversationId, err: inner }, what);
    }
  };
}
