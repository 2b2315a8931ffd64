import { MemoryStorage } from 'botbuilder';
import { HISTORY_LIMIT, WebChatHistory } from '../../src/web/webChatHistory.js';

const stamp = (a: object, sequence: number) => ({ ...a, id: `a${sequence}` });

describe('web chat history', () => {
  it('keeps both of two appends that race on the same conversation, each with its own sequence number', async () => {
    const history = new WebChatHistory(new MemoryStorage());
    await history.append('wc-1', [{ text: 'welcome' }], stamp);
    // Both read the same version; the second write is refused on its eTag and retried on the fresh copy.
    await Promise.all([
      history.append('wc-1', [{ text: 'turn' }], stamp),
      history.append('wc-1', [{ text: 'notification' }], stamp),
    ]);
    const kept = await history.read('wc-1');
    expect(kept.map((a) => a.text).sort()).toEqual(['notification', 'turn', 'welcome']);
    expect(new Set(kept.map((a) => a.id)).size).toBe(3);
  });

  it(`keeps the last ${HISTORY_LIMIT} activities, numbering on from the dropped ones`, async () => {
    const history = new WebChatHistory(new MemoryStorage());
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) await history.append('wc-1', [{ text: `m${i}` }], stamp);
    const kept = await history.read('wc-1');
    expect(kept).toHaveLength(HISTORY_LIMIT);
    expect(kept[0]).toEqual({ text: 'm5', id: 'a6' });
    expect(kept.at(-1)).toEqual({ text: `m${HISTORY_LIMIT + 4}`, id: `a${HISTORY_LIMIT + 5}` });
  });
});
