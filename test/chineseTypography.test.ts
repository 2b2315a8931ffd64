import { zhCN } from '../src/i18n/catalog.zh-CN.js';
import { t, type MessageKey } from '../src/i18n/messages.js';
import { conversation } from './support/conversation.js';

// Chinese text: Han characters, CJK and full-width punctuation, and the Chinese quotation marks.
const CJK = '[\\p{Script=Han}\\u3000-\\u303F\\uFF00-\\uFFEF\\u201C\\u201D\\u2014]';
const RULES: [string, RegExp][] = [
  ['an ASCII colon (outside a time of day)', /(?<!\d):|:(?!\d)/u],
  ['an ASCII space next to Chinese', new RegExp(`${CJK} | ${CJK}`, 'u')],
  ['half-width punctuation between Chinese', new RegExp(`${CJK}\\s*[,.;:!?()"'\\[\\]]\\s*${CJK}`, 'u')],
  ['half-width punctuation after Chinese', /\p{Script=Han}[,.;:!?]/u],
];

/** The rules a piece of Chinese text breaks, each with the text, for a readable failure. */
function breaches(text: string): string[] {
  // A web address is written as it is typed, whatever the language around it.
  const words = text.replace(/https?:\/\/\S+/g, '');
  return RULES.filter(([, re]) => re.test(words)).map(([rule]) => `${rule}: ${JSON.stringify(text)}`);
}

/** Values as the bot fills them in, so the scan sees the text a member reads. */
const SAMPLES: Record<string, string> = {
  code: '123456',
  minutes: '10',
  plan: '视频VIP年卡',
  membershipId: 'ms-2001',
  receivedAt: '2026-11-24 10:00',
  effectiveAt: '2027-03-01',
  date: '2027-03-01',
  periodEnd: '2027-03-01',
  fee: '¥10.00',
  refund: '¥17.12',
  reference: 'CX-20261124-AB12',
  forfeits: '1,280积分、2张优惠券（共¥50.00）和黄金会员身份',
  items: '1,280积分、2张优惠券（共¥50.00）和黄金会员身份',
  price: '¥9.00/月',
  before: '¥25.00',
  store: 'Google Play',
  after: '¥28.00',
  link: 'https://members.example.com/chat?cancel=bXMtMjAwMg.1796832000.etDq0RClg1Kz_9f6nnlFDw',
  value: '¥50.00',
  count: '2',
  tier: '黄金会员',
  action: '撤销取消',
  address: '138****5678',
  name: '张伟',
  wait: '45秒',
  status: '生效中',
  title: '等级',
  number: '1',
  choice: '查询我的会员',
  phone: '138****5678',
  email: 'z***@example.com',
  id: 'ms-2001',
  undone: '，已撤销',
  codes: '1',
  channel: '短信',
  memberships: 'ms-2001',
  references: 'CX-20261124-AB12和CX-20261020-9P2D',
  memberId: 'm-1001',
  days: '30',
};

describe('Chinese typography (#17.10)', () => {
  it('every zh-CN catalog string, rendered with sample values, uses full-width punctuation and no ASCII spaces next to Chinese', () => {
    const problems: string[] = [];
    for (const [key, raw] of Object.entries(zhCN)) {
      const names = [...raw.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const name of names) if (!(name in SAMPLES)) problems.push(`${key}: no sample value for {${name}}`);
      problems.push(...breaches(t('zh-CN', key as MessageKey, SAMPLES)).map((p) => `${key}: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it('the rules catch what the issue reported', () => {
    expect(breaches('退款 ¥17.12')).toHaveLength(1);
    expect(breaches('保留至 2027-03-01')).toHaveLength(1);
    expect(breaches('等级: 黄金会员')).toHaveLength(4);
    expect(breaches('抱歉，我没有理解。 请选择')).toHaveLength(1);
    expect(breaches('改为 音乐轻享月卡（¥9.00）')).toHaveLength(1);
    expect(breaches('说"退出"即可')).toHaveLength(1);
    expect(breaches('受理时间2026-11-24 10:00。')).toEqual([]);
  });

  it('what a Chinese member reads in a journey (text, quick replies, cards, the facts as text, notifications) follows them too', async () => {
    const seen: string[] = [];
    const keep = (replies: { text: string; choices: string[]; cards: string[] }[]) => {
      for (const r of replies)
        seen.push(...r.text.split('\n'), ...r.choices, ...r.cards.flatMap((card) => card.split('\n')));
    };
    for (const channelId of ['emulator', 'sms']) {
      const c = await conversation({ locale: 'zh-CN', channelId });
      keep(await c.say('查询我的会员'));
      keep(await c.say('13900001111'));
      keep(await c.say(c.lastCode()));
      keep(await c.say('取消会员'));
      keep(await c.say('音乐那个'));
      keep(await c.say('立即取消并退款¥17.66'));
      keep(await c.say('跳过'));
      const pending = await conversation({ locale: 'zh-CN', channelId });
      keep(await pending.say('查询我的会员'));
      keep(await pending.say('13700002222'));
      keep(await pending.say(pending.lastCode()));
      keep(await pending.say('撤销取消'));
      seen.push(
        ...[...c.app.store.data.outbox, ...pending.app.store.data.outbox]
          .filter((m) => m.template !== 'otp')
          .map((m) => m.text),
      );
    }
    expect(seen.length).toBeGreaterThan(40);
    expect(seen.flatMap(breaches)).toEqual([]);
  });
});
