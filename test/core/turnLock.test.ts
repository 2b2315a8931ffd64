import { InProcessTurnLock } from '../../src/core/turnLock.js';

/** A promise and the function that settles it, to hold work open until the test says so. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Lets every callback already queued run (no timer: the event loop's next turn). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('InProcessTurnLock', () => {
  it('runs the work of one key one at a time, in order, and other keys beside it', async () => {
    const lock = new InProcessTurnLock();
    const events: string[] = [];
    const first = gate();
    const a = lock.run('c1', async () => {
      events.push('a starts');
      await first.opened;
      events.push('a ends');
      return 'a';
    });
    const b = lock.run('c1', async () => {
      events.push('b runs');
      return 'b';
    });
    const c = lock.run('c1', async () => {
      events.push('c runs');
      return 'c';
    });
    const other = lock.run('c2', async () => {
      events.push('other key runs');
      return 'other';
    });
    expect(await other).toBe('other');
    await settle();
    expect(events).toEqual(['a starts', 'other key runs']);
    expect(lock.keysHeld).toBe(1);
    first.open();
    expect(await Promise.all([a, b, c])).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a starts', 'other key runs', 'a ends', 'b runs', 'c runs']);
  });

  it('hands a failure to its caller only, and the next work of the key still runs', async () => {
    const lock = new InProcessTurnLock();
    const failed = lock.run('c1', () => Promise.reject(new Error('the turn failed')));
    const next = lock.run('c1', async () => 'next ran');
    await expect(failed).rejects.toThrow('the turn failed');
    expect(await next).toBe('next ran');
  });

  it('remembers a key only while work for it runs or waits', async () => {
    const lock = new InProcessTurnLock();
    const held = gate();
    const runs = Array.from({ length: 1000 }, (_, i) =>
      lock.run(`c${i % 10}`, async () => {
        await held.opened;
        return i;
      }),
    );
    expect(lock.keysHeld).toBe(10);
    held.open();
    expect((await Promise.all(runs)).length).toBe(1000);
    expect(lock.keysHeld).toBe(0);
  });
});
