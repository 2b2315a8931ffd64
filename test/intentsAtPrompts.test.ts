import type { Locale } from '../src/i18n/languages.js';
import type { Intent } from '../src/nlu/intent.js';
import { loadUnderstanding } from './support/understanding.js';
import { PROMPTS, reach, type Conv } from './support/prompts.js';

/** One natural way to say each intent the interruption tests do not cover, in each language. */
const SAID: Record<Locale, Partial<Record<Intent, string>>> = {
  'zh-CN': {
    cancel: '我不想要这个会员了，帮我退掉',
    status: '查一下我的会员什么时候到期',
    checkCancelled: '我上次取消成功了吗',
    undo: '我后悔了，想恢复会员',
    refundQuestion: '能退多少钱？',
    pointsQuestion: '我的积分和优惠券会怎样？',
    resendCode: '验证码一直没收到',
    greeting: '你好呀',
    thanks: '谢谢你啊',
    none: '今天天气怎么样',
  },
  'en-US': {
    cancel: 'I want to end my membership',
    status: 'when does my plan renew',
    checkCancelled: 'did my cancellation go through?',
    undo: 'I changed my mind, please restore my membership',
    refundQuestion: 'how much money would I get back?',
    pointsQuestion: 'what happens to my points and coupons?',
    resendCode: "I didn't get the code",
    greeting: 'hello there',
    thanks: 'thanks a lot',
    none: 'what is the weather like today',
  },
};
const cases = (['zh-CN', 'en-US'] as Locale[]).flatMap((l) =>
  Object.entries(SAID[l]).flatMap(([intent, text]) => PROMPTS.map((p) => [l, p, intent as Intent, text] as const)),
);

const storeOf = (c: Conv) => ({
  cancellations: c.app.store.data.cancellations.length,
  memberships: c.app.store.data.memberships.map((m) => `${m.id}:${m.status}:${m.autoRenew}`),
  receipts: c.app.store.data.outbox.filter((m) => m.template !== 'otp').length,
});

describe("the corpus's intents, said naturally", () => {
  it.each(
    (['zh-CN', 'en-US'] as Locale[]).flatMap((l) => Object.entries(SAID[l]).map(([intent, text]) => [l, intent, text])),
  )('%s: %s is understood (%s)', async (l, intent, text) => {
    const understanding = await loadUnderstanding();
    expect((await understanding.intentOf(text, l as Locale)).intent).toBe(intent);
  });
});

describe.each(cases)('%s, at %s, %s (%s)', (l, prompt, intent, text) => {
  // Asking to restore, where the bot asks whether to undo a pending cancellation, is that choice.
  const answersThePrompt = prompt === 'undoPrompt' && intent === 'undo';
  it(
    answersThePrompt
      ? 'is taken as the answer: the cancellation is undone'
      : 'gets an answer, changes nothing, and leaves the conversation able to go on',
    async () => {
      const { c } = await reach(prompt, l);
      const before = storeOf(c);
      const replies = await c.say(text);
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.every((r) => r.text.length > 0 || r.cards.length > 0)).toBe(true);
      const after = storeOf(c);
      if (prompt === 'confirmPrompt' && intent === 'cancel' && after.cancellations > before.cancellations) {
        // Asking again to cancel, at the warning, is a yes: it may choose the reversible option, never the refund.
        expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2001')).toMatchObject({
          status: 'pending_cancel',
          autoRenew: false,
        });
        expect(c.app.store.data.cancellations.at(-1)).toMatchObject({ option: 'period_end' });
      } else if (answersThePrompt) {
        expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2004')).toMatchObject({
          status: 'active',
          autoRenew: true,
        });
        expect(storeOf(c).receipts).toBe(before.receipts + 1);
      } else {
        expect(storeOf(c)).toEqual(before);
      }
      if (prompt === 'confirmPrompt' && intent === 'refundQuestion') expect(replies[0].text).toContain('62.59');
      if (prompt === 'confirmPrompt' && intent === 'pointsQuestion') expect(replies[0].text).toContain('1,280');
      expect((await c.say(l === 'zh-CN' ? '帮助' : 'help')).length).toBeGreaterThan(0);
    },
  );
});
