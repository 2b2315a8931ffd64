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
 * language pipeline: the Chinese pipeline compiles a 9 MB dictionary at first use, and the
 * manager around it keeps every text it has seen for an hour (docs/ARCHITECTURE.md).
 */
class FeatureNlu extends NluNeural {
  /** Texts arrive normalised (examples at training, readings at classification): not normalised twice. */
  override prepare(text: unknown): Promise<unknown> {
    if (typeof text === 'string') return Promise.resolve(featuresOf(text));
    const input = text as { text?: string; utterance?: string };
    return Promise.resolve({ ...input, tokens: featuresOf(input.text ?? input.utterance ?? '') });
  }
}

// A smaller alpha than NLP.js's 0.07 learnt the Chinese test split better (bench/analysis.md).
const SETTINGS = { locale: 'en', log: false, useNoneFeature: true, keepStopwords: true, alpha: 0.03 };

/** One trained model: labels texts with a score from 0 to 1 each, best first. */
export class Classifier {
  private constructor(private readonly nlu: FeatureNlu) {}

  static async train(examples: Example[], settings: Record<string, unknown> = {}): Promise<Classifier> {
    const nlu = new FeatureNlu({ ...SETTINGS, ...settings }, containerBootstrap());
    await nlu.train(examples.map((e) => ({ utterance: normalizeText(e.text), intent: e.label })));
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

  /** Labels of a normalised text (normalize.ts), best first; "None" when it shares nothing with what the model learnt. */
  async classify(normalized: string): Promise<Scored[]> {
    const { classifications } = await this.nlu.process(normalized);
    return classifications.map((c) => ({ label: c.intent, score: c.score }));
  }
}
