import { ActivityEventNames, ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { TurnLock } from './core/turnLock.js';

/**
 * Runs each turn under the TurnLock of its conversation (channel and conversation id), so the
 * turns of one conversation never overlap, on one instance or across instances: each reads the
 * conversation state and writes it back (PlainConversationState), and an overlap would make the
 * later write fail its compare-and-set. Put it before every other middleware, so all of the turn
 * runs under the lock.
 *
 * A proactive message (an in-app notice sent through continueConversation) reads no state, so it
 * is not held up behind a turn of its conversation. An activity without a conversation id has
 * no state to protect either.
 */
export class TurnLockMiddleware implements Middleware {
  constructor(private readonly lock: TurnLock) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { channelId, conversation, type, name } = context.activity;
    if (!conversation?.id || (type === ActivityTypes.Event && name === ActivityEventNames.ContinueConversation))
      return next();
    await this.lock.run(turnLockKey(channelId, conversation.id), next);
  }
}

/** The lock key of a conversation's turns. */
export function turnLockKey(channelId: string, conversationId: string): string {
  return `turn:${channelId}/${conversationId}`;
}

/**
 * The key under which the conversation state (botbuilder's ConversationState, no namespace) of the
 * conversation a turn lock key names is stored: the turn lock reads it with the lock.
 */
export function stateKeyOfTurnLock(lockKey: string): string | undefined {
  const named = /^turn:([^/]+)\/(.+)$/s.exec(lockKey);
  return named ? `${named[1]}/conversations/${named[2]}/` : undefined;
}
