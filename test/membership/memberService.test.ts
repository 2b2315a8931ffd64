import { EARLIER_CONVERSATIONS_KEPT, MemberService } from '../../src/membership/memberService.js';
import { domain } from '../support/domain.js';

describe('MemberService.rememberConversation', () => {
  it('keeps the last conversation for in-app notices and names the earlier ones, latest first, as many as an erasure needs', async () => {
    const { repo, clock, random } = await domain();
    const members = new MemberService(repo, clock, random);
    const at = (id: string) => ({ channelId: 'webchat', conversation: { id } });
    for (let i = 1; i <= EARLIER_CONVERSATIONS_KEPT + 5; i++)
      await members.rememberConversation('m-1005', at(`wc-${i}`));
    // Again in the last one: nothing changes.
    await members.rememberConversation('m-1005', at(`wc-${EARLIER_CONVERSATIONS_KEPT + 5}`));

    const reference = (await repo.memberById('m-1005'))?.conversationReference;
    const earlier = Array.from(
      { length: EARLIER_CONVERSATIONS_KEPT },
      (_, i) => `wc-${EARLIER_CONVERSATIONS_KEPT + 4 - i}`,
    );
    expect(reference).toEqual({ ...at(`wc-${EARLIER_CONVERSATIONS_KEPT + 5}`), earlierConversations: earlier });
  });
});

describe('MemberService.forOneTurn', () => {
  it('reads a member once for the turn, and again after its own write to it', async () => {
    const { repo, clock, random } = await domain();
    const reads = jest.spyOn(repo, 'memberById');
    const turn = new MemberService(repo, clock, random).forOneTurn();
    expect(await turn.exists('m-1005')).toBe(true);
    expect((await turn.contact('m-1005'))?.channel).toBe('email');
    expect(reads).toHaveBeenCalledTimes(1);

    // In-app notices fall back to SMS until a conversation is known; after the write, the turn sees it.
    await repo.transact(async (tx) =>
      tx.put('members', { ...(await tx.memberById('m-1005'))!, notifyChannel: 'in-app' }),
    );
    const next = new MemberService(repo, clock, random).forOneTurn();
    expect((await next.contact('m-1005'))?.channel).toBe('sms');
    await next.rememberConversation('m-1005', { channelId: 'webchat', conversation: { id: 'wc-1' } });
    expect((await next.contact('m-1005'))?.channel).toBe('in-app');
  });

  it('does not keep a read that failed', async () => {
    const { repo, clock, random } = await domain();
    jest.spyOn(repo, 'memberById').mockRejectedValueOnce(new Error('connection terminated'));
    const turn = new MemberService(repo, clock, random).forOneTurn();
    await expect(turn.exists('m-1005')).rejects.toThrow('connection terminated');
    expect(await turn.exists('m-1005')).toBe(true);
  });
});
