import { squeeze } from '../src/nlu/keywordIntentRecognizer.js';

const ORDINALS: [RegExp, number][] = [
  [/^(第?[一1]个?|first|thefirstone|thefirst|one|no1|number1)$/, 0],
  [/^(第?[二两2]个?|second|thesecondone|thesecond|two|no2|number2)$/, 1],
  [/^(第?[三3]个?|third|thethirdone|thethird|three|no3|number3)$/, 2],
  [/^(第?[四4]个?|fourth|thefourthone|four|no4)$/, 3],
  [/^(第?[五5]个?|fifth|thefifthone|five|no5)$/, 4],
  [/^(第?[六6]个?|sixth|six|no6)$/, 5],
];

/**
 * Which of `titles` the answer means: the title itself, its number ("2", "第二个", "the second
 * one"), or, unless `partial` is false, a distinctive part of it ("视频那个", "music"). A part
 * must be at least two Chinese characters or three letters, so "no" never matches "Cancel now".
 * Undefined when it is not clear.
 */
export function pickChoice(text: string, titles: string[], aliases: string[][] = [], partial = true): number | undefined {
  const s = squeeze(text).replace(/^(the|that|my)/, '').replace(/(那个|那一个|的|plan|membership|one)$/u, '');
  if (!s) return undefined;
  const exact = titles.findIndex((title) => squeeze(title) === squeeze(text));
  if (exact >= 0) return exact;
  // Numbers are read as typed, not squeezed: "-1" or "1?" is not a pick of the first choice.
  const typed = text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '').replace(/[.。!！]$/u, '');
  for (const [pattern, index] of ORDINALS) if (pattern.test(typed) && index < titles.length) return index;
  const longEnough = /\p{Script=Han}/u.test(s) ? s.length >= 2 : s.length >= 3;
  if (!partial || !longEnough) return undefined;
  const matches = titles
    .map((title, i) => ({ i, hit: (squeeze(title).includes(s) || (aliases[i] ?? []).some((a) => s.includes(squeeze(a)))) }))
    .filter((m) => m.hit);
  return matches.length === 1 ? matches[0].i : undefined;
}

// 嗯 ("mm") is left out on purpose: it is a filler as often as a yes, and a yes here cancels.
const YES = ['是', '是的', '对', '对的', '好', '好的', '确认', '确定', '确定取消', '确认取消', '可以', '行', 'yes', 'yeah', 'yep', 'sure', 'ok', 'okay', 'confirm', 'please', 'yesplease', 'doit', 'goahead'];
const NO = ['不', '不是', '不要', '不用', '否', '算了', '保留', '不取消', '保留会员', '先不', 'no', 'n', 'nope', 'keep', 'keepit', 'keepmymembership', 'dont', 'donot', 'notnow'];

/**
 * Yes or no in either language. The recognizers miss several Chinese forms (确定取消, 不要, 算了),
 * so these lists are ours; an answer that is both or neither is not understood.
 */
export function yesOrNo(text: string): boolean | undefined {
  const s = squeeze(text);
  if (YES.includes(s)) return true;
  if (NO.includes(s)) return false;
  return undefined;
}
