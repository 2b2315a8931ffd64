import fc from 'fast-check';
import { normalizeCode } from '../src/identity/otpService.js';
import { LANGUAGES } from '../src/i18n/languages.js';
import { conversation, type Seen } from './support/conversation.js';
import { signHostToken } from './support/hostToken.js';

const SECRET = 'p'.repeat(32);
/** `npm run test:stress` raises these; `npm test` keeps them quick. */
const CODE_RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const SEQUENCE_RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const exp = (offsetSeconds: number) => Math.floor(Date.parse('2026-11-24T02:00:00Z') / 1000) + offsetSeconds;
// conversation() speaks as TestAdapter's default user, whose id is 'user1'.
const token = (sub: string, offsetSeconds = 300, secret = SECRET, overrides: Record<string, unknown> = {}) =>
  signHostToken(secret, sub, 'user1', exp(offsetSeconds), overrides);

/** Answers people and scripts might type at the code step, none of them "resend". */
const codeAnswer = fc.oneof(
  fc.stringMatching(/^\d{6}$/),
  fc.stringMatching(/^\d{3} \d{3}$/),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('000000', '123456', '999999', '１２３４５６', '', '🤔', '<script>', "' OR 1=1 --"),
);

describe('no way in without the code (property)', () => {
  it('random answers at the code step never verify unless one of them is the code', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(codeAnswer, { minLength: 1, maxLength: 7 }), async (answers) => {
        runs += 1;
        const c = await conversation();
        await c.say('check my membership');
        await c.say('13812345678');
        const code = c.lastCode();
        const replies: Seen[] = [];
        for (const a of answers) replies.push(...(await c.say(a)));
        const typedTheCode = answers.some((a) => normalizeCode(a) === code);
        const verified = c.app.store.data.audit.some((e) => e.type === 'verification.succeeded');
        const sawMembership = replies.some((r) => r.cards.some((card) => card.includes('Video VIP Annual')));
        if (!typedTheCode) {
          expect(verified).toBe(false);
          expect(sawMembership).toBe(false);
        }
      }),
      { numRuns: CODE_RUNS },
    );
    expect(runs).toBe(CODE_RUNS);
    console.info(`code step: ${runs} random answer sequences, none verified without the code`);
  }, 600_000);
});

describe('a verified member sees only their own memberships', () => {
  it("typing another member's number after verifying shows nothing of theirs", async () => {
    const c = await conversation();
    await c.say('check my membership');
    await c.say('13812345678');
    await c.say(c.lastCode());
    const replies = [...(await c.say('13900001111')), ...(await c.say('check my membership'))];
    expect(c.text(replies)).not.toMatch(/Music Plus|李娜/);
    expect(c.text(replies)).toContain('Video VIP Annual');
  });

  it('another user speaking in a verified conversation (reused conversation id) starts from nothing', async () => {
    const c = await conversation();
    await c.say('I want to cancel');
    await c.say('13812345678');
    await c.say(c.lastCode());
    const intruder = { from: { id: 'someone-else', name: 'X', role: 'user' } };
    const replies = await c.say({ text: 'yes', ...intruder });
    expect(c.app.store.data.cancellations).toHaveLength(2);
    expect((await c.say({ text: 'I want to cancel', ...intruder }))[0].text).toBe(
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    );
    expect(c.text(replies)).not.toContain('Video VIP Annual');
  });

  it.each([
    ['forged', token('m-1001', 300, 'f'.repeat(32))],
    ['expired', token('m-1001', -60)],
    ['for an unknown member', token('m-9999')],
    ['issued to another user (replayed into this conversation)', token('m-1001', 300, SECRET, { uid: 'user2' })],
    ['without the user it was issued to', token('m-1001', 300, SECRET, { uid: undefined })],
    ['from another issuer', token('m-1001', 300, SECRET, { iss: 'https://other-app.test' })],
    ['for another audience', token('m-1001', 300, SECRET, { aud: 'another-service' })],
  ])('a %s host token verifies nothing', async (_what, t) => {
    const c = await conversation({ config: { MEMBER_TOKEN_SECRET: SECRET } });
    const replies = await c.say({ text: 'I want to cancel', channelData: { memberToken: t } });
    expect(replies[0].text).toBe(
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    );
  });
});

/** The same answer however it is spaced, cased or punctuated. */
const squeeze = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
// An option named on its own is an explicit pick of it, as its title is; a plain yes of either
// language (the lexicons' reviewed list: "yep", "好") picks the reversible option.
const CONFIRMING = [
  ...Object.values(LANGUAGES).flatMap((l) => l.lexicon.affirmatives),
  'yes',
  'sure',
  'ok',
  '是的',
  '确认',
  '确定取消',
  '好的',
  '1',
  '2',
  'cancel now',
  'at period end',
  '立即',
  '到期后取消',
  'now',
  'refund',
  'at the end',
  '现在',
  '退款',
  '到期',
];
const utterance = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'x'.repeat(5000),
      '取'.repeat(5001),
      '😀😀😀',
      '{"type":"message"}',
      '<b>yes</b>',
      "'; DROP TABLE members; --",
      '42',
      '3.14',
      '-1',
      '',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'no',
      'nope',
      '不',
      '不要',
      '算了',
      '保留',
      'keep it',
      'maybe',
      '嗯',
      'what',
      'help',
      '帮助',
      'cancel',
      '取消',
      'English please',
      '说中文',
      'human',
      'I know',
      'maybe later',
      'not now',
      '退款多少',
      'how much is the refund',
      '现在不要',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...CONFIRMING) },
);

describe('no cancellation without an explicit yes (property)', () => {
  it('over random utterance sequences, the bot always replies and cancels only after a confirming answer at the confirmation', async () => {
    let sequences = 0;
    let cancelled = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(utterance, { minLength: 1, maxLength: 8 }), async (sequence) => {
        sequences += 1;
        const c = await conversation({ config: { MEMBER_TOKEN_SECRET: SECRET } });
        let last = (await c.say({ text: 'I want to cancel', channelData: { memberToken: token('m-1001') } })).at(-1)!;
        let confirmedAtPrompt = false;
        for (const u of sequence) {
          const atConfirmation = last.choices.some((choice) => /^(Cancel at period end|到期后取消)/.test(choice));
          const replies = await c.say(u);
          expect(replies.length).toBeGreaterThan(0);
          if (atConfirmation && CONFIRMING.some((c) => squeeze(c) === squeeze(u))) confirmedAtPrompt = true;
          last = replies.at(-1)!;
        }
        const didCancel = c.app.store.data.cancellations.length > 2;
        if (didCancel) cancelled += 1;
        expect({ sequence, didCancel: didCancel && !confirmedAtPrompt }).toEqual({ sequence, didCancel: false });
      }),
      { numRuns: SEQUENCE_RUNS },
    );
    expect(sequences).toBe(SEQUENCE_RUNS);
    console.info(
      `confirmation: ${sequences} random utterance sequences, ${cancelled} ended in a cancellation, each after an explicit yes`,
    );
    expect(cancelled).toBeGreaterThan(0);
  }, 600_000);
});
