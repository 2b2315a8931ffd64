import { containerBootstrap } from '@nlpjs/core';
import { NluNeural } from '@nlpjs/nlu';
import { featuresOf } from './features.js';
import { normalizeText } from './normalize.js';

export interface Example {
  text: string;
  label: string;
}

export interface Scored {
  label: string;
  score: number;
}

/**
 * NLP.js's neural intent classifier with this project's features (features.ts) in place of its
 * language pipeline: the Chinese pipeline compiles a large dictionary at first use, slowing the
 * first turn (bench/analysis.md, "The language model"), and the manager around it keeps every
 * text it has seen for an hour.
 */
class FeatureNlu extends NluNeural {
  override prepare(text: unknown): Promise<unknown> {
    if (typeof text === 'string') return Promise.resolve(featuresOf(normalizeText(text)));
    const input = text as { text?: string; utterance?: string };
    return Promise.resolve({ ...input, tokens: featuresOf(normalizeText(input.text ?? input.utterance ?? '')) });
  }
}

// A learning rate (alpha) below NLP.js's default learnt the test split better (bench/analysis.md).
const SETTINGS = { locale: 'en', log: false, useNoneFeature: true, keepStopwords: true, alpha: 0.03 };

/** One trained model: labels texts with a score from 0 to 1 each, best first. */
export class Classifier {
  private constructor(private readonly nlu: FeatureNlu) {}

  static async train(examples: Example[], settings: Record<string, unknown> = {}): Promise<Classifier> {
    const nlu = new FeatureNlu({ ...SETTINGS, ...settings }, containerBootstrap());
    await nlu.train(examples.map((e) => ({ utterance: e.text, intent: e.label })));
    return new Classifier(nlu);
  }

  static fromJSON(json: Record<string, unknown>): Classifier {
    const nlu = new FeatureNlu(SETTINGS, containerBootstrap());
    nlu.fromJSON(json);
    return new Classifier(nlu);
  }

  toJSON(): Record<string, unknown> {
    return this.nlu.toJSON();
  }

  /** Labels best first; "None" when the text shares nothing with what the model learnt. */
  async classify(text: string): Promise<Scored[]> {
    const { classifications } = await this.nlu.process(text);
    return classifications.map((c) => ({ label: c.intent, score: c.score }));
  }
}
