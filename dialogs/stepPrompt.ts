import type { Activity, TurnContext } from 'botbuilder';
import {
  Prompt,
  type DialogContext,
  type DialogInstance,
  type PromptOptions,
  type PromptRecognizerResult,
} from 'botbuilder-dialogs';
import type { ReplyLocale } from '../src/i18n/languages.js';
import { t } from '../src/i18n/messages.js';
import { turnLocale } from './stepHelpers.js';
import { messageText } from './turnReading.js';

export const TOO_LONG = 5000;

/** What an answer amounts to: a value that ends the prompt, or a reply that answers without choosing. */
export type Recognized<T> = { value: T } | { reply: string } | undefined;

/** How one prompt looks and what it understands; rendered anew each time, in the current language. */
export interface PromptView<T, D> {
  render(context: TurnContext, locale: ReplyLocale, data: D): Partial<Activity>;
  /** `text` is the turn's message, trimmed; its reading is the turn's (dialogs/turnReading.ts). */
  recognize(text: string, locale: ReplyLocale, data: D, context: TurnContext): Recognized<T> | Promise<Recognized<T>>;
  /** What to say before re-asking after an answer that was not understood. */
  retryHint(locale: ReplyLocale, data: D): string;
  /** What to show again after a miss or a reply; `render` when absent. A short form spares the member a long block twice. */
  rerender?(context: TurnContext, locale: ReplyLocale, data: D): Partial<Activity>;
  /** After this many answers that were not understood (replies to questions do not count), the prompt ends with `giveUp`. */
  maxAttempts?: number;
  giveUp?: T;
}

/** The prompt's own state beside botbuilder's: its data, and the misses counted here. */
interface StepState {
  data?: unknown;
  misses?: number;
  reply?: string;
}
const STEP_STATE = 'stepPrompt';
/** Where a turn keeps each prompt's reading of its message. */
const READINGS = 'stepPrompt.reading';

/**
 * A prompt whose words are rendered at the moment they are shown, never stored: after a language
 * switch or a restart, a re-prompt comes out in the conversation's current language. Recognition
 * is the view's own, so members' own words are understood. A question is answered and the choice
 * offered again in short; bad input (an attachment, an empty message, 5,000 characters) gets a
 * short hint and the same prompt again.
 */
export class StepPrompt<T, D = undefined> extends Prompt<T> {
  constructor(
    id: string,
    private readonly view: PromptView<T, D>,
  ) {
    // Counted here, not in onRecognize: the dialog stack also calls onRecognize when an activity
    // bubbles, so only the validator sees each answer exactly once.
    super(id, async (prompt) => {
      if (prompt.recognized.succeeded) return true;
      const step = stepState(prompt.state);
      if (step.reply !== undefined) return false;
      step.misses = (step.misses ?? 0) + 1;
      if (view.maxAttempts && view.giveUp !== undefined && step.misses >= view.maxAttempts) {
        prompt.recognized.value = view.giveUp;
        return true;
      }
      return false;
    });
  }

  override async beginDialog(dc: DialogContext, options: PromptOptions) {
    const result = await super.beginDialog(dc, options);
    if (dc.activeDialog?.id === this.id) stepState(dc.activeDialog.state).data = options.validations;
    return result;
  }

  /** Whether this prompt, waiting in `instance`, would take `text` as its answer (or answer it). */
  async understands(context: TurnContext, instance: DialogInstance, text: string): Promise<boolean> {
    if (!text || text.length > TOO_LONG) return false;
    const data = stepState(instance.state).data as D;
    return (await this.recognizeOnce(context, text, data)) !== undefined;
  }

  /**
   * The view's reading of `text`, once a turn: the interruption check, botbuilder's pre-bubble
   * recognition and the prompt's own would otherwise read the same message three times.
   */
  private recognizeOnce(context: TurnContext, text: string, data: D): Promise<Recognized<T>> {
    const key = `${READINGS}:${this.id}:${turnLocale(context)}`;
    const cached = context.turnState.get<{ text: string; reading: Promise<Recognized<T>> } | undefined>(key);
    if (cached?.text === text) return cached.reading;
    const reading = Promise.resolve(this.view.recognize(text, turnLocale(context), data, context));
    context.turnState.set(key, { text, reading });
    return reading;
  }

  protected async onPrompt(
    context: TurnContext,
    state: object,
    options: PromptOptions,
    isRetry: boolean,
  ): Promise<void> {
    const locale = turnLocale(context);
    const data = options.validations as D;
    if (!isRetry) {
      await context.sendActivity(this.view.render(context, locale, data));
      return;
    }
    const step = stepState(state);
    await context.sendActivity(step.reply ?? this.hintFor(context, locale, data));
    step.reply = undefined;
    await context.sendActivity((this.view.rerender ?? this.view.render)(context, locale, data));
  }

  protected async onRecognize(
    context: TurnContext,
    state: object,
    options: PromptOptions,
  ): Promise<PromptRecognizerResult<T>> {
    // Trimmed as the interruption check read it, so that the reading it made is the one used.
    const text = messageText(context);
    const recognized =
      text.length > 0 && text.length <= TOO_LONG
        ? await this.recognizeOnce(context, text, options.validations as D)
        : undefined;
    const step = stepState(state);
    step.reply = recognized && 'reply' in recognized ? recognized.reply : undefined;
    return recognized && 'value' in recognized ? { succeeded: true, value: recognized.value } : { succeeded: false };
  }

  private hintFor(context: TurnContext, locale: ReplyLocale, data: D): string {
    const a = context.activity;
    if (a.attachments?.length && !a.text) return t(locale, 'input.unsupported');
    if ((a.text ?? '').length > TOO_LONG) return t(locale, 'input.tooLong');
    return `${t(locale, 'input.unclear')}${t(locale, 'input.sentenceGap')}${this.view.retryHint(locale, data)}`;
  }
}

function stepState(state: object): StepState {
  const holder = state as Record<string, StepState | undefined>;
  return (holder[STEP_STATE] ??= {});
}
