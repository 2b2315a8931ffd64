import { inLocale, languageOf, localeWritten, toSupportedLocale } from '../../src/i18n/languages.js';
import { t } from '../../src/i18n/messages.js';

describe('toSupportedLocale: what a channel says, as a locale the assistant answers in', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-TW', 'zh-Hant'],
    ['zh-HK', 'zh-Hant-HK'],
    ['zh_HK', 'zh-Hant-HK'],
    ['zh-MO', 'zh-Hant-HK'],
    ['zh-Hant', 'zh-Hant'],
    ['zh-Hant-HK', 'zh-Hant-HK'],
    ['en-GB', 'en-US'],
    ['en', 'en-US'],
  ])('%s -> %s', (raw, locale) => {
    expect(toSupportedLocale(raw)).toBe(locale);
  });
  it.each(['fr-FR', '', undefined, 'zhx'])('%s -> none', (raw) => {
    expect(toSupportedLocale(raw)).toBeNull();
  });
  it('answers the same for a tag asked again, after many others a client made up', () => {
    expect(toSupportedLocale('zh-TW')).toBe('zh-Hant');
    for (let i = 0; i < 200; i++) expect(toSupportedLocale(`x-${i}`)).toBeNull();
    expect(toSupportedLocale('zh-TW')).toBe('zh-Hant');
    expect(toSupportedLocale('en-GB')).toBe('en-US');
  });
});

describe('variants', () => {
  it('zh-Hant is read as Chinese', () => {
    expect(languageOf('zh-Hant')).toBe('zh-CN');
    expect(languageOf('en-US')).toBe('en-US');
  });

  it('a name held in each language is written in the variant from its language', () => {
    const name = { 'zh-CN': '视频VIP年卡', 'en-US': 'Video VIP (annual)' };
    expect(inLocale(name, 'zh-Hant')).toBe('影片VIP年卡');
    expect(inLocale(name, 'zh-CN')).toBe('视频VIP年卡');
    expect(inLocale(name, 'en-US')).toBe('Video VIP (annual)');
  });

  it('a message in traditional characters is in the variant', () => {
    expect(localeWritten('zh-CN', '我想取消會員')).toBe('zh-Hant');
    expect(localeWritten('zh-CN', '我想取消会员')).toBe('zh-CN');
    expect(localeWritten('en-US', 'cancel')).toBe('en-US');
  });

  it('t() answers in traditional script', () => {
    expect(t('zh-Hant', 'verify.askIdentifier')).toBe(
      '首先需要確認是您本人。請輸入會員註冊時使用的手機號碼或電子郵件。',
    );
  });
});
