import { readFile } from 'node:fs/promises';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import { MainDialog } from '../dialogs/mainDialog.js';
import { MembershipBot } from './bot.js';
import type { Config } from './config.js';
import { systemClock, type Clock } from './core/clock.js';
import type { RandomSource } from './core/random.js';
import { t } from './i18n/messages.js';
import { toSupportedLocale } from './i18n/locale.js';
import { createLogger, type Logger } from './log.js';
import { dbSchema, type Db } from './model/schema.js';
import { JsonStateStorage } from './store/jsonStateStorage.js';
import { JsonStore } from './store/jsonStore.js';

export interface AppOverrides {
  clock?: Clock;
  random?: RandomSource;
  logger?: Logger;
  /** "memory" loads the seed into memory and never touches DB_FILE (tests, benchmarks). */
  db?: 'file' | 'memory';
  /** Replaces the file-backed conversation state, e.g. with botbuilder's MemoryStorage in tests. */
  stateStorage?: Storage;
}

export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  store: JsonStore<typeof dbSchema>;
  bot: MembershipBot;
  conversationState: ConversationState;
  /** Runs in the adapter's error path: logs, tells the user, clears that conversation's dialog. */
  onTurnError(context: TurnContext, error: Error): Promise<void>;
  createCloudAdapter(): CloudAdapter;
  /** Writes everything pending and releases the data files. */
  close(): Promise<void>;
}

async function readSeed(file: string): Promise<Db> {
  return dbSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

/** The composition root: the only place that knows every concrete class. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const store = overrides.db === 'memory'
    ? await JsonStore.open({ schema: dbSchema, file: null, initial: await readSeed(config.SEED_FILE) })
    : await JsonStore.open({ schema: dbSchema, file: config.DB_FILE, seedFile: config.SEED_FILE });

  let stateFile: JsonStateStorage | undefined;
  let stateStorage = overrides.stateStorage;
  if (!stateStorage) {
    try {
      stateFile = await JsonStateStorage.open(config.STATE_FILE, clock, config.STATE_IDLE_DAYS);
    } catch (err) {
      await store.close();
      throw err;
    }
    await stateFile.purgeIdle();
    stateStorage = stateFile;
  }
  const conversationState = new ConversationState(stateStorage);
  const mainDialog = new MainDialog();
  const bot = new MembershipBot({ conversationState, mainDialog, defaultLocale: config.DEFAULT_LOCALE });

  const onTurnError = async (context: TurnContext, error: Error): Promise<void> => {
    logger.error({ conversationId: context.activity.conversation?.id, err: error }, 'turn failed');
    const locale = toSupportedLocale(context.activity.locale) ?? config.DEFAULT_LOCALE;
    try {
      await context.sendActivity(t(locale, 'error.turn'));
      await conversationState.delete(context);
      await conversationState.saveChanges(context, true);
    } catch (inner) {
      logger.error({ conversationId: context.activity.conversation?.id, err: inner }, 'could not recover the conversation');
    }
  };

  return {
    config,
    logger,
    clock,
    store,
    bot,
    conversationState,
    onTurnError,
    createCloudAdapter() {
      const auth = new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: config.MicrosoftAppId,
        MicrosoftAppPassword: config.MicrosoftAppPassword,
        MicrosoftAppType: config.MicrosoftAppType,
        MicrosoftAppTenantId: config.MicrosoftAppTenantId,
      });
      const adapter = new CloudAdapter(auth);
      adapter.onTurnError = onTurnError;
      return adapter;
    },
    async close() {
      await store.close();
      await stateFile?.close();
    },
  };
}
