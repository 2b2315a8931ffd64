import type { ReplyLocale } from '../src/i18n/languages.js';

/** What the bot remembers about one conversation between turns (persisted with the state). */
export interface ConversationData {
  locale?: ReplyLocale;
  /** The member chose the language explicitly; only another explicit choice changes it. */
  localeChosen?: boolean;
  /** The language was taken from a message the member wrote (the first with words). */
  localeFromWords?: boolean;
  /** The locale the channel last claimed, to notice when its setting changes. */
  channelLocale?: ReplyLocale;
  /**
   * Set once the member proved who they are; lapses after a period of inactivity, and, when a host
   * token vouched for them, at `until` (the token's expiry).
   */
  verification?: { memberId: string; userId: string; via: 'code' | 'token'; lastSeenAt: string; until?: string };
  /** The bot asked whether a bare "cancel" meant "stop this" or "cancel my membership". */
  awaitingCancelMeaning?: boolean;
  /** The renewal notice's link this conversation opened at: a page sending it again starts nothing more. */
  openedLink?: string;
}
