import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { inLocale, type ReplyLocale } from '../src/i18n/languages.js';
import { formatDate, formatMoney, formatPrice } from '../src/i18n/format.js';
import { cancellationForfeits, forfeitList } from '../src/i18n/forfeits.js';
import { takesEffectLater } from '../src/membership/cancellationTiming.js';
import { t } from '../src/i18n/messages.js';
import {
  APP_STORE_LINKS,
  BilledByAppStoreError,
  MembershipNotActiveError,
} from '../src/membership/membershipErrors.js';
import type { MembershipView } from '../src/membership/membershipService.js';
import type { CancellationQuote } from '../src/membership/refundQuote.js';
import type { ContactSummary } from '../src/membership/memberService.js';
import type { Cancellation, CancelOption, Localized, Plan } from '../src/model/schema.js';
import type { CancelChoice, QuestionTopic } from '../src/nlu/consent.js';
import type { Understanding } from '../src/nlu/understanding.js';
import { otherThanExcluded, pickChoice } from './answers.js';
import type { BotServices } from './botServices.js';
import { messageWithChoices, plainMessage } from './channel.js';
import { statusLines } from './membershipStatusDialog.js';
import { turnLocale, vals } from './stepHelpers.js';
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
  membershipId?: string;
}

interface MembershipChoice {
  id: string;
  name: Localized;
  alias: string[];
}
const REASONS = ['expensive', 'service', 'security', 'privacy', 'other', 'skip'] as const;
type Reason = (typeof REASONS)[number];

/** The real choices, each with its consequence in the label; "keep" is always there. */
function decisions(quote: CancellationQuote, l: ReplyLocale): { decision: Decision; title: string }[] {
  const money = (minor: number) => formatMoney(minor, quote.currency, l);
  const list: { decision: Decision; title: string }[] = [];
  for (const o of quote.options) {
    list.push(
      o.option === 'period_end'
        ? {
            decision: 'period_end',
            title: quote.renewalDue
              ? t(l, 'cancel.option.renewalDue')
              : t(l, 'cancel.option.periodEnd', { date: formatDate(o.effectiveAt, l) }),
          }
        : { decision: 'immediate', title: t(l, 'cancel.option.immediate', { refund: money(o.refund) }) },
    );
  }
  if (quote.retentionOffer) {
    list.push({
      decision: 'offer',
      title: t(l, 'cancel.option.offer', {
        plan: inLocale(quote.retentionOffer.name, l),
        price: offerPrice(quote.retentionOffer, l),
      }),
    });
  }
  list.push({ decision: 'keep', title: t(l, 'cancel.option.keep') });
  return list;
}

/** The warning: what ends when, the refund and fee, what is forfeited; all before anything changes. */
function warning(quote: CancellationQuote, l: ReplyLocale): string {
  const lines = [t(l, 'cancel.warning.title', { plan: inLocale(quote.planName, l) })];
  lines.push(...optionLines(quote, l));
  if (quote.options.length === 1 && !quote.renewalDue) lines.push(t(l, 'cancel.warning.noImmediate'));
  const f = quote.forfeited;
  lines.push(forfeitLine(quote, l));
  // Advice only about what the member has.
  const advice =
    f.points > 0 && f.coupons.length > 0
      ? 'both'
      : f.points > 0
        ? 'points'
        : f.coupons.length > 0
          ? 'coupons'
          : undefined;
  if (advice) lines.push(t(l, `cancel.warning.advice.${advice}`));
  if (quote.retentionOffer)
    lines.push(
      t(l, 'cancel.warning.offer', {
        plan: inLocale(quote.retentionOffer.name, l),
        price: offerPrice(quote.retentionOffer, l),
      }),
    );
  lines.push(t(l, 'cancel.warning.ask'));
  return lines.join('\n');
}

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

/** Each option's line of the warning: when benefits end, the refund and the fee. */
function optionLines(quote: CancellationQuote, l: ReplyLocale): string[] {
  const money = (minor: number) => formatMoney(minor, quote.currency, l);
  return quote.options.map((o) =>
    o.option === 'period_end'
      ? quote.renewalDue
        ? t(l, 'cancel.warning.renewalDue')
        : t(l, 'cancel.warning.periodEnd', { date: formatDate(o.effectiveAt, l) })
      : o.fee > 0
        ? t(l, 'cancel.warning.immediate', { refund: money(o.refund), fee: money(o.fee) })
        : t(l, 'cancel.warning.immediateNoFee', { refund: money(o.refund) }),
  );
}

function forfeitLine(quote: CancellationQuote, l: ReplyLocale): string {
  const f = quote.forfeited;
  const items = forfeitList(l, {
    points: f.points,
    couponCount: f.coupons.length,
    couponValue: formatMoney(f.couponTotal, quote.currency, l),
    tier: inLocale(f.tier, l),
  });
  return t(l, 'cancel.warning.forfeit', { items });
}

function offerPrice(offer: Plan, l: ReplyLocale): string {
  return formatPrice(offer.price, offer.currency, offer.period, l);
}

/** The receipt: every consequence the warning stated (end, fee, refund, what is lost, undo until when), and where the copy went. */
function receipt(c: Cancellation, contact: ContactSummary, l: ReplyLocale): string {
  const money = (minor: number) => formatMoney(minor, c.currency, l);
  const end = formatDate(c.effectiveAt, l);
  const scheduled = takesEffectLater(c);
  const refund =
    c.refund > 0
      ? c.fee > 0
        ? t(l, 'cancel.done.refundAfterFee', { refund: money(c.refund), fee: money(c.fee) })
        : t(l, 'cancel.done.refund', { refund: money(c.refund) })
      : t(l, 'cancel.done.noRefund');
  return [
    t(l, 'cancel.done.title'),
    t(l, scheduled ? 'cancel.done.periodEnd' : 'cancel.done.immediate', { date: end }),
    refund,
    t(l, scheduled ? 'cancel.done.forfeit' : 'cancel.done.forfeitNow', { items: cancellationForfeits(l, c) }),
    scheduled ? t(l, 'cancel.done.undo', { date: end, action: t(l, 'status.undo') }) : t(l, 'cancel.done.noUndo'),
    t(l, 'cancel.done.reference', { reference: c.reference }),
    t(l, `cancel.done.sent.${contact.channel}`, { address: contact.maskedAddress ?? '' }),
  ].join('\n');
}

/** What a reply to the warning decides, by the one consent rule; a question or a hedge gets an answer. */
async function recognizeDecision(
  understanding: Understanding,
  text: string,
  l: ReplyLocale,
  quote: CancellationQuote,
): Promise<Recognized<Decision>> {
  const list = decisions(quote, l);
  const index = pickChoice(
    understanding,
    text,
    list.map((d) => d.title),
    [],
    false,
    true,
  );
  const picked = index === undefined ? undefined : list[index].decision;
  // "cancel at period end for the music one" is not an answer about this membership (a button is).
  const ownNames = [...Object.values(quote.planName), ...Object.values(quote.retentionOffer?.name ?? {})];
  if (index === undefined && understanding.namesOtherPlan(text, ownNames))
    return { reply: t(l, 'cancel.answer.otherMembership', { plan: inLocale(quote.planName, l) }) };
  const reading = await understanding.readConsent(text, l, offered(quote), picked === 'unclear' ? undefined : picked);
  switch (reading.kind) {
    case 'choose':
      return { value: reading.choice };
    case 'keep':
      return { value: 'keep' };
    case 'question':
      return { reply: answerFromQuote(quote, l, reading.topic) };
    case 'unclear':
      if (reading.reason === 'hedge' || reading.reason === 'condition' || reading.reason === 'deferral')
        return { reply: t(l, 'cancel.answer.takeYourTime') };
      if (reading.reason === 'otherPerson') return { reply: t(l, 'answer.ownOnly') };
      if (reading.reason === 'notOffered') return { reply: t(l, 'cancel.warning.noImmediate') };
      if (reading.reason === 'plainYes') return { reply: t(l, 'cancel.answer.whichYes') };
      return undefined;
  }
}

/**
 * Cancelling: which membership, the warning and the choice in one message, the cancellation
 * itself, the summary, and one optional question about why. Choosing a cancel option is the
 * explicit confirmation; anything unclear twice ends with nothing changed.
 */
export class CancelMembershipDialog extends ComponentDialog {
  constructor(private readonly services: BotServices) {
    super(CANCEL_MEMBERSHIP_DIALOG);
    this.addDialog(
      new StepPrompt<string, { views: MembershipChoice[] }>(MEMBERSHIP_PROMPT, {
        render: (ctx, l, data) =>
          messageWithChoices(
            ctx,
            t(l, 'cancel.whichOne'),
            data.views.map((v) => inLocale(v.name, l)),
          ),
        recognize: (text, l, data) => {
          // "my roommate's video one" is not this member's to cancel.
          if (services.understanding.read(text).acts.has('otherPerson')) return { reply: t(l, 'answer.ownOnly') };
          const names = data.views.map((v) => inLocale(v.name, l));
          const aliases = data.views.map((v) => v.alias);
          const positive = services.understanding.withoutNegatedClauses(text);
          const i =
            (positive ? pickChoice(services.understanding, positive, names, aliases) : undefined) ??
            otherThanExcluded(services.understanding, text, names, aliases);
          return i === undefined ? undefined : { value: data.views[i].id };
        },
        retryHint: (l) => t(l, 'help.membershipPrompt'),
      }),
    );
    this.addDialog(
      new StepPrompt<Decision, CancellationQuote>(CONFIRM_PROMPT, {
        render: (ctx, l, data) =>
          messageWithChoices(
            ctx,
            warning(data, l),
            decisions(data, l).map((d) => d.title),
          ),
        rerender: (ctx, l, data) =>
          messageWithChoices(
            ctx,
            t(l, 'cancel.warning.ask'),
            decisions(data, l).map((d) => d.title),
          ),
        recognize: (text, l, data) => recognizeDecision(services.understanding, text, l, data),
        retryHint: (l) => t(l, 'cancel.retryConfirm'),
        maxAttempts: 3,
        giveUp: 'unclear',
      }),
    );
    this.addDialog(
      new StepPrompt<Reason>(REASON_PROMPT, {
        render: (ctx, l) =>
          messageWithChoices(
            ctx,
            t(l, 'reason.ask'),
            REASONS.map((r) => t(l, `reason.${r}`)),
          ),
        recognize: async (text, l) => {
          const i = pickChoice(
            services.understanding,
            text,
            REASONS.map((r) => t(l, `reason.${r}`)),
          );
          if (i !== undefined) return { value: REASONS[i] };
          // An open question: the member's own words are the answer, unless they name a command
          // or, giving no reason, ask for something else ("查询我的会员"), which ends it unanswered.
          if (services.understanding.commandOf(text)) return undefined;
          const reason = services.understanding.reasonOf(text);
          // A reason denied and none given: asked again, without leaving the question.
          if (reason === undefined) return { reply: t(l, 'help.reasonPrompt') };
          if (reason === 'other' && (await services.understanding.asksForTask(text, l))) return undefined;
          return { value: reason };
        },
        retryHint: (l) => t(l, 'help.reasonPrompt'),
        // Optional: a second answer that is not a reason ends it unanswered.
        maxAttempts: 2,
        giveUp: 'skip',
      }),
    );
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.chooseMembership.bind(this),
        this.warnAndConfirm.bind(this),
        this.act.bind(this),
        this.recordReason.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  private memberId(step: WaterfallStepContext): string {
    return (step.options as CancelMembershipOptions).memberId;
  }

  /** The one membership the request names by its name or a word for it. */
  private namedInRequest(step: WaterfallStepContext, choices: MembershipChoice[]): string | undefined {
    const { request } = step.options as CancelMembershipOptions;
    if (!request) return undefined;
    // "cancel my music plan, I never use it": what is said not to be meant is set aside, unless
    // the negation is the request itself ("music plus那个不要了").
    const named = this.services.understanding.withoutNegatedClauses(request) || request;
    const l = turnLocale(step.context);
    const names = choices.map((c) => inLocale(c.name, l));
    const aliases = choices.map((c) => c.alias);
    const i =
      pickChoice(this.services.understanding, named, names, aliases, true, false) ??
      otherThanExcluded(this.services.understanding, request, names, aliases);
    return i === undefined ? undefined : choices[i].id;
  }

  private async chooseMembership(step: WaterfallStepContext) {
    const l = turnLocale(step.context);
    const views = await this.services.memberships.list(this.memberId(step));
    const active = views.filter((v) => v.membership.status === 'active');
    if (active.length === 0) {
      const text = views.length ? `${t(l, 'status.noneActive')}\n${statusLines(views, l)}` : t(l, 'status.none');
      await step.context.sendActivity(plainMessage(`${text}\n${t(l, 'cancel.nothingActive')}`));
      return step.endDialog();
    }
    const { membershipId: linked } = step.options as CancelMembershipOptions;
    if (linked && active.some((v) => v.membership.id === linked)) return step.next(linked);
    if (active.length === 1) return step.next(active[0].membership.id);
    const choices = active.map((v: MembershipView) => ({
      id: v.membership.id,
      name: v.plan.name,
      alias: this.services.understanding.planAliases(v.plan.id),
    }));
    const named = this.namedInRequest(step, choices);
    if (named) return step.next(named);
    return step.prompt(MEMBERSHIP_PROMPT, { validations: { views: choices } });
  }

  /** A membership an app store bills is cancelled there: said plainly, with the store's page, nothing changed here. */
  private async inTheStore(step: WaterfallStepContext, err: BilledByAppStoreError) {
    const l = turnLocale(step.context);
    const view = (await this.services.memberships.list(this.memberId(step))).find(
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

  private async warnAndConfirm(step: WaterfallStepContext) {
    const membershipId = step.result as string;
    const memberId = this.memberId(step);
    let quote;
    try {
      quote = await this.services.memberships.quote(memberId, membershipId);
    } catch (err) {
      if (err instanceof MembershipNotActiveError) return this.changedMeanwhile(step, memberId, membershipId);
      if (err instanceof BilledByAppStoreError) return this.inTheStore(step, err);
      throw err;
    }
    vals(step).membershipId = membershipId;
    vals(step).requestId = this.services.newRequestId();
    vals(step).offerName = quote.retentionOffer?.name;
    await this.services.memberships.recordAudit({
      type: 'cancellation.quote_shown',
      memberId,
      membershipId,
      conversationId: step.context.activity.conversation?.id,
      data: { options: quote.options.map((o) => o.option).join(','), retentionOffer: quote.retentionOffer?.id ?? null },
    });
    return step.prompt(CONFIRM_PROMPT, { validations: quote });
  }

  private async act(step: WaterfallStepContext) {
    const decision = step.result as Decision;
    const l = turnLocale(step.context);
    const memberId = this.memberId(step);
    const membershipId = vals(step).membershipId as string;
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
      const offer = vals(step).offerName as Localized;
      await step.context.sendActivity(plainMessage(t(l, 'cancel.offerNoted', { plan: inLocale(offer, l) })));
      await this.services.members.requestHandoff(conversationId ?? '', l, memberId);
      return step.endDialog();
    }
    let result;
    try {
      result = await this.services.memberships.cancel({
        memberId,
        membershipId,
        option: decision,
        requestId: vals(step).requestId as string,
        conversationId,
      });
    } catch (err) {
      if (err instanceof MembershipNotActiveError) return this.changedMeanwhile(step, memberId, membershipId);
      throw err;
    }
    const c = result.cancellation;
    if (result.alreadyDone) {
      await step.context.sendActivity(plainMessage(t(l, 'cancel.already', { reference: c.reference })));
      return step.endDialog();
    }
    await step.context.sendActivity(plainMessage(receipt(c, (await this.services.members.contact(memberId))!, l)));
    vals(step).reference = c.reference;
    return step.prompt(REASON_PROMPT, {});
  }

  /**
   * Another conversation of the member (another device, another tab) changed the membership
   * between what this one showed and what it was about to do: nothing is done, and the member sees
   * where it stands now.
   */
  private async changedMeanwhile(step: WaterfallStepContext, memberId: string, membershipId: string) {
    const l = turnLocale(step.context);
    const views = (await this.services.memberships.list(memberId)).filter((v) => v.membership.id === membershipId);
    await step.context.sendActivity(plainMessage(`${t(l, 'cancel.changedMeanwhile')}\n${statusLines(views, l)}`));
    return step.endDialog();
  }

  private async recordReason(step: WaterfallStepContext) {
    const reason = step.result as Reason;
    const l = turnLocale(step.context);
    if (reason !== 'skip') {
      await this.services.memberships.recordReason(
        this.memberId(step),
        vals(step).reference as string,
        reason,
        step.context.activity.conversation?.id,
        step.context.activity.text,
      );
    }
    await step.context.sendActivity(plainMessage(t(l, reason === 'skip' ? 'reason.skipped' : 'reason.thanks')));
    return step.endDialog({ committed: true });
  }
}
