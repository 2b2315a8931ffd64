import { DialogTestClient } from 'botbuilder-testing';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { MembershipStatusDialog } from '../../dialogs/membershipStatusDialog.js';
import { dialogApp, speaker } from '../support/dialogClient.js';

/** The status dialog on its own: what is on the account, and an undo while a cancellation is pending. */
describe('MembershipStatusDialog', () => {
  async function statusOf(memberId: string, request?: string, at?: string) {
    const { app, clock } = await dialogApp();
    if (at) clock.set(at);
    const client = new DialogTestClient('test', new MembershipStatusDialog(app.services), { memberId, request });
    const membership = (id: string) => app.store.data.memberships.find((m) => m.id === id);
    return { app, client, membership };
  }

  it('shows a pending cancellation, undoes it on request and ends with the change committed', async () => {
    const { client, membership } = await statusOf('m-1003');
    const say = speaker(client, 'zh-CN');
    const shown = await say('你好');
    expect(shown[0]).toContain('状态：生效中，至2026-12-15；不再续费，在此之前可以撤销取消');
    expect(shown[0]).toContain('取消受理编号：CX-20261118-4H7M');
    expect(shown[1]).toBe('您的取消申请尚未生效。需要撤销取消、继续保留会员吗？\n1、撤销取消\n2、保持不变');

    expect(await say('撤销取消')).toEqual([
      '已完成：您的视频VIP月卡将继续有效，自动续费已恢复。下次扣款：2026-12-15，¥25.00。确认通知正在发送。',
    ]);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: { committed: true } });
    expect(membership('ms-2004')).toMatchObject({ status: 'active', autoRenew: true });
  });

  it('asks again after an answer that is neither choice, and changes nothing', async () => {
    const { client, membership } = await statusOf('m-1003');
    const say = speaker(client, 'zh-CN');
    await say('你好');
    expect(await say('啊这')).toEqual([
      '抱歉，我没有理解。选择“撤销取消”可保留会员，选择“保持不变”则不做更改。',
      '您的取消申请尚未生效。需要撤销取消、继续保留会员吗？\n1、撤销取消\n2、保持不变',
    ]);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.waiting });
    expect(membership('ms-2004')).toMatchObject({ status: 'pending_cancel', autoRenew: false });
  });

  it('answers a question about undoing, and a refusal of the undo leaves the cancellation', async () => {
    const { client, membership } = await statusOf('m-1003');
    const say = speaker(client, 'zh-CN');
    await say('你好');
    expect((await say('撤销的话要补钱不'))[0]).toBe(
      '撤销取消后，会员照常继续，并会自动续费。除非您选择“撤销取消”，否则不会有任何改变。',
    );
    await say('不要撤销');
    expect(membership('ms-2004')).toMatchObject({ status: 'pending_cancel', autoRenew: false });
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete });
  });

  it('leaves a pending cancellation as it is when the member says so, and ends with nothing committed', async () => {
    const { client, membership } = await statusOf('m-1003');
    const say = speaker(client, 'zh-CN');
    await say('你好');
    await say('保持不变');
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: undefined });
    expect(membership('ms-2004')).toMatchObject({ status: 'pending_cancel', autoRenew: false });
  });

  it('ends at once, with no question, when nothing can be undone', async () => {
    const { client } = await statusOf('m-1005');
    const shown = await speaker(client, 'en-US')('hi');
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/^Here is your membership:\n\nVideo VIP Monthly\nTier: Gold\nStatus: Expired\n/);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: undefined });
  });

  it('says so when the account holds no membership', async () => {
    const { client } = await statusOf('m-1008');
    expect(await speaker(client, 'en-US')('hi')).toEqual(["I couldn't find any membership on this account."]);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete });
  });

  it('shows the next charge on the card, and answers "when am I charged next" with the date and amount', async () => {
    const { client } = await statusOf('m-1006', 'when will I be charged next, and how much?');
    const shown = await speaker(client, 'en-US')('hi');
    expect(shown[0]).toContain('Next charge: Dec 5, 2026, $14.99');
    expect(shown[1]).toBe(
      'Fitness Pro Monthly: your next charge is $14.99 on Dec 5, 2026, when it renews automatically. To stop it, ask me to cancel before then.',
    );
  });

  it('says nothing more will be charged once a cancellation is pending', async () => {
    const { client } = await statusOf('m-1003', '下次什么时候扣费？扣多少？');
    const shown = await speaker(client, 'zh-CN')('你好');
    expect(shown[0]).toContain('下次扣款：无（自动续费已关闭）');
    expect(shown[1]).toBe('视频VIP月卡：不会再扣款（自动续费已关闭）。');
  });

  it('reads "renewal due" for a period over with no renewal on record, never "0 days left"', async () => {
    const { client } = await statusOf('m-1006', 'when do I get billed', '2026-12-07T10:00:00Z');
    const shown = await speaker(client, 'en-US')('hi');
    expect(shown[0]).toContain('Status: Renewal due: the last period is over and no renewal is on record yet');
    expect(shown[0]).toContain('Days left: renewal due');
    expect(shown[0]).toContain('Next charge: $14.99, due now');
    expect(shown[1]).toContain('its renewal ($14.99) is due now; nothing has been charged for it yet');
  });
});
