import { isTraditional, toSimplified, toTraditional } from '../../src/i18n/traditional.js';
import { zhHant } from '../../src/i18n/catalog.zh-Hant.js';
import { zhCN } from '../../src/i18n/catalog.zh-CN.js';
import type { MessageKey } from '../../src/i18n/catalog.en-US.js';

describe('toTraditional: simplified Chinese as Taiwan and Hong Kong write it', () => {
  it('converts characters and Taiwan usage', () => {
    expect(toTraditional('请输入您的手机号或邮箱。')).toBe('請輸入您的手機號碼或電子郵件。');
    expect(toTraditional('账户信息已通过短信发送')).toBe('帳戶資訊已透過簡訊傳送');
    expect(toTraditional('客服对话记录在最后写入{days}天后删除')).toBe('客服對話記錄在最後寫入{days}天後刪除');
    expect(toTraditional('选择“撤销取消”')).toBe('選擇「撤銷取消」');
  });

  it('leaves a number already written out alone (手機號碼 stays)', () => {
    expect(toTraditional('手机号码')).toBe('手機號碼');
  });
});

describe('isTraditional: the script a message is written in', () => {
  it.each(['我想取消會員', '唔該幫我取消個會員', '帳號', '我要取消会員'])('%s is traditional', (text) => {
    expect(isTraditional(text)).toBe(true);
  });
  it.each(['我想取消会员', '什么时候到期', 'cancel please', '123456', ''])('%s is not', (text) => {
    expect(isTraditional(text)).toBe(false);
  });
  it('toSimplified undoes it, for understanding', () => {
    expect(toSimplified('我想取消會員')).toBe('我想取消会员');
  });
});

describe('the zh-Hant catalog', () => {
  const catalog = zhHant();
  const keys = Object.keys(zhCN) as MessageKey[];

  it('has every key, each in traditional script with the same placeholders', () => {
    expect(Object.keys(catalog).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(catalog[key])).toEqual(placeholders(zhCN[key]));
      const simplified = [...catalog[key]].filter((c) => /\p{Script=Han}/u.test(c) && toTraditional(c) !== c);
      expect({ key, simplified }).toEqual({ key, simplified: [] });
    }
  });

  it('says which language the switch offers', () => {
    expect(catalog['web.languageName']).toBe('繁體中文');
    expect(catalog['language.switched']).toContain('繁體中文');
  });

  it('is made once', () => {
    expect(zhHant()).toBe(catalog);
  });
});
