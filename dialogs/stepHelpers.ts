import type { TurnContext } from 'botbuilder';
import type { WaterfallStepContext } from 'botbuilder-dialogs';
import { REPLY_LOCALES, toSupportedLocale, type ReplyLocale } from '../src/i18n/languages.js';

/**
 * The language of this turn. The bot settles it before any dialog runs (the conversation's
 * language, else the channel's, else the configured DEFAULT_LOCALE) and writes it on the activity,
 * so the configured default is applied there, once. The fallback here is reached only by a dialog
 * driven without the bot on an activity in no supported language; the registry's first language
 * then keeps such a test deterministic without dialogs reading the configuration for a default.
 */
export const turnLocale = (context: TurnContext): ReplyLocale =>
  toSupportedLocale(context.activity.locale) ?? REPLY_LOCALES[0];

/** What a waterfall keeps between its steps. */
export const vals = (step: WaterfallStepContext) => step.values as Record<string, unknown>;
