import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import { t } from '../src/i18n/messages.js';
import type { Intent } from '../src/nlu/intent.js';
import { pickChoice } from './answers.js';
import type { BotServices } from './botServices.js';
import {
  CANCEL_MEMBERSHIP_DIALOG,
  CONFIRM_PROMPT,
  MEMBERSHIP_PROMPT,
  REASON_PROMPT,
} from './cancelMembershipDialog.js';
import { messageWithChoices, plainMessage } from './channel.js';
import type { ConversationData } from './conversationData.js';
import { UNDO_PROMPT } from './membershipStatusDialog.js';
import { welcomeActivity } from './menu.js';
import { ERASE_PROMPT } from './personalDataDialog.js';
import { turnLocale } from './stepHelpers.js';
import { StepPrompt } from './stepPrompt.js';
import { messageText, turnReading } from './turnReading.js';
import { CODE_PROMPT, IDENTIFIER_PROMPT } from './verifyIdentityDialog.js';

/** The prompts with help of their own (`help.<prompt id>` in the catalogs); any other gets `help.general`. */
const PROMPTS_WITH_HELP = [
  IDENTIFIER_PROMPT,
  CODE_PROMPT,
  MEMBERSHIP_PROMPT,
  CONFIRM_PROMPT,
  REASON_PROMPT,
  UNDO_PROMPT,
  ERASE_PROMPT,
] as const;
type HelpTopic = (typeof PROMPTS_WITH_HELP)[number] | 'general';

interface Interruption {
  /**
   * Whether it wins even over an answer the prompt would take. Only requests that can never be an
   * answer do ("转人工" is never a choice); "help" or "stop" may be a prompt's own word for an option.
   */
  overridesAnswer: boolean;
  /**
   * Handles the request in the middle of a task; the task waits (re-prompted) unless it ends here.
   * `leaf` is where the prompt waits ({@link innermost}).
   */
  handle(dc: DialogContext, data: ConversationData, leaf: DialogContext): Promise<void>;
}

/**
 * What works at every prompt, whatever the prompt asks, in the manner of core-bot's
 * CancelAndHelpDialog: help, quit, start over, a person, a language, and the ambiguous bare
 * "cancel" (stop this, or cancel the membership?). MainDialog routes; this file decides.
 */
export class Interruptions {
  private readonly atEveryPrompt: Readonly<Partial<Record<Intent, Interruption>>> = {
    help: {
      overridesAnswer: false,
      handle: async (dc, _data, leaf) => {
        const l = turnLocale(dc.context);
        await dc.context.sendActivity(plainMessage(t(l, `help.${leafPrompt(leaf)}`)));
        await dc.repromptDialog();
      },
    },
    quit: {
      overridesAnswer: false,
      handle: async (dc, _data, leaf) => {
        const l = turnLocale(dc.context);
        // After a cancellation only the optional question is left; "nothing changed" would be untrue.
        const afterCancel = leafPrompt(leaf) === REASON_PROMPT;
        await dc.cancelAllDialogs();
        await dc.context.sendActivity(plainMessage(t(l, afterCancel ? 'quit.afterCancel' : 'quit.done')));
        await dc.context.sendActivity(welcomeActivity(dc.context, 'menu.prompt'));
      },
    },
    startOver: {
      overridesAnswer: true,
      handle: async (dc) => {
        await dc.cancelAllDialogs();
        await dc.context.sendActivity(welcomeActivity(dc.context, 'welcome'));
      },
    },
    human: {
      overridesAnswer: true,
      handle: async (dc, data) => {
        await this.handoff(dc.context, data);
        await dc.repromptDialog();
      },
    },
    switchLanguage: {
      overridesAnswer: true,
      handle: async (dc, data) => {
        await this.switchLanguage(dc.context, data);
        await dc.repromptDialog();
      },
    },
    ambiguousCancel: {
      overridesAnswer: true,
      handle: async (dc, data) => {
        const l = turnLocale(dc.context);
        data.awaitingCancelMeaning = true;
        await dc.context.sendActivity(
          messageWithChoices(dc.context, t(l, 'ambiguous.question'), [
            t(l, 'ambiguous.stop'),
            t(l, 'ambiguous.cancelMembership'),
          ]),
        );
      },
    },
  };

  constructor(private readonly services: BotServices) {}

  /** Whether the prompt waiting at `leaf` ({@link innermost}) takes this message as its answer rather than as `intent`. */
  async promptTakes(leaf: DialogContext, intent: Intent, text: string): Promise<boolean> {
    return !this.atEveryPrompt[intent]?.overridesAnswer && (await promptUnderstands(leaf, text));
  }

  /**
   * An answer with a command joined to it ("end of period, then switch to Chinese", "撤销吧 然后转人工"):
   * the prompt at `leaf` takes the answer and the command runs too, a language before the answer
   * so its reply comes in it, a person or a fresh start after. False when the message is no such pair.
   */
  async answerWithCommand(
    dc: DialogContext,
    leaf: DialogContext,
    intent: Intent,
    data: ConversationData,
  ): Promise<boolean> {
    const context = dc.context;
    const appended = this.services.understanding.appendedCommand(messageText(context));
    if (!appended || appended.command !== intent || !(await promptUnderstands(leaf, appended.rest))) return false;
    // Any words answer "why did you leave?"; beside a command only a reason named or a skip does.
    if (leafPrompt(leaf) === REASON_PROMPT && this.services.understanding.reasonOf(appended.rest) === 'other')
      return false;
    if (intent === 'switchLanguage') await this.switchLanguage(context, data);
    await continueWith(dc, appended.rest);
    if (intent === 'human') await this.handoff(context, data);
    if (intent === 'startOver') {
      await dc.cancelAllDialogs();
      await context.sendActivity(welcomeActivity(context, 'welcome'));
    }
    return true;
  }

  /** Handles what works at every prompt, the prompt waiting at `leaf`; true when the turn is done. */
  async interrupt(dc: DialogContext, leaf: DialogContext, intent: Intent, data: ConversationData): Promise<boolean> {
    const interruption = this.atEveryPrompt[intent];
    if (!interruption) return false;
    await interruption.handle(dc, data, leaf);
    return true;
  }

  /**
   * The member's answer to "stop this, or cancel your membership?": the intent to carry on with,
   * or null when the turn is done. Never an answer to the prompt underneath.
   */
  async answerToAmbiguity(
    dc: DialogContext,
    text: string,
    intent: Intent,
    data: ConversationData,
  ): Promise<Intent | null> {
    const context = dc.context;
    const l = turnLocale(context);
    data.awaitingCancelMeaning = false;
    const picked = pickChoice(this.services.understanding, turnReading(context, this.services, text).reading, [
      t(l, 'ambiguous.stop'),
      t(l, 'ambiguous.cancelMembership'),
    ]);
    if (picked === 0) return 'quit';
    if (picked === 1) {
      if (dc.activeDialog && cancelling(dc)) {
        await dc.repromptDialog();
        return null;
      }
      await dc.cancelAllDialogs();
      return 'cancel';
    }
    if (dc.activeDialog && !this.atEveryPrompt[intent]) {
      // Neither choice: the answer was meant for the question about "cancel", never for the
      // prompt underneath (a "yes" here must not confirm a cancellation). Ask that prompt again.
      await context.sendActivity(plainMessage(t(l, 'input.unclear')));
      await dc.repromptDialog();
      return null;
    }
    return intent;
  }

  /** Records that the member asked for a person, and tells them so. */
  async handoff(context: TurnContext, data: ConversationData): Promise<void> {
    await this.services.members.requestHandoff(
      context.activity.conversation.id,
      turnLocale(context),
      data.verification?.memberId,
    );
    await context.sendActivity(plainMessage(t(turnLocale(context), 'handoff.recorded')));
  }

  /** The member's explicit choice of language: only another explicit choice changes it. */
  async switchLanguage(context: TurnContext, data: ConversationData): Promise<void> {
    const current = turnLocale(context);
    const target = this.services.understanding.languageAsked(context.activity.text ?? '', current) ?? current;
    data.locale = target;
    data.localeChosen = true;
    context.activity.locale = target;
    await context.sendActivity(plainMessage(t(target, 'language.switched')));
  }
}

/** The id of the prompt waiting at `leaf` ({@link innermost}), for step-specific help. */
export function leafPrompt(leaf: DialogContext): HelpTopic {
  const id = leaf.activeDialog?.id;
  return PROMPTS_WITH_HELP.find((prompt) => prompt === id) ?? 'general';
}

/** Whether the prompt waiting at `leaf` would take this text as one. */
async function promptUnderstands(leaf: DialogContext, text: string): Promise<boolean> {
  const instance = leaf.activeDialog;
  const prompt = instance ? leaf.findDialog(instance.id) : undefined;
  return prompt instanceof StepPrompt && instance ? prompt.understands(leaf.context, instance, text) : false;
}

/** The dialog continued as if the member had written only `text`; the message itself is left as it came. */
async function continueWith(dc: DialogContext, text: string): Promise<void> {
  const { activity } = dc.context;
  const original = activity.text;
  activity.text = text;
  try {
    await dc.continueDialog();
  } finally {
    activity.text = original;
  }
}

/** Whether a cancellation is under way somewhere below the root. */
function cancelling(dc: DialogContext): boolean {
  for (let inner = dc.child; inner; inner = inner.child) {
    if (inner.activeDialog?.id === CANCEL_MEMBERSHIP_DIALOG) return true;
  }
  return false;
}

/**
 * Where the prompt waiting for an answer is: the stack walked once a turn and shared, since each
 * `dc.child` builds a new DialogContext and its state manager.
 */
export function innermost(dc: DialogContext): DialogContext {
  let leaf = dc;
  for (let next = leaf.child; next; next = leaf.child) leaf = next;
  return leaf;
}
