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
