import { ActivityEventNames, ActivityTypes, type Activity } from 'botbuilder';
import { InProcessTurnLock, type TurnLock } from '../src/core/turnLock.js';
import { TurnLockMiddleware } from '../src/turnLockMiddleware.js';
import { WebChatAdapter } from '../src/web/webChatAdapter.js';

/** An InProcessTurnLock that records the keys it ran work under. */
class RecordingLock extends InProcessTurnLock implements TurnLock {
  readonly keys: string[] = [];

  override run<T>(key: string, work: () => Promise<T>): Promise<T> {
    this.keys.push(key);
    return super.run(key, work);
  }
}

function activity(overrides: Partial<Activity>): Partial<Activity> {
  return {
    type: 'message',
    channelId: 'webchat',
    from: { id: 'member', name: 'Member' },
    recipient: { id: 'bot', name: 'Bot' },
    ...overrides,
  };
}

describe('TurnLockMiddleware', () => {
  it("runs a turn's whole logic under the lock of its channel and conversation", async () => {
    const lock = new RecordingLock();
    const adapter = new WebChatAdapter().use(new TurnLockMiddleware(lock));
    let heldDuringTurn = -1;
    const replies = await adapter.runTurn(
      activity({ conversation: { id: 'c1' } as Activity['conversation'] }),
      async (context) => {
        heldDuringTurn = lock.keysHeld;
        await context.sendActivity('answered');
      },
    );
    expect(replies.map((r) => r.text)).toEqual(['answered']);
    expect(lock.keys).toEqual(['turn:webchat/c1']);
    expect(heldDuringTurn).toBe(1);
    expect(lock.keysHeld).toBe(0);
  });

  it('takes no lock for a proactive message or an activity without a conversation', async () => {
    const lock = new RecordingLock();
    const adapter = new WebChatAdapter().use(new TurnLockMiddleware(lock));
    const ran: string[] = [];
    await adapter.runTurn(
      activity({
        type: ActivityTypes.Event,
        name: ActivityEventNames.ContinueConversation,
        conversation: { id: 'c1' } as Activity['conversation'],
      }),
      async () => void ran.push('notice'),
    );
    await adapter.runTurn(activity({}), async () => void ran.push('no conversation'));
    expect(ran).toEqual(['notice', 'no conversation']);
    expect(lock.keys).toEqual([]);
  });
});
