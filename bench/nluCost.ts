// What understanding adds: to start-up (modules, models, first answer, in fresh processes) and to
// a turn (what a turn asks of it at most: the intent, and the prompt's answer twice, as the main
// dialog's check and the prompt itself), over both corpora's test splits. Prints JSON.
import { execFileSync } from 'node:child_process';
import { LOCALES } from '../src/i18n/languages.js';
import { readCorpus } from '../src/nlu/corpus.js';
import { percentile } from './loadClient.js';

export interface NluCost {
  startMs: number[];
  startMedianMs: number;
  turns: number;
  turnMedianMs: number;
  turnP99Ms: number;
}

const START_RUNS = 5;
const PASSES = 3;

async function startOnce(): Promise<void> {
  const t0 = performance.now();
  const { loadModels } = await import('../src/nlu/models.js');
  const { Understanding } = await import('../src/nlu/understanding.js');
  const understanding = new Understanding(await loadModels(LOCALES));
  await understanding.intentOf('我想取消会员', 'zh-CN');
  await understanding.intentOf('cancel my membership', 'en-US');
  process.stdout.write(String(Math.round((performance.now() - t0) * 10) / 10));
}

async function measure(): Promise<NluCost> {
  const startMs = Array.from({ length: START_RUNS }, () =>
    Number(execFileSync(process.execPath, [process.argv[1], '--start'], { encoding: 'utf8' })),
  );
  const { loadModels } = await import('../src/nlu/models.js');
  const { Understanding } = await import('../src/nlu/understanding.js');
  const understanding = new Understanding(await loadModels(LOCALES));
  const texts = LOCALES.flatMap((l) => {
    const c = readCorpus(l);
    return [...Object.values(c.intents), ...Object.values(c.answers)]
      .flatMap((s) => s.test)
      .map((text) => ({ text, l }));
  });
  const turn = async ({ text, l }: { text: string; l: (typeof LOCALES)[number] }) => {
    await understanding.intentOf(text, l);
    await understanding.readConsent(text, l, ['period_end', 'immediate', 'offer']);
    await understanding.readConsent(text, l, ['period_end', 'immediate', 'offer']);
  };
  for (const t of texts) await turn(t);
  const costs: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    for (const t of texts) {
      const t0 = performance.now();
      await turn(t);
      costs.push(performance.now() - t0);
    }
  }
  costs.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const sortedStart = [...startMs].sort((a, b) => a - b);
  return {
    startMs,
    startMedianMs: sortedStart[Math.floor(sortedStart.length / 2)],
    turns: costs.length,
    turnMedianMs: round(percentile(costs, 50)),
    turnP99Ms: round(percentile(costs, 99)),
  };
}

if (process.argv.includes('--start')) await startOnce();
else console.log(JSON.stringify(await measure()));
