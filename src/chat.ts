import { createInterface } from 'node:readline/promises';
import { stdin, stdout } from 'node:process';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { config as loadDotenv } from 'dotenv';
import { createApp } from './app.js';
import { ChatOverHttp, ChatServerError, runningServerUrl } from './chatOverHttp.js';
import { loadConfig, type Config } from './config.js';
import { REPLY_LOCALES, type ReplyLocale } from './i18n/languages.js';
import { renderForTerminal } from './terminalRender.js';
import { isStartError } from './startErrors.js';

/** What the terminal shows of the bot's replies, and the choices a number picks from. */
class Screen {
  choices: string[] = [];

  show(activities: Partial<Activity>[]): void {
    for (const activity of activities) {
      if (activity.type !== ActivityTypes.Message) continue;
      const rendered = renderForTerminal(activity);
      if (rendered.choices.length) this.choices = rendered.choices;
      stdout.write(`\n${rendered.text}\n`);
    }
  }
}

/** Delivers the bot's replies to the terminal; the channel id "chat" is a text channel with buttons. */
class TerminalAdapter extends BotAdapter {
  constructor(private readonly screen: Screen) {
    super();
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.screen.show(activities);
    return activities.map((_, i) => ({ id: String(i) }));
  }

  async updateActivity(): Promise<ResourceResponse | void> {
    throw new Error('The terminal cannot edit what it printed.');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('The terminal cannot delete what it printed.');
  }

  async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continue' },
      reference,
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async receive(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

/** One turn of the terminal's conversation, wherever the bot runs; `close` ends the session. */
interface Session {
  turn(activity: Partial<Activity>): Promise<void>;
  close(): Promise<void>;
  /** Where one-time codes go, for the first lines printed. */
  codes: string;
}

/** The bot in this process, with the same composition as the server (the store opened here). */
async function inProcess(config: Config, screen: Screen): Promise<Session> {
  const app = await createApp(config);
  app.startBackgroundWork();
  const adapter = new TerminalAdapter(screen);
  adapter.onTurnError = app.onTurnError;
  for (const m of app.middleware) adapter.use(m);
  return {
    turn: (activity) => adapter.receive(activity, (ctx) => app.bot.run(ctx)),
    close: () => app.close(),
    codes: deliveredBy(app.config),
  };
}

/** The bot of the server already running here, over HTTP (src/chatOverHttp.ts says why). */
function overHttp(url: string, config: Config, screen: Screen): Session {
  const server = new ChatOverHttp(url);
  return {
    turn: async (activity) => screen.show(await server.send(activity)),
    close: async () => undefined,
    codes: `${deliveredBy(config)} (as the server at ${url}/ is configured; this terminal reads the same settings)`,
  };
}

const deliveredBy = (config: Config) =>
  `the "${config.NOTIFY_TRANSPORT}" transport${config.NOTIFY_TRANSPORT === 'file' ? ` to ${config.NOTIFY_OUTBOX_FILE}` : ''}`;

/**
 * `npm run chat`: talk to the bot in this terminal: to the server on the configured port when one
 * is running there (npm start), else to the bot built in this process.
 */
async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const screen = new Screen();
  let config: Config;
  let session: Session;
  try {
    config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
    const url = await runningServerUrl(config);
    session = url ? overHttp(url, config, screen) : await inProcess(config, screen);
    if (url) stdout.write(`Talking to the bot running at ${url}/ (npm start).\n`);
  } catch (err) {
    if (isStartError(err)) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  let locale: ReplyLocale = config.DEFAULT_LOCALE;
  const conversation = { id: `chat-${Date.now()}`, isGroup: false, conversationType: 'personal', name: 'terminal' };
  const user = { id: 'terminal-user', name: 'You', role: 'user' };
  const bot = { id: 'membership-bot', name: 'Bot', role: 'bot' };
  const base = { channelId: 'chat', serviceUrl: 'http://localhost', conversation, from: user, recipient: bot };
  const turn = async (activity: Partial<Activity>) => {
    screen.choices = [];
    try {
      await session.turn({ ...base, locale, timestamp: new Date(), ...activity });
    } catch (err) {
      if (!(err instanceof ChatServerError)) throw err;
      console.error(err.message);
      process.exit(1);
    }
  };

  stdout.write(
    `Membership assistant. Type a number to pick a choice, /lang ${REPLY_LOCALES.join('|')} to switch language, /quit to leave.\n`,
  );
  stdout.write(`One-time codes are delivered by ${session.codes}.\n`);
  await turn({ type: ActivityTypes.ConversationUpdate, membersAdded: [user] });

  const rl = createInterface({ input: stdin, output: stdout, terminal: stdin.isTTY });
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of rl) {
    const input = line.trim();
    if (input === '/quit') break;
    const lang = /^\/lang\s+(\S+)$/.exec(input);
    if (lang) {
      const wanted = REPLY_LOCALES.find((l) => l.toLowerCase() === lang[1].toLowerCase());
      if (wanted) locale = wanted;
      stdout.write(wanted ? `(locale ${wanted})\n` : `(supported: ${REPLY_LOCALES.join(', ')})\n`);
    } else {
      const picked = /^\d+$/.test(input) ? screen.choices[Number(input) - 1] : undefined;
      await turn({ type: ActivityTypes.Message, text: picked ?? input, locale });
    }
    rl.prompt();
  }
  rl.close();
  await session.close();
}

void main();
