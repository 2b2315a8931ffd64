import { formatDate, formatMoney, formatNumber } from '../../src/i18n/format.js';
import { catalogOf, inLocale, toSupportedLocale } from '../../src/i18n/languages.js';
import { t } from '../../src/i18n/messages.js';

describe('Hong Kong usage (zh-Hant-HK)', () => {
  it('is what zh-HK, zh-MO and zh-Hant-HK channels get; zh-TW and zh-Hant stay Taiwan’s', () => {
    expect(['zh-HK', 'zh_hk', 'zh-Hant-HK', 'zh-MO', 'zh-Hant-MO'].map(toSupportedLocale)).toEqual(
      Array(5).fill('zh-Hant-HK'),
    );
    expect(['zh-TW', 'zh-Hant', 'zh-Hant-TW'].map(toSupportedLocale)).toEqual(Array(3).fill('zh-Hant'));
  });

  it('writes Hong Kong’s words where Taiwan and the mainland write theirs', () => {
    const hk = catalogOf('zh-Hant-HK');
    const tw = catalogOf('zh-Hant');
    expect(hk['cancel.done.sent.sms']).toBe('確認短訊已發送至{address}。');
    expect(tw['cancel.done.sent.sms']).toContain('簡訊');
    expect(hk['privacy.export.email']).toBe('電郵：{email}');
    expect(tw['privacy.export.email']).toBe('電子郵件：{email}');
    // Every key, no simplified character, Chinese punctuation kept.
    expect(Object.keys(hk)).toEqual(Object.keys(tw));
    expect(Object.values(hk).join('')).not.toMatch(/[会请验证号码输确认这为帐账户费续权终邮]/);
    expect(inLocale({ 'zh-CN': '视频VIP年卡', 'en-US': 'Video VIP Annual' }, 'zh-Hant-HK')).toBe('影片VIP年卡');
  });

  it('writes dates, numbers and money as Hong Kong does: a foreign dollar named (US$), not a bare $', () => {
    expect(formatDate('2027-03-01T04:00:00.000Z', 'zh-Hant-HK')).toBe('2027年3月1日');
    expect(formatNumber(1280, 'zh-Hant-HK')).toBe('1,280');
    expect(formatMoney(1499, 'USD', 'zh-Hant-HK')).toBe('US$14.99');
    expect(formatMoney(900, 'CNY', 'zh-Hant-HK')).toBe('CN¥9.00');
    expect(formatMoney(1499, 'USD', 'zh-Hant')).toBe('$14.99');
  });

  it('keeps its own line where the conversion would not do', () => {
    expect(t('zh-Hant-HK', 'web.languageName')).toBe('繁體中文（香港）');
  });
});
