import { ActivityTypes, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogSet,
  WaterfallDialog,
  type DialogContext,
  type DialogState,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { createDialogContext } from '../src/botframework/sharedMemoryScopes.js';
import { hasPassed } from '../src/core/instant.js';
import { t } from '../src/i18n/messages.js';
import type { Intent } from '../src/nlu/intent.js';
import { pickChoice } from './answers.js';
import type { BotServices } from './botServices.js';
import {
  CancelMembershipDialog,
  CANCEL_MEMBERSHIP_DIALOG,
  REASON_PROMPT,
  type CancelMembershipOptions,
} from './cancelMembershipDialog.js';
import { plainMessage } from './channel.js';
import type { ConversationData } from './conversationData.js';
import { innermost, Interruptions, leafPrompt } from './interruptions.js';
import {
  MembershipStatusDialog,
  MEMBERSHIP_STATUS_DIALOG,
  type MembershipStatusOptions,
} from './membershipStatusDialog.js';
import {
  PersonalDataDialog,
  PERSONAL_DATA_DIALOG,
  type PersonalDataOptions,
  type PersonalDataResult,
} from './personalDataDialog.js';
import { welcomeActivity } from './menu.js';
import { turnLocale } from './stepHelpers.js';
import { TOO_LONG } from './stepPrompt.js';
import { turnReading, type TurnReading } from './turnReading.js';
import type { Identifier } from '../src/identity/identifier.js';
import { VerifyIdentityDialog, VERIFY_IDENTITY_DIALOG, type VerifyOptions } from './verifyIdentityDialog.js';
import { turnMembers } from './turnMembers.js';

const TASK_WATERFALL = 'taskWaterfall';
type Task = 'cancel' | 'status' | 'undo' | PersonalDataOptions['request'];
/** What the task waterfall starts with: the task, and a phone or email already given with the request. */
interface TaskOptions {
  task: Task;
  identifier?: Identifier;
  /** The words that asked for it: "cancel the video one" names the membership. */
  request?: string;
  /** The membership a renewal notice's link opened the chat at. */
  membershipId?: string;
}

/**
 * The task each intent starts from the menu. A refund question starts the cancellation: its
 * warning states the refund of each option, and nothing changes without a choice.
 */
const TASK_OF_INTENT: Partial<Record<Intent, Task>> = {
  cancel: 'cancel',
  ambiguousCancel: 'cancel',
  refundQuestion: 'cancel',
  status: 'status',
  checkCancelled: 'status',
  pointsQuestion: 'status',
  undo: 'undo',
  exportData: 'export',
  eraseData: 'erase',
};

/**
 * The root of the conversation: reads the intent, makes sure the member is verified, runs the task,
 * and hands what works at every prompt to {@link Interruptions} (dialogs/interruptions.ts).
 */
export class MainDialog extends ComponentDialog {
  readonly conversationData: StatePropertyAccessor<ConversationData>;
  private readonly dialogSet: DialogSet;
  private readonly interruptions: Interruptions;

  constructor(
    private readonly services: BotServices,
    conversationState: ConversationState,
  ) {
    super('mainDialog');
    this.conversationData = conversationState.createProperty<ConversationData>('conversationData');
    this.dialogSet = new DialogSet(conversationState.createProperty<DialogState>('dialogState'));
    this.dialogSet.add(this);
    this.interruptions = new Interruptions(services);
    this.addDialog(new VerifyIdentityDialog(services));
    this.addDialog(new MembershipStatusDialog(services));
    this.addDialog(new CancelMembershipDialog(services));
    this.addDialog(new PersonalDataDialog(services));
    this.addDialog(
      new WaterfallDialog(TASK_WATERFALL, [
        this.ensureVerified.bind(this),
        this.runTask.bind(this),
        this.finish.bind(this),
      ]),
    );
    this.initialDialogId = TASK_WATERFALL;
  }

  /** This turn's reading of the member's message (dialogs/turnReading.ts). */
  said(context: TurnContext): TurnReading {
    return turnReading(context, this.services);
  }

  async run(context: TurnContext): Promise<void> {
    const data = await this.conversationData.get(context, {});
    const dc = await createDialogContext(this.dialogSet, context);
    if (context.activity.type !== ActivityTypes.Message) return;
    await this.forgetAnotherSpeaker(dc, data);
    await this.applyHostToken(context, data);
    if (await this.openCancelLink(dc, data)) return;
    const said = turnReading(context, this.services);
    const text = said.text;
    const l = turnLocale(context);

    if (text.length > TOO_LONG) {
      await context.sendActivity(plainMessage(t(l, 'input.tooLong')));
      if (dc.activeDialog) await dc.repromptDialog();
      return;
    }

    // At a prompt only what the message names explicitly may leave it; the classifier reads openings alone.
    let intent: Intent = !text ? 'none' : dc.activeDialog ? said.requestAtPrompt() : (await said.intentOf(l)).intent;
    // An answer to "stop this, or cancel your membership?" is never an answer to the prompt underneath.
    const answersTheAmbiguity = data.awaitingCancelMeaning === true;
    if (answersTheAmbiguity) {
      const next = await this.interruptions.answerToAmbiguity(dc, text, intent, data);
      if (next === null) return;
      intent = next;
    }
    if (dc.activeDialog) {
      await this.atPrompt(dc, said, intent, data, answersTheAmbiguity);
      return;
    }
    const beside = await this.requestBesideLanguage(context, intent, text, data);
    if (beside) await this.startFromIdle(dc, beside.intent, beside.text, data);
    else await this.startFromIdle(dc, intent, text, data);
  }

  /** Someone else speaking in a verified conversation starts from nothing: no identity, no flow. */
  private async forgetAnotherSpeaker(dc: DialogContext, data: ConversationData): Promise<void> {
    if (!data.verification || data.verification.userId === dc.context.activity.from?.id) return;
    data.verification = undefined;
    await dc.cancelAllDialogs();
  }

  /** A renewal notice's link starts that membership's cancellation, whatever was under way; true when it did. */
  private async openCancelLink(dc: DialogContext, data: ConversationData): Promise<boolean> {
    const link = (dc.context.activity.channelData as { cancelLink?: unknown } | undefined)?.cancelLink;
    const linked = link !== data.openedLink ? this.services.readCancelLink(link) : null;
    if (!linked) return false;
    data.openedLink = link as string;
    await dc.cancelAllDialogs();
    await dc.beginDialog(this.id, { task: 'cancel', membershipId: linked } satisfies TaskOptions);
    return true;
  }

  /**
   * A message while a prompt waits. The prompt's own answer comes first (a code, a choice, a yes is
   * never taken for a command), except for requests that can never be an answer.
   */
  private async atPrompt(
    dc: DialogContext,
    said: TurnReading,
    intent: Intent,
    data: ConversationData,
    answersTheAmbiguity: boolean,
  ): Promise<void> {
    const text = said.text;
    const leaf = innermost(dc);
    const answered = !answersTheAmbiguity && (await this.interruptions.promptTakes(leaf, intent, text));
    if (!answered && !answersTheAmbiguity && (await this.interruptions.answerWithCommand(dc, leaf, intent, data)))
      return;
    const unansweredReason = !answered && leafPrompt(leaf) === REASON_PROMPT;
    // The reason question is open and optional: words that are no reason may ask for another task.
    if (unansweredReason && intent === 'none' && text) intent = (await said.intentOf(turnLocale(dc.context))).intent;
    if (unansweredReason && intent !== 'none') {
      // The last question is optional and never holds the member: a bare "cancel" there stops it,
      // and any other request ends it unanswered and is handled as if nothing were in progress.
      if (intent === 'ambiguousCancel') intent = 'quit';
      if (intent !== 'quit' && intent !== 'startOver') {
        await dc.cancelAllDialogs();
        await this.startFromIdle(dc, intent, text, data);
        return;
      }
    }
    if (!answered && (await this.interruptions.interrupt(dc, leaf, intent, data))) return;
    await dc.continueDialog();
  }

  /**
   * "我想退掉健身pro，顺便切换成英文": a request with a language asked beside it. The language is
   * switched first, so the request is answered in it; null when the message is no such pair.
   */
  private async requestBesideLanguage(context: TurnContext, intent: Intent, text: string, data: ConversationData) {
    if (intent !== 'switchLanguage') return null;
    const appended = this.services.understanding.appendedCommand(text);
    if (!appended) return null;
    const rest = (await turnReading(context, this.services, appended.rest).intentOf(turnLocale(context))).intent;
    if (!TASK_OF_INTENT[rest]) return null;
    await this.interruptions.switchLanguage(context, data);
    return { intent: rest, text: appended.rest };
  }

  private async startFromIdle(dc: DialogContext, intent: Intent, text: string, data: ConversationData): Promise<void> {
    const context = dc.context;
    const l = turnLocale(context);
    const task = TASK_OF_INTENT[intent];
    if (task) {
      // "Cancel my wife's membership": no task starts on someone else's account.
      if (this.services.understanding.speaksForSomeoneElse(text)) {
        await context.sendActivity(plainMessage(t(l, 'answer.ownOnly')));
        await context.sendActivity(welcomeActivity(context, 'menu.prompt'));
        return;
      }
      // "Cancel my membership, my number is 138 1234 5678" gives the number once, not twice.
      const identifier = turnReading(context, this.services, text).identifier() ?? undefined;
      await dc.beginDialog(this.id, { task, identifier, request: text } satisfies TaskOptions);
      return;
    }
    switch (intent) {
      case 'thanks':
        await context.sendActivity(plainMessage(t(l, 'thanks.reply')));
        await context.sendActivity(welcomeActivity(context, 'goodbye'));
        return;
      case 'human':
        await this.interruptions.handoff(context, data);
        return;
      case 'switchLanguage':
        await this.interruptions.switchLanguage(context, data);
        await context.sendActivity(welcomeActivity(context, 'menu.prompt'));
        return;
      case 'help':
        await context.sendActivity(plainMessage(t(l, 'help.general')));
        await context.sendActivity(welcomeActivity(context, 'menu.prompt'));
        return;
      default:
        await this.fromMenu(dc, intent, text);
    }
  }

  /** The menu's own titles, typed or tapped; anything else is shown the menu again. */
  private async fromMenu(dc: DialogContext, intent: Intent, text: string): Promise<void> {
    const context = dc.context;
    const l = turnLocale(context);
    const picked = pickChoice(this.services.understanding, turnReading(context, this.services, text).reading, [
      t(l, 'menu.status'),
      t(l, 'menu.cancel'),
      t(l, 'menu.help'),
    ]);
    if (picked === 0 || picked === 1) {
      await dc.beginDialog(this.id, { task: picked === 0 ? 'status' : 'cancel' });
      return;
    }
    if (picked === 2) {
      await context.sendActivity(plainMessage(t(l, 'help.general')));
    } else if (!text && context.activity.attachments?.length) {
      await context.sendActivity(plainMessage(t(l, 'input.unsupported')));
    }
    await context.sendActivity(welcomeActivity(context, intent === 'greeting' ? 'welcome' : 'menu.prompt'));
  }

  private async ensureVerified(step: WaterfallStepContext) {
    const data = await this.conversationData.get(step.context, {});
    const v = data.verification;
    const idleMs = this.services.config.VERIFIED_IDLE_MINUTES * 60_000;
    const now = this.services.clock.now();
    if (
      v &&
      (await turnMembers(step.context, this.services.members).exists(v.memberId)) &&
      !hasPassed(new Date(Date.parse(v.lastSeenAt) + idleMs).toISOString(), now)
    ) {
      v.lastSeenAt = now.toISOString();
      return step.next(v.memberId);
    }
    data.verification = undefined;
    const { identifier } = step.options as TaskOptions;
    return step.beginDialog(VERIFY_IDENTITY_DIALOG, { identifier } satisfies VerifyOptions);
  }

  private async runTask(step: WaterfallStepContext) {
    const memberId = step.result as string | undefined;
    if (!memberId) return step.endDialog();
    const data = await this.conversationData.get(step.context, {});
    if (!data.verification)
      data.verification = {
        memberId,
        userId: step.context.activity.from.id,
        via: 'code',
        lastSeenAt: this.services.clock.now().toISOString(),
      };
    await turnMembers(step.context, this.services.members).rememberConversation(
      memberId,
      conversationReferenceOf(step.context),
    );
    const { task, request, membershipId } = step.options as TaskOptions;
    if (task === 'export' || task === 'erase')
      return step.beginDialog(PERSONAL_DATA_DIALOG, { memberId, request: task } satisfies PersonalDataOptions);
    if (task === 'cancel')
      return step.beginDialog(CANCEL_MEMBERSHIP_DIALOG, {
        memberId,
        request,
        ...(membershipId ? { linkedMembershipId: membershipId } : {}),
      } satisfies CancelMembershipOptions);
    return step.beginDialog(MEMBERSHIP_STATUS_DIALOG, {
      memberId,
      request,
      askedToUndo: task === 'undo',
    } satisfies MembershipStatusOptions);
  }

  private async finish(step: WaterfallStepContext) {
    // An erased member can no longer be verified; this conversation stops vouching for them too.
    if ((step.result as PersonalDataResult | undefined)?.erased)
      (await this.conversationData.get(step.context, {})).verification = undefined;
    await step.context.sendActivity(welcomeActivity(step.context, 'goodbye'));
    return step.endDialog();
  }

  private async applyHostToken(context: TurnContext, data: ConversationData): Promise<void> {
    const now = this.services.clock.now();
    // What a host token vouched for ends with it: the page passes the token on every turn, long after.
    if (data.verification?.until && hasPassed(data.verification.until, now)) data.verification = undefined;
    const token = (context.activity.channelData as { memberToken?: unknown } | undefined)?.memberToken;
    if (token === undefined) return;
    const vouched = this.services.verifyMemberToken(token, context.activity.from.id);
    if (vouched && (await turnMembers(context, this.services.members).exists(vouched.memberId))) {
      data.verification = {
        memberId: vouched.memberId,
        userId: context.activity.from.id,
        via: 'token',
        lastSeenAt: now.toISOString(),
        until: vouched.expiresAt.toISOString(),
      };
    }
  }
}

function conversationReferenceOf(context: TurnContext): Record<string, unknown> {
  const a = context.activity;
  return JSON.parse(
    JSON.stringify({
      activityId: a.id,
      user: { id: a.from?.id, role: a.from?.role },
      bot: a.recipient,
      conversation: { id: a.conversation?.id },
      channelId: a.channelId,
      serviceUrl: a.serviceUrl,
      locale: a.locale,
    }),
  ) as Record<string, unknown>;
}
