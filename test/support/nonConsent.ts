import { MemoryStorage } from 'botbuilder';
import fc from 'fast-check';
import * as OpenCC from 'opencc-js/cn2t';
import { conversation } from './conversation.js';

// opencc-js's declarations do not resolve under NodeNext (src/nlu/normalize.ts says why).
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' }) as (text: string) => string;
const fullWidth = (s: string) =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

/** Words that would choose something if they stood alone. */
const CHOOSING = [
  'yes',
  'ok',
  'okay',
  'sure',
  'yep',
  'confirm',
  'cancel now',
  'cancel it now',
  'refund me',
  'at period end',
  'the cheaper plan',
  'do it',
  '好的',
  '是的',
  '确定',
  '可以',
  '行',
  '确认取消',
  '立即取消',
  '现在就停',
  '退钱',
  '到期后取消',
  '换便宜的',
  '就这样',
];
/** Words that would cancel now, which a guess ("probably") never does. */
const CHOOSING_NOW = [
  'cancel now',
  'cancel it now',
  'refund me',
  'the refund one',
  '立即取消',
  '现在就停',
  '退钱',
  '马上退款',
];
const GUESSING = ['probably', 'i think', 'i guess', 'maybe', '应该是', '大概', '估计', '我觉得'];
const QUESTION_SUFFIX = ['?', '？', '??', ' ?', '吗', '吗？', '呢', '呢？', ' right?', '，对吗'];
const QUESTION_PREFIX = [
  'what if I choose',
  'will I lose my coupons if I pick',
  'is it ok to',
  'how much do I get with',
  'what happens with',
  '会不会',
  '能不能',
  '如果选',
  '为什么',
  '怎么',
];
const HEDGES = [
  'not sure yet',
  'let me think about it',
  'maybe',
  'hold on',
  'wait',
  'hmm',
  'hang on a sec',
  'I need to think',
  '让我考虑一下',
  '我再想想',
  '等一下',
  '等等',
  '不确定',
  '再说吧',
  '稍等',
];
const NEGATIONS = ["don't", 'do not', 'no,', 'not', 'never', 'nah', '先别', '不要', '别', '不'];
const CONDITIONS = ['only if', 'if', 'unless', '如果', '要是', '除非', '只要'];
const POLITENESS = [
  'please',
  'thanks',
  'thank you',
  'thx',
  'ty',
  'cheers',
  '谢谢',
  '请',
  '麻烦了',
  '辛苦了',
  '不好意思',
  '多谢',
];

const pick = (list: string[]) => fc.constantFrom(...list);

/** Replies to the cancellation warning that are never consent: questions, hedges, negations, conditions, politeness, mixtures. */
export const nonConsentReply: fc.Arbitrary<string> = fc
  .oneof(
    fc.tuple(pick(CHOOSING), pick(QUESTION_SUFFIX)).map(([w, q]) => `${w}${q}`),
    fc.tuple(pick(QUESTION_PREFIX), pick(CHOOSING)).map(([q, w]) => `${q} ${w}`),
    fc.tuple(pick(HEDGES), fc.option(pick(CHOOSING))).map(([h, w]) => (w ? `${h}, ${w}` : h)),
    fc.tuple(pick(CHOOSING), pick(HEDGES)).map(([w, h]) => `${w}… ${h}`),
    fc.tuple(pick(NEGATIONS), pick(CHOOSING)).map(([n, w]) => `${n} ${w}`),
    fc.tuple(pick(CONDITIONS), pick(CHOOSING)).map(([c, w]) => `${c} ${w}`),
    fc
      .tuple(pick(CHOOSING), pick(['的话', ' if I get the money back', ' only if the fee is waived']))
      .map(([w, c]) => (c === '的话' ? `如果${w}${c}` : `${w}${c}`)),
    fc.array(pick(POLITENESS), { minLength: 1, maxLength: 2 }).map((p) => p.join(' ')),
    fc.tuple(pick(GUESSING), pick(CHOOSING_NOW)).map(([g, w]) => `${g} ${w}`),
  )
  .chain((text) => fc.constantFrom(text, toTraditional(text), fullWidth(text), text.toUpperCase(), `${text} 🤔`));

/**
 * Drives one member to the cancellation warning, then answers it with each generated reply in a
 * conversation of its own (a copy of the state at the warning), and returns the store afterwards
 * with the replies after which something was cancelled, so that a failure names them.
 */
export async function answerTheWarning(replies: string[]) {
  const memory: Record<string, string> = {};
  const c = await conversation({ storage: new MemoryStorage(memory) });
  await c.say('I want to cancel my membership');
  await c.say('+86 138 1234 5678');
  const warning = await c.say(c.lastCode());
  const key = Object.keys(memory).find((k) => k.includes('/conversations/conv-1'))!;
  const seen: string[] = [];
  const consentedBy: string[] = [];
  for (const [i, reply] of replies.entries()) {
    const before = c.app.store.data.cancellations.length;
    const id = `conv-nc-${i}`;
    memory[key.replace('conv-1', id)] = memory[key];
    await c.adapter.receiveActivity({
      type: 'message',
      text: reply,
      conversation: { id, isGroup: false, conversationType: 'personal', name: 'c' },
    });
    while (c.adapter.activeQueue.length) seen.push(c.adapter.activeQueue.shift()!.text ?? '');
    if (c.app.store.data.cancellations.length > before) consentedBy.push(reply);
  }
  return { c, warning, seen, consentedBy };
}

/** What no non-consent reply may change: no cancellation, ms-2001 as seeded, no receipt queued. */
export function expectNothingChanged(c: Awaited<ReturnType<typeof answerTheWarning>>['c']): void {
  expect(c.app.store.data.cancellations).toHaveLength(2);
  expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2001')).toMatchObject({
    status: 'active',
    autoRenew: true,
  });
  expect(c.app.store.data.outbox.filter((m) => m.template !== 'otp')).toEqual([]);
}

/** The words that would do the act at a yes/no question, if they stood alone. */
const ACT_WORDS = {
  undo: [
    'undo it',
    'restore it',
    'bring it back',
    'keep my membership',
    'yes undo',
    '撤销',
    '恢复会员',
    '撤销取消',
    '好的撤销吧',
  ],
  erase: [
    'delete my data',
    'erase everything',
    'yes erase it',
    'wipe my info',
    '删除我的数据',
    '全部删掉',
    '好的删吧',
    '删',
  ],
  export: ['send me my data', 'yes send it', 'export my info', 'email me a copy', '发给我', '导出我的数据', '好的发吧'],
} as const;
const ASKING = [
  'what happens if I',
  'what would it cost to',
  'when would you',
  'how long does it take to',
  'do I lose anything if you',
  'wondering whether you should',
  'not sure if I want you to',
  '不知道要不要',
  '什么时候能',
  '多久才能',
  '是不是一定要',
  '会不会',
];
const PUTTING_OFF = [
  'maybe next month',
  'later',
  'next week',
  'tomorrow maybe',
  '改天再',
  '下次再说',
  '过几天再',
  '以后再',
];
const PART_OF_IT = ['only', 'just the email, not', 'except my name', '只', '除了邮箱', '只要手机号'];
const SOMEONE_ELSE = [
  "my son's account:",
  "for my wife's account",
  'his account,',
  '我儿子的',
  '帮我老婆',
  '我老公的账号',
];
/** "probably": enough for what can be undone, never for these. */
const TENTATIVE = ['probably', 'i think', 'i guess', 'i suppose', '应该是', '大概', '估计', '我觉得'];
const REFUSING = ["don't", 'do not', 'no need to', 'never', '不要', '别', '先别', '唔好'];

/** Replies to a yes/no question about `act` that never agree to it: questions without a mark, deferrals, part of it, someone else, refusals, guesses. */
export function nonConsentTo(act: keyof typeof ACT_WORDS): fc.Arbitrary<string> {
  const words = pick([...ACT_WORDS[act]]);
  return fc
    .oneof(
      fc.tuple(pick(ASKING), words).map(([q, w]) => `${q} ${w}`),
      fc.tuple(words, pick(PUTTING_OFF)).map(([w, d]) => `${w} ${d}`),
      fc.tuple(pick(PUTTING_OFF), words).map(([d, w]) => `${d} ${w}`),
      fc.tuple(pick(PART_OF_IT), words).map(([p, w]) => `${p} ${w}`),
      fc.tuple(pick(SOMEONE_ELSE), words).map(([o, w]) => `${o} ${w}`),
      fc.tuple(pick(REFUSING), words).map(([n, w]) => `${n} ${w}`),
      fc.tuple(pick(TENTATIVE), words).map(([t, w]) => `${t} ${w}`),
      fc.tuple(pick(CONDITIONS), words).map(([c, w]) => `${c} ${w}`),
    )
    .chain((text) => fc.constantFrom(text, toTraditional(text), fullWidth(text), text.toUpperCase(), `${text} 🤔`));
}
