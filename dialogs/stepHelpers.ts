import type { TurnContext } from 'botbuilder';
import type { WaterfallStepContext } from 'botbuilder-dialogs';
import type { Locale } from '../src/config.js';
import { toSupportedLocale } from '../src/i18n/languages.js';

/** The language of this turn, settled by the bot before any dialog runs. */
export const turnLocale = (context: TurnContext): Locale => toSupportedLocale(context.activity.locale) ?? 'zh-CN';

/** What a waterfall keeps between its steps. */
export const vals = (step: WaterfallStepContext) => step.values as Record<string, unknown>;
