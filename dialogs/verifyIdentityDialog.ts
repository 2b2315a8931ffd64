import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { clientAddressOf } from '../src/clientAddress.js';
import { t } from '../src/i18n/messages.js';
import { formatWait, tCount } from '../src/i18n/plural.js';
import type { Identifier } from '../src/identity/identifier.js';
import { maskEmail, maskPhoneForMember } from '../src/core/mask.js';
import { noteName } from '../src/privacy/namesInTurn.js';
import type { BotServices } from './botServices.js';
import { plainMessage } from './channel.js';
import { turnLocale, vals } from './stepHelpers.js';
import { StepPrompt } from './stepPrompt.js';
import { turnReading } from './turnReading.js';
import { turnMembers } from './turnMembers.js';

export const VERIFY_IDENTITY_DIALOG = 'verifyIdentityDialog';
export const IDENTIFIER_PROMPT = 'identifierPrompt';
export const CODE_PROMPT = 'codePrompt';
const WATERFALL = 'verifyWaterfall';

export interface VerifyOptions {
  identifier?: Identifier;
  /** The challenge to answer; absent when a (new) code must be requested first. */
  challengeId?: string;
  /** Said before the code prompt when the dialog comes round again (wrong code, dead code). */
  notice?: string;
  /** The code still waiting when a new one was asked for: if none can be sent yet, this one stays. */
  pending?: { identifier: Identifier; challengeId: string };
}

/** A code, a request for a new one, or another phone number or email to send it to instead. */
type CodeAnswer = { code: string } | { resend: true } | { identifier: Identifier };

/**
 * Proves who the member is: their registered phone or email, then a one-time code sent there. The
 * words are the same whether or not the identifier is registered. Ends with the member id, or
 * with nothing when the member could not be verified this time.
 */
export class VerifyIdentityDialog extends ComponentDialog {
  constructor(private readonly services: BotServices) {
    super(VERIFY_IDENTITY_DIALOG);
    this.addDialog(
      new StepPrompt<Identifier>(IDENTIFIER_PROMPT, {
        render: (_ctx, l) => plainMessage(t(l, 'verify.askIdentifier')),
        recognize: (text, l, _data, context) => {
          // "can I use my wife's number": a code goes only to the member's own.
          if (services.understanding.speaksForSomeoneElse(text)) return { reply: t(l, 'answer.ownOnly') };
          const identifier = turnReading(context, services, text).identifier();
          return identifier ? { value: identifier } : undefined;
        },
        retryHint: (l) => t(l, 'verify.retryIdentifier'),
      }),
    );
    this.addDialog(
      new StepPrompt<CodeAnswer>(CODE_PROMPT, {
        render: (_ctx, l) => {
          // Set on the message made, not spread into a copy: a spread here was V8's slow path on every re-ask.
          const message = plainMessage(t(l, 'verify.askCode'));
          message.inputHint = 'expectingInput';
          return message;
        },
        recognize: (text, _l, _data, context) => {
          const said = turnReading(context, services, text);
          // Another address first: "+1 415 555 0123" holds six digits that are not a code.
          const identifier = said.identifier();
          if (identifier) return { value: { identifier } };
          // A code anywhere in the message wins: "没收到新的，旧的是483920" answers with the code.
          const code = said.code();
          if (code) return { value: { code } };
          return services.understanding.wantsResend(said.reading) ? { value: { resend: true } } : undefined;
        },
        retryHint: (l) => t(l, 'verify.retryCode'),
      }),
    );
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.askIdentifier.bind(this),
        this.sendCode.bind(this),
        this.checkCode.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  private async askIdentifier(step: WaterfallStepContext) {
    const options = (step.options ?? {}) as VerifyOptions;
    if (options.identifier) return step.next(options.identifier);
    return step.prompt(IDENTIFIER_PROMPT, {});
  }

  private async sendCode(step: WaterfallStepContext) {
    const options = (step.options ?? {}) as VerifyOptions;
    const identifier = step.result as Identifier;
    vals(step).identifier = identifier;
    const l = turnLocale(step.context);
    if (options.challengeId) {
      vals(step).challengeId = options.challengeId;
      if (options.notice) await step.context.sendActivity(plainMessage(options.notice));
      return step.prompt(CODE_PROMPT, {});
    }
    const result = await this.services.otp.requestCode(identifier, {
      conversationId: step.context.activity.conversation?.id,
      address: clientAddressOf(step.context),
      locale: l,
    });
    if (result.status === 'throttled') {
      const wait = formatWait(l, this.services.clock.now(), new Date(result.retryAt));
      if (!options.pending) {
        await step.context.sendActivity(plainMessage(t(l, 'verify.throttled', { wait })));
        return step.endDialog();
      }
      // Too soon for a new code: the one on its way still works, so the prompt stays open for it.
      // The other channel is offered in the same words to everyone, so it reveals no membership.
      vals(step).identifier = options.pending.identifier;
      vals(step).challengeId = options.pending.challengeId;
      const other =
        options.pending.identifier.kind === 'phone' ? 'verify.otherChannel.email' : 'verify.otherChannel.phone';
      await step.context.sendActivity(
        plainMessage(`${t(l, 'verify.resendTooSoon', { wait })}${t(l, 'input.sentenceGap')}${t(l, other)}`),
      );
      return step.prompt(CODE_PROMPT, {});
    }
    vals(step).challengeId = result.challengeId;
    const address = identifier.kind === 'email' ? maskEmail(identifier.value) : maskPhoneForMember(identifier.value);
    await step.context.sendActivity(
      plainMessage(
        t(l, 'verify.codeSent', { address, minutes: Math.round(this.services.config.OTP_TTL_SECONDS / 60) }),
      ),
    );
    return step.prompt(CODE_PROMPT, {});
  }

  private async checkCode(step: WaterfallStepContext) {
    const answer = step.result as CodeAnswer;
    const identifier = vals(step).identifier as Identifier;
    const l = turnLocale(step.context);
    const challengeId = vals(step).challengeId as string;
    const pending = { identifier, challengeId };
    if ('resend' in answer) return step.replaceDialog(WATERFALL, { identifier, pending } satisfies VerifyOptions);
    if ('identifier' in answer)
      return step.replaceDialog(WATERFALL, { identifier: answer.identifier, pending } satisfies VerifyOptions);
    const result = await this.services.otp.verify(challengeId, answer.code, step.context.activity.conversation?.id);
    switch (result.status) {
      case 'verified': {
        const name = (await turnMembers(step.context, this.services.members).contact(result.memberId))?.name ?? '';
        noteName(step.context, name);
        await step.context.sendActivity(plainMessage(t(l, 'verify.done', { name })));
        return step.endDialog(result.memberId);
      }
      case 'wrong':
        return step.replaceDialog(WATERFALL, {
          identifier,
          challengeId,
          notice: tCount(l, 'verify.wrongCode', result.attemptsLeft),
        } satisfies VerifyOptions);
      case 'dead':
        return step.replaceDialog(WATERFALL, {
          identifier,
          challengeId,
          notice: t(l, 'verify.deadCode'),
        } satisfies VerifyOptions);
      case 'expired':
        return step.replaceDialog(WATERFALL, {
          identifier,
          challengeId,
          notice: t(l, 'verify.expiredCode'),
        } satisfies VerifyOptions);
    }
  }
}
