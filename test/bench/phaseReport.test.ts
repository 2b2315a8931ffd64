import { readFileSync } from 'node:fs';
import { goalsSection, phaseCostSection } from '../../bench/phaseReport.js';
import { performanceReport } from '../../bench/report.js';
import type { BenchResults } from '../../bench/run.js';

/** The last full run's results, with the per-request costs and load averages a run records now. */
function results(): BenchResults {
  const r = JSON.parse(readFileSync('bench/results/2026-11-25.json', 'utf8')) as BenchResults;
  const costs = { serverCpuMs: 0.3, serverMainCpuMs: 0.21, serverAllocatedKB: 57 };
  r.bot.mid = r.bot.mid.map((x) => ({ ...x, ...costs }));
  r.serverSideBySide = r.serverSideBySide!.map((x) => ({
    ...x,
    journey: x.journey?.map((j) => ({ ...j, serverCpuMs: 9.1, serverMainCpuMs: 6.2, serverAllocatedKB: 700 })),
  }));
  return { ...r, loadAverage: { start: [7.9, 7.1, 6.0], end: [9.2, 8.0, 6.5] } };
}

describe('the bench report', () => {
  it('gives every phase its CPU, main-thread CPU and KB per request, on each engine and for the floors', () => {
    const table = phaseCostSection(results()).join('\n');
    expect(table).toContain('| JSON store | mid-journey, per turn | 50 | 1879 | 26.2 | 43.21 | 0.3 | 0.21 | 57 | 0 |');
    expect(table).toMatch(
      /\| PostgreSQL, 1 instance \| whole journey, per journey \| 10 \| \d+ \| [\d.]+ \| [\d.]+ \| 9\.1 \| 6\.2 \| 700 \| 0 \|/,
    );
    expect(table).toMatch(/\| echo floor \(botbuilder as shipped\) \| echo turn \| 50 \| 1489 \|/);
    expect(table).toMatch(/\| echo floor \(our plumbing\) \| echo turn \| 50 \| 6718 \|/);
  });

  it('states each goal with the figure of the run, and says when the machine was shared', () => {
    const goals = goalsSection(results()).join('\n');
    expect(goals).toContain('| Mid-journey turns ≥ 1.8 × the stock echo floor (50 conversations) | 1.26 × |');
    expect(goals).toContain('| Main-thread CPU ≤ 0.2 ms per mid-journey turn | 0.21 ms (all threads 0.3 ms) |');
    expect(goals).toContain(
      '| PostgreSQL: ≥ 1,000 cancellations/s from 50 callers, commit p99 ≤ 50 ms (100k members) | 436/s, commit p99 188.5 ms |',
    );
    const report = performanceReport(results(), '');
    expect(report).toContain('at the end: 9.2, 8, 6.5. The machine was shared with other work');
  });
});
