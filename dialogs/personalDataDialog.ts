import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { ReplyLocale } from '../src/i18n/languages.js';
import { formatDateTime, formatNumber } from '../src/i18n/format.js';
import { t } from '../src/i18n/messages.js';
import { tCount } from '../src/i18n/plural.js';
import { noteName } from '../src/privacy/namesInTurn.js';
import { ErasureBlockedError, type ErasureResult, type ExportResult } from '../src/privacy/personalDataService.js';
import { pickChoice } from './answers.js';
import type { BotServices } from './botServices.js';
import { messageWithChoices, plainMessage } from './channel.js';
import { turnLocale } from './stepHelpers.js';
import { StepPrompt } from './stepPrompt.js';
import { turnReading } from './turnReading.js';

export const PERSONAL_DATA_DIALOG = 'personalDataDialog';
export const ERASE_PROMPT = 'erasePrompt';
const WATERFALL = 'personalDataWaterfall';

export interface PersonalDataOptions {
  memberId: string;
  request: 'export' | 'erase';
}

/** What the dialog ends with: `erased` tells the main dialog to end the conversation's verification. */
export interface PersonalDataResult {
  erased?: boolean;
}

/** The conversation's part of "what we hold about you", addresses masked; the full copy goes to the member's channel. */
export function exportSummary(result: ExportResult, l: ReplyLocale): string {
  const s = result.summary;
  const none = [t(l, 'privacy.export.none')];
  return [
    t(l, 'privacy.export.intro'),
    t(l, 'privacy.export.name', { name: s.name }),
    t(l, 'privacy.export.phone', { phone: s.maskedPhone }),
    t(l, 'privacy.export.email', { email: s.maskedEmail }),
    t(l, 'privacy.export.channel', { channel: t(l, `privacy.channel.${s.notifyChannel}`) }),
    t(l, 'privacy.export.memberships'),
    ...(s.memberships.length
      ? s.memberships.map((m) =>
          t(l, 'privacy.export.membership', { plan: m.plan, id: m.id, status: t(l, `privacy.status.${m.status}`) }),
        )
      : none),
    t(l, 'privacy.export.cancellations'),
    ...(s.cancellations.length
      ? s.cancellations.map((c) =>
          t(l, 'privacy.export.cancellation', {
            reference: c.reference,
            membershipId: c.membershipId,
            date: formatDateTime(c.receivedAt, l),
            undone: c.undone ? t(l, 'privacy.export.undone') : '',
          }),
        )
      : none),
    t(l, 'privacy.export.notices', {
      count: formatNumber(s.notices.count, l),
      codes: formatNumber(s.notices.codes, l),
    }),
    t(l, `privacy.export.sent.${result.channel}`, { address: result.maskedAddress ?? '' }),
  ].join('\n');
}

/**
 * What an erasure removed, one line for each kind it found, so that the member is told no more
 * and no less than was erased. `conversationId` is the conversation the member erased from.
 */
function erasedList(
  result: ErasureResult,
  memberId: string,
  conversationId: string | undefined,
  l: ReplyLocale,
): string {
  const otherChats = result.closedChats.filter((id) => id !== conversationId).length;
  return [
    t(l, 'privacy.erase.done'),
    t(l, 'privacy.erase.done.contact', { memberId }),
    ...(result.erasedConversationReference ? [t(l, 'privacy.erase.done.reference')] : []),
    ...(result.erasedNotices ? [tCount(l, 'privacy.erase.done.notices', result.erasedNotices)] : []),
    ...(result.erasedChallenges ? [tCount(l, 'privacy.erase.done.challenges', result.erasedChallenges)] : []),
    ...(conversationId && result.closedChats.includes(conversationId) ? [t(l, 'privacy.erase.done.thisChat')] : []),
    ...(otherChats ? [tCount(l, 'privacy.erase.done.otherChats', otherChats)] : []),
  ].join('\n');
}

/**
 * "What data do you have on me" and "delete my data", for a verified member. The export shows a
 * summary here and sends the full copy to the member's own channel. Erasure asks first, and only a
 * clear yes erases (a question is answered, a hedge or a condition asks again, three unclear
 * answers erase nothing); the member is then told what was kept and why.
 */
export class PersonalDataDialog extends ComponentDialog {
  constructor(private readonly services: BotServices) {
    super(PERSONAL_DATA_DIALOG);
    const titles = (l: ReplyLocale) => [t(l, 'privacy.erase.yes'), t(l, 'privacy.erase.no')];
    this.addDialog(
      new StepPrompt<boolean>(ERASE_PROMPT, {
        render: (ctx, l) => messageWithChoices(ctx, t(l, 'privacy.erase.ask'), titles(l)),
        rerender: (ctx, l) => messageWithChoices(ctx, t(l, 'help.erasePrompt'), titles(l)),
        recognize: async (text, l, _data, context) => {
          const said = turnReading(context, services, text).reading;
          const picked = pickChoice(services.understanding, said, titles(l), [], false);
          if (picked !== undefined) return { value: picked === 0 };
          const answer = services.understanding.confirmation(said, 'eraseData');
          if (answer === 'question') return { reply: t(l, 'privacy.erase.explain') };
          return answer === undefined ? undefined : { value: answer };
        },
        retryHint: (l) => t(l, 'help.erasePrompt'),
        maxAttempts: 3,
        giveUp: false,
      }),
    );
    this.addDialog(new WaterfallDialog(WATERFALL, [this.start.bind(this), this.erase.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async start(step: WaterfallStepContext) {
    const { memberId, request } = step.options as PersonalDataOptions;
    const l = turnLocale(step.context);
    const conversationId = step.context.activity.conversation?.id;
    if (request === 'export') {
      const result = await this.services.personalData.export(memberId, conversationId);
      noteName(step.context, result.summary.name);
      await step.context.sendActivity(plainMessage(exportSummary(result, l)));
      return step.endDialog({} satisfies PersonalDataResult);
    }
    const blockers = await this.services.personalData.erasureBlockers(memberId);
    if (blockers.length) {
      await step.context.sendActivity(plainMessage(t(l, 'privacy.erase.blocked', { memberships: list(blockers, l) })));
      return step.endDialog({} satisfies PersonalDataResult);
    }
    return step.prompt(ERASE_PROMPT, {});
  }

  private async erase(step: WaterfallStepContext) {
    const { memberId } = step.options as PersonalDataOptions;
    const l = turnLocale(step.context);
    if (!step.result) {
      await step.context.sendActivity(plainMessage(t(l, 'privacy.erase.kept')));
      return step.endDialog({} satisfies PersonalDataResult);
    }
    try {
      const conversationId = step.context.activity.conversation?.id;
      const result = await this.services.personalData.erase(memberId, conversationId);
      await step.context.sendActivity(plainMessage(this.erasureReport(result, memberId, conversationId, l)));
      return step.endDialog({ erased: true } satisfies PersonalDataResult);
    } catch (err) {
      // A membership started or resumed elsewhere since the question: nothing was erased.
      if (!(err instanceof ErasureBlockedError)) throw err;
      await step.context.sendActivity(
        plainMessage(t(l, 'privacy.erase.blocked', { memberships: list(err.membershipIds, l) })),
      );
      return step.endDialog({} satisfies PersonalDataResult);
    }
  }

  /** What was erased, what is kept and why, and (when transcripts are kept) what they hold. */
  private erasureReport(result: ErasureResult, memberId: string, conversationId: string | undefined, l: ReplyLocale) {
    const { TRANSCRIPTS_DIR, TRANSCRIPT_RETENTION_DAYS } = this.services.config;
    return [
      erasedList(result, memberId, conversationId, l),
      t(l, 'privacy.erase.signedOut'),
      result.keptCancellations.length
        ? t(l, 'privacy.erase.records', { references: list(result.keptCancellations, l), memberId })
        : t(l, 'privacy.erase.noRecords'),
      t(l, 'privacy.erase.note', { memberId }),
      ...(TRANSCRIPTS_DIR ? [t(l, 'privacy.erase.transcripts', { days: TRANSCRIPT_RETENTION_DAYS })] : []),
    ].join('\n\n');
  }
}

const list = (items: string[], l: ReplyLocale) => new Intl.ListFormat(l, { type: 'conjunction' }).format(items);
