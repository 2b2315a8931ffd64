import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { ReplyLocale } from '../src/i18n/languages.js';
import type { Identifier } from '../src/identity/identifier.js';
import type { Intent } from '../src/nlu/intent.js';
import type { Reading, Understanding } from '../src/nlu/understanding.js';
import type { BotServices } from './botServices.js';

const TURN_READING = Symbol('turn reading');

/**
 * The member's message as this turn reads it, each part at most once and only when asked: the
 * interruption check, botbuilder's pre-bubble recognition, the prompt's own recognition and the
 * consent rule all ask here. A cache by text alone is not enough: the turns of other
 * conversations, in flight at the same time, would push this one's out between its awaits.
 */
export class TurnReading {
  private read?: Reading;
  private identifierRead?: Identifier | null;
  private codeRead?: string | null;
  private requestRead?: Intent;
  private readonly intents = new Map<ReplyLocale, Promise<{ intent: Intent; score: number }>>();

  constructor(
    readonly text: string,
    private readonly understanding: Understanding,
    private readonly parseIdentifier: BotServices['parseIdentifier'],
  ) {}

  /** Normalised, its acts, courtesy and commands: what every rule reads. */
  get reading(): Reading {
    this.read ??= this.understanding.read(this.text);
    return this.read;
  }

  /** The phone number or e-mail address in the message, in digits, words or aloud. */
  identifier(): Identifier | null {
    if (this.identifierRead === undefined) this.identifierRead = this.parseIdentifier(this.reading);
    return this.identifierRead;
  }

  /** The one-time code written anywhere in the message. */
  code(): string | null {
    if (this.codeRead === undefined) this.codeRead = this.understanding.codeIn(this.reading);
    return this.codeRead;
  }

  /** What the message asks for while a prompt waits: an explicit command or a bare "cancel" (no classifier). */
  requestAtPrompt(): Intent {
    this.requestRead ??= this.understanding.requestAtPrompt(this.reading);
    return this.requestRead;
  }

  /** The intent model's reading, for the language of the conversation. */
  intentOf(locale: ReplyLocale): Promise<{ intent: Intent; score: number }> {
    let intent = this.intents.get(locale);
    if (!intent) {
      intent = this.understanding.intentOf(this.reading, locale);
      this.intents.set(locale, intent);
    }
    return intent;
  }

  /** Whether the message asks to see or change a membership, by the intent model. */
  async asksForTask(locale: ReplyLocale): Promise<boolean> {
    return this.understanding.isTask((await this.intentOf(locale)).intent);
  }
}

/** The text of this turn's message as the dialogs read it: trimmed, '' for other activities. */
export function messageText(context: TurnContext): string {
  const { type, text } = context.activity;
  return type === ActivityTypes.Message && typeof text === 'string' ? text.trim() : '';
}

/** This turn's reading of `text` (the message's own text unless given), made the first time it is asked for. */
export function turnReading(
  context: TurnContext,
  services: Pick<BotServices, 'understanding' | 'parseIdentifier'>,
  text = messageText(context),
): TurnReading {
  const kept = context.turnState.get<TurnReading | undefined>(TURN_READING);
  if (kept?.text === text) return kept;
  const said = new TurnReading(text, services.understanding, services.parseIdentifier);
  context.turnState.set(TURN_READING, said);
  return said;
}
