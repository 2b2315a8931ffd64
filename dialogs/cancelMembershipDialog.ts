import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { inLocale, type ReplyLocale } from '../src/i18n/languages.js';
import { t } from '../src/i18n/messages.js';
import {
  APP_STORE_LINKS,
  BilledByAppStoreError,
  MembershipNotActiveError,
  RenewalInProgressError,
} from '../src/membership/membershipErrors.js';
import type { MembershipView } from '../src/membership/membershipService.js';
import type { CancellationQuote } from '../src/membership/refundQuote.js';
import type { CancelOption, Localized } from '../src/model/schema.js';
import { cancellationReceipt, receiptForChat } from '../src/notify/cancellationReceipt.js';
import { cancelOptionTitles, cancelWarning, forfeitLine, optionLines } from '../src/notify/cancellationWarning.js';
import type { CancelChoice, QuestionTopic } from '../src/nlu/consent.js';
import type { Said, Understanding } from '../src/nlu/understanding.js';
import { factsRuleOut, otherThanExcluded, pickByDate, pickByFacts, pickChoice, type ChoiceFacts } from './answers.js';
import type { BotServices } from './botServices.js';
import { messageWithChoices, plainMessage } from './channel.js';
import { statusLines } from './membershipStatusDialog.js';
import { turnLocale } from './stepHelpers.js';
import { turnReading } from './turnReading.js';
import { StepPrompt, type Recognized } from './stepPrompt.js';

export const CANCEL_MEMBERSHIP_DIALOG = 'cancelMembershipDialog';
export const MEMBERSHIP_PROMPT = 'membershipPrompt';
export const CONFIRM_PROMPT = 'confirmPrompt';
export const REASON_PROMPT = 'reasonPrompt';
const WATERFALL = 'cancelWaterfall';

type Decision = CancelOption | 'keep' | 'offer' | 'unclear';

/** What the dialog starts with: the verified member, and the words that asked to cancel. */
export interface CancelMembershipOptions {
  memberId: string;
  /** "Cancel the video one" names the membership, so the member is not asked which. */
  request?: string;
  /** The membership a renewal notice's link named: taken only if it is this member's and active. */
  linkedMembershipId?: string;
}

/**
 * What the waterfall learns on the way, kept in its options between steps (as core-bot's
 * bookingDetails is): each step reads what the steps before it filled in.
 */
interface CancelDetails extends CancelMembershipOptions {
  membershipId?: string;
  /** Makes the cancellation idempotent: the same request id is answered once. */
  requestId?: string;
  planName?: Localized;
  /** The retention offer the warning made, if any. */
  offerName?: Localized;
  reference?: string;
}
type CancelStep = WaterfallStepContext<CancelDetails>;

interface MembershipChoice {
  id: string;
  name: Localized;
  alias: string[];
  /** The day its period ends, as the member's card shows it (YYYY-MM-DD). */
  endsOn: string;
  facts: ChoiceFacts;
}
const REASONS = ['expensive', 'service', 'security', 'privacy', 'other', 'skip'] as const;
type Reason = (typeof REASONS)[number];

/** The changes on offer, as the consent rule names them. */
function offered(quote: CancellationQuote): CancelChoice[] {
  const list: CancelChoice[] = quote.options.map((o) => o.option);
  if (quote.retentionOffer) list.push('offer');
  return list;
}

/** A question at the warning, answered from the quote in a line or two. */
function answerFromQuote(quote: CancellationQuote, l: ReplyLocale, topic: QuestionTopic): string {
  if (topic === 'points') return forfeitLine(quote, l);
  if (topic === 'refund') return optionLines(quote, l).join('\n');
  return t(l, 'cancel.answer.nothingYet');
}

/** What a reply to the warning decides, by the one consent rule; a question or a hedge gets an answer. */
async function recognizeDecision(
  understanding: Understanding,
  text: Said,
  l: ReplyLocale,
  quote: CancellationQuote,
): Promise<Recognized<Decision>> {
  const list = cancelOptionTitles(quote, l);
  const index = pickChoice(
    understanding,
    text,
    list.map((d) => d.title),
    [],
    false,
    true,
  );
  const picked = index === undefined ? undefined : list[index].decision;
  // "退出", "I'm done here": the member leaves; the quit interruption says nothing changed.
  if (index === undefined && understanding.commandOf(text) === 'quit' && !understanding.namesKeep(text))
    return undefined;
  // "cancel at period end for the music one" is not an answer about this membership (a button is).
  const ownNames = [...Object.values(quote.planName), ...Object.values(quote.retentionOffer?.name ?? {})];
  if (index === undefined && understanding.namesOtherPlan(text, ownNames))
    return { reply: t(l, 'cancel.answer.otherMembership', { plan: inLocale(quote.planName, l) }) };
  const reading = await understanding.readConsent(text, l, offered(quote), picked);
  switch (reading.kind) {
    case 'choose':
      return { value: reading.choice };
    case 'keep':
      return { value: 'keep' };
    case 'question':
      return { reply: answerFromQuote(quote, l, reading.topic) };
    case 'unclear':
      if (['hedge', 'tentative', 'condition', 'deferral'].includes(reading.reason))
        return { reply: t(l, 'cancel.answer.takeYourTime') };
      if (reading.reason === 'otherPerson') return { reply: t(l, 'answer.ownOnly') };
      if (reading.reason === 'notOffered') return { reply: t(l, 'cancel.warning.noImmediate') };
      if (reading.reason === 'plainYes') return { reply: t(l, 'cancel.answer.whichYes') };
      if (reading.reason === 'plainNo') return { reply: t(l, 'cancel.answer.plainNo') };
      return undefined;
  }
}

/**
 * Which of the memberships a message means: by name, a word for it, its number (at the prompt),
 * the one not set apart, its date or what it costs and gives. What is said not to be meant is set
 * aside first ("cancel my music plan, I never use it"), unless the negation is the request itself;
 * a name of another plan, or a price or period that does not fit, rules the pick out.
 */
function whichMembership(
  understanding: Understanding,
  said: Said,
  choices: MembershipChoice[],
  l: ReplyLocale,
  ordinals: boolean,
): number | undefined {
  const positive = understanding.withoutNegatedClauses(said);
  const named = positive || (ordinals ? '' : said);
  const names = choices.map((c) => inLocale(c.name, l));
  const aliases = choices.map((c) => c.alias);
  const i =
    (named ? pickChoice(understanding, named, names, aliases, true, ordinals) : undefined) ??
    otherThanExcluded(understanding, said, names, aliases) ??
    pickByDate(
      understanding,
      named || said,
      choices.map((c) => c.endsOn),
    ) ??
    pickByFacts(
      understanding,
      named || said,
      choices.map((c) => c.facts),
    ) ??
    // "音乐Plus不想要了 怎么弄掉": a negated clause that names no other is the request itself.
    (positive && understanding.excludedParts(said).length === 0
      ? pickChoice(understanding, said, names, aliases, true, false)
      : undefined);
  if (i === undefined || !named) return i;
  // "Cancel video vip annual" when the member holds the monthly one: not that membership.
  if (understanding.namesOtherPlan(named, [names[i], ...aliases[i]])) return undefined;
  return factsRuleOut(understanding, named, choices[i].facts) ? undefined : i;
}

/** Which membership, when the member has more than one active; by name, word or button. */
function membershipPrompt(services: BotServices) {
  return new StepPrompt<string, { views: MembershipChoice[] }>(MEMBERSHIP_PROMPT, {
    render: (ctx, l, data) =>
      messageWithChoices(
        ctx,
        t(l, 'cancel.whichOne'),
        data.views.map((v) => inLocale(v.name, l)),
      ),
    recognize: (text, l, data, context) => {
      const said = turnReading(context, services, text).reading;
      // "my roommate's video one" is not this member's to cancel.
      if (said.acts.has('otherPerson')) return { reply: t(l, 'answer.ownOnly') };
      const i = whichMembership(services.understanding, said, data.views, l, true);
      return i === undefined ? undefined : { value: data.views[i].id };
    },
    retryHint: (l) => t(l, 'help.membershipPrompt'),
  });
}

/** The warning with the real choices; a question or a hedge is answered, not taken as a choice. */
function confirmPrompt(services: BotServices) {
  return new StepPrompt<Decision, CancellationQuote>(CONFIRM_PROMPT, {
    render: (ctx, l, data) =>
      messageWithChoices(
        ctx,
        cancelWarning(data, l),
        cancelOptionTitles(data, l).map((d) => d.title),
      ),
    rerender: (ctx, l, data) =>
      messageWithChoices(
        ctx,
        t(l, 'cancel.warning.ask'),
        cancelOptionTitles(data, l).map((d) => d.title),
      ),
    recognize: (text, l, data, context) =>
      recognizeDecision(services.understanding, turnReading(context, services, text).reading, l, data),
    retryHint: (l) => t(l, 'cancel.retryConfirm'),
    maxAttempts: 3,
    giveUp: 'unclear',
  });
}

/** The optional question why; the member's own words are an answer too. */
function reasonPrompt(services: BotServices) {
  return new StepPrompt<Reason>(REASON_PROMPT, {
    render: (ctx, l) =>
      messageWithChoices(
        ctx,
        t(l, 'reason.ask'),
        REASONS.map((r) => t(l, `reason.${r}`)),
      ),
    recognize: async (text, l, _data, context) => {
      const turn = turnReading(context, services, text);
      const i = pickChoice(
        services.understanding,
        turn.reading,
        REASONS.map((r) => t(l, `reason.${r}`)),
      );
      if (i !== undefined) return { value: REASONS[i] };
      // An open question: the member's own words are the answer, unless they name a command
      // or, giving no reason, ask for something else ("查询我的会员"), which ends it unanswered.
      if (services.understanding.commandOf(turn.reading)) return undefined;
      const reason = services.understanding.reasonOf(turn.reading);
      // A reason denied and none given: asked again, without leaving the question.
      if (reason === undefined) return { reply: t(l, 'help.reasonPrompt') };
      if (reason === 'other' && (await turn.asksForTask(l))) return undefined;
      return { value: reason };
    },
    retryHint: (l) => t(l, 'help.reasonPrompt'),
    // Optional: a second answer that is not a reason ends it unanswered.
    maxAttempts: 2,
    giveUp: 'skip',
  });
}

/**
 * Cancelling: which membership, the warning and the choice in one message, the cancellation
 * itself, the summary, and one optional question about why. Choosing a cancel option is the
 * explicit confirmation; anything unclear twice ends with nothing changed.
 */
export class CancelMembershipDialog extends ComponentDialog {
  constructor(private readonly services: BotServices) {
    super(CANCEL_MEMBERSHIP_DIALOG);
    this.addDialog(membershipPrompt(services));
    this.addDialog(confirmPrompt(services));
    this.addDialog(reasonPrompt(services));
    this.addDialog(
      new WaterfallDialog<CancelDetails>(WATERFALL, [
        this.chooseMembership.bind(this),
        this.warnAndConfirm.bind(this),
        this.act.bind(this),
        this.recordReason.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  /** The one membership the request names by its name or a word for it. */
  private namedInRequest(step: CancelStep, choices: MembershipChoice[]): string | undefined {
    const { request } = step.options;
    if (!request) return undefined;
    const i = whichMembership(this.services.understanding, request, choices, turnLocale(step.context), false);
    return i === undefined ? undefined : choices[i].id;
  }

  private async chooseMembership(step: CancelStep) {
    const l = turnLocale(step.context);
    const views = await this.services.memberships.list(step.options.memberId);
    const active = views.filter((v) => v.membership.status === 'active');
    if (active.length === 0) {
      const text = views.length ? `${t(l, 'status.noneActive')}\n${statusLines(views, l)}` : t(l, 'status.none');
      await step.context.sendActivity(plainMessage(`${text}\n${t(l, 'cancel.nothingActive')}`));
      return step.endDialog();
    }
    const linked = step.options.linkedMembershipId;
    if (linked && active.some((v) => v.membership.id === linked)) return step.next(linked);
    if (active.length === 1) return step.next(active[0].membership.id);
    const choices = active.map((v: MembershipView) => ({
      id: v.membership.id,
      name: v.plan.name,
      // "the Platinum one": the tier names the plan as well as its own name does.
      alias: [...this.services.understanding.planAliases(v.plan.id), ...Object.values(v.plan.tier)],
      endsOn: v.membership.currentPeriodEnd.slice(0, 10),
      facts: {
        price: v.plan.price / 100,
        period: v.plan.period,
        perks: v.membership.coupons.flatMap((c) => Object.values(c.name)),
      },
    }));
    const named = this.namedInRequest(step, choices);
    if (named) return step.next(named);
    return step.prompt(MEMBERSHIP_PROMPT, { validations: { views: choices } });
  }

  /** A membership an app store bills is cancelled there: said plainly, with the store's page, nothing changed here. */
  private async inTheStore(step: CancelStep, err: BilledByAppStoreError) {
    const l = turnLocale(step.context);
    const view = (await this.services.memberships.list(step.options.memberId)).find(
      (v) => v.membership.id === err.membershipId,
    );
    const store = t(l, `store.${err.store}`);
    await step.context.sendActivity(
      plainMessage(
        t(l, 'cancel.appStore', {
          plan: view ? inLocale(view.plan.name, l) : err.membershipId,
          store,
          link: APP_STORE_LINKS[err.store],
        }),
      ),
    );
    return step.endDialog();
  }

  private async warnAndConfirm(step: CancelStep) {
    const membershipId = step.result as string;
    const memberId = step.options.memberId;
    let quote;
    try {
      quote = await this.services.memberships.quote(memberId, membershipId);
    } catch (err) {
      if (err instanceof MembershipNotActiveError) return this.changedMeanwhile(step, memberId, membershipId);
      if (err instanceof BilledByAppStoreError) return this.inTheStore(step, err);
      if (err instanceof RenewalInProgressError) return this.renewalInProgress(step, memberId, membershipId);
      throw err;
    }
    step.options.membershipId = membershipId;
    step.options.requestId = this.services.newRequestId();
    step.options.planName = quote.planName;
    step.options.offerName = quote.retentionOffer?.name;
    await this.services.memberships.recordAudit({
      type: 'cancellation.quote_shown',
      memberId,
      membershipId,
      conversationId: step.context.activity.conversation?.id,
      data: { options: quote.options.map((o) => o.option).join(','), retentionOffer: quote.retentionOffer?.id ?? null },
    });
    return step.prompt(CONFIRM_PROMPT, { validations: quote });
  }

  private async act(step: CancelStep) {
    const decision = step.result as Decision;
    const l = turnLocale(step.context);
    const memberId = step.options.memberId;
    const { membershipId, requestId, planName, offerName } = step.options;
    if (!membershipId || !requestId || !planName)
      throw new Error('the cancellation lost its membership between its steps');
    const conversationId = step.context.activity.conversation?.id;
    await this.services.memberships.recordAudit({
      type: 'cancellation.decision',
      memberId,
      membershipId,
      conversationId,
      data: { decision },
    });
    if (decision === 'keep' || decision === 'unclear') {
      await step.context.sendActivity(plainMessage(t(l, decision === 'keep' ? 'cancel.kept' : 'cancel.unclearEnd')));
      return step.endDialog();
    }
    if (decision === 'offer') {
      const plan = offerName ? inLocale(offerName, l) : '';
      await step.context.sendActivity(plainMessage(t(l, 'cancel.offerNoted', { plan })));
      await this.services.members.requestHandoff(conversationId ?? '', l, memberId);
      return step.endDialog();
    }
    let result;
    try {
      result = await this.services.memberships.cancel({
        memberId,
        membershipId,
        option: decision,
        requestId,
        conversationId,
      });
    } catch (err) {
      if (err instanceof MembershipNotActiveError) return this.changedMeanwhile(step, memberId, membershipId);
      if (err instanceof RenewalInProgressError) return this.renewalInProgress(step, memberId, membershipId);
      throw err;
    }
    const c = result.cancellation;
    if (result.alreadyDone) {
      await step.context.sendActivity(plainMessage(t(l, 'cancel.already', { reference: c.reference })));
      return step.endDialog();
    }
    const copy = this.services.members.contactOf(result.member);
    const receipt = cancellationReceipt(c, planName, l);
    await step.context.sendActivity(plainMessage(receiptForChat(receipt, copy)));
    step.options.reference = c.reference;
    return step.prompt(REASON_PROMPT, {});
  }

  /**
   * Another conversation of the member (another device, another tab) changed the membership
   * between what this one showed and what it was about to do: nothing is done, and the member sees
   * where it stands now.
   */
  private async changedMeanwhile(step: CancelStep, memberId: string, membershipId: string) {
    const l = turnLocale(step.context);
    const views = (await this.services.memberships.list(memberId)).filter((v) => v.membership.id === membershipId);
    await step.context.sendActivity(plainMessage(`${t(l, 'cancel.changedMeanwhile')}\n${statusLines(views, l)}`));
    return step.endDialog();
  }

  /** A renewal charge is in flight: nothing is done until its outcome is on record, and the member is told why. */
  private async renewalInProgress(step: CancelStep, memberId: string, membershipId: string) {
    const l = turnLocale(step.context);
    const view = (await this.services.memberships.list(memberId)).find((v) => v.membership.id === membershipId);
    const plan = view ? inLocale(view.plan.name, l) : membershipId;
    await step.context.sendActivity(plainMessage(t(l, 'cancel.renewalInProgress', { plan })));
    return step.endDialog();
  }

  private async recordReason(step: CancelStep) {
    const reason = step.result as Reason;
    const l = turnLocale(step.context);
    const { reference } = step.options;
    if (reason !== 'skip' && reference) {
      await this.services.memberships.recordReason(
        step.options.memberId,
        reference,
        reason,
        step.context.activity.conversation?.id,
        step.context.activity.text,
      );
    }
    await step.context.sendActivity(plainMessage(t(l, reason === 'skip' ? 'reason.skipped' : 'reason.thanks')));
    return step.endDialog({ committed: true });
  }
}
