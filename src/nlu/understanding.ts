import { LANGUAGES, LOCALES, languageOf, type Locale, type ReplyLocale } from '../i18n/languages.js';
import type { Scored } from './classifier.js';
import { codeIn } from './codeEntity.js';
import { actsOf, type Act } from './acts.js';
import { withoutAsideNegations, withoutBystanders, withoutCourtesyClauses, withoutSettledThought } from './asides.js';
import { amountsIn, periodIn } from './amounts.js';
import { asksRenewalOff } from './renewalOff.js';
import { appendedCommand, type AppendedCommand } from './appendedCommand.js';
import { permits, type Action } from './actionPolicy.js';
import {
  concludingText,
  isPlainYes,
  readConsent,
  stripPoliteness,
  type CancelChoice,
  type ConsentReading,
} from './consent.js';
import type { Intent } from './intent.js';
import { languageAsked, scriptOf } from './language.js';
import type { Command, Lexicon, ReasonGiven } from '../i18n/lexicon.js';
import type { LanguageModels } from './models.js';
import { withoutSpans } from './lexiconSpans.js';
import { normalizeText } from './normalize.js';
import { SpokenDigits } from './spokenDigits.js';
import { Speller } from './spelling.js';

const ALL_LEXICONS: readonly Lexicon[] = LOCALES.map((l) => LANGUAGES[l].lexicon);
const SPOKEN = new SpokenDigits(ALL_LEXICONS);
const SPELLER = new Speller(ALL_LEXICONS);

/** Below this score a message's intent is "none": the bot says what it expects instead of guessing. */
export const MIN_INTENT_SCORE = 0.4;

/** What one message says and does, read once a turn and shared by every rule that asks. */
export interface Reading {
  /** The message as the member wrote it. */
  text: string;
  /** As normalizeText left it, before corrections and dismissals are set aside. */
  plain: string;
  normalized: string;
  acts: ReadonlySet<Act>;
  /** Without courtesy words and punctuation. */
  bare: string;
  /** A plain yes and nothing else ("ok", "好的谢谢"). */
  plainYes: boolean;
  /** A command the message names explicitly, if any. */
  command: Command | null;
}

const COMMANDS: readonly Command[] = [
  'human',
  'switchLanguage',
  'startOver',
  'quit',
  'help',
  'exportData',
  'eraseData',
];
const TASKS: readonly Intent[] = ['status', 'checkCancelled', 'undo', 'pointsQuestion', 'refundQuestion'];
/** The most telling first: "hacked, and too expensive anyway" is about security. */
const REASONS: readonly ReasonGiven[] = ['security', 'privacy', 'expensive', 'service'];
/** Below this score a hand-off not asked for in so many words is not taken. */
const HAND_OFF_SCORE = 0.8;
/**
 * Readings kept for the texts seen last, for callers that pass a text rather than its reading
 * (dialogs pass the turn's reading: dialogs/turnReading.ts). Enough that the turns of many
 * conversations in flight at once do not push each other's out.
 */
const RECENT_READINGS = 256;
/** Choice titles and their cores (pickCore), kept: the same few titles are offered turn after turn. */
const KEPT_CORES = 1024;

/** A message, as its text or as the reading already made of it ({@link Understanding.read}). */
export type Said = string | Reading;

/**
 * What members mean: the one place dialogs ask. Classifiers trained from the corpus decide what a
 * free message is about; the lexicons find what it does (acts.ts) and the action policy decides
 * what may follow (actionPolicy.ts); entities are found anywhere in a sentence. The language of a
 * message's own script picks the model, so "ok" in a Chinese conversation is read as English and
 * "取消" in an English one as Chinese.
 */
export class Understanding {
  private readonly recent = new Map<string, Reading>();
  private readonly recentIntents = new Map<string, Promise<{ intent: Intent; score: number }>>();
  private readonly cores = new Map<string, string>();

  constructor(private readonly models: Record<Locale, LanguageModels>) {}

  /** The message's reading, made once per text; a reading given is its own. */
  read(said: Said): Reading {
    if (typeof said !== 'string') return said;
    const text = said;
    const cached = this.recent.get(text);
    if (cached) return cached;
    const plain = normalizeText(text);
    const normalized = afterCorrection(
      asidesRemoved(withoutDismissals(withoutDoubleNegations(SPELLER.correct(plain)))),
    );
    const bare = stripPoliteness(normalized, ALL_LEXICONS);
    const reading: Reading = {
      text,
      plain,
      normalized,
      acts: withoutBystanders(normalized, actsOf(normalized, ALL_LEXICONS), ALL_LEXICONS),
      bare,
      plainYes: isPlainYes(bare, ALL_LEXICONS),
      command: commandIn(normalized, bare),
    };
    if (this.recent.size >= RECENT_READINGS) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(text, reading);
    return reading;
  }

  /**
   * What a free message asks for, classified once per text and language: the reason question and
   * the main dialog may both ask in one turn.
   */
  intentOf(text: Said, conversationLocale: ReplyLocale): Promise<{ intent: Intent; score: number }> {
    const key = `${conversationLocale}\u0000${textOf(text)}`;
    const cached = this.recentIntents.get(key);
    if (cached) return cached;
    const intent = this.classifyRequest(text, conversationLocale);
    if (this.recentIntents.size >= RECENT_READINGS) this.recentIntents.delete(this.recentIntents.keys().next().value!);
    this.recentIntents.set(key, intent);
    // A failed reading is not kept: the next turn tries again.
    intent.catch(() => this.recentIntents.delete(key));
    return intent;
  }

  /** An opening that says what it is not ("not cancelling, just…") is read by the rest. */
  private async classifyRequest(
    text: Said,
    conversationLocale: ReplyLocale,
  ): Promise<{ intent: Intent; score: number }> {
    const { normalized } = this.read(text);
    if (this.isBareCancel(normalized)) return { intent: 'ambiguousCancel', score: 1 };
    // "not cancelling, just turn off auto renewal": ending the renewal is cancelling at the period end.
    if (asksRenewalOff(normalized, ALL_LEXICONS)) return { intent: 'cancel', score: 1 };
    const found = await this.gatedIntent(text, normalized, conversationLocale);
    const negated = negatedCancelIn(normalized);
    if (negated !== null && NOT_WHAT_IS_ASKED.includes(found.intent))
      return this.afterNegatedCancel(normalized.replace(negated, ' '), conversationLocale);
    // "I don't want my data deleted, I just want to see it": a request turned down is no request; the rest may be one.
    if (REFUSABLE.includes(found.intent) && this.read(text).acts.has('negation')) {
      const rest = afterFirstClause(normalized);
      return rest ? this.classifyIntent(rest, conversationLocale) : { intent: 'none', score: 0 };
    }
    return found;
  }

  /** A reply to the cancellation warning, read by the one consent rule (consent.ts). */
  async readConsent(
    text: Said,
    conversationLocale: ReplyLocale,
    offered: readonly CancelChoice[],
    picked?: CancelChoice | 'keep',
  ): Promise<ConsentReading> {
    const { normalized, acts } = this.read(text);
    const models = this.modelsFor(normalized, conversationLocale);
    const answer = (await this.bestAnswer(normalized, conversationLocale)) ?? { label: 'None', score: 0 };
    const intent = acts.has('question') ? ((await this.best(models.intents, normalized))?.label ?? 'none') : 'none';
    const decision = concludingText(normalized, ALL_LEXICONS);
    const decisionAnswer = decision ? await this.bestAnswer(decision, conversationLocale) : undefined;
    return readConsent({ normalized, acts, offered, picked, answer, decisionAnswer, intent, lexicons: ALL_LEXICONS });
  }

  /**
   * The answer to "undo the cancellation and keep the membership?", by the action policy: a
   * question is 'question'; a plain yes, or words naming the undo with no doubt, is true; a plain
   * no, "leave it" or a refusal of the undo ("don't restore it", "不要撤销") is false; anything
   * else is not an answer.
   */
  undoAnswer(text: Said): boolean | 'question' | undefined {
    const { normalized, acts, bare } = this.read(text);
    const plainYes = yesToTheQuestion(this.read(text));
    const says = (pick: (l: Lexicon) => RegExp) => ALL_LEXICONS.some((l) => pick(l).test(normalized));
    if (acts.has('question')) return 'question';
    if (ALL_LEXICONS.some((l) => l.negatives.includes(bare))) return false;
    if (refusedFirst(normalized, (rest) => namesIn(rest, (l) => l.actionWords.undo))) return false;
    if (ALL_LEXICONS.some((l) => l.keepWithoutObject.includes(bare))) return undefined;
    if (says((l) => l.actionWords.leave)) return false;
    // "不扣钱的话就撤销": a condition or a hedge answers nothing, whatever negation it holds.
    if (DOUBTS_BUT_NEGATION.some((act) => acts.has(act))) return undefined;
    // "不取消了", "I'm not cancelling after all": the negation is of the cancellation, so it asks for the undo.
    const refusesCancel = says((l) => l.negatedCancel);
    const namesUndo =
      refusesCancel || says((l) => l.actionWords.undo) || ALL_LEXICONS.some((l) => l.keepWords.includes(bare));
    // "Changed my mind" counts as a negation of a change elsewhere; here only a negation word refuses the undo.
    const refusesUndo = !refusesCancel && says((l) => l.negationWord);
    if (namesUndo && refusesUndo) return false;
    const doubts = refusesUndo ? acts : withoutNegation(acts);
    if (permits('undoCancellation', { yes: plainYes, named: namesUndo, command: false }, doubts)) return true;
    return undefined;
  }

  /**
   * The answer to "do this for good?" (erase or send my personal data), by the action policy: a
   * question is 'question'; a plain no or "keep it" is false, as is a refusal naming the action
   * ("don't delete"); a plain yes or words naming the action, with no doubt (a condition, a hedge,
   * a deferral, a narrowed scope, someone else), is true; anything else is not an answer.
   */
  confirmation(text: Said, action: 'eraseData' | 'exportData'): boolean | 'question' | undefined {
    const { normalized, acts, bare } = this.read(text);
    // A thumbs-up alone is too light a yes for a step that moves or destroys personal data.
    const plainYes = yesToTheQuestion(this.read(text)) && /[\p{L}\p{N}]/u.test(bare);
    const words = action === 'eraseData' ? 'erase' : 'export';
    const names = ALL_LEXICONS.some((l) => l.actionWords[words].test(normalized));
    if (acts.has('question')) return 'question';
    if (ALL_LEXICONS.some((l) => l.negatives.includes(bare) || l.keepWords.includes(bare))) return false;
    if (refusedFirst(normalized, (rest) => namesIn(rest, (l) => l.actionWords[words]))) return false;
    if (DOUBTS_BUT_NEGATION.some((act) => acts.has(act))) return undefined;
    if (action === 'eraseData') {
      const asked = eraseAskedAround(normalized);
      if (asked !== undefined) return asked;
    }
    const keeps = this.namesKeep(text);
    // "名字删掉就行，电话留着": erasing one thing and keeping another is no answer to "erase everything?".
    if (keeps) return names && !acts.has('negation') ? undefined : false;
    if (acts.has('negation') && names) return false;
    if (permits(action, { yes: plainYes, named: names, command: false }, acts)) return true;
    return undefined;
  }

  /**
   * What a message asks for while a prompt waits: a command it names explicitly, or the bare
   * "cancel" that needs asking about; never a classifier's guess.
   */
  requestAtPrompt(text: Said): Intent {
    if (this.isBareCancel(this.read(text).normalized)) return 'ambiguousCancel';
    return this.commandOf(text) ?? 'none';
  }

  /**
   * The reason a free answer to "why did you leave?" gives; 'other' when it names none of them,
   * undefined when it only denies one.
   */
  reasonOf(text: Said): ReasonGiven | 'other' | 'skip' | undefined {
    const { normalized, bare } = this.read(text);
    if (ALL_LEXICONS.some((l) => l.noReason.test(bare))) return 'skip';
    const given = withoutSpans(normalized, (l) => l.deniedReason, ALL_LEXICONS);
    const reason = REASONS.find((r) => ALL_LEXICONS.some((l) => l.reasons[r].test(given)));
    if (reason) return reason;
    // "it's not the price" denies a reason and names none: asked again rather than taken as "other";
    // "not about privacy, I just don't have time" gives another.
    return given === normalized || saysMore(given) ? 'other' : undefined;
  }

  /** Whether a message asks to see or change a membership (not to cancel one: that is how reasons start). */
  async asksForTask(text: Said, conversationLocale: ReplyLocale): Promise<boolean> {
    return this.isTask((await this.intentOf(text, conversationLocale)).intent);
  }

  /** Whether an intent asks to see or change a membership. */
  isTask(intent: Intent): boolean {
    return TASKS.includes(intent);
  }

  /** The command a message names explicitly ("talk to a person", "说中文"), never guessed. */
  commandOf(text: Said): Command | null {
    const { command, acts } = this.read(text);
    if (!command) return null;
    const action = COMMAND_ACTION[command];
    return !action || permits(action, { yes: false, named: false, command: true }, acts) ? command : null;
  }

  /** A command joined to an answer ("end of period, then switch to Chinese"), or null (appendedCommand.ts). */
  appendedCommand(text: string): AppendedCommand | null {
    return appendedCommand(text, ALL_LEXICONS, (clause) => this.commandOf(clause));
  }

  /** Whether the message says to keep something ("never mind, I'll keep it"). */
  namesKeep(text: Said): boolean {
    const { normalized } = this.read(text);
    return ALL_LEXICONS.some((l) => l.actionWords.keep.test(normalized));
  }

  /** A plain yes and nothing else ("ok", "好的谢谢"). */
  isPlainYes(text: Said): boolean {
    return this.read(text).plainYes;
  }

  /** "A bare cancel": mid-conversation it may mean "stop this" as much as "cancel my membership". */
  isBareCancel(normalized: string): boolean {
    const bare = normalized.replace(/[\p{P}\p{S}\s]+/gu, ' ').trim();
    return ALL_LEXICONS.some((l) => l.bareCancel.includes(bare));
  }

  /** Whether the message asks about someone else's account or data, which only they may ask about. */
  speaksForSomeoneElse(text: Said): boolean {
    const { normalized } = this.read(text);
    return ALL_LEXICONS.some((l) => l.othersAccount.test(normalized));
  }

  /** The member asks for the code again. */
  wantsResend(text: Said): boolean {
    const { normalized } = this.read(text);
    return ALL_LEXICONS.some((l) => l.resend.test(normalized));
  }

  /** The member asks when the next charge or renewal comes, or how much it is. */
  asksNextCharge(text: Said): boolean {
    const { normalized } = this.read(text);
    return ALL_LEXICONS.some((l) => l.nextCharge.test(normalized));
  }

  /** The message as the member last meant it: what follows a self-correction ("482 019, sorry, 482 091"), or the message. */
  corrected(said: Said): string {
    const { plain, text } = this.read(said);
    const after = afterCorrection(plain);
    return after === plain ? text : after;
  }

  /** The member asks whether they were reminded of a renewal. */
  asksReminded(text: Said): boolean {
    const { normalized } = this.read(text);
    return ALL_LEXICONS.some((l) => l.reminded.test(normalized));
  }

  /** The one-time code written anywhere in the message, in digits or in words. */
  codeIn(said: Said): string | null {
    const text = this.corrected(said);
    const spoken = this.spokenDigits(text);
    return codeIn(text) ?? (spoken === null ? null : codeIn(spoken));
  }

  /** The message with numbers said in words (or pinyin) as digits, or null when it holds none (for phone numbers). */
  spokenDigits(said: Said): string | null {
    const text = textOf(said);
    const spoken = SPOKEN.inDigits(text);
    if (spoken !== null) return spoken;
    const { normalized } = this.read(said);
    return /\d{3}/.test(normalized) && !/\d{3}/.test(text) ? normalized : null;
  }

  /** The message with an e-mail address said aloud written out ("jane at acme dot com"), or null when it holds none. */
  spokenEmail(said: Said): string | null {
    if (textOf(said).includes('@')) return null;
    let written = this.read(said).plain;
    for (const l of ALL_LEXICONS) written = written.replace(l.emailWords.at, '@');
    if (!written.includes('@')) return null;
    for (const l of ALL_LEXICONS) written = written.replace(l.emailWords.dot, '.');
    return /\S@\S+\.\S/u.test(written) ? written : null;
  }

  /** The position a number word names ("第二个吧", "the 2nd one please", "the last one" of `count`), from 0. */
  ordinalOf(text: Said, count?: number): number | undefined {
    // Courtesy and a closing particle go; other signs stay, so that "1?" or "-1" is no pick.
    const plain = withoutSpans(this.read(text).normalized, (l) => l.politeness, ALL_LEXICONS)
      .replace(/[\ufe0f\u20e3]/gu, '')
      .replace(/[\s,，]+/gu, ' ')
      .trim()
      .replace(/[ .。!！吧啊呀啦哈喔噢]+$/u, '')
      .trim();
    for (const l of ALL_LEXICONS) {
      const picked = plain.replace(l.ordinalLeads, '').trim();
      if (count !== undefined && (l.lastOrdinal.test(plain) || l.lastOrdinal.test(picked))) return count - 1;
      const index = l.ordinals.findIndex((p) => p.test(plain) || p.test(picked));
      if (index >= 0) return index;
    }
    return undefined;
  }

  /** The dates the message names by month and maybe day ("the one ending in January", "12月10号那个"). */
  datesNamed(text: Said): { month: number; day?: number }[] {
    const { normalized } = this.read(text);
    return ALL_LEXICONS.flatMap((l) =>
      [...normalized.matchAll(l.monthDay)].flatMap((m) => {
        const month = l.months.findIndex((p) => p.test(m.groups!.month)) + 1;
        const day = m.groups!.day ? Number(m.groups!.day) : undefined;
        return month > 0 && (day === undefined || (day >= 1 && day <= 31)) ? [{ month, day }] : [];
      }),
    );
  }

  /** The sums of money the message names, in major units (amounts.ts). */
  amountsNamed(text: Said): number[] {
    return amountsIn(this.read(text).plain, ALL_LEXICONS);
  }

  /** How often the message says the membership is billed, if it says so. */
  periodNamed(text: Said): 'month' | 'year' | undefined {
    return periodIn(this.read(text).plain, ALL_LEXICONS);
  }

  /**
   * How many of `perks` the message names by a distinctive part: a word of four letters or more
   * ("album"), or three Chinese characters in a row ("专辑兑").
   */
  perksNamed(text: Said, perks: readonly string[]): number {
    const said = this.read(text).plain;
    return perks.filter((perk) => sharesDistinctivePart(said, perk.toLowerCase())).length;
  }

  /** The message without its clauses that say what is not meant: "不是视频那个，是音乐的" is "是音乐的". */
  withoutNegatedClauses(text: Said): string {
    return clausesOf(this.read(text).normalized)
      .filter((clause) => !ALL_LEXICONS.some((l) => l.negationWord.test(clause)))
      .join(' ')
      .trim();
  }

  /** What the message sets apart, clause by clause: "i want to cancel, not the music one" gives "music one". */
  excludedParts(text: Said): string[] {
    return clausesOf(this.read(text).normalized).flatMap((clause) =>
      ALL_LEXICONS.flatMap((l) =>
        [...clause.matchAll(l.excluding)].map((m) => clause.slice(m.index + m[0].length).trim()),
      ),
    );
  }

  /**
   * Whether the message names another membership than the one a question is about ("cancel at
   * period end for the music one" at the video membership's warning): a kind of plan whose words
   * are in none of this plan's names.
   */
  namesOtherPlan(text: Said, ownNames: readonly string[]): boolean {
    const own = ownNames.join(' ').toLowerCase();
    const said = this.read(text).normalized;
    const has = (haystack: string, word: string) =>
      /^\p{Script=Han}/u.test(word) ? haystack.includes(word) : new RegExp(`\\b${word}\\b`, 'u').test(haystack);
    return ALL_LEXICONS.some((l) =>
      Object.entries(l.planWords).some(
        ([part, words]) =>
          !ALL_LEXICONS.some((m) => [part, ...(m.planWords[part] ?? [])].some((w) => has(own, w))) &&
          [part, ...words].some((w) => has(said, w)),
      ),
    );
  }

  /** The words members may use for a plan, from the words of its id. */
  planAliases(planId: string): string[] {
    const parts = planId.split('-');
    return [planId, ...parts, ...parts.flatMap((p) => ALL_LEXICONS.flatMap((l) => l.planWords[p] ?? []))];
  }

  /** The text without the words that do not tell choices apart ("the", "那个"). */
  pickCore(said: Said): string {
    if (typeof said !== 'string') return coreOf(said.plain);
    const kept = this.cores.get(said);
    if (kept !== undefined) return kept;
    const core = coreOf(this.recent.get(said)?.plain ?? normalizeText(said));
    if (this.cores.size >= KEPT_CORES) this.cores.clear();
    this.cores.set(said, core);
    return core;
  }

  /** The language a request to switch asks for, or null when it names none that can be told. */
  languageAsked(text: Said, current: ReplyLocale): ReplyLocale | null {
    return languageAsked(textOf(text), current);
  }

  /** What an opening asks once "I'm not cancelling" is set aside: the rest, or the membership's status when the rest says nothing more. */
  private async afterNegatedCancel(rest: string, locale: ReplyLocale): Promise<{ intent: Intent; score: number }> {
    const read = rest.replace(/^[\p{P}\p{S}\s]+/u, '');
    const found = read ? await this.classifyIntent(read, locale) : { intent: 'none' as Intent, score: 0 };
    if (NOT_WHAT_IS_ASKED.includes(found.intent)) return { intent: 'status', score: found.score };
    return found;
  }

  /**
   * The classifier's intent, except that a hand-off, which records a request for a person, needs
   * the request in so many words or a confident reading of a statement: "喂喂 听得到吗…" is not one.
   * Otherwise the next most likely intent stands.
   */
  private async gatedIntent(
    text: Said,
    normalized: string,
    locale: ReplyLocale,
  ): Promise<{ intent: Intent; score: number }> {
    const ranked = normalized ? await this.modelsFor(normalized, locale).intents.classify(normalized) : [];
    const { acts } = this.read(text);
    const handOffClear = (score: number) =>
      this.commandOf(text) === 'human' || (score >= HAND_OFF_SCORE && !acts.has('question'));
    const best = ranked.find((r) => r.label !== 'human' || handOffClear(r.score));
    if (!best || best.score < MIN_INTENT_SCORE || best.label === 'None')
      return { intent: 'none', score: best?.score ?? 0 };
    return { intent: best.label as Intent, score: best.score };
  }

  private async classifyIntent(normalized: string, locale: ReplyLocale): Promise<{ intent: Intent; score: number }> {
    const best = await this.best(this.modelsFor(normalized, locale).intents, normalized);
    if (!best || best.score < MIN_INTENT_SCORE || best.label === 'None')
      return { intent: 'none', score: best?.score ?? 0 };
    return { intent: best.label as Intent, score: best.score };
  }

  private modelsFor(normalized: string, conversationLocale: ReplyLocale): LanguageModels {
    return this.models[scriptOf(normalized) ?? languageOf(conversationLocale)];
  }

  /**
   * The answer model's best label; a reply mixing scripts ("ok啦 cancel at period end 就好") is read
   * by each of its languages' models, and the surer one is taken (the lexicon gates it still).
   */
  private async bestAnswer(normalized: string, conversationLocale: ReplyLocale): Promise<Scored | undefined> {
    const written = LOCALES.filter((l) => new RegExp(LANGUAGES[l].script.pattern.source, 'u').test(normalized));
    if (written.length < 2) return this.best(this.modelsFor(normalized, conversationLocale).answers, normalized);
    const scored = await Promise.all(written.map((l) => this.best(this.models[l].answers, normalized)));
    return scored.reduce<Scored | undefined>((a, b) => (b && (!a || b.score > a.score) ? b : a), undefined);
  }

  private async best(model: LanguageModels['intents'], normalized: string): Promise<Scored | undefined> {
    if (!normalized) return undefined;
    return (await model.classify(normalized))[0];
  }
}

function textOf(said: Said): string {
  return typeof said === 'string' ? said : said.text;
}

/** The text without the words that do not tell choices apart ("the", "那个"). */
function coreOf(plain: string): string {
  return withoutSpans(plain, (l) => l.pickFillers, ALL_LEXICONS).replace(/[\p{P}\p{S}\s]+/gu, '');
}

const GENERIC_PERK_WORDS = ALL_LEXICONS.flatMap((l) => l.genericPerkWords);

/** Whether the message holds a distinctive part of the perk's name (see {@link Understanding.perksNamed}). */
function sharesDistinctivePart(said: string, perk: string): boolean {
  const words = perk.match(/[a-z]{4,}/gu) ?? [];
  if (words.some((w) => !GENERIC_PERK_WORDS.includes(w) && new RegExp(`\\b${w}`, 'u').test(said))) return true;
  const han = perk.replace(/[^\p{Script=Han}]/gu, '');
  for (let i = 0; i + 3 <= han.length; i++) {
    const part = han.slice(i, i + 3);
    if (!GENERIC_PERK_WORDS.some((g) => part.includes(g)) && said.includes(part)) return true;
  }
  return false;
}

/** The policy's name for each command that acts; help does nothing but answer. */
const COMMAND_ACTION: Readonly<Record<Command, Action | null>> = {
  human: 'handOff',
  switchLanguage: 'switchLanguage',
  startOver: 'startOver',
  quit: 'quit',
  help: null,
  exportData: 'exportData',
  eraseData: 'eraseData',
};

function commandIn(normalized: string, bare: string): Command | null {
  for (const command of COMMANDS) {
    if (ALL_LEXICONS.some((l) => l.commands[command].test(bare) || l.commands[command].test(normalized)))
      return command;
  }
  return null;
}

/** Where the text after "I'm not cancelling" starts, or null when the message says no such thing. */
function negatedCancelIn(normalized: string): string | null {
  for (const l of ALL_LEXICONS) {
    const match = l.negatedCancel.exec(normalized);
    if (match) return match[0];
  }
  return null;
}

/** What an opening that says "I'm not cancelling" cannot be asking for; its dates are what it asks. */
const NOT_WHAT_IS_ASKED: readonly Intent[] = ['cancel', 'ambiguousCancel', 'refundQuestion', 'none'];

/** The requests that move personal data: never run on a negated one ("don't delete my data"). */
const REFUSABLE: readonly Intent[] = ['exportData', 'eraseData'];

/** What follows the first clause ("…, I just want to see it"), or '' when there is one clause. */
function afterFirstClause(normalized: string): string {
  const at = normalized.search(/[,，。.;；!！]/u);
  return at < 0 ? '' : normalized.slice(at + 1).trim();
}

/** The clauses of a text: split at punctuation, at words like "but", and at a space between Chinese words. */
function clausesOf(normalized: string): string[] {
  let text = normalized.replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '，');
  for (const l of ALL_LEXICONS) text = text.replace(l.clauseBreaks, '，');
  return text
    .split(/[,，。;；.!！]+/u)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** What follows the last self-correction ("立即取消吧 哦不对 还是到期再取消"), or the text when none is followed by words. */
function afterCorrection(normalized: string): string {
  let end = -1;
  for (const l of ALL_LEXICONS)
    for (const m of normalized.matchAll(l.corrections)) end = Math.max(end, m.index + m[0].length);
  if (end < 0) return normalized;
  const rest = normalized
    .slice(end)
    .replace(/^[\p{P}\p{S}\s]+/u, '')
    .trim();
  return /[\p{L}\p{N}]/u.test(rest) ? rest : normalized;
}

/** The text without negations undone by another ("不是不想取消，是想到期再取消" is "是想到期再取消"). */
function withoutDoubleNegations(normalized: string): string {
  const rest = withoutSpans(normalized, (l) => l.doubleNegation, ALL_LEXICONS);
  return rest === normalized
    ? normalized
    : rest
        .replace(/^[\p{P}\s]+/u, '')
        .replace(/\s+/g, ' ')
        .trim();
}

/** The text without the courtesy and the settled thoughts that say nothing of what is asked (asides.ts). */
function asidesRemoved(normalized: string): string {
  return withoutSettledThought(withoutCourtesyClauses(normalized, ALL_LEXICONS), ALL_LEXICONS);
}

/** The text without requests turned down in passing, which say nothing about what is asked. */
function withoutDismissals(normalized: string): string {
  const rest = withoutSpans(normalized, (l) => l.dismissals, ALL_LEXICONS);
  return rest === normalized ? normalized : rest.replace(/\s+/g, ' ').trim();
}

/**
 * A plain yes that answers a yes/no question about something else than cancelling: "yes, cancel it"
 * to "undo the cancellation?" says yes and no at once.
 */
function yesToTheQuestion(reading: Reading): boolean {
  return reading.plainYes && !ALL_LEXICONS.some((l) => l.bareCancel.some((word) => reading.bare.includes(word)));
}

function withoutNegation(acts: ReadonlySet<Act>): ReadonlySet<Act> {
  const rest = new Set(acts);
  rest.delete('negation');
  return rest;
}

/** Whether what is left of a message still says something: three words, or four Chinese characters. */
function saysMore(text: string): boolean {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = text.match(/[a-z]{2,}/gu)?.length ?? 0;
  return han >= 4 || words >= 3;
}

/**
 * "nope, changed my mind", "not yet, maybe after the holidays", "先不删吧，过段时间再说": at a yes/no
 * question, a reply that opens by refusing is a no, unless what follows says yes or names the act again.
 */
function refusedFirst(normalized: string, namesAct: (rest: string) => boolean): boolean {
  for (const l of ALL_LEXICONS) {
    const lead = l.refusalLead.exec(normalized);
    if (!lead) continue;
    const rest = normalized.slice(lead[0].length);
    return !namesAct(rest) && !saysYes(rest);
  }
  return false;
}

/**
 * "don't keep anything", "我不希望你们保留任何我的信息，删吧": keeping nothing asks for the erasure in
 * the member's words; "since I no longer use it, please erase my data": a negation beside the
 * point is set aside (asides.ts), and the rest must name the erasure. True when what is left has
 * no doubt, undefined when something is, and undefined too when neither applies (the caller reads on).
 */
function eraseAskedAround(normalized: string): boolean | undefined {
  const withoutKeep = withoutSpans(normalized, (l) => l.keepNothing, ALL_LEXICONS);
  const focus = withoutKeep !== normalized ? withoutKeep : withoutAsideNegations(normalized, ALL_LEXICONS);
  if (focus === normalized) return undefined;
  const named = withoutKeep !== normalized || namesIn(focus, (l) => l.actionWords.erase);
  if (!named) return undefined;
  return permits('eraseData', { yes: false, named, command: false }, actsOf(focus, ALL_LEXICONS)) ? true : undefined;
}

/** Whether any lexicon's pattern finds something in the text. */
function namesIn(text: string, pattern: (l: Lexicon) => RegExp): boolean {
  return ALL_LEXICONS.some((l) => pattern(l).test(text));
}

/** Whether the text holds a word of yes ("no wait, ok", "不…好的"): a no it holds is then no answer. */
function saysYes(text: string): boolean {
  const words = text.split(/[\s\p{P}]+/u);
  return ALL_LEXICONS.some((l) =>
    l.affirmatives.some((a) => (/\p{Script=Han}/u.test(a) ? a.length > 1 && text.includes(a) : words.includes(a))),
  );
}

/** Doubts that leave a yes/no question unanswered; a negation may still be a clear no. */
const DOUBTS_BUT_NEGATION: readonly Act[] = ['condition', 'hedge', 'tentative', 'deferral', 'narrowed', 'otherPerson'];
