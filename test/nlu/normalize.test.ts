import { codeIn } from '../../src/nlu/codeEntity.js';
import { writtenLanguage } from '../../src/nlu/language.js';
import { normalizeText } from '../../src/nlu/normalize.js';

describe('normalizeText', () => {
  it.each([
    ['幫我關掉自動續費', '帮我关掉自动续费'],
    ['我要取消會員，唔該', '我要取消会员,唔该'],
    ['ＣＡＮＣＥＬ ｍｙ　ｐｌａｎ', 'cancel my plan'],
    ['yes？', 'yes?'],
    ['cancel 🙏🏻 now 😡', 'cancel now'],
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
  it('a whole sentence says its language; traditional script is Chinese', () => {
    expect(of('I want to cancel my membership')).toEqual({ locale: 'en-US', sentence: true });
    expect(of('我想取消會員')).toEqual({ locale: 'zh-CN', sentence: true });
    expect(of('帮我cancel一下')).toEqual({ locale: 'zh-CN', sentence: true });
    expect(of('hello')).toEqual({ locale: 'en-US', sentence: false });
  });
});
