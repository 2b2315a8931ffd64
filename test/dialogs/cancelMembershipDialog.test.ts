import { DialogTestClient } from 'botbuilder-testing';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { CancelMembershipDialog } from '../../dialogs/cancelMembershipDialog.js';
import { renewalChargeKey } from '../../src/membership/renewalCharge.js';
import { dialogApp, speaker } from '../support/dialogClient.js';

/** The cancellation dialog on its own: the warning before anything changes, the change, the optional reason. */
describe('CancelMembershipDialog', () => {
  async function cancelFor(memberId: string) {
    const { app } = await dialogApp();
    const client = new DialogTestClient('test', new CancelMembershipDialog(app.services), { memberId });
    const membership = (id: string) => app.store.data.memberships.find((m) => m.id === id);
    const decisions = () =>
      app.store.data.audit.filter((a) => a.type === 'cancellation.decision').map((a) => a.data?.decision);
    return { app, client, membership, decisions };
  }

  it('warns, cancels at period end with a receipt, records the reason and ends committed', async () => {
    const { app, client, membership } = await cancelFor('m-1006');
    const say = speaker(client, 'en-US');
    const [warning] = await say('hi');
    expect(warning).toContain('• At period end: auto-renew stops, you keep all benefits until Dec 5, 2026, no refund.');
    expect(warning).toContain('• When benefits end you lose: 450 points, 1 coupon worth $25.00, and your Pro status.');
    expect(warning).toMatch(
      /\n1\. Cancel at period end \(keep benefits until Dec 5, 2026\)\n2\. Cancel now, refund \$5\.49\n3\. Keep my membership$/,
    );
    expect(membership('ms-2007')?.status).toBe('active');

    const [receipt, reasonAsk] = await say('Cancel at the end of the period');
    const record = app.store.data.cancellations.at(-1)!;
    expect(record).toMatchObject({ memberId: 'm-1006', membershipId: 'ms-2007', option: 'period_end', refund: 0 });
    expect(receipt).toContain(`Reference number: ${record.reference}\n`);
    expect(receipt).toMatch(/A confirmation has been sent by e-mail to e\*\*\*@example\.com\.$/);
    expect(reasonAsk).toMatch(/^One optional question: why did you leave\?\n1\. Too expensive\n/);
    expect(membership('ms-2007')).toMatchObject({ status: 'pending_cancel', autoRenew: false });

    expect(await say('Too expensive')).toEqual(['Thank you for telling us.']);
    expect(app.store.data.cancellations.at(-1)!.reason).toBe('expensive');
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: { committed: true } });
  });

  it('keeps the membership when the member chooses to, and ends with nothing committed', async () => {
    const { app, client, membership, decisions } = await cancelFor('m-1006');
    const say = speaker(client, 'en-US');
    const before = app.store.data.cancellations.length;
    await say('hi');
    await say('Keep my membership');
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: undefined });
    expect(membership('ms-2007')).toMatchObject({ status: 'active', autoRenew: true });
    expect(app.store.data.cancellations).toHaveLength(before);
    expect(decisions()).toEqual(['keep']);
  });

  it('asks which membership, and after three answers it cannot take ends with nothing changed', async () => {
    const { client, membership, decisions } = await cancelFor('m-1002');
    const say = speaker(client, 'zh-CN');
    expect(await say('你好')).toEqual(['您要取消哪一个会员？\n1、音乐Plus年卡\n2、视频VIP月卡']);
    const [warning] = await say('2');
    expect(warning).toMatch(/^请在决定前了解——取消视频VIP月卡：\n/);
    expect(await say('asdf')).toEqual([
      '抱歉，我没有理解。请从选项中选择一项，或说“保留”不做任何更改。',
      '请选择：\n1、到期后取消（权益保留至2026-12-10）\n2、保留会员',
    ]);
    await say('qwer');
    expect(await say('zxcv')).toEqual(['没有得到明确的回答，所以没有做任何更改，您的会员保持原样。']);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: undefined });
    expect(membership('ms-2002')).toMatchObject({ status: 'active', autoRenew: true });
    expect(decisions()).toEqual(['unclear']);
  });

  it.each([
    ['cancel my video vip monthly', /^Before you decide — cancelling Video VIP Monthly:/],
    ['cancel video vip annual pls', /^Which membership do you want to cancel\?/],
  ])(
    'goes to the membership the request names, and asks when it names one the member lacks: %s',
    async (request, shown) => {
      const { app } = await dialogApp();
      const client = new DialogTestClient('test', new CancelMembershipDialog(app.services), {
        memberId: 'm-1002',
        request,
      });
      expect((await speaker(client, 'en-US')('hi'))[0]).toMatch(shown);
    },
  );

  it('changes nothing when another conversation of the member changed the membership meanwhile, and says where it stands', async () => {
    const { app, client, membership } = await cancelFor('m-1002');
    const say = speaker(client, 'zh-CN');
    expect(await say('你好')).toEqual(['您要取消哪一个会员？\n1、音乐Plus年卡\n2、视频VIP月卡']);
    // Another device of the same member cancels the video membership before this one picks it.
    await app.services.memberships.cancel({
      memberId: 'm-1002',
      membershipId: 'ms-2002',
      option: 'period_end',
      requestId: 'other-device',
    });
    const cancellations = app.store.data.cancellations.length;
    const [answer] = await say('2');
    expect(answer).toMatch(
      /^这个会员刚刚有了变化（可能是在别的设备上操作的），所以我这次没有做任何更改。目前的状态是：\n视频VIP月卡：/,
    );
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: undefined });
    expect(app.store.data.cancellations).toHaveLength(cancellations);
    expect(membership('ms-2003')).toMatchObject({ status: 'active', autoRenew: true });
  });

  it.each([
    [
      'en-US',
      'hi',
      'Cancel at the end of the period',
      /^The renewal of Fitness Pro Monthly is being charged right now, so I changed nothing\. Please try again in a few minutes/,
    ],
    ['zh-CN', '你好', '到期取消', /^健身Pro月度会员的续费正在扣款中，所以我这次没有做任何更改。请几分钟后再试：/],
  ])(
    'changes nothing while the renewal charge is in flight, and says why (%s)',
    async (locale, hello, choice, told) => {
      const { app, client, membership } = await cancelFor('m-1006');
      const say = speaker(client, locale as 'en-US' | 'zh-CN');
      await say(hello);
      // The renewal pass (another instance) asks the billing for the period's charge meanwhile.
      const m = membership('ms-2007')!;
      await app.repository.transact(async (tx) => {
        tx.put('memberships', { ...m, renewalCharge: { key: renewalChargeKey(m), askedAt: '2026-12-05T08:00:00Z' } });
      });
      const [answer] = await say(choice);
      expect(answer).toMatch(told);
      expect(membership('ms-2007')).toMatchObject({ status: 'active', autoRenew: true });
      expect(app.store.data.cancellations.filter((c) => c.membershipId === 'ms-2007')).toEqual([]);
      expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: undefined });
    },
  );

  it('ends at once when nothing is left to cancel', async () => {
    const { client } = await cancelFor('m-1004');
    expect(await speaker(client, 'en-US')('hi')).toEqual([
      'You have no membership that can be cancelled now. Here is what is on your account:\nMusic Lite Monthly: Cancelled\nThere is nothing left to cancel.',
    ]);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: undefined });
  });
});
