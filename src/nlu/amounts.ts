import type { Lexicon } from '../i18n/lexicon.js';

/**
 * A number in words as a number: "二十五" is 25, "一百九十八" 198, "十四点九九" 14.99, "一九八" 198
 * (said digit by digit), by the lexicons' digit words and place values; NaN when it is not one.
 */
export function numberInWords(text: string, lexicons: readonly Lexicon[]): number {
  const digit = (c: string) => lexicons.find((l) => c in l.digitWords)?.digitWords[c];
  const unit = (c: string) => lexicons.find((l) => c in l.placeValues)?.placeValues[c];
  const point = lexicons.find((l) => l.decimalPoint && text.includes(l.decimalPoint))?.decimalPoint;
  const [whole, fraction] = point ? text.split(point) : [text];
  const chars = [...whole];
  if (chars.length === 0) return NaN;
  let value = chars.every((c) => digit(c) !== undefined)
    ? Number(chars.map(digit).join(''))
    : placeValue(chars, digit, unit);
  if (fraction !== undefined) {
    const decimals = [...fraction].map(digit);
    if (decimals.length === 0 || decimals.some((d) => d === undefined)) return NaN;
    value += Number(`0.${decimals.join('')}`);
  }
  return value;
}

function placeValue(
  chars: string[],
  digit: (c: string) => string | undefined,
  unit: (c: string) => number | undefined,
): number {
  let total = 0;
  let pending: number | null = null;
  for (const c of chars) {
    const d = digit(c);
    const u = unit(c);
    if (d !== undefined) pending = Number(d);
    else if (u !== undefined) {
      total += (pending ?? 1) * u;
      pending = null;
    } else return NaN;
  }
  return total + (pending ?? 0);
}

/** The sums of money a message names ("the 14.99 a month one", "每个月扣二十五块的那个"), in major units. */
export function amountsIn(normalized: string, lexicons: readonly Lexicon[]): number[] {
  const found: number[] = [];
  for (const l of lexicons)
    for (const pattern of l.amounts)
      for (const m of normalized.matchAll(pattern)) {
        const said = m.groups?.amount ?? '';
        const value = /^\d/u.test(said) ? Number(said) : numberInWords(said, lexicons);
        if (Number.isFinite(value) && value > 0) found.push(value);
      }
  return [...new Set(found)];
}

/** How often the message says the membership is billed ("monthly", "按年"), if it says so once. */
export function periodIn(normalized: string, lexicons: readonly Lexicon[]): 'month' | 'year' | undefined {
  const month = lexicons.some((l) => l.billedEvery.month.test(normalized));
  const year = lexicons.some((l) => l.billedEvery.year.test(normalized));
  return month === year ? undefined : month ? 'month' : 'year';
}
