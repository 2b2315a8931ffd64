import type { TurnContext } from 'botbuilder';
import { t, type MessageKey } from '../src/i18n/messages.js';
import { messageWithChoices } from './channel.js';
import { turnLocale } from './stepHelpers.js';

/** The main menu under a greeting, a goodbye or a "what next?": check, cancel, help. */
export function welcomeActivity(context: TurnContext, key: MessageKey = 'welcome') {
  const l = turnLocale(context);
  return messageWithChoices(context, t(l, key), [t(l, 'menu.status'), t(l, 'menu.cancel'), t(l, 'menu.help')]);
}
