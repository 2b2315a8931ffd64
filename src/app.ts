import {
  ConfigurationBotFrameworkAuthentication,
  type ConversationState,
  type Middleware,
  type TurnContext,
} from 'botbuilder';
import { MainDialog } from '../dialogs/mainDialog.js';
import { welcomeActivity } from '../dialogs/menu.js';
import type { BotServices } from '../dialogs/botServices.js';
import type { ConversationData } from '../dialogs/conversationData.js';
import { CachingBotFrameworkAuthentication } from './botframework/cachingBotFrameworkAuthentication.js';
import { MembershipBot } from './bot.js';
import { TurnLockMiddleware } from './turnLockMiddleware.js';
import { openStorage, type StorageOverrides } from './appStorage.js';
import { type Config } from './config.js';
import { LOCALES, toSupportedLocale } from './i18n/languages.js';
import { systemClock, type Clock } from './core/clock.js';
import { cryptoRandom, type RandomSource } from './core/random.js';
import type { RateLimiter } from './core/rateLimiter.js';
import { parseIdentifier } from './identity/identifier.js';
import { claimedUserId, verifyMemberToken } from './identity/hostToken.js';
import { OtpService } from './identity/otpService.js';
import { ApiKeyService } from './api/apiKeyService.js';
import { MemberService } from './membership/memberService.js';
import { LifecycleService } from './membership/lifecycleService.js';
import { PriceChangeService } from './membership/priceChangeService.js';
import { CancelLinks } from './web/cancelLink.js';
import { billingFor } from './billing/billingAdapter.js';
import type { BillingPort } from './membership/billing.js';
import { MembershipService } from './membership/membershipService.js';
import { Notifier } from './notify/notifier.js';
import { PersonalDataService } from './privacy/personalDataService.js';
import { DEFAULT_DISPATCH, OutboxDispatcher } from './notify/outboxDispatcher.js';
import { ConsoleTransport } from './notify/transports/consoleTransport.js';
import { FileTransport } from './notify/transports/fileTransport.js';
import { InAppTransport } from './notify/transports/inAppTransport.js';
import { SMTP_CONNECTIONS, SmtpTransport } from './notify/transports/smtpTransport.js';
import { WebhookTransport } from './notify/transports/webhookTransport.js';
import { loadPersonalDataKeys } from './store/personalDataKeys.js';
import type { storedDbSchema } from './store/sealedRecords.js';
import { loadSecret, OTP_HASH_KEY, WEBCHAT_TOKEN_KEY } from './store/secretFiles.js';
import { TurnLockTimeoutError } from './store/postgres/postgresTurnLock.js';
import { errorIn, storeWriteErrorIn } from './store/storeErrors.js';
import { StateConflictError, StateUnavailableError } from './store/stateTextStorage.js';
import { CommitOutcomeUnknownError } from './model/repositoryErrors.js';
import { DatabaseUnreachableError } from './store/postgres/pool.js';
import { MaskedTranscriptLogger, MaskedTranscriptMiddleware } from './transcripts/maskedTranscriptLogger.js';
import { noteName } from './privacy/namesInTurn.js';
import { t, type MessageKey } from './i18n/messages.js';
import { createLogger, type Logger } from './log.js';
import type { Repository } from './model/repository.js';
import type { JsonStore } from './store/jsonStore.js';
import { PlainConversationState } from './botframework/plainConversationState.js';
import { HttpAdapter } from './botframework/httpAdapter.js';
import { ServiceUrlPolicy } from './serviceUrlPolicy.js';
import { DeliveryError, type Transport } from './notify/transport.js';
import { loadModels } from './nlu/models.js';
import { Understanding } from './nlu/understanding.js';
import { WebChatAdapter } from './web/webChatAdapter.js';
import { WebChatHistory } from './web/webChatHistory.js';
import { WebChatSessions } from './web/webChatSessions.js';
import { isPageConversation, WebChatService } from './web/webChatService.js';
import { WebChatTokens } from './web/webChatToken.js';

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

/** The composition root: the only place that knows every concrete class. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  // Before any file is opened: a missing model stops the start with nothing written.
  const understanding = new Understanding(await loadModels(LOCALES));
  const secretsDir = overrides.db === 'memory' ? null : config.SECRETS_DIR;
  // Read now, generated (development) only once every data file has been checked.
  const personalDataKeys = loadPersonalDataKeys(
    { keys: config.PERSONAL_DATA_KEYS, indexKey: config.PERSONAL_DATA_INDEX_KEY },
    secretsDir,
    cryptoRandom,
  );
  let hashKey!: () => string;
  let webChatKey!: () => string;
  const storage = await openStorage({
    config,
    overrides,
    clock,
    logger,
    personalDataKeys,
    checkBeforeWriting: () => {
      hashKey = loadSecret(OTP_HASH_KEY, config.OTP_HASH_SECRET, secretsDir, cryptoRandom);
      webChatKey = loadSecret(WEBCHAT_TOKEN_KEY, config.WEBCHAT_TOKEN_SECRET, secretsDir, cryptoRandom);
    },
  });
  const { repository, stateStorage } = storage;
  const random = overrides.random ?? cryptoRandom;
  let deliverNow: () => void = () => undefined;
  repository.onOutbox(() => deliverNow());
  const notifier = new Notifier(clock, random);
  const webChatHistory = new WebChatHistory(stateStorage, config.DEFAULT_LOCALE);
  const memberships = new MembershipService(repository, notifier, clock, random, config.AUDIT_RETENTION_DAYS);
  const cancelLinks = new CancelLinks(webChatKey(), config.CHAT_PAGE_URL);
  const lifecycle = new LifecycleService(
    repository,
    notifier,
    overrides.billing ?? billingFor(config, clock, random, overrides.db === 'memory'),
    clock,
    random,
    {
      graceDays: config.RENEWAL_GRACE_DAYS,
      reminders: config.reminderPolicy,
    },
    (membershipId, err) =>
      logger.warn(
        { membershipId, err: err.message },
        'the billing did not answer; the renewal is tried again next pass',
      ),
    (membershipId, until) => cancelLinks.link(membershipId, until),
  );
  const otp = new OtpService(
    repository,
    notifier,
    clock,
    random,
    {
      ttlSeconds: config.OTP_TTL_SECONDS,
      maxAttempts: config.OTP_MAX_ATTEMPTS,
      resendSeconds: config.OTP_RESEND_SECONDS,
      maxPerHour: config.OTP_MAX_PER_HOUR,
      deadCodesBeforeThrottle: config.OTP_DEAD_CODES_BEFORE_THROTTLE,
      throttleMinutes: config.OTP_THROTTLE_MINUTES,
      identifiersPerConversation: config.OTP_IDENTIFIERS_PER_CONVERSATION,
      guessesPerAddress: config.OTP_GUESSES_PER_HOUR_PER_ADDRESS,
      guessesPerRange: config.OTP_GUESSES_PER_HOUR_PER_RANGE,
    },
    hashKey(),
  );
  const services: BotServices = {
    config,
    clock,
    otp,
    memberships,
    understanding,
    members: new MemberService(repository, clock, random),
    priceChanges: new PriceChangeService(repository, clock, random, config.reminderPolicy),
    readCancelLink: (token) => cancelLinks.read(token, clock.now()),
    personalData: new PersonalDataService(
      repository,
      notifier,
      clock,
      random,
      (member) => otp.challengeIdentifiers(member),
      webChatHistory,
    ),
    parseIdentifier: (text) => {
      const spoken = understanding.spokenDigits(text);
      const email = understanding.spokenEmail(text);
      return (
        parseIdentifier(text, config.DEFAULT_COUNTRY) ??
        (spoken === null ? null : parseIdentifier(spoken, config.DEFAULT_COUNTRY)) ??
        (email === null ? null : parseIdentifier(email, config.DEFAULT_COUNTRY))
      );
    },
    verifyMemberToken: (token, userId) =>
      verifyMemberToken(
        token,
        userId,
        {
          secret: config.MEMBER_TOKEN_SECRET,
          issuer: config.MEMBER_TOKEN_ISSUER,
          audience: config.MEMBER_TOKEN_AUDIENCE,
        },
        clock,
      ),
    newRequestId: () => `req-${random.hex(8)}`,
  };
  const transport: Transport =
    config.NOTIFY_TRANSPORT === 'webhook'
      ? new WebhookTransport(config.NOTIFY_WEBHOOK_URL!, config.NOTIFY_WEBHOOK_SECRET!)
      : config.NOTIFY_TRANSPORT === 'console'
        ? new ConsoleTransport()
        : new FileTransport(config.NOTIFY_OUTBOX_FILE);
  // E-mail may leave through its own server while SMS keeps NOTIFY_TRANSPORT (the gateway or the file).
  const email =
    config.NOTIFY_EMAIL_TRANSPORT === 'smtp' ? new SmtpTransport(config.SMTP_URL!, config.MAIL_FROM!) : null;
  // E-mail over SMTP: as many at once as the pool has connections, each within SMTP_SEND_TIMEOUT_MS.
  const emailLane = email ? { sendTimeoutMs: config.SMTP_SEND_TIMEOUT_MS, batch: SMTP_CONNECTIONS } : undefined;
  let inApp: Transport | null = null;
  const dispatcher = new OutboxDispatcher(
    repository,
    (message) =>
      message.channel === 'in-app' && inApp ? inApp : message.channel === 'email' && email ? email : transport,
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
  if (overrides.deliverOnCommit ?? true) deliverNow = () => void dispatcher.deliverDue();
  // Only a conversation whose member chose a language is worth the full STATE_IDLE_DAYS: anything
  // else in a state idle for a day is over (its code has expired, its verification lapsed).
  const worthKeeping = (value: Record<string, unknown>) =>
    (value.conversationData as ConversationData | undefined)?.localeChosen === true;
  const sweep = async () => {
    await memberships.sweep();
    await lifecycle.run();
    await services.otp.purgeStale();
    await storage.purgeIdleState(worthKeeping);
  };
  try {
    await sweep();
  } catch (err) {
    // A start that fails here (a full disk, a database gone) releases what it opened.
    email?.close();
    await dispatcher.stop();
    await storage.close().catch(() => undefined);
    throw err;
  }
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
  let sweepTimer: NodeJS.Timeout | undefined;
  const rateLimiter = (name: string, limit: number, windowMs: number) => storage.rateLimiter(name, limit, windowMs);
  const conversationState = new PlainConversationState(stateStorage);
  const mainDialog = new MainDialog(services, conversationState);
  const bot = new MembershipBot({
    conversationState,
    mainDialog,
    defaultLocale: config.DEFAULT_LOCALE,
    logger,
    turnLimiter: rateLimiter('turns-per-conversation', config.RATE_LIMIT_TURNS_PER_MINUTE, 60_000),
  });

  const serviceUrls = new ServiceUrlPolicy(Boolean(config.MicrosoftAppId), config.SERVICE_URL_ALLOWLIST);

  const onTurnError = async (context: TurnContext, error: Error): Promise<void> => {
    const locale = toSupportedLocale(context.activity.locale) ?? config.DEFAULT_LOCALE;
    const conversationId = context.activity.conversation?.id;
    /** Tells the member what happened; a channel that cannot take even that is only logged. */
    const tell = (key: MessageKey) =>
      context.sendActivity(t(locale, key)).catch((inner: Error) => {
        logger.error({ conversationId, err: inner }, 'could not tell the member');
      });
    const unwritable = storeWriteErrorIn(error);
    if (unwritable) {
      // The conversation's saved state is still the one before the turn, so the member can simply
      // send the same answer again. If the member data could not be written, nothing of the turn
      // was kept (the store rolled it back); if only the conversation state could not, a change
      // confirmed earlier in the turn (with its reference) stands, and the member is told so.
      const dataFailed = unwritable.file === config.DB_FILE || unwritable.file === `${config.DB_FILE}.journal`;
      logger.error(
        { conversationId, file: unwritable.file, errno: unwritable.errno },
        'turn failed: the data cannot be written',
      );
      await tell(dataFailed ? 'error.storeUnavailable' : 'error.stateUnavailable');
      return;
    }
    if (errorIn(error, CommitOutcomeUnknownError)) {
      // The change may stand: never "nothing was changed". The same message again is answered
      // once (a cancellation by its request id) and tells the member which it was.
      logger.error({ conversationId, err: error.message }, 'turn failed: the connection broke during a commit');
      await tell('error.outcomeUnknown');
      return;
    }
    const unreachable = errorIn(error, DatabaseUnreachableError) ?? errorIn(error, StateUnavailableError);
    if (unreachable) {
      // The member data's transaction did not commit (nothing of it was kept); or only the state
      // could not be read or saved, and what the turn committed before (with its reference) stands.
      logger.error({ conversationId, err: unreachable.message }, 'turn failed: the database cannot be reached');
      await tell(unreachable instanceof DatabaseUnreachableError ? 'error.storeUnavailable' : 'error.stateUnavailable');
      return;
    }
    if (errorIn(error, StateConflictError) ?? errorIn(error, TurnLockTimeoutError)) {
      // Another turn of this conversation ran at the same time (its lock lost, or held past the
      // wait): that turn's state stands, so it is neither cleared nor overwritten here, and the
      // member sends the message again.
      logger.warn(
        { conversationId, err: error.message },
        'turn not run or not saved: another turn of the conversation overlapped it',
      );
      await tell('error.turnOverlap');
      return;
    }
    logger.error({ conversationId, err: error }, 'turn failed');
    try {
      await context.sendActivity(t(locale, 'error.turn'));
      await conversationState.delete(context);
      await conversationState.saveChanges(context, true);
    } catch (inner) {
      logger.error({ conversationId, err: inner }, 'could not recover the conversation');
    }
  };

  const webChatAdapter = new WebChatAdapter();
  webChatAdapter.onTurnError = onTurnError;
  for (const m of middleware) webChatAdapter.use(m);
  const webChat = new WebChatService({
    adapter: webChatAdapter,
    history: webChatHistory,
    tokens: new WebChatTokens(
      webChatKey(),
      config.WEBCHAT_TOKEN_MINUTES * 60,
      clock,
      config.WEBCHAT_SESSION_MINUTES * 60,
    ),
    sessions: new WebChatSessions(stateStorage, clock),
    clock,
    random,
    runBot: (context) => bot.run(context),
    welcome: async (context) => {
      await context.sendActivity(welcomeActivity(context));
    },
    startsPerAddress: rateLimiter('webchat-starts-per-address', config.WEBCHAT_STARTS_PER_HOUR_PER_ADDRESS, 3_600_000),
    anonymousStarts: rateLimiter('webchat-anonymous-starts', config.WEBCHAT_ANONYMOUS_STARTS_PER_HOUR, 3_600_000),
    memberTokenUser: async (token) => {
      const userId = claimedUserId(token);
      const vouched = userId ? services.verifyMemberToken(token, userId) : null;
      return userId && vouched && (await services.members.exists(vouched.memberId))
        ? { userId, expiresAt: vouched.expiresAt }
        : null;
    },
    defaultLocale: config.DEFAULT_LOCALE,
  });

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
    rateLimiter,
    transcripts,
    webChat,
    apiKeys: new ApiKeyService(repository, clock, random),
    onTurnError,
    createAdapter() {
      const auth = new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: config.MicrosoftAppId,
        MicrosoftAppPassword: config.MicrosoftAppPassword,
        MicrosoftAppType: config.MicrosoftAppType,
        MicrosoftAppTenantId: config.MicrosoftAppTenantId,
      });
      const adapter = new HttpAdapter(new CachingBotFrameworkAuthentication(auth));
      adapter.onTurnError = onTurnError;
      for (const m of middleware) adapter.use(m);
      inApp = new InAppTransport(repository, async (reference, text, name) => {
        if (isPageConversation(reference))
          return webChat.deliver(String((reference.conversation as { id?: unknown } | undefined)?.id), text);
        // A reference saved from an expectReplies turn names a serviceUrl nobody checked.
        if (!serviceUrls.allows(String(reference.serviceUrl))) {
          throw new DeliveryError(
            "the conversation's serviceUrl is not allowed without authentication (see SERVICE_URL_ALLOWLIST)",
            false,
          );
        }
        // The adapter hands a failure inside this callback to onTurnError, which handles it and
        // returns: the notice would be recorded as sent. Keep the failure and give it to the outbox.
        let failure: (Error & { statusCode?: number }) | undefined;
        await adapter.continueConversationAsync(config.MicrosoftAppId ?? '', reference, async (context) => {
          // A copy of the member's data names them: the transcript keeps the name masked.
          noteName(context, name);
          try {
            await context.sendActivity(text);
          } catch (err) {
            failure = err as Error;
          }
        });
        if (failure) {
          const status = failure.statusCode;
          // A 4xx other than 429 (the member left, the bot was removed) does not get better by retrying.
          const retryable = status === undefined || status === 429 || status >= 500;
          throw new DeliveryError(
            `the channel refused the message${status ? ` (HTTP ${status})` : ''}: ${failure.message}`,
            retryable,
          );
        }
      });
      return adapter;
    },
    sweep,
    startBackgroundWork() {
      dispatcher.start(5000);
      transcripts?.start();
      sweepTimer = setInterval(() => {
        sweep().catch((err: Error) => logger.error({ err }, 'sweep failed'));
      }, 60 * 60_000);
      sweepTimer.unref();
    },
    async health() {
      const problems = await storage.problems();
      return { ok: problems.length === 0, problems, degraded: dispatcher.degraded() };
    },
    async close() {
      if (sweepTimer) clearInterval(sweepTimer);
      await dispatcher.stop();
      email?.close();
      await transcripts?.close();
      await storage.close();
    },
  };
}
