import { MemoryStorage } from 'botbuilder';
import { conversation } from '../support/conversation.js';
import { signHostToken } from '../support/hostToken.js';
import { openedOutbox } from '../support/openedRecords.js';

/** "What data do you have on me" and "delete my data", through the whole bot, in both languages. */
describe('personal data in the conversation', () => {
  it('zh-CN: exports after verification (summary here, copy by e-mail, as it is too long for a text message), then erases on a clear yes only and says what was kept', async () => {
    const state: Record<string, string> = {};
    const c = await conversation({ locale: 'zh-CN', channelId: 'sms', storage: new MemoryStorage(state) });
    await c.say('导出我的数据');
    await c.say('158 0000 3333');
    const summary = c.text(await c.say(c.lastCode()));
    expect(summary).toContain(
      [
        '我们保存的关于您的信息如下：',
        '姓名：刘洋',
        '手机号：158****3333',
        '邮箱：l***@example.com',
        '通知方式：短信',
        '会员：',
        '·音乐轻享月卡（ms-2005）：已取消',
        '取消记录：',
        '·CX-20261020-9P2D：会员编号ms-2005，受理时间2026-10-20 09:30',
        '我们发给您的通知：1条，其中含验证码的1条（验证码本身从不保存，也不在副本中）。',
        '完整副本（JSON）已通过邮件发送至l***@example.com。',
      ].join('\n'),
    );
    const copy = (await openedOutbox(c.app.store, c.app.repository)).find((m) => m.template === 'data-export')!;
    expect(copy).toMatchObject({ to: 'liu.yang@example.com', channel: 'email', locale: 'zh-CN' });
    expect(copy.text).toMatch(/^这是您在对话中申请的个人信息副本/);
    expect(copy.text).toContain('"email": "liu.yang@example.com"');

    const ask = c.text(await c.say('删除我的个人信息'));
    expect(ask).toContain('现在删除您的个人信息吗？\n1、删除我的信息\n2、保留我的信息');
    expect(c.text(await c.say('删了还能恢复吗？'))).toContain('删除后无法恢复');
    expect(c.text(await c.say('好的吧，不过如果能恢复的话'))).toContain('抱歉，我没有理解。');
    // A hedge is no answer: the third unclear answer ends the question with nothing erased.
    expect(c.text(await c.say('我再想想'))).toContain('抱歉，我没有理解。');
    expect(c.text(await c.say('嗯…'))).toContain('没有删除任何信息');
    expect((await c.app.repository.memberById('m-1004'))?.name).toBe('刘洋');
    expect(c.text(await c.say('把我的个人资料删掉'))).toContain('现在删除您的个人信息吗？');
    // Someone else's data, or a part of it, erases nothing.
    expect(c.text(await c.say('删我儿子的数据'))).toContain('抱歉，我没有理解。');
    expect(c.text(await c.say('只删手机号'))).toContain('抱歉，我没有理解。');
    expect((await c.app.repository.memberById('m-1004'))?.name).toBe('刘洋');

    // Exactly what was erased, line by line: no chat page here to close, no transcripts kept.
    const [done] = await c.say('删除我的信息');
    expect(done.text).toBe(
      [
        [
          '已完成，以下信息已永久删除：',
          '·您的姓名、手机号和邮箱（改以会员编号m-1004代替）',
          '·您上次对话的链接（应用内消息曾用它联系您）',
          '·我们发给您的3条消息的地址和内容',
          '·1次验证码申请中的手机号或邮箱',
        ].join('\n'),
        '本次对话已退出验证。',
        '我们保留取消记录CX-20261020-9P2D，其中只有日期、金额和会员编号m-1004，不含姓名和联系方式：会计和消费者权益保护法规要求保留每次取消及退款、手续费的凭证。',
        '我们还会在会员编号m-1004下保留一条删除记录（删除的时间），以证明已按您的要求删除。',
      ].join('\n\n'),
    );
    expect(JSON.stringify(state)).not.toMatch(/刘洋|158 ?0000 ?3333|liu\.yang/);
    expect(await c.app.repository.memberById('m-1004')).toMatchObject({
      name: 'erased-m-1004',
      phone: 'erased-m-1004',
      email: 'erased-m-1004@erased.invalid',
    });
    expect(c.app.store.data.cancellations.map((x) => x.reference)).toContain('CX-20261020-9P2D');
    expect(c.app.store.data.audit.map((a) => a.type)).toEqual(
      expect.arrayContaining(['member.exported', 'member.erased']),
    );

    // Signed out, and the old number no longer reaches anyone.
    expect(c.text(await c.say('查询我的会员'))).toContain('手机号');
    await c.say('158 0000 3333');
    const codes = c.app.store.data.outbox.filter((m) => m.template === 'otp');
    expect(codes).toHaveLength(1);
  });

  it('en-US: the copy goes by e-mail; a running membership stops the erasure before anything is asked', async () => {
    const c = await conversation({ locale: 'en-US' });
    await c.say('what data do you have on me');
    await c.say('emily.carter@example.com');
    const summary = c.text(await c.say(c.lastCode()));
    expect(summary).toContain('Name: Emily Carter\nPhone: +1 415****0123\nE-mail: e***@example.com');
    expect(summary).toContain('- Fitness Pro Monthly (ms-2007): active');
    expect(summary).toContain('Cancellations:\n- none');
    expect(summary).toContain('The full copy (JSON) is on its way by e-mail to e***@example.com.');
    const copy = (await openedOutbox(c.app.store, c.app.repository)).find((m) => m.template === 'data-export')!;
    expect(copy).toMatchObject({ channel: 'email', to: 'emily.carter@example.com' });
    expect(copy.text).not.toContain(c.lastCode());

    expect(c.text(await c.say('delete my personal data'))).toContain(
      'I can’t erase your personal data while a membership is still running (ms-2007)',
    );
    expect((await c.app.repository.memberById('m-1006'))?.name).toBe('Emily Carter');
  });

  it('en-US: "no" erases nothing; asked again, a plain yes erases, with no cancellation records to keep', async () => {
    const c = await conversation({ locale: 'en-US' });
    await c.say('please delete my data');
    await c.say('+1 415 555 0199');
    expect(c.text(await c.say(c.lastCode()))).toContain('Erase your personal data now?');
    expect(c.text(await c.say('no'))).toContain('OK, nothing was erased.');
    expect((await c.app.repository.memberById('m-1008'))?.name).toBe('Sophie Turner');
    await c.say('erase my data');
    const done = c.text(await c.say('yes'));
    expect(done).toContain('There were no cancellation records, so nothing about your memberships names you.');
    expect((await c.app.repository.memberById('m-1008'))?.name).toBe('erased-m-1008');
  });

  it('a host token no longer vouches for an erased member', async () => {
    const secret = 'h'.repeat(32);
    const c = await conversation({ config: { MEMBER_TOKEN_SECRET: secret } });
    const token = signHostToken(secret, 'm-1008', 'user1', Math.floor(Date.parse('2026-11-24T02:05:00Z') / 1000));
    const asked = c.text(await c.say({ text: 'delete my data', channelData: { memberToken: token } }));
    expect(asked).toContain('Erase your personal data now?');
    expect(c.text(await c.say({ text: 'yes', channelData: { memberToken: token } }))).toContain(
      'Done. Erased for good:\n- your name, phone number and e-mail address (member number m-1008 stands in for them)',
    );
    const again = await c.say({ text: 'what data do you have on me', channelData: { memberToken: token } });
    expect(again[0].text).toMatch(/^First I need to check it's you/);
    expect(c.app.store.data.outbox.filter((m) => m.template === 'data-export')).toEqual([]);
  });
});
