import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { Prompt, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import type { Locale } from '../src/config.js';
import { t } from '../src/i18n/messages.js';
import { turnLocale } from './stepHelpers.js';

export const TOO_LONG = 5000;

/** How one prompt looks and what it understands; rendered anew each time, in the current language. */
export interface PromptView<T, D> {
  render(context: TurnContext, locale: Locale, data: D): Partial<Activity>;
  recognize(text: string, locale: Locale, data: D): T | undefined;
  /** What to say before re-asking after an answer that was not understood. */
  retryHint(locale: Locale, data: D): string;
  /** After this many answers that were not understood, the prompt ends with `giveUp`. */
  maxAttempts?: number;
  giveUp?: T;
}

/**
 * A prompt whose words are rendered at the moment they are shown, never stored: after a language
 * switch or a restart, a re-prompt comes out in the conversation's current language. Recognition
 * is the view's own, so Chinese synonyms the recognizers miss are understood. Bad input (an
 * attachment, an empty message, 5,000 characters) gets a short hint and the same prompt again.
 */
export class StepPrompt<T, D = undefined> extends Prompt<T> {
  constructor(id: string, private readonly view: PromptView<T, D>) {
    // Counted here, not in onRecognize: the dialog stack also calls onRecognize when an activity
    // bubbles, so only the validator sees each answer exactly once.
    super(id, async (prompt) => {
      if (prompt.recognized.succeeded) return true;
      if (view.maxAttempts && view.giveUp !== undefined && prompt.attemptCount >= view.maxAttempts) {
        prompt.recognized.value = view.giveUp;
        return true;
      }
      return false;
    });
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const locale = turnLocale(context);
    const data = options.validations as D;
    const activity = this.view.render(context, locale, data);
    if (isRetry) {
      await context.sendActivity(this.hintFor(context, locale, data));
    }
    await context.sendActivity(activity);
  }

  protected async onRecognize(context: TurnContext, _state: object, options: PromptOptions): Promise<PromptRecognizerResult<T>> {
    const locale = turnLocale(context);
    const text = context.activity.type === ActivityTypes.Message && typeof context.activity.text === 'string' ? context.activity.text : '';
    const value = text.length > 0 && text.length <= TOO_LONG ? this.view.recognize(text, locale, options.validations as D) : undefined;
    return value === undefined ? { succeeded: false } : { succeeded: true, value };
  }

  private hintFor(context: TurnContext, locale: Locale, data: D): string {
    const a = context.activity;
    if (a.attachments?.length && !a.text) return t(locale, 'input.unsupported');
    if ((a.text ?? '').length > TOO_LONG) return t(locale, 'input.tooLong');
    return `${t(locale, 'input.unclear')} ${this.view.retryHint(locale, data)}`;
  }
}
