import { conversation } from './support/conversation.js';
import { openedOutbox } from './support/openedRecords.js';

/** Characters only simplified Chinese writes, as the replies of this journey would use them. */
const SIMPLIFIED = /[会请验证号码输确认这为帐账户费续权终]/;

describe('the conversation answers in the script its member reads', () => {
  it('a zh-TW channel is answered in traditional, even when the member types simplified', async () => {
    const c = await conversation({ locale: 'zh-TW' });
    const [reply] = await c.say('我想取消会员');
    expect(reply.text).toBe('首先需要確認是您本人。請輸入會員註冊時使用的手機號碼或電子郵件。');
  });

  it('a first message in traditional characters is answered in traditional on any channel', async () => {
    const c = await conversation({ locale: 'en-US' });
    const [reply] = await c.say('我想取消會員');
    expect(reply.text).toBe('首先需要確認是您本人。請輸入會員註冊時使用的手機號碼或電子郵件。');
  });

  it('a zh-CN channel and simplified text stay simplified', async () => {
    const c = await conversation({ locale: 'zh-CN' });
    expect((await c.say('我想取消会员'))[0].text).toBe('首先需要确认是您本人。请输入会员注册时使用的手机号或邮箱。');
  });

  it('a zh-HK member: the warning, the receipt and every text message in traditional', async () => {
    const c = await conversation({ locale: 'zh-HK' });
    await c.say('唔該幫我取消個會員');
    await c.say('138 1234 5678');
    const warning = await c.say(c.lastCode());
    const shown = warning.map((r) => [r.text, ...r.choices].join('\n')).join('\n');
    expect(shown).toContain('取消影片VIP年卡');
    expect(shown).toContain('權益保留至2027年3月1日');
    expect(shown).not.toMatch(SIMPLIFIED);
    const done = await c.say('1');
    expect(done[0].text).toContain('受理編號');
    expect(done.map((r) => r.text).join('\n')).not.toMatch(SIMPLIFIED);

    const sent = await openedOutbox(c.app.store, c.app.repository);
    // Hong Kong's words: a text message is 短訊 (Taiwan: 簡訊).
    expect(done[0].text).toContain('確認短訊已發送至');
    expect(sent.map((m) => [m.template, m.locale])).toEqual([
      ['otp', 'zh-Hant-HK'],
      ['cancellation-scheduled', 'zh-Hant-HK'],
    ]);
    expect(sent[0].text).toMatch(/^您的驗證碼是\d{6}，10分鐘內有效。/);
    expect(sent[1].text).toContain('取消成功：影片VIP年卡');
    expect(sent[1].text).not.toMatch(SIMPLIFIED);
    // The member's own language on file is unchanged: the script follows the conversation.
    expect(c.app.store.data.members.find((m) => m.id === 'm-1001')?.locale).toBe('zh-CN');
  });

  it('a simplified sentence later does not turn a traditional conversation simplified', async () => {
    const c = await conversation({ locale: 'zh-TW' });
    await c.say('我想查詢會員');
    const [reply] = await c.say('我想取消我的会员');
    expect(reply.text).not.toMatch(SIMPLIFIED);
  });

  it('a channel catching up with the conversation is no choice: a later sentence still switches', async () => {
    const c = await conversation({ locale: 'en-US' });
    expect((await c.say('我想查询我的会员'))[0].text).toMatch(/请输入/);
    // The page's chrome followed the conversation, so its next message says zh-CN.
    c.adapter.template.locale = 'zh-CN';
    const [reply] = await c.say('Actually I would like to cancel my membership');
    expect(reply.text).toMatch(/^Sorry, I didn't catch that/);
  });
});
