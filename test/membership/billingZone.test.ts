import { billingTimeZone, cycleOf } from '../../src/membership/billingZone.js';

const period = {
  startedAt: '2026-01-31T00:00:00+08:00',
  currentPeriodStart: '2026-12-31T00:00:00+08:00',
  currentPeriodEnd: '2027-01-31T00:00:00+08:00',
};

describe("a membership's billing calendar", () => {
  it('is its own zone, else its market’s (the member’s, else the plan’s), else its member’s language’s', () => {
    const zh = { locale: 'zh-CN' as const };
    const en = { locale: 'en-US' as const };
    expect(billingTimeZone({ timeZone: 'Europe/Berlin' }, { ...zh, reminderPolicy: 'CN' }, {})).toBe('Europe/Berlin');
    expect(billingTimeZone({}, { ...en, reminderPolicy: 'US-NY' }, { reminderPolicy: 'US-CA' })).toBe(
      'America/New_York',
    );
    expect(billingTimeZone({}, en, { reminderPolicy: 'US-CA' })).toBe('America/Los_Angeles');
    // The EU spans several zones: the language decides.
    expect(billingTimeZone({}, { ...zh, reminderPolicy: 'EU' }, {})).toBe('Asia/Shanghai');
    expect(billingTimeZone({}, en, {})).toBe('America/New_York');
    expect(billingTimeZone({}, { locale: 'zh-Hant-HK' }, {})).toBe('Asia/Hong_Kong');
  });

  it('anchors the cycle on that calendar: the 31st in Beijing is the 30th in Los Angeles', () => {
    expect(cycleOf(period, { locale: 'zh-CN' }, { reminderPolicy: 'CN' })).toEqual({
      zone: 'Asia/Shanghai',
      anchorDay: 31,
    });
    expect(cycleOf(period, { locale: 'en-US' }, { reminderPolicy: 'US-CA' })).toEqual({
      zone: 'America/Los_Angeles',
      anchorDay: 30,
    });
  });
});
