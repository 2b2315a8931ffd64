// The parts of NLP.js this project uses; the packages ship no type declarations.
declare module '@nlpjs/core' {
  export interface Container {
    register(name: string, value: unknown, isSingleton?: boolean): void;
  }
  export function containerBootstrap(): Container;
}

declare module '@nlpjs/nlu' {
  import type { Container } from '@nlpjs/core';
  export interface Classification {
    intent: string;
    score: number;
  }
  export class NluNeural {
    constructor(settings: Record<string, unknown>, container?: Container);
    train(corpus: { utterance: string; intent: string }[]): Promise<unknown>;
    process(utterance: string): Promise<{ classifications: Classification[] }>;
    prepare(text: unknown, settings?: unknown): Promise<unknown>;
    toJSON(): Record<string, unknown>;
    fromJSON(json: Record<string, unknown>): void;
  }
}

declare module '@nlpjs/lang-en' {
  export class StemmerEn {
    stemWord(word: string): string;
  }
}
