import type { Lexicon } from '../i18n/lexicon.js';

const HAN_DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const HAN_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/**
 * A Chinese numeral as a number: "二十五" is 25, "一百九十八" 198, "十四点九九" 14.99, "一九八" 198
 * (said digit by digit); NaN when it is not one.
 */
export function hanNumber(text: string): number {
  const [whole, fraction] = text.split('点');
  const digits = [...whole];
  if (digits.length === 0) return NaN;
  let value = digits.every((c) => c in HAN_DIGITS)
    ? Number(digits.map((c) => HAN_DIGITS[c]).join(''))
    : placeValue(digits);
  if (fraction !== undefined) {
    if (fraction === '' || ![...fraction].every((c) => c in HAN_DIGITS)) return NaN;
    value += Number(`0.${[...fraction].map((c) => HAN_DIGITS[c]).join('')}`);
  }
  return value;
}

function placeValue(chars: string[]): number {
  let total = 0;
  let digit: number | null = null;
  for (const c of chars) {
    if (c in HAN_DIGITS) digit = HAN_DIGITS[c];
    else if (c in HAN_UNITS) {
      total += (digit ?? 1) * HAN_UNITS[c];
      digit = null;
    } else return NaN;
  }
  return total + (digit ?? 0);
}

/** The sums of money a message names ("the 14.99 a month one", "每个月扣二十五块的那个"), in major units. */
export function amountsIn(normalized: string, lexicons: readonly Lexicon[]): number[] {
  const found: number[] = [];
  for (const l of lexicons)
    for (const pattern of l.amounts)
      for (const m of normalized.matchAll(pattern)) {
        const said = m.groups?.amount ?? '';
        const value = /^\d/u.test(said) ? Number(said) : hanNumber(said);
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
