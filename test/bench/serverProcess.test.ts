import { allocatedMB } from '../../bench/serverProcess.js';

const gc = (kind: string, before: number, after: number) =>
  `[1:0x1]      100 ms: ${kind} ${before} (${before + 2}.0) -> ${after} (${after + 3}.0) MB, 0.5 / 0.0 ms  (average mu = 1.000, current mu = 1.000) allocation failure; \n`;

describe('allocatedMB: what a server allocated, from its traced collections', () => {
  it('sums what the heap grew between one collection and the next, from the last one before the phase', () => {
    const before = `listening\n${gc('Scavenge', 10, 8)}`;
    const during = `${gc('Scavenge', 12, 9)}{"msg":"turn"}\n${gc('Mark-Compact (reduce)', 15.5, 7)}${gc('Scavenge', 9, 8)}`;
    const output = before + during;
    // 12 - 8, 15.5 - 9, 9 - 7
    expect(allocatedMB(output, before.length, output.length)).toBeCloseTo(12.5);
  });

  it('is unknown when no collection was traced in the phase', () => {
    const output = `listening\n${gc('Scavenge', 10, 8)}`;
    expect(allocatedMB(output, output.length, output.length)).toBeUndefined();
    expect(allocatedMB('listening\n', 0, 10)).toBeUndefined();
  });
});
