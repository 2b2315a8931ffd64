import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { CachingBotFrameworkAuthentication } from '../botframework/cachingBotFrameworkAuthentication.js';
import { HttpAdapter } from '../botframework/httpAdapter.js';
import type { Config } from '../config.js';
import type { Repository } from '../model/repository.js';
import { DeliveryError } from '../notify/transport.js';
import { InAppTransport } from '../notify/transports/inAppTransport.js';
import { noteName } from '../privacy/namesInTurn.js';
import type { ServiceUrlPolicy } from '../serviceUrlPolicy.js';
import { isPageConversation, type WebChatService } from '../web/webChatService.js';
import type { BotWiring } from './bot.js';

/** What the channels' adapter and its in-app transport are built from. */
export interface ChannelParts {
  config: Config;
  repository: Repository;
  bot: BotWiring;
  webChat: WebChatService;
  serviceUrls: ServiceUrlPolicy;
}

/**
 * Builds the Bot Framework adapter for the HTTP server and the in-app transport that sends through it.
 *
 * @param parts - The configuration's credentials, the bot's middleware and error path, the page's service.
 * @returns The adapter, and the transport for in-app notices (to the page, or to the member's channel).
 */
export function wireChannelAdapter(parts: ChannelParts): { adapter: HttpAdapter; inApp: InAppTransport } {
  const { config } = parts;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  });
  const adapter = new HttpAdapter(new CachingBotFrameworkAuthentication(auth));
  adapter.onTurnError = parts.bot.onTurnError;
  for (const m of parts.bot.middleware) adapter.use(m);
  const inApp = new InAppTransport(parts.repository, (reference, text, name, composedAt) =>
    isPageConversation(reference)
      ? parts.webChat.deliver(String((reference.conversation as { id?: unknown } | undefined)?.id), text, composedAt)
      : sendToChannel(parts, adapter, { reference, text, name }),
  );
  return { adapter, inApp };
}

/** One in-app notice for a channel conversation. */
interface ChannelNotice {
  reference: Record<string, unknown>;
  text: string;
  /** The member's name, which the transcript keeps masked. */
  name: string;
}

/** Sends a notice into a channel conversation; a refusal becomes a DeliveryError the outbox retries or parks. */
async function sendToChannel(parts: ChannelParts, adapter: HttpAdapter, notice: ChannelNotice): Promise<void> {
  const { reference, text, name } = notice;
  // A reference saved from an expectReplies turn names a serviceUrl nobody checked.
  if (!parts.serviceUrls.allows(String(reference.serviceUrl))) {
    throw new DeliveryError(
      "the conversation's serviceUrl is not allowed without authentication (see SERVICE_URL_ALLOWLIST)",
      false,
    );
  }
  // A failure inside the callback would go to onTurnError and the notice be recorded as sent: keep it here.
  let failure: (Error & { statusCode?: number }) | undefined;
  await adapter.continueConversationAsync(parts.config.MicrosoftAppId ?? '', reference, async (context) => {
    noteName(context, name);
    try {
      await context.sendActivity(text);
    } catch (err) {
      failure = err as Error;
    }
  });
  if (!failure) return;
  const status = failure.statusCode;
  // A 4xx other than 429 (the member left, the bot was removed) does not get better by retrying.
  const retryable = status === undefined || status === 429 || status >= 500;
  throw new DeliveryError(
    `the channel refused the message${status ? ` (HTTP ${status})` : ''}: ${failure.message}`,
    retryable,
  );
}
