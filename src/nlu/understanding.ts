import { LANGUAGES, LOCALES, type Locale } from '../i18n/languages.js';
import type { Scored } from './classifier.js';
import { codeIn } from './codeEntity.js';
import { isPlainYes, readConsent, stripPoliteness, type CancelChoice, type ConsentReading } from './consent.js';
import type { Intent } from './intent.js';
import { languageAsked, scriptOf } from './language.js';
import type { Lexicon } from './lexicon.js';
import type { LanguageModels } from './models.js';
import { normalizeText } from './normalize.js';

const ALL_LEXICONS: readonly Lexicon[] = LOCALES.map((l) => LANGUAGES[l].lexicon);

/** Below this score a message's intent is "none": the bot says what it expects instead of guessing. */
export const MIN_INTENT_SCORE = 0.4;

/**
 * What members mean: the one place dialogs ask. Classifiers trained from the corpus decide what a
 * free message means; the lexicons' rules decide consent, and entities are found anywhere in a
 * sentence. The language of a message's own script picks the model, so "ok" in a Chinese
 * conversation is read as English and "取消" in an English one as Chinese.
 */
export class Understanding {
  constructor(private readonly models: Record<Locale, LanguageModels>) {}

  /** What a free message asks for. */
  async intentOf(text: string, conversationLocale: Locale): Promise<{ intent: Intent; score: number }> {
    const normalized = normalizeText(text);
    if (this.isBareCancel(normalized)) return { intent: 'ambiguousCancel', score: 1 };
    const best = await this.best(this.modelsFor(normalized, conversationLocale).intents, normalized);
    if (!best || best.score < MIN_INTENT_SCORE || best.label === 'None')
      return { intent: 'none', score: best?.score ?? 0 };
    return { intent: best.label as Intent, score: best.score };
  }

  /** A reply to the cancellation warning, read by the one consent rule (consent.ts). */
  async readConsent(
    text: string,
    conversationLocale: Locale,
    offered: readonly CancelChoice[],
    picked?: CancelChoice | 'keep',
  ): Promise<ConsentReading> {
    const normalized = normalizeText(text);
    const models = this.modelsFor(normalized, conversationLocale);
    const answer = (await this.best(models.answers, normalized)) ?? { label: 'None', score: 0 };
    const intent = (await this.best(models.intents, normalized))?.label ?? 'none';
    return readConsent({ normalized, offered, picked, answer, intent, lexicons: ALL_LEXICONS });
  }

  /**
   * The answer to "undo the cancellation and keep the membership?": a plain yes, "keep it" or a
   * request to restore is true; a plain no or a request to cancel is false; anything else is not
   * an answer. The consent rule's "keep" cannot serve here: keeping the membership means undoing.
   */
  async undoAnswer(text: string, conversationLocale: Locale): Promise<boolean | undefined> {
    const normalized = normalizeText(text);
    if (normalized.includes('?') || ALL_LEXICONS.some((l) => l.question.test(normalized))) return undefined;
    const bare = stripPoliteness(normalized, ALL_LEXICONS);
    if (ALL_LEXICONS.some((l) => l.keepWords.includes(bare)) || isPlainYes(bare, ALL_LEXICONS)) return true;
    if (ALL_LEXICONS.some((l) => l.negatives.includes(bare))) return false;
    const { intent } = await this.intentOf(text, conversationLocale);
    if (intent === 'undo') return true;
    if (intent === 'cancel') return false;
    return undefined;
  }

  /**
   * The answer to "do this for good?" (erase my personal data), by the consent rule's tests: a
   * question is 'question' (answered, then asked again); a hedge, a condition or a negation is no
   * answer (asked again); a plain no, "keep it" or a request to stop is false; only a plain yes or
   * the request itself (`change`, "yes, delete my data") is true.
   */
  async confirmation(
    text: string,
    conversationLocale: Locale,
    change: Intent,
  ): Promise<boolean | 'question' | undefined> {
    const normalized = normalizeText(text);
    const any = (pick: (l: Lexicon) => RegExp) => ALL_LEXICONS.some((l) => pick(l).test(normalized));
    if (normalized.includes('?') || any((l) => l.question)) return 'question';
    if (any((l) => l.condition) || any((l) => l.hedge)) return undefined;
    const bare = stripPoliteness(normalized, ALL_LEXICONS);
    if (ALL_LEXICONS.some((l) => l.negatives.includes(bare) || l.keepWords.includes(bare))) return false;
    if (any((l) => l.negation) || any((l) => l.negationWord)) return undefined;
    if (isPlainYes(bare, ALL_LEXICONS)) return true;
    const { intent } = await this.intentOf(text, conversationLocale);
    if (intent === change) return true;
    if (intent === 'quit' || intent === 'ambiguousCancel') return false;
    return undefined;
  }

  /** A plain yes and nothing else ("ok", "好的谢谢"). */
  isPlainYes(text: string): boolean {
    return isPlainYes(stripPoliteness(normalizeText(text), ALL_LEXICONS), ALL_LEXICONS);
  }

  /** "A bare cancel": mid-conversation it may mean "stop this" as much as "cancel my membership". */
  isBareCancel(normalized: string): boolean {
    const bare = normalized.replace(/[\p{P}\p{S}\s]+/gu, ' ').trim();
    return ALL_LEXICONS.some((l) => l.bareCancel.includes(bare));
  }

  /** The member asks for the code again. */
  wantsResend(text: string): boolean {
    const normalized = normalizeText(text);
    return ALL_LEXICONS.some((l) => l.resend.test(normalized));
  }

  /** The one-time code written anywhere in the message. */
  codeIn(text: string): string | null {
    return codeIn(text);
  }

  /** The position a number word names ("第二个", "the 2nd one"), from 0. */
  ordinalOf(text: string): number | undefined {
    const normalized = normalizeText(text)
      .replace(/[.。!！]$/u, '')
      .trim();
    for (const l of ALL_LEXICONS) {
      const index = l.ordinals.findIndex((p) => p.test(normalized));
      if (index >= 0) return index;
    }
    return undefined;
  }

  /** The words members may use for a plan, from the words of its id. */
  planAliases(planId: string): string[] {
    const parts = planId.split('-');
    return [planId, ...parts, ...parts.flatMap((p) => ALL_LEXICONS.flatMap((l) => l.planWords[p] ?? []))];
  }

  /** The text without the words that do not tell choices apart ("the", "那个"). */
  pickCore(text: string): string {
    let core = normalizeText(text);
    for (const l of ALL_LEXICONS) core = core.replace(l.pickFillers, ' ');
    return core.replace(/[\p{P}\p{S}\s]+/gu, '');
  }

  /** The language a request to switch asks for, or null when it names none that can be told. */
  languageAsked(text: string, current: Locale): Locale | null {
    return languageAsked(text, current);
  }

  private modelsFor(normalized: string, conversationLocale: Locale): LanguageModels {
    return this.models[scriptOf(normalized) ?? conversationLocale];
  }

  private async best(model: LanguageModels['intents'], normalized: string): Promise<Scored | undefined> {
    if (!normalized) return undefined;
    return (await model.classify(normalized))[0];
  }
}
