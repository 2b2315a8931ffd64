/** Digits, possibly grouped by spaces or hyphens ("483 920", "2 0 5 - 8 8 1"). Linear: each step eats a digit. */
const DIGIT_RUN = /\d(?:[ -]{0,3}\d)*/g;
/** Money or a longer number around the digits means they are not a code. */
const MONEY_BEFORE = /[¥$￥€£]\s*$/u;
const MONEY_AFTER = /^\s*(?:元|块|美元|dollars?|usd|rmb)/iu;

/**
 * The one-time code in a message: the only run of exactly six digits in it, wherever it stands
 * ("验证码：483920", "the code I got is 483 920, thanks"). Null when there is none or more than one.
 */
export function codeIn(text: string): string | null {
  const nfkc = text.normalize('NFKC');
  if (nfkc.length > 500) return null;
  const found: string[] = [];
  for (const match of nfkc.matchAll(DIGIT_RUN)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length !== 6) continue;
    const before = nfkc.slice(Math.max(0, match.index - 3), match.index);
    const after = nfkc.slice(match.index + match[0].length, match.index + match[0].length + 8);
    // Money, a decimal, or digits inside a word or an address ("abc123456@qq.com") are not a code.
    if (
      MONEY_BEFORE.test(before) ||
      MONEY_AFTER.test(after) ||
      /^\.\d/.test(after) ||
      /[a-z_@]$/i.test(before) ||
      /^[a-z_@]/i.test(after)
    )
      continue;
    found.push(digits);
  }
  return found.length === 1 ? found[0] : null;
}
