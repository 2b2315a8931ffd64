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
import { loadConfig } from './config.js';
import { REPLY_LOCALES, type ReplyLocale } from './i18n/languages.js';
import { renderForTerminal } from './terminalRender.js';
import { isStartError } from './startErrors.js';

/** Delivers the bot's replies to the terminal; the channel id "chat" is a text channel with buttons. */
class TerminalAdapter extends BotAdapter {
  choices: string[] = [];

  constructor(private readonly print: (text: string) => void) {
    super();
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const activity of activities) {
      if (activity.type !== ActivityTypes.Message) continue;
      const rendered = renderForTerminal(activity);
      if (rendered.choices.length) this.choices = rendered.choices;
      this.print(rendered.text);
    }
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
    this.choices = [];
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

/** `npm run chat`: talk to the bot in this terminal, in-process, with the same composition as the server. */
async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let app;
  try {
    app = await createApp(loadConfig({ LOG_LEVEL: 'warn', ...process.env }));
  } catch (err) {
    if (isStartError(err)) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  app.startBackgroundWork();
  const adapter = new TerminalAdapter((text) => stdout.write(`\n${text}\n`));
  adapter.onTurnError = app.onTurnError;
  for (const m of app.middleware) adapter.use(m);
  let locale: ReplyLocale = app.config.DEFAULT_LOCALE;
  const conversation = { id: `chat-${Date.now()}`, isGroup: false, conversationType: 'personal', name: 'terminal' };
  const user = { id: 'terminal-user', name: 'You', role: 'user' };
  const bot = { id: 'membership-bot', name: 'Bot', role: 'bot' };
  const base = { channelId: 'chat', serviceUrl: 'http://localhost', conversation, from: user, recipient: bot };
  const turn = (activity: Partial<Activity>) =>
    adapter.receive({ ...base, locale, timestamp: new Date(), ...activity }, (ctx) => app.bot.run(ctx));

  stdout.write(
    `Membership assistant. Type a number to pick a choice, /lang ${REPLY_LOCALES.join('|')} to switch language, /quit to leave.\n`,
  );
  stdout.write(
    `One-time codes are delivered by the "${app.config.NOTIFY_TRANSPORT}" transport${app.config.NOTIFY_TRANSPORT === 'file' ? ` to ${app.config.NOTIFY_OUTBOX_FILE}` : ''}.\n`,
  );
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
      const picked = /^\d+$/.test(input) ? adapter.choices[Number(input) - 1] : undefined;
      await turn({ type: ActivityTypes.Message, text: picked ?? input, locale });
    }
    rl.prompt();
  }
  rl.close();
  await app.close();
}

void main();
