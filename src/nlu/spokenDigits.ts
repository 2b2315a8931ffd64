import type { Lexicon } from '../i18n/lexicon.js';

/** Fewer digits than this in a row are words, not a number ("one of them", "一个"). */
export const MIN_DIGIT_RUN = 3;
const REPEAT: Readonly<Record<string, number>> = { double: 2, triple: 3 };
const SEPARATORS = /[\s,.\-_/、，。]+/u;

/**
 * A number said in words, as voice input writes it, in digits: "一三八 幺二三四" is "138 1234",
 * "four eight three nine two oh" is "483920", "double five" is "55". Only runs of three digits
 * or more change, so that "one of them" or "一个" stay words. Used beside the text as written,
 * never instead of it.
 */
export class SpokenDigits {
  private readonly words: Readonly<Record<string, string>>;
  private readonly hanRun: RegExp;

  constructor(lexicons: readonly Lexicon[]) {
    this.words = Object.assign({}, ...lexicons.map((l) => l.digitWords)) as Record<string, string>;
    const han = Object.keys(this.words)
      .filter((w) => /^\p{Script=Han}$/u.test(w))
      .join('');
    const digit = `[${han}\\d]`;
    this.hanRun = new RegExp(`${digit}(?:[\\s-]*${digit}){${MIN_DIGIT_RUN - 1},}`, 'gu');
  }

  /** The text with every spoken number as digits, or null when it holds none. */
  inDigits(text: string): string | null {
    const nfkc = text.normalize('NFKC').toLowerCase();
    const han = nfkc.replace(this.hanRun, (run) => run.replace(/[^\s\d-]/gu, (c) => this.words[c] ?? c));
    const spoken = this.wordRuns(han);
    if (spoken !== null) return spoken;
    return han === nfkc ? null : han;
  }

  /** English number words (and "double"/"triple") in runs, as digits; null when there are none. */
  private wordRuns(text: string): string | null {
    const tokens = text.split(SEPARATORS).filter(Boolean);
    const out: string[] = [];
    let digits: string[] = [];
    let written: string[] = [];
    let words = 0;
    let changed = false;
    const flush = () => {
      const number = digits.join('');
      if (number.length >= MIN_DIGIT_RUN && words > 0) {
        out.push(number);
        changed = true;
      } else out.push(...written);
      [digits, written, words] = [[], [], 0];
    };
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const next = tokens[i + 1];
      const repeated = REPEAT[token] && next !== undefined ? this.digitOf(next) : null;
      if (repeated?.length === 1) {
        digits.push(repeated.repeat(REPEAT[token]));
        written.push(token, next);
        words++;
        i++;
      } else if (this.digitOf(token) !== null) {
        if (!/^\d+$/.test(token)) words++;
        digits.push(this.digitOf(token)!);
        written.push(token);
      } else {
        flush();
        out.push(token);
      }
    }
    flush();
    return changed ? out.join(' ') : null;
  }

  private digitOf(token: string): string | null {
    if (/^\d+$/.test(token)) return token;
    return this.words[token] ?? null;
  }
}
