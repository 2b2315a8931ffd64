import { codeIn } from '../../src/nlu/codeEntity.js';
import { languageAsked, writtenLanguage } from '../../src/nlu/language.js';
import { normalizeText } from '../../src/nlu/normalize.js';

describe('normalizeText', () => {
  it.each([
    ['幫我關掉自動續費', '帮我关掉自动续费'],
    ['我要取消會員，唔該', '我要取消会员,唔该'],
    ['ＣＡＮＣＥＬ ｍｙ　ｐｌａｎ', 'cancel my plan'],
    ['yes？', 'yes?'],
    ['cancel 🙏🏻 now 😡', 'cancel now'],
    ['好的👍🏻', '好的 👍'],
    ['🦄', ''],
    ['don’t renew', "don't renew"],
  ])('%s -> %s', (input, output) => {
    expect(normalizeText(input)).toBe(output);
  });
});

describe('codeIn: the code anywhere in a sentence', () => {
  it.each([
    ['验证码：483920', '483920'],
    ['我收到的是 483 920，谢谢', '483920'],
    ['the code I got is 483920.', '483920'],
    ['483920 thanks', '483920'],
    ['code: 48 39 20', '483920'],
    ['４８３９２０', '483920'],
    ['【视频会员】您的验证码为660182，5分钟内有效', '660182'],
    ['驗證碼是 483-920', '483920'],
  ])('%s -> %s', (text, code) => {
    expect(codeIn(text)).toBe(code);
  });
  it.each([
    '138 1234 5678',
    '12345',
    '1234567',
    '2026-12-15',
    '¥123456',
    '198000 元',
    'john123456@gmail.com',
    '483920 and 112233',
    'no code yet',
  ])('%s holds no code', (text) => {
    expect(codeIn(text)).toBeNull();
  });
});

describe('writtenLanguage: what a message says of the language it is in', () => {
  const of = (text: string) => writtenLanguage(text);
  it.each(['ok', 'OK!', '123456', '😀', 'VIP', '好的', '嗯'])(
    '%s carries no language a conversation would switch on',
    (text) => {
      expect(of(text)?.sentence ?? false).toBe(false);
    },
  );
  it('a whole sentence says its language; traditional script is Chinese in traditional', () => {
    expect(of('I want to cancel my membership')).toEqual({ locale: 'en-US', sentence: true });
    expect(of('我想取消會員')).toEqual({ locale: 'zh-Hant', sentence: true });
    expect(of('我想取消会员')).toEqual({ locale: 'zh-CN', sentence: true });
    expect(of('帮我cancel一下')).toEqual({ locale: 'zh-CN', sentence: true });
    expect(of('hello')).toEqual({ locale: 'en-US', sentence: false });
  });
});

describe('languageAsked: which language a request to switch asks for', () => {
  it.each([
    ['说中文', 'en-US', 'zh-CN'],
    ['繁體中文', 'en-US', 'zh-Hant'],
    ['traditional chinese please', 'en-US', 'zh-Hant'],
    ['請用繁體', 'zh-CN', 'zh-Hant'],
    ['简体中文', 'zh-Hant', 'zh-CN'],
    // A member in traditional who asks for "Chinese" is already answered in it.
    ['講中文', 'zh-Hant', 'zh-Hant'],
    ['English please', 'zh-Hant', 'en-US'],
    ['不要英文，要中文', 'en-US', 'zh-CN'],
    // With none named, the other language.
    ['换个语言', 'zh-Hant', 'en-US'],
    ['switch language', 'en-US', 'zh-CN'],
  ] as const)('%s (in %s) asks for %s', (text, current, asked) => {
    expect(languageAsked(text, current)).toBe(asked);
  });
});
