/**
 * The conversations kept as Emulator transcripts: the user's side of each, scripted. The bot's
 * side is recorded by `npm run transcripts:record` and reviewed as the diff of the .transcript
 * files. `expect` is what the store must hold afterwards, written by hand.
 */
export type Step =
  | string
  | { code: true; within?: string; spoken?: 'zh' | 'en' }
  | { wrongCode: true }
  | { restart: true }
  | { advanceMs: number }
  | { attachment: true }
  | { empty: true }
  | { text: string; hostTokenFor: string }
  /** The due-work pass runs (renewals, reminders), as the service's hourly sweep does. */
  | { sweep: true }
  | { text: string; reminderLinkOf: string };

export interface StoreExpectation {
  memberships?: Record<string, { status?: string; autoRenew?: boolean; points?: number }>;
  /** Cancellations added by the scenario (the seed holds two). */
  newCancellations?: number;
  lastCancellation?: { membershipId?: string; option?: string; refund?: number; reason?: string | null };
  /** Templates of the outbox messages the scenario caused, in order. */
  outbox?: string[];
  handoffs?: number;
}

export interface Scenario {
  name: string;
  /** What the member's channel says their language is (en-US unless given). */
  locale?: string;
  steps: Step[];
  expect?: StoreExpectation;
}

const ZHANG = '138 1234 5678';
const LINA = '13900001111';

export const scenarios: Scenario[] = [
  // 中文
  {
    name: 'zh-cancel-at-period-end',
    steps: ['我想取消会员', ZHANG, { code: true }, '到期后取消', '价格太贵'],
    expect: {
      memberships: { 'ms-2001': { status: 'pending_cancel', autoRenew: false } },
      newCancellations: 1,
      lastCancellation: { option: 'period_end', refund: 0, reason: 'expensive' },
      outbox: ['otp', 'cancellation-scheduled'],
    },
  },
  {
    name: 'zh-cancel-now-with-refund-reason-skipped',
    steps: ['帮我退订', '我的手机号是13812345678', { code: true }, '立即取消并退款', '跳过'],
    expect: {
      memberships: { 'ms-2001': { status: 'cancelled', points: 0 } },
      lastCancellation: { option: 'immediate', refund: 6259, reason: null },
      outbox: ['otp', 'cancellation-confirmed'],
    },
  },
  {
    // 12月3日：李娜的月卡续费提醒已发出；点开提醒里的链接，直接进入这张月卡的取消（仍需验证）。
    name: 'zh-reminder-link-to-cancellation',
    locale: 'zh-CN',
    steps: [
      { advanceMs: 770_400_000 },
      { sweep: true },
      { text: '取消会员', reminderLinkOf: 'ms-2002' },
      LINA,
      { code: true },
      '到期后取消',
      '价格太贵',
    ],
    expect: {
      memberships: {
        'ms-2002': { status: 'pending_cancel', autoRenew: false },
        'ms-2003': { status: 'active', autoRenew: true },
      },
      lastCancellation: { membershipId: 'ms-2002', option: 'period_end', reason: 'expensive' },
      outbox: ['renewal-reminder', 'renewal-reminder', 'otp', 'cancellation-scheduled'],
    },
  },
  {
    // 12月3日：月卡的提醒已发出，年卡的还没到时候；回答来自发件箱的记录。
    name: 'zh-did-you-remind-me',
    steps: [{ advanceMs: 770_400_000 }, { sweep: true }, '你提醒过我吗', LINA, { code: true }],
    expect: {
      memberships: { 'ms-2002': { status: 'active' }, 'ms-2003': { status: 'active' } },
      newCancellations: 0,
      outbox: ['renewal-reminder', 'renewal-reminder', 'otp'],
    },
  },
  {
    // 孙悦的会员通过Google Play扣费：直说只能在商店取消，给出管理订阅的链接，不假装取消。
    name: 'zh-app-store-membership',
    steps: ['取消会员', '13500006666', { code: true }],
    expect: { memberships: { 'ms-2011': { status: 'active', autoRenew: true } }, newCancellations: 0, outbox: ['otp'] },
  },
  {
    name: 'zh-several-memberships-second-one',
    steps: ['不想续费了', LINA, { code: true }, '第二个', '是的', '对服务不满意'],
    expect: {
      memberships: { 'ms-2002': { status: 'pending_cancel' }, 'ms-2003': { status: 'active' } },
      lastCancellation: { membershipId: 'ms-2002', reason: 'service' },
    },
  },
  {
    name: 'zh-retention-offer-declined',
    steps: ['取消会员', LINA, { code: true }, '音乐那个', '到期后取消', '跳过'],
    expect: { memberships: { 'ms-2003': { status: 'pending_cancel' } }, handoffs: 0 },
  },
  {
    name: 'zh-pending-cancel-undo',
    steps: ['我的会员还有几天到期', '137 0000 2222', { code: true }, '撤销取消'],
    expect: {
      memberships: { 'ms-2004': { status: 'active', autoRenew: true } },
      newCancellations: 0,
      outbox: ['otp', 'cancellation-undone'],
    },
  },
  {
    name: 'zh-next-charge-date-and-amount',
    steps: ['下次什么时候扣费？扣多少？', ZHANG, { code: true }],
    expect: { memberships: { 'ms-2001': { status: 'active', autoRenew: true } }, newCancellations: 0, outbox: ['otp'] },
  },
  {
    name: 'zh-already-cancelled-check',
    steps: ['我的会员取消了吗', '158 0000 3333', { code: true }],
    expect: { memberships: { 'ms-2005': { status: 'cancelled' } }, newCancellations: 0 },
  },
  {
    name: 'zh-no-active-membership',
    steps: ['取消会员', '186 0000 4444', { code: true }],
    expect: { memberships: { 'ms-2006': { status: 'expired' } }, newCancellations: 0 },
  },
  {
    name: 'zh-unregistered-number-same-words',
    steps: ['取消会员', '138 9999 0000', '123456', '退出'],
    expect: { newCancellations: 0, outbox: [] },
  },
  {
    name: 'zh-wrong-code-then-right',
    steps: ['取消会员', ZHANG, { wrongCode: true }, { code: true }, '保留会员'],
    expect: { memberships: { 'ms-2001': { status: 'active' } }, newCancellations: 0 },
  },
  // Too early, the code stays valid and the prompt open (#17.6); after the interval a new code is sent.
  {
    name: 'zh-resend-throttled-then-new-code',
    steps: ['取消会员', ZHANG, '没收到', { advanceMs: 61_000 }, '重新发送', { code: true }, '保留'],
    expect: { newCancellations: 0, outbox: ['otp', 'otp'] },
  },
  {
    name: 'zh-quit-at-confirmation',
    steps: ['取消会员', ZHANG, { code: true }, '算了'],
    expect: { memberships: { 'ms-2001': { status: 'active' } }, newCancellations: 0 },
  },
  // Help at the optional reason question ends it unanswered and is answered as at the menu (#17.7).
  {
    name: 'zh-help-at-every-prompt',
    steps: ['取消会员', '帮助', ZHANG, '帮助', { code: true }, '帮助', '到期后取消', '帮助'],
    expect: { memberships: { 'ms-2001': { status: 'pending_cancel' } }, lastCancellation: { reason: null } },
  },
  {
    name: 'zh-ambiguous-cancel',
    steps: ['查询会员', '取消', '取消会员', ZHANG, { code: true }, '保留会员'],
    expect: { newCancellations: 0 },
  },
  {
    name: 'zh-language-switch-mid-flow',
    steps: ['我想取消会员', 'English please', ZHANG, { code: true }, 'Keep my membership'],
    expect: { newCancellations: 0 },
  },
  { name: 'zh-handoff-to-person', steps: ['取消会员', '转人工', '退出'], expect: { handoffs: 1, newCancellations: 0 } },
  {
    name: 'zh-unclear-twice-then-nothing-changed',
    steps: ['取消会员', ZHANG, { code: true }, '嗯', '啊这', '随便'],
    expect: { memberships: { 'ms-2001': { status: 'active' } }, newCancellations: 0 },
  },
  // Members who write naturally reach the receipt in four turns: request, identifier, code, choice.
  {
    name: 'zh-natural-colloquial',
    steps: [
      '会员咋退啊，不想续了',
      '我手机13812345678',
      { code: true, within: '验证码{code}哈' },
      '到期再停吧，别续了',
    ],
    expect: {
      memberships: { 'ms-2001': { status: 'pending_cancel' } },
      lastCancellation: { option: 'period_end', refund: 0 },
    },
  },
  {
    name: 'zh-natural-cantonese',
    steps: ['唔該幫我取消個會員', '我手機係' + ZHANG, { code: true, within: '驗證碼係{code}' }, '得，就到期先停啦'],
    expect: {
      memberships: { 'ms-2001': { status: 'pending_cancel' } },
      lastCancellation: { option: 'period_end', refund: 0 },
    },
  },
  {
    name: 'zh-natural-voice-input',
    steps: [
      '我要取消会员',
      '幺三八一二三四五六七八',
      { code: true, spoken: 'zh', within: '验证码{code}' },
      '好的到期后取消',
    ],
    expect: {
      memberships: { 'ms-2001': { status: 'pending_cancel' } },
      lastCancellation: { option: 'period_end', refund: 0 },
    },
  },
  {
    name: 'zh-natural-code-switching',
    steps: [
      '我想cancel我的membership',
      '我的number是13812345678',
      { code: true, within: 'code是{code}' },
      'ok 到期再cancel就好',
    ],
    expect: {
      memberships: { 'ms-2001': { status: 'pending_cancel' } },
      lastCancellation: { option: 'period_end', refund: 0 },
    },
  },
  {
    name: 'zh-natural-polite-long',
    steps: [
      '您好，麻烦帮我看一下，我想把会员取消掉，谢谢',
      '我的手机号是 138 1234 5678，麻烦了',
      { code: true, within: '收到的验证码是：{code}，谢谢。' },
      '现在就停，把钱退我吧',
    ],
    expect: {
      memberships: { 'ms-2001': { status: 'cancelled' } },
      lastCancellation: { option: 'immediate', refund: 6259 },
    },
  },
  {
    name: 'zh-natural-traditional',
    steps: [
      '我要取消會員，不想再被扣款了',
      '手機號碼 138 1234 5678',
      { code: true, within: '驗證碼是{code}' },
      '到期後再停就好',
    ],
    expect: { memberships: { 'ms-2001': { status: 'pending_cancel' } }, lastCancellation: { option: 'period_end' } },
  },
  // A member in Taiwan: the channel says zh-TW, so every reply is in traditional script.
  {
    name: 'zh-TW-channel-traditional-journey',
    locale: 'zh-TW',
    steps: ['我想取消會員', ZHANG, { code: true }, '到期後取消', '跳過'],
    expect: {
      memberships: { 'ms-2001': { status: 'pending_cancel' } },
      lastCancellation: { option: 'period_end', refund: 0 },
      outbox: ['otp', 'cancellation-scheduled'],
    },
  },
  // Restarted at the warning: a code waiting to be sent when the service stops is never sent (codes are never at rest).
  {
    name: 'zh-restart-mid-flow-resumes',
    steps: ['取消会员', ZHANG, { code: true }, { restart: true }, '到期后取消', '跳过'],
    expect: { memberships: { 'ms-2001': { status: 'pending_cancel' } }, newCancellations: 1 },
  },
  // English
  {
    name: 'en-cancel-now-with-refund-reason-given',
    steps: ['I want to cancel', 'emily.carter@example.com', { code: true }, 'cancel now', 'Too expensive'],
    expect: {
      memberships: { 'ms-2007': { status: 'cancelled' } },
      lastCancellation: { option: 'immediate', refund: 549, reason: 'expensive' },
      outbox: ['otp', 'cancellation-confirmed'],
    },
  },
  {
    name: 'en-next-charge-date-and-amount',
    steps: ['when will I be charged next, and how much?', 'emily.carter@example.com', { code: true }],
    expect: { memberships: { 'ms-2007': { status: 'active', autoRenew: true } }, newCancellations: 0, outbox: ['otp'] },
  },
  {
    // Nov 28, 09:00Z: Emily's renewal reminder is due; its link opens the chat at her cancellation.
    name: 'en-reminder-link-to-cancellation',
    steps: [
      { advanceMs: 370_800_000 },
      { sweep: true },
      { text: 'Cancel membership', reminderLinkOf: 'ms-2007' },
      'emily.carter@example.com',
      { code: true },
      'at period end',
      'Skip',
    ],
    expect: {
      memberships: { 'ms-2007': { status: 'pending_cancel', autoRenew: false } },
      lastCancellation: { membershipId: 'ms-2007', option: 'period_end', refund: 0 },
      outbox: ['renewal-reminder', 'otp', 'cancellation-scheduled'],
    },
  },
  {
    // After the Nov 28 reminder: the answer comes from the outbox's record of it.
    name: 'en-did-you-remind-me',
    steps: [
      { advanceMs: 370_800_000 },
      { sweep: true },
      'did you remind me?',
      'emily.carter@example.com',
      { code: true },
    ],
    expect: {
      memberships: { 'ms-2007': { status: 'active' } },
      newCancellations: 0,
      outbox: ['renewal-reminder', 'otp'],
    },
  },
  {
    // Oliver's membership is billed by the App Store: the bot says so and links the store's page.
    name: 'en-app-store-membership',
    steps: ['cancel my membership', 'oliver.reed@example.com', { code: true }],
    expect: { memberships: { 'ms-2010': { status: 'active', autoRenew: true } }, newCancellations: 0, outbox: ['otp'] },
  },
  {
    name: 'en-cancel-at-period-end-fee-plan',
    steps: ['stop my subscription', '+1 415 555 0188', { code: true }, 'at period end', 'Skip'],
    expect: {
      memberships: { 'ms-2008': { status: 'pending_cancel' } },
      lastCancellation: { option: 'period_end', refund: 0 },
    },
  },
  {
    name: 'en-wrong-code-then-right',
    steps: [
      'cancel my membership',
      'my number is 138-1234-5678',
      { wrongCode: true },
      { wrongCode: true },
      { code: true },
      'keep it',
    ],
    expect: { newCancellations: 0 },
  },
  {
    name: 'en-code-expired-then-resend',
    steps: [
      'cancel my membership',
      'zhang.wei@example.com',
      { advanceMs: 601_000 },
      { code: true },
      'resend',
      { code: true },
      'keep it',
    ],
    expect: { newCancellations: 0, outbox: ['otp', 'otp'] },
  },
  {
    name: 'en-natural-colloquial',
    steps: [
      'pls cancel my sub, dont want it anymore',
      'its emily.carter@example.com',
      { code: true, within: 'code is {code} thx' },
      'stop it today and give me the refund',
    ],
    expect: {
      memberships: { 'ms-2007': { status: 'cancelled' } },
      lastCancellation: { option: 'immediate', refund: 549 },
    },
  },
  {
    name: 'en-natural-voice-input',
    steps: [
      'cancel my membership please',
      'four one five five five five oh one two three',
      { code: true, spoken: 'en', within: 'the code is {code}' },
      // A yes to "what would you like to do?" chooses the reversible option, the period end.
      'yes go ahead',
    ],
    expect: {
      memberships: { 'ms-2007': { status: 'pending_cancel' } },
      lastCancellation: { option: 'period_end', refund: 0 },
    },
  },
  {
    name: 'en-natural-polite-long',
    steps: [
      'Hello, I was wondering if you could help me end my membership, as I no longer use it. Thank you!',
      'Sure, my email is emily.carter@example.com',
      { code: true, within: 'The code I got is {code}.' },
      "Please just don't renew it, I'll use it until the end of the period.",
    ],
    expect: {
      memberships: { 'ms-2007': { status: 'pending_cancel' } },
      lastCancellation: { option: 'period_end', refund: 0 },
    },
  },
  {
    name: 'en-natural-full-width',
    steps: [
      'ｃａｎｃｅｌ ｍｙ ｍｅｍｂｅｒｓｈｉｐ ｐｌｅａｓｅ',
      'ｍｙ ｎｕｍｂｅｒ ｉｓ ＋１ ４１５ ５５５ ０１２３',
      { code: true, within: 'ｃｏｄｅ：{code}' },
      'leave it running till it ends, then stop',
    ],
    expect: { memberships: { 'ms-2007': { status: 'pending_cancel' } }, lastCancellation: { option: 'period_end' } },
  },
  {
    name: 'en-host-token-skips-verification',
    steps: [{ text: 'I want to cancel', hostTokenFor: 'm-1006' }, 'cancel at period end', 'Skip'],
    expect: { memberships: { 'ms-2007': { status: 'pending_cancel' } }, outbox: ['cancellation-scheduled'] },
  },
  {
    name: 'en-quit-at-every-step',
    steps: [
      'cancel my membership',
      'never mind',
      'cancel my membership',
      '13812345678',
      'quit',
      'cancel my membership',
      '13812345678',
      'stop',
    ],
    expect: { newCancellations: 0 },
  },
  {
    name: 'en-start-over',
    steps: ['check my membership', '13812345678', 'start over', 'check my membership'],
    expect: { newCancellations: 0 },
  },
  {
    name: 'en-attachment-and-empty-message',
    steps: ['cancel my membership', { attachment: true }, { empty: true }, 'quit'],
    expect: { newCancellations: 0 },
  },
  {
    name: 'en-unclear-confirmation-twice',
    steps: ['I want to cancel', 'emily.carter@example.com', { code: true }, 'uh', 'blah blah', 'meh'],
    expect: { memberships: { 'ms-2007': { status: 'active' } }, newCancellations: 0 },
  },
  {
    name: 'en-no-membership-at-all',
    steps: ['check my membership', '+1 415 555 0199', { code: true }],
    expect: { newCancellations: 0 },
  },
  {
    name: 'en-unregistered-email-same-words',
    steps: ['cancel my membership', 'nobody@example.com', '123456', 'quit'],
    expect: { outbox: [] },
  },
  {
    name: 'en-language-switch-to-chinese',
    steps: ['check my membership', '说中文', '13812345678', { code: true }],
    expect: { newCancellations: 0 },
  },
  { name: 'en-handoff-to-person', steps: ['I want to cancel', 'talk to a human', 'quit'], expect: { handoffs: 1 } },
  // A membership told apart by what it costs, in the opening, then a polite reply with a reason beside it.
  {
    name: 'en-natural-described-membership',
    steps: [
      'hi, please cancel the one that costs 198 a year',
      LINA,
      { code: true },
      'Thank you for explaining. Having thought it over, end it when the year is up, we never listen anyway.',
    ],
    expect: {
      memberships: { 'ms-2003': { status: 'pending_cancel' }, 'ms-2002': { status: 'active' } },
      lastCancellation: { option: 'period_end', refund: 0 },
    },
  },
  {
    name: 'zh-natural-described-membership',
    steps: [
      '每个月扣25块的那个会员帮我取消掉',
      LINA,
      { code: true },
      '您好，谢谢您详细的说明。考虑之后，还是用到这期结束吧，反正平时也不怎么看，谢谢！',
    ],
    expect: {
      memberships: { 'ms-2002': { status: 'pending_cancel' }, 'ms-2003': { status: 'active' } },
      lastCancellation: { option: 'period_end', refund: 0 },
    },
  },
  {
    name: 'en-two-memberships-by-name',
    steps: ['turn off auto-renew', LINA, { code: true }, 'Music Plus Annual', 'Keep my membership'],
    expect: { newCancellations: 0 },
  },
];
