import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { clientAddressOf } from '../src/clientAddress.js';
import { formatDateTime } from '../src/i18n/format.js';
import { t } from '../src/i18n/messages.js';
import type { Identifier } from '../src/identity/identifier.js';
import { maskEmail, maskPhoneNational } from '../src/privacy/mask.js';
import type { BotServices } from './botServices.js';
import { plainMessage } from './channel.js';
import { turnLocale, vals } from './stepHelpers.js';
import { StepPrompt } from './stepPrompt.js';

export const VERIFY_IDENTITY_DIALOG = 'verifyIdentityDialog';
export const IDENTIFIER_PROMPT = 'identifierPrompt';
export const CODE_PROMPT = 'codePrompt';
const WATERFALL = 'verifyWaterfall';

interface VerifyOptions {
  identifier?: Identifier;
  /** The challenge to answer; absent when a (new) code must be requested first. */
  challengeId?: string;
  /** Said before the code prompt when the dialog comes round again (wrong code, dead code). */
  notice?: string;
}

type CodeAnswer = { code: string } | { resend: true };


/**
 * Proves who the member is: their registered phone or email, then a one-time code sent there. The
 * words are the same whether or not the identifier is registered. Ends with the member id, or
 * with nothing when the member could not be verified this time.
 */
export class VerifyIdentityDialog extends ComponentDialog {
  constructor(private readonly services: BotServices) {
    super(VERIFY_IDENTITY_DIALOG);
    this.addDialog(new StepPrompt<Identifier>(IDENTIFIER_PROMPT, {
      render: (_ctx, l) => plainMessage(t(l, 'verify.askIdentifier')),
      recognize: (text) => {
        const identifier = services.parseIdentifier(text);
        return identifier ? { value: identifier } : undefined;
      },
      retryHint: (l) => t(l, 'verify.retryIdentifier'),
    }));
    this.addDialog(new StepPrompt<CodeAnswer>(CODE_PROMPT, {
      render: (_ctx, l) => ({ ...plainMessage(t(l, 'verify.askCode')), inputHint: 'expectingInput' }),
      recognize: (text) => {
        // A code anywhere in the message wins: "没收到新的，旧的是483920" answers with the code.
        const code = services.understanding.codeIn(text);
        if (code) return { value: { code } };
        return services.understanding.wantsResend(text) ? { value: { resend: true } } : undefined;
      },
      retryHint: (l) => t(l, 'verify.retryCode'),
    }));
    this.addDialog(new WaterfallDialog(WATERFALL, [
      this.askIdentifier.bind(this),
      this.sendCode.bind(this),
      this.checkCode.bind(this),
    ]));
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
    const result = await this.services.otp.requestCode(identifier, { conversationId: step.context.activity.conversation?.id, address: clientAddressOf(step.context) });
    if (result.status === 'throttled') {
      await step.context.sendActivity(plainMessage(t(l, 'verify.throttled', { time: formatDateTime(result.retryAt, l) })));
      return step.endDialog();
    }
    vals(step).challengeId = result.challengeId;
    const address = identifier.kind === 'email' ? maskEmail(identifier.value) : maskPhoneNational(identifier.value);
    await step.context.sendActivity(plainMessage(t(l, 'verify.codeSent', { address, minutes: Math.round(this.services.config.OTP_TTL_SECONDS / 60) })));
    return step.prompt(CODE_PROMPT, {});
  }

  private async checkCode(step: WaterfallStepContext) {
    const answer = step.result as CodeAnswer;
    const identifier = vals(step).identifier as Identifier;
    const l = turnLocale(step.context);
    if ('resend' in answer) return step.replaceDialog(WATERFALL, { identifier } satisfies VerifyOptions);
    const challengeId = vals(step).challengeId as string;
    const result = await this.services.otp.verify(challengeId, answer.code, step.context.activity.conversation?.id);
    switch (result.status) {
      case 'verified': {
        const name = this.services.members.contact(result.memberId)?.name ?? '';
        await step.context.sendActivity(plainMessage(t(l, 'verify.done', { name })));
        return step.endDialog(result.memberId);
      }
      case 'wrong':
        return step.replaceDialog(WATERFALL, { identifier, challengeId, notice: t(l, 'verify.wrongCode', { attemptsLeft: result.attemptsLeft }) } satisfies VerifyOptions);
      case 'dead':
        return step.replaceDialog(WATERFALL, { identifier, challengeId, notice: t(l, 'verify.deadCode') } satisfies VerifyOptions);
      case 'expired':
        return step.replaceDialog(WATERFALL, { identifier, challengeId, notice: t(l, 'verify.expiredCode') } satisfies VerifyOptions);
    }
  }
}
