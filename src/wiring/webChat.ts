import type { BotServices } from '../../dialogs/botServices.js';
import { welcomeActivity } from '../../dialogs/menu.js';
import type { AppStorage } from '../appStorage.js';
import { claimedUserId } from '../identity/hostToken.js';
import { WebChatAdapter } from '../web/webChatAdapter.js';
import type { WebChatHistory } from '../web/webChatHistory.js';
import { WebChatService } from '../web/webChatService.js';
import { WebChatSessions } from '../web/webChatSessions.js';
import { WebChatTokens } from '../web/webChatToken.js';
import type { BotWiring } from './bot.js';
import type { Root } from './root.js';

/** What the chat page's service is built from. */
export interface WebChatParts {
  storage: AppStorage;
  services: BotServices;
  bot: BotWiring;
  history: WebChatHistory;
  /** Signs the page's conversation tokens (a generated key is written when first asked for). */
  webChatKey: () => string;
}

/**
 * Builds the bot's own web page's conversations: an adapter with the bot's middleware and error path,
 * signed tokens, sessions and history in the state storage, and the start limits.
 *
 * @param root - The configuration, clock and random source.
 * @param parts - The bot, its services and storage, and the page's secret.
 * @returns The service the page's routes call.
 */
export function wireWebChat(root: Root, parts: WebChatParts): WebChatService {
  const { config, clock } = root;
  const { storage, services, bot } = parts;
  const adapter = new WebChatAdapter();
  adapter.onTurnError = bot.onTurnError;
  for (const m of bot.middleware) adapter.use(m);
  const tokenSeconds = config.WEBCHAT_TOKEN_MINUTES * 60;
  return new WebChatService({
    adapter,
    history: parts.history,
    tokens: new WebChatTokens(parts.webChatKey(), tokenSeconds, clock, config.WEBCHAT_SESSION_MINUTES * 60),
    sessions: new WebChatSessions(storage.stateStorage, clock),
    clock,
    random: root.random,
    runBot: (context) => bot.bot.run(context),
    welcome: async (context) => {
      await context.sendActivity(welcomeActivity(context));
    },
    startsPerAddress: storage.rateLimiter(
      'webchat-starts-per-address',
      config.WEBCHAT_STARTS_PER_HOUR_PER_ADDRESS,
      3_600_000,
    ),
    anonymousStarts: storage.rateLimiter(
      'webchat-anonymous-starts',
      config.WEBCHAT_ANONYMOUS_STARTS_PER_HOUR,
      3_600_000,
    ),
    memberTokenUser: async (token) => {
      const userId = claimedUserId(token);
      const vouched = userId ? services.verifyMemberToken(token, userId) : null;
      return userId && vouched && (await services.members.exists(vouched.memberId))
        ? { userId, expiresAt: vouched.expiresAt }
        : null;
    },
    defaultLocale: config.DEFAULT_LOCALE,
  });
}
