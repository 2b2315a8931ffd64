import { inFlightCounter } from '../../src/core/inFlight.js';

describe('inFlightCounter', () => {
  it('drains at once when nothing is under way', async () => {
    await expect(inFlightCounter().drain()).resolves.toBeUndefined();
  });

  it('drains when the last request under way leaves, not before', async () => {
    const requests = inFlightCounter();
    requests.enter();
    requests.enter();
    let drained = false;
    const waiting = requests.drain().then(() => (drained = true));
    requests.leave();
    await Promise.resolve();
    expect(drained).toBe(false);
    requests.leave();
    await waiting;
    expect(drained).toBe(true);
  });
});
