import type { ReplyLocale } from './languages.js';
import { formatNumber } from './format.js';
import { t } from './messages.js';

/** How much of a message longer than the assistant reads is kept where it is stored. */
export const KEPT_OF_TOO_LONG = 1000;

/**
 * A message's text as a store keeps it: whole up to `limit` characters (as much as the assistant
 * reads), else its first {@link KEPT_OF_TOO_LONG} characters and a note, in `locale`, of how long it
 * was. The bot only says such a message is too long, so the rest would be kept for nothing, and a
 * pasted book would cost its size in every copy of the conversation.
 */
export function keptText(text: string, limit: number, locale: ReplyLocale): string {
  if (text.length <= limit) return text;
  // Not between the two halves of a surrogate pair: half an emoji is not text.
  const end = isHighSurrogate(text.charCodeAt(KEPT_OF_TOO_LONG - 1)) ? KEPT_OF_TOO_LONG - 1 : KEPT_OF_TOO_LONG;
  const count = formatNumber(text.length, locale);
  return `${text.slice(0, end)}${t(locale, 'input.shortened', { count })}`;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
