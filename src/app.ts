import type { ConversationState, Middleware, TurnContext } from 'botbuilder';
import type { BotServices } from '../dialogs/botServices.js';
import type { MembershipBot } from './bot.js';
import type { AppStorage, StorageOverrides } from './appStorage.js';
import { type Config } from './config.js';
import { LOCALES } from './i18n/languages.js';
import { systemClock, type Clock } from './core/clock.js';
import { cryptoRandom, type RandomSource } from './core/random.js';
import type { RateLimiter } from './core/rateLimiter.js';
import { ApiKeyService } from './api/apiKeyService.js';
import type { BillingPort } from './membership/billing.js';
import type { OutboxDispatcher } from './notify/outboxDispatcher.js';
import type { storedDbSchema } from './store/sealedRecords.js';
import type { MaskedTranscriptLogger } from './transcripts/maskedTranscriptLogger.js';
import { createLogger, type Logger } from './log.js';
import type { Repository } from './model/repository.js';
import type { JsonStore } from './store/json/jsonStore.js';
import type { HttpAdapter } from './botframework/httpAdapter.js';
import { ServiceUrlPolicy } from './serviceUrlPolicy.js';
import { loadModels } from './nlu/models.js';
import { Understanding } from './nlu/understanding.js';
import { WebChatHistory } from './web/webChatHistory.js';
import type { WebChatService } from './web/webChatService.js';
import { wireBackground, type BackgroundWiring } from './wiring/background.js';
import { wireBot } from './wiring/bot.js';
import { wireChannelAdapter } from './wiring/channelAdapter.js';
import { wireNotifications, type NotificationWiring } from './wiring/notifications.js';
import { wireServices } from './wiring/services.js';
import { wireStorage } from './wiring/storage.js';
import { wireWebChat } from './wiring/webChat.js';
import type { ProviderWiring } from './wiring/provider.js';

export interface AppOverrides extends StorageOverrides {
  clock?: Clock;
  random?: RandomSource;
  logger?: Logger;
  /**
   * Deliver new notifications as soon as they are committed (true), or only when
   * `dispatcher.deliverDue()` is called and on the background timer (tests that inspect the outbox
   * before delivery).
   */
  deliverOnCommit?: boolean;
  /** The provider's billing; else the development adapter (BILLING_FILE, or memory with `db: 'memory'`). */
  billing?: BillingPort;
}

export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  /** The JSON store when it is the engine (tests read it); null on PostgreSQL. */
  store: JsonStore<typeof storedDbSchema> | null;
  /** The member data, on whichever engine. */
  repository: Repository;
  bot: MembershipBot;
  conversationState: ConversationState;
  services: BotServices;
  dispatcher: OutboxDispatcher;
  /** Which serviceUrls replies may be sent to (all when authenticated). */
  serviceUrls: ServiceUrlPolicy;
  /** Middleware every adapter of this app must use: the turn lock, and the masked transcript log when configured. */
  middleware: Middleware[];
  /** A rate limiter of this app's kind; `name` keeps its counts apart from the other limiters'. */
  rateLimiter(name: string, limit: number, windowMs: number): RateLimiter;
  transcripts: MaskedTranscriptLogger | null;
  /** The provider's API keys (src/api): made by `npm run api:key`, checked on every /v1 request. */
  apiKeys: ApiKeyService;
  /** Webhook events, renewals and records from the provider (src/wiring/provider.ts). */
  provider: ProviderWiring;
  /** The bot's own web page's conversations (same-origin endpoint, signed tokens, history in the state storage). */
  webChat: WebChatService;
  /** Runs in the adapter's error path: logs, tells the user, clears that conversation's dialog. */
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  /** The Bot Framework adapter for the HTTP server, with this app's auth, middleware and error path. */
  createAdapter(): HttpAdapter;
  /** Delivers the outbox and runs {@link sweep} on timers, for long-running processes. */
  startBackgroundWork(): void;
  /**
   * Applies due cancellations, sends due renewal reminders, renews or ends memberships whose period
   * is over, and applies the retention periods: idle conversation state, ended code challenges,
   * audit entries past AUDIT_RETENTION_DAYS. Run at start and every hour.
   */
  sweep(): Promise<void>;
  /**
   * Whether the service can keep its promises: false while a data file cannot be written (each is
   * probed again on every call, so the answer turns true as soon as writes succeed). `degraded`
   * names a notification channel whose sends keep running past their deadline: the bot works, and
   * its messages are kept and retried, but they are late.
   */
  health(): Promise<{ ok: boolean; problems: string[]; degraded: string[] }>;
  /** Writes everything pending and releases the data files. */
  close(): Promise<void>;
}

/** The composition root: the only place that knows every concrete class. Each step is a builder in src/wiring. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? cryptoRandom;
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  // Before any file is opened: a missing model stops the start with nothing written.
  const understanding = new Understanding(await loadModels(LOCALES));
  const { storage, otpHashKey, webChatKey } = await wireStorage(config, overrides, clock, logger);
  const { repository, stateStorage } = storage;
  const notifications = wireNotifications(config, repository, clock, logger, overrides.deliverOnCommit ?? true);
  const { dispatcher } = notifications;
  const webChatHistory = new WebChatHistory(stateStorage, config.DEFAULT_LOCALE);
  const root = { config, clock, random, logger };
  const parts = { repository, understanding, otpHashKey, webChatKey, conversationCopies: webChatHistory };
  const { services, lifecycle, provider } = wireServices(root, {
    ...parts,
    billing: overrides.billing ?? null,
    inMemory: overrides.db === 'memory',
  });
  const botWiring = wireBot(config, storage, services, clock, logger);
  const { bot, conversationState, middleware, transcripts, onTurnError } = botWiring;
  const { memberships, otp } = services;
  const background = wireBackground({ storage, memberships, lifecycle, otp, dispatcher, transcripts, logger });
  await firstSweep(background, { storage, notifications });
  const webChat = wireWebChat(root, { storage, services, bot: botWiring, history: webChatHistory, webChatKey });
  const serviceUrls = new ServiceUrlPolicy(Boolean(config.MicrosoftAppId), config.SERVICE_URL_ALLOWLIST);
  return {
    config,
    logger,
    clock,
    store: storage.store,
    repository,
    bot,
    conversationState,
    services,
    dispatcher,
    serviceUrls,
    middleware,
    transcripts,
    webChat,
    onTurnError,
    sweep: background.sweep,
    rateLimiter: (name, limit, windowMs) => storage.rateLimiter(name, limit, windowMs),
    apiKeys: new ApiKeyService(repository, clock, random),
    provider,
    createAdapter() {
      const { adapter, inApp } = wireChannelAdapter({ config, repository, bot: botWiring, webChat, serviceUrls });
      notifications.useInApp(inApp);
      return adapter;
    },
    startBackgroundWork: background.start,
    health: () => healthOf(storage, dispatcher),
    close: () => closeAll({ background, notifications, transcripts, storage }),
  };
}

/** Ready when the storage can write; late but working when a channel's sends run past their deadline. */
async function healthOf(storage: AppStorage, dispatcher: OutboxDispatcher) {
  const problems = await storage.problems();
  return { ok: problems.length === 0, problems, degraded: dispatcher.degraded() };
}

/** Stops the timers and delivery, then writes what is pending and releases the files. */
async function closeAll(parts: {
  background: BackgroundWiring;
  notifications: NotificationWiring;
  transcripts: MaskedTranscriptLogger | null;
  storage: AppStorage;
}): Promise<void> {
  parts.background.stop();
  await parts.notifications.dispatcher.stop();
  parts.notifications.close();
  await parts.transcripts?.close();
  await parts.storage.close();
}

/** Runs the sweep once at start; a start that fails here (a full disk, a database gone) releases what it opened. */
async function firstSweep(
  background: BackgroundWiring,
  opened: { storage: AppStorage; notifications: NotificationWiring },
): Promise<void> {
  try {
    await background.sweep();
  } catch (err) {
    opened.notifications.close();
    await opened.notifications.dispatcher.stop();
    await opened.storage.close().catch(() => undefined);
    throw err;
  }
}
