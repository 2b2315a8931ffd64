import * as FromSimplified from 'opencc-js/cn2t';
import * as ToSimplified from 'opencc-js/t2cn';

// opencc-js's declarations import './core' without an extension, which NodeNext resolution does not
// find (skipLibCheck hides it), so the converter's type is spelt out here.
type Convert = (text: string) => string;

// Taiwan and Hong Kong forms (會員, 續費, 唔該) both come down to mainland simplified. Built at the
// first Chinese text read, not at start: each loads OpenCC's dictionaries.
let fromTaiwan: Convert | undefined;
let fromHongKong: Convert | undefined;

/** Traditional characters, Taiwan's or Hong Kong's, as simplified; other text as it is. */
export function toSimplified(text: string): string {
  if (!/\p{Script=Han}/u.test(text)) return text;
  fromTaiwan ??= ToSimplified.Converter({ from: 'tw', to: 'cn' }) as Convert;
  fromHongKong ??= ToSimplified.Converter({ from: 'hk', to: 'cn' }) as Convert;
  return fromHongKong(fromTaiwan(text));
}

/**
 * Whether a text is written in traditional characters: converting it to simplified changes it.
 * Simplified text comes through unchanged (the conversion reads phrases, so 什么 stays 什么).
 */
export function isTraditional(text: string): boolean {
  const nfkc = text.normalize('NFKC');
  return toSimplified(nfkc) !== nfkc;
}

/**
 * Taiwan's characters and its words for things (信息 -> 資訊, 短信 -> 簡訊), as OpenCC's `twp`
 * writes them. Building it loads a dictionary of phrases (about 0.3 s), so it is built at the
 * first text a traditional-script member is sent, not at every start.
 */
let toTaiwan: Convert | undefined;

/**
 * What OpenCC leaves in mainland usage, or gets wrong in our sentences, as Taiwan and Hong Kong
 * write it: a phone number is 手機號碼, an account 帳戶, "by" text message 透過, quotations 「」.
 * Applied to the converted text, in order.
 */
const USAGE: readonly (readonly [RegExp, string])[] = [
  [/手機號(?!碼)/g, '手機號碼'],
  [/郵箱/g, '電子郵件'],
  [/賬戶/g, '帳戶'],
  [/通過/g, '透過'],
  [/套餐/g, '方案'],
  [/獲取/g, '取得'],
  [/支付金額/g, '付款金額'],
  // "{days}天后刪除": after a number of days, not the goddess 天后.
  [/天后/g, '天後'],
  [/“/g, '「'],
  [/”/g, '」'],
];

/** Simplified Chinese text as members in Taiwan read it (and anyone writing traditional script). */
export function toTraditional(simplified: string): string {
  toTaiwan ??= FromSimplified.Converter({ from: 'cn', to: 'twp' }) as Convert;
  return USAGE.reduce((text, [from, to]) => text.replace(from, to), toTaiwan(simplified));
}

/** Hong Kong's characters (OpenCC `hk`), built at first use like {@link toTaiwan}. */
let toHongKongScript: Convert | undefined;

/**
 * What Hong Kong writes otherwise than the mainland, where OpenCC keeps the mainland word: e-mail
 * is 電郵, a text message 短訊, privacy 私隱, data 資料, a plan 計劃, to log in 登入.
 */
const HONG_KONG_USAGE: readonly (readonly [RegExp, string])[] = [
  [/手機號(?!碼)/g, '手機號碼'],
  [/郵箱/g, '電郵'],
  [/短信/g, '短訊'],
  [/隱私/g, '私隱'],
  [/數據/g, '資料'],
  [/信息/g, '訊息'],
  [/通過/g, '透過'],
  [/套餐/g, '計劃'],
  [/獲取/g, '取得'],
  [/支付金額/g, '付款金額'],
  [/登錄/g, '登入'],
  // OpenCC's Hong Kong glyph for 戶; what members read in 賬戶 and 戶口 is 戶.
  [/户/g, '戶'],
  [/默認/g, '預設'],
  [/視頻/g, '影片'],
  [/天后/g, '天後'],
  [/“/g, '「'],
  [/”/g, '」'],
];

/** Simplified Chinese text as members in Hong Kong and Macau read it. */
export function toHongKong(simplified: string): string {
  toHongKongScript ??= FromSimplified.Converter({ from: 'cn', to: 'hk' }) as Convert;
  return HONG_KONG_USAGE.reduce((text, [from, to]) => text.replace(from, to), toHongKongScript(simplified));
}
