import { ActivityHandler, ActivityTypes, type ConversationState, type TurnContext } from 'botbuilder';
import type { MainDialog } from '../dialogs/mainDialog.js';
import { welcomeActivity } from '../dialogs/menu.js';
import { TOO_LONG } from '../dialogs/stepPrompt.js';
import { languageOf, toSupportedLocale, type ReplyLocale } from './i18n/languages.js';
import { writtenLanguage } from './nlu/language.js';
import type { RateLimiter } from './core/rateLimiter.js';
import { t } from './i18n/messages.js';
import type { Logger } from './log.js';

/** More members joining in one conversationUpdate than any real chat adds at once. */
export const MAX_MEMBERS_PER_UPDATE = 50;

export interface BotOptions {
  conversationState: ConversationState;
  mainDialog: MainDialog;
  defaultLocale: ReplyLocale;
  logger: Logger;
  /** Turns per conversation per minute; past it the bot asks the user to slow down. */
  turnLimiter: RateLimiter;
}

/**
 * The turn handler: settles the conversation's language, greets new members, hands messages to the
 * main dialog and saves the state once the turn is over.
 */
export class MembershipBot extends ActivityHandler {
  constructor(private readonly options: BotOptions) {
    super();

    this.onMembersAdded(async (context, next) => {
      const joined = (context.activity.membersAdded ?? []).filter(
        (member) => member.id !== context.activity.recipient?.id,
      );
      // One welcome a conversation, however many join at once; a list no chat produces (a forged
      // update listing thousands was answered once for each, docs/RELIABILITY.md #14 item 3) is not
      // answered at all.
      if (joined.length > MAX_MEMBERS_PER_UPDATE) {
        options.logger.warn(
          { conversationId: context.activity.conversation?.id, members: joined.length },
          'conversationUpdate ignored: too many members at once',
        );
      } else {
        await this.settleLocale(context);
        if (joined.length > 0) await context.sendActivity(welcomeActivity(context));
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.settleLocale(context);
      await options.mainDialog.run(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const { type, conversation, text } = context.activity;
    // The logger masks phone numbers, emails and 6-digit codes in `text` before it is written.
    this.options.logger.debug({ conversationId: conversation?.id, type, text }, 'turn');
    if (
      type === ActivityTypes.Message &&
      !(await this.options.turnLimiter.take(`${context.activity.channelId}/${conversation?.id}`))
    ) {
      await context.sendActivity(t(await this.settleLocale(context), 'input.slowDown'));
      await this.options.conversationState.saveChanges(context, false);
      return;
    }
    await super.run(context);
    await this.options.conversationState.saveChanges(context, false);
  }

  /**
   * The conversation's language stays put: the member's explicit choice (a language request, or
   * the channel's setting changed mid-conversation, as the Emulator's or /lang in the chat), else
   * the language of their first message with words; later, a whole sentence in the other language
   * switches it unless the member chose explicitly, and "ok", digits, codes, emoji or a stray word
   * never do. The script goes with the language: a message in traditional characters, or a
   * channel that says zh-TW or zh-HK, is answered in traditional; a script alone never switches
   * a conversation (a member in Taiwan may type simplified now and then). The result is put on the
   * activity so that every prompt renders in that language.
   */
  private async settleLocale(context: TurnContext): Promise<ReplyLocale> {
    const data = await this.options.mainDialog.conversationData.get(context, {});
    const { text } = context.activity;
    // Only as much as a message may hold is read for its language, so a 255,000-character message
    // costs what a 5,000-character one does (and still gets its "too long" in the language written).
    const written =
      typeof text !== 'string'
        ? null
        : text.length <= TOO_LONG && context.activity.type === ActivityTypes.Message
          ? writtenLanguage(text, this.options.mainDialog.said(context).reading.plain)
          : writtenLanguage(text.slice(0, TOO_LONG));
    const claimed = toSupportedLocale(context.activity.locale);
    // A channel catching up with the conversation (the page's chrome following its language) is no choice.
    const switched =
      claimed && data.channelLocale && claimed !== data.channelLocale && claimed !== data.locale ? claimed : null;
    if (switched) {
      data.locale = switched;
      data.localeChosen = true;
    } else if (written && !data.localeFromWords) {
      data.locale = inChannelScript(written.locale, claimed);
      data.localeFromWords = true;
    } else if (written?.sentence && !data.localeChosen && languageOf(written.locale) !== languageOf(data.locale!)) {
      data.locale = inChannelScript(written.locale, claimed);
    }
    const locale = data.locale ?? claimed ?? this.options.defaultLocale;
    data.locale = locale;
    data.channelLocale = claimed ?? undefined;
    context.activity.locale = locale;
    return locale;
  }
}

/**
 * A message's language in the script and usage its channel asks for: Chinese on a zh-TW channel is
 * traditional, traditional on a zh-HK channel is Hong Kong's. A channel naming only the language
 * (zh-CN) leaves the script the message was written in.
 */
function inChannelScript(written: ReplyLocale, channel: ReplyLocale | null): ReplyLocale {
  const channelIsVariant = channel !== null && channel !== languageOf(channel);
  return channel && channelIsVariant && languageOf(channel) === languageOf(written) ? channel : written;
}
