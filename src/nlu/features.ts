import { StemmerEn } from '@nlpjs/lang-en';

const stemmer = new StemmerEn();
const TOKEN = /\p{Script=Han}+|[a-z]+(?:'[a-z]+)?|\d+|\?/gu;

/**
 * What the classifier sees of a normalised text: Chinese as characters and character pairs (no
 * word list needed, and 不取 tells "不取消" from "取消"), English words stemmed, their pairs (so
 * "don't cancel" differs from "cancel"). Letter triples, which would catch typos, made the
 * test split worse (bench/analysis.md): NLP.js's one-layer network drowns in them. Digits
 * become one symbol; a question mark is a feature of its own.
 */
export function featuresOf(normalized: string): Record<string, 1> {
  const features: Record<string, 1> = {};
  let previousWord: string | null = null;
  for (const [token] of normalized.matchAll(TOKEN)) {
    if (token === '?') {
      features['?'] = 1;
      previousWord = null;
    } else if (/^\d/.test(token)) {
      features['#'] = 1;
      previousWord = null;
    } else if (/^\p{Script=Han}/u.test(token)) {
      for (let i = 0; i < token.length; i++) {
        features[token[i]] = 1;
        if (i + 1 < token.length) features[token.slice(i, i + 2)] = 1;
      }
      previousWord = null;
    } else {
      const word = token.replace("'", '');
      const stem = stemmer.stemWord(word);
      features[`w:${stem}`] = 1;
      if (previousWord) features[`b:${previousWord}_${stem}`] = 1;
      previousWord = stem;
    }
  }
  return features;
}
