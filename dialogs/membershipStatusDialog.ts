import type { TurnContext } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { inLocale, type ReplyLocale } from '../src/i18n/languages.js';
import { formatDate, formatMoney } from '../src/i18n/format.js';
import { t } from '../src/i18n/messages.js';
import type { MembershipView } from '../src/membership/membershipService.js';
import type { Localized } from '../src/model/schema.js';
import { pickChoice } from './answers.js';
import type { BotServices } from './botServices.js';
import { messageWithChoices, plainMessage, rendersCards } from './channel.js';
import {
  factsCard,
  factsText,
  membershipFacts,
  nextChargeAnswer,
  remindersAnswer,
  statusText,
} from './membershipFacts.js';
import { turnLocale, vals } from './stepHelpers.js';
import { StepPrompt } from './stepPrompt.js';
import { turnReading } from './turnReading.js';

export const MEMBERSHIP_STATUS_DIALOG = 'membershipStatusDialog';
export const UNDO_PROMPT = 'undoPrompt';
const WATERFALL = 'statusWaterfall';

export interface MembershipStatusOptions {
  memberId: string;
  /** The member's own words, when they asked something the facts answer in a line ("when am I charged next?"). */
  request?: string;
  /** The member asked to undo a cancellation: one that cannot be undone is said so in words. */
  askedToUndo?: boolean;
}

/** Sends what the member has: one card (or text) a membership, the same facts either way. */
export async function showMemberships(context: TurnContext, views: MembershipView[], intro: string): Promise<void> {
  const l = turnLocale(context);
  const blocks = views.map((v) => ({ title: inLocale(v.plan.name, l), facts: membershipFacts(v, l) }));
  if (rendersCards(context.activity.channelId)) {
    await context.sendActivity(
      plainMessage(
        intro,
        blocks.map((b) => factsCard(b.title, b.facts)),
      ),
    );
  } else {
    await context.sendActivity(
      plainMessage([intro, ...blocks.map((b) => factsText(b.title, b.facts, l))].join('\n\n')),
    );
  }
}

/** "Check my membership": everything on the account, and an undo for a cancellation still pending. */
export class MembershipStatusDialog extends ComponentDialog {
  constructor(private readonly services: BotServices) {
    super(MEMBERSHIP_STATUS_DIALOG);
    const titles = (l: ReplyLocale) => [t(l, 'status.undo'), t(l, 'status.leave')];
    this.addDialog(
      new StepPrompt<boolean, { plan: Localized }>(UNDO_PROMPT, {
        render: (ctx, l) => messageWithChoices(ctx, t(l, 'status.askUndo'), titles(l)),
        recognize: (text, l, data, context) => {
          const said = turnReading(context, services, text).reading;
          // "undo the music one instead" is not an answer about this cancellation.
          if (services.understanding.namesOtherPlan(said, Object.values(data.plan)))
            return { reply: t(l, 'status.otherMembership', { plan: inLocale(data.plan, l) }) };
          // A button or its number; any other words go through the action policy ("不要撤销" is no undo).
          const picked = pickChoice(services.understanding, said, titles(l), [], false);
          if (picked !== undefined) return { value: picked === 0 };
          const undo = services.understanding.undoAnswer(said);
          if (undo === 'question') return { reply: t(l, 'status.undoExplain') };
          return undo === undefined ? undefined : { value: undo };
        },
        retryHint: (l) => t(l, 'help.undoPrompt'),
      }),
    );
    this.addDialog(new WaterfallDialog(WATERFALL, [this.show.bind(this), this.undo.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async show(step: WaterfallStepContext) {
    const { memberId, request } = step.options as MembershipStatusOptions;
    const l = turnLocale(step.context);
    const views = await this.services.memberships.list(memberId);
    if (views.length === 0) {
      await step.context.sendActivity(plainMessage(t(l, 'status.none')));
      return step.endDialog();
    }
    const intro = views.length === 1 ? t(l, 'status.intro') : t(l, 'status.introMany', { count: views.length });
    await showMemberships(step.context, views, intro);
    if (request && this.services.understanding.asksReminded(request))
      await step.context.sendActivity(
        plainMessage(remindersAnswer(views, await this.services.memberships.remindersOf(memberId), l)),
      );
    else if (request && this.services.understanding.asksNextCharge(request))
      await step.context.sendActivity(plainMessage(nextChargeAnswer(views, l)));
    const undoable = views.find((v) => v.canUndo);
    if (!undoable) {
      if ((step.options as MembershipStatusOptions).askedToUndo)
        await step.context.sendActivity(plainMessage(noUndo(views, l)));
      return step.endDialog();
    }
    vals(step).membershipId = undoable.membership.id;
    return step.prompt(UNDO_PROMPT, { validations: { plan: undoable.plan.name } });
  }

  private async undo(step: WaterfallStepContext) {
    const { memberId } = step.options as { memberId: string };
    const l = turnLocale(step.context);
    if (!step.result) {
      await step.context.sendActivity(plainMessage(t(l, 'status.left')));
      return step.endDialog();
    }
    const view = await this.services.memberships.undo(
      memberId,
      vals(step).membershipId as string,
      step.context.activity.conversation?.id,
    );
    const next = {
      plan: inLocale(view.plan.name, l),
      price: formatMoney(view.plan.price, view.plan.currency, l),
      date: formatDate(view.membership.currentPeriodEnd, l),
    };
    await step.context.sendActivity(plainMessage(t(l, 'status.undone', next)));
    return step.endDialog({ committed: true });
  }
}

/** One line a membership, for "nothing active" answers. */
export function statusLines(views: MembershipView[], l: ReplyLocale): string {
  return views.map((v) => t(l, 'status.line', { plan: inLocale(v.plan.name, l), status: statusText(v, l) })).join('\n');
}

/**
 * Why nothing can be undone, plainly: a cancellation that took effect (at once, or at its period's
 * end) is final; without one there is nothing to undo.
 */
function noUndo(views: MembershipView[], l: ReplyLocale): string {
  const final = views.filter((v) => v.cancellation && v.membership.status !== 'active');
  if (final.length === 0) return t(l, 'status.nothingToUndo');
  return final
    .map((v) =>
      t(l, 'status.cannotUndo', {
        plan: inLocale(v.plan.name, l),
        date: formatDate(v.cancellation!.effectiveAt, l),
      }),
    )
    .join('\n');
}
