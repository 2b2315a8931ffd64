import { InFlight } from '../../src/core/inFlight.js';

describe('InFlight', () => {
  it('drains at once when nothing is under way', async () => {
    await expect(new InFlight().drain()).resolves.toBeUndefined();
  });

  it('drains when the last request under way ends, failed or not', async () => {
    const requests = new InFlight();
    let finishFirst!: () => void;
    let failSecond!: (err: Error) => void;
    const first = requests.around(() => new Promise<void>((resolve) => (finishFirst = resolve)));
    const second = requests.around(() => new Promise<void>((_, reject) => (failSecond = reject)));
    let drained = false;
    const waiting = requests.drain().then(() => (drained = true));
    finishFirst();
    await first;
    expect(drained).toBe(false);
    failSecond(new Error('refused'));
    await expect(second).rejects.toThrow('refused');
    await waiting;
    expect(drained).toBe(true);
  });
});
