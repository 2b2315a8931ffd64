import type { Lexicon } from '../i18n/lexicon.js';

/** Shorter words are too often other real words ("quite" is not "quit") to be guessed at. */
const MIN_TYPO_LENGTH = 4;
/** Key words this long may have one letter swapped for another; shorter ones only a letter more, less or turned. */
const SUBSTITUTION_LENGTH = 7;
/** Key words this long may be two edits away ("imediatly"). */
const TWO_EDITS_LENGTH = 9;
/** A run of letters this long may be words typed without spaces ("cancelmymembership"). */
const MIN_RUN_LENGTH = 8;
/** Endings that make a key word another word, not a typo ("charged" stays "charged"). */
const INFLECTIONS = /^(?:s|es|d|ed|ing|er|ers|ly|led|ling)$/u;
/** Neighbouring keys on a QWERTY keyboard: a short word's one wrong letter may be its neighbour ("keeo"). */
const NEIGHBOURS: Readonly<Record<string, string>> = {
  q: 'wa',
  w: 'qes',
  e: 'wrd',
  r: 'etf',
  t: 'ryg',
  y: 'tuh',
  u: 'yij',
  i: 'uok',
  o: 'ipl',
  p: 'ol',
  a: 'qsz',
  s: 'awdz',
  d: 'sefx',
  f: 'drgc',
  g: 'fthv',
  h: 'gyjb',
  j: 'hukn',
  k: 'jilm',
  l: 'kop',
  z: 'asx',
  x: 'zdc',
  c: 'xfv',
  v: 'cgb',
  b: 'vhn',
  n: 'bjm',
  m: 'nk',
};

/**
 * A near miss of a key word read as the key word ("cancle", "vidoe", "immediatly", "undoo"), and
 * key words typed without spaces read apart ("periodend"). Only the key words of the lexicons are
 * guessed, and only when one alone is that close: a word that could be two is left as typed.
 */
export class Speller {
  private readonly keys: readonly string[];
  private readonly known: ReadonlySet<string>;
  private readonly typos: readonly [string, string][];

  constructor(lexicons: readonly Lexicon[]) {
    this.keys = lexicons.flatMap((l) => l.spelling?.keyWords ?? []);
    this.typos = lexicons.flatMap((l) => Object.entries(l.spelling?.typos ?? {}));
    const glue = lexicons.flatMap((l) => l.spelling?.glueWords ?? []);
    this.known = new Set([...this.keys, ...glue]);
  }

  /** The text with each near-missed key word spelled out; everything else as it was. */
  correct(text: string): string {
    let fixed = text;
    for (const [typo, meant] of this.typos) if (fixed.includes(typo)) fixed = fixed.split(typo).join(meant);
    if (this.keys.length === 0) return fixed;
    return fixed.replace(/\p{Script=Latin}+/gu, (word) => this.wordFor(word));
  }

  private wordFor(word: string): string {
    if (word.length < MIN_TYPO_LENGTH || this.known.has(word) || this.isInflection(word)) return word;
    return this.nearestKey(word) ?? this.splitRun(word) ?? word;
  }

  private isInflection(word: string): boolean {
    return this.keys.some((key) => word.startsWith(key) && INFLECTIONS.test(word.slice(key.length)));
  }

  /** The one key word within reach of the typed word, or null when none or several are. */
  private nearestKey(word: string): string | null {
    let best: string | null = null;
    let bestDistance = Infinity;
    let tied = false;
    for (const key of this.keys) {
      if (key[0] !== word[0] || Math.abs(key.length - word.length) > 2) continue;
      const distance = editDistance(word, key);
      if (distance > reachOf(key, word)) continue;
      if (distance < bestDistance) [best, bestDistance, tied] = [key, distance, false];
      else if (distance === bestDistance && key !== best) tied = true;
    }
    return tied ? null : best;
  }

  /** Known words typed as one ("periodend" → "period end"), at least one of them a key word. */
  private splitRun(word: string): string | null {
    if (word.length < MIN_RUN_LENGTH) return null;
    const parts = this.partsOf(word, 0);
    return parts && parts.length > 1 && parts.some((p) => this.keys.includes(p)) ? parts.join(' ') : null;
  }

  private partsOf(word: string, from: number): string[] | null {
    if (from === word.length) return [];
    for (let end = word.length; end > from + 1; end--) {
      const part = word.slice(from, end);
      if (!this.known.has(part)) continue;
      const rest = this.partsOf(word, end);
      if (rest) return [part, ...rest];
    }
    return null;
  }
}

/** How many edits a typed word may be from a key word and still be read as it. */
function reachOf(key: string, typed: string): number {
  if (key.length >= TWO_EDITS_LENGTH) return 2;
  if (key.length >= SUBSTITUTION_LENGTH || typed.length !== key.length) return 1;
  return isTransposition(typed, key) || isNeighbourSlip(typed, key) ? 1 : 0;
}

/** One letter typed as the key beside it ("keeo" for "keep"). */
function isNeighbourSlip(typed: string, key: string): boolean {
  const differ = [...typed].flatMap((c, i) => (c === key[i] ? [] : [i]));
  return differ.length === 1 && (NEIGHBOURS[key[differ[0]]] ?? '').includes(typed[differ[0]]);
}

/** Two neighbouring letters typed the other way round ("vidoe"). */
function isTransposition(a: string, b: string): boolean {
  const differ = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return (
    differ.length === 2 && differ[1] === differ[0] + 1 && a[differ[0]] === b[differ[1]] && a[differ[1]] === b[differ[0]]
  );
}

/** Edits (a letter added, dropped, swapped for another, or two neighbours turned) between two words. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  return rows[a.length][b.length];
}
