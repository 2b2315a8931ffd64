import type { Lexicon } from '../i18n/lexicon.js';
import { MIN_DIGIT_RUN } from './spokenDigits.js';

/** One syllable of pinyin, without tones: an initial and a final. */
const SYLLABLE =
  /^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ao|an|ei|en|er|ia|ie|in|iu|ou|ua|ue|ui|un|uo|ve|a|e|i|o|u|v)$/;
const LONGEST_SYLLABLE = 6;
const LONGEST_WORD = 5;
const LONGEST_TOKEN = 40;
const LONGEST_TEXT = 200;

/**
 * A message typed in pinyin without an input method ("li ji qu xiao, yao tui kuan", "quxiao"),
 * read as the characters it stands for ("立即取消要退款"), so that the rules and the classifier
 * read it as Chinese. Only text made wholly of syllables that the lexicon's words and digits
 * account for changes: "no no", "video" or "go ahead" stay as typed.
 */
export class RomanizedReader {
  constructor(private readonly romanized: NonNullable<Lexicon['romanized']>) {}

  /** The characters for a romanized message, or null when the text is not one. */
  characters(normalized: string): string | null {
    if (normalized.length > LONGEST_TEXT || !/^[a-z][a-z\s,.!?']*$/.test(normalized)) return null;
    const syllables: string[] = [];
    for (const token of normalized.split(/[\s,.!?']+/).filter(Boolean)) {
      const split = syllablesOf(token);
      if (!split) return null;
      syllables.push(...split);
    }
    return this.read(syllables);
  }

  /** The characters, when known words and digits account for every syllable ("video" is no pinyin). */
  private read(syllables: string[]): string | null {
    const out: string[] = [];
    for (let i = 0; i < syllables.length;) {
      const digits = this.digitRun(syllables, i);
      if (digits.length >= MIN_DIGIT_RUN) {
        out.push(` ${digits} `);
        i += digits.length;
        continue;
      }
      const word = this.longestWord(syllables, i);
      if (!word) return null;
      out.push(word.characters);
      i += word.length;
    }
    return out.join('').replace(/\s+/g, ' ').trim() || null;
  }

  private digitRun(syllables: string[], from: number): string {
    let digits = '';
    for (let i = from; i < syllables.length && this.romanized.digits[syllables[i]] !== undefined; i++)
      digits += this.romanized.digits[syllables[i]];
    return digits;
  }

  private longestWord(syllables: string[], from: number): { characters: string; length: number } | null {
    for (let length = Math.min(LONGEST_WORD, syllables.length - from); length > 0; length--) {
      const characters = this.romanized.words[syllables.slice(from, from + length).join('')];
      if (characters) return { characters, length };
    }
    return null;
  }
}

/** A run of letters as pinyin syllables ("quxiao" is qu·xiao), longest first; null when it is no pinyin. */
function syllablesOf(token: string): string[] | null {
  if (token.length > LONGEST_TOKEN) return null;
  // Remembered by position: "nanana…q" has many splits, and each is tried once.
  const memo = new Map<number, string[] | null>();
  const from = (at: number): string[] | null => {
    if (at === token.length) return [];
    if (memo.has(at)) return memo.get(at)!;
    let found: string[] | null = null;
    for (let length = Math.min(LONGEST_SYLLABLE, token.length - at); length > 0 && !found; length--) {
      const head = token.slice(at, at + length);
      const rest = SYLLABLE.test(head) ? from(at + length) : null;
      if (rest) found = [head, ...rest];
    }
    memo.set(at, found);
    return found;
  };
  return from(0);
}
