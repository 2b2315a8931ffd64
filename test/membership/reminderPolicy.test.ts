import { ConfigError, loadConfig } from '../../src/config.js';
import {
  defaultReminderPolicy,
  jurisdictionOf,
  parseReminderPolicy,
  REMINDER_POLICY_FORMAT,
} from '../../src/membership/reminderPolicy.js';

describe('REMINDER_POLICY', () => {
  it('defaults to the plan-period settings everywhere, price notices 14 days ahead, CN when no one is named', () => {
    const { reminderPolicy } = loadConfig({ REMINDER_DAYS_MONTHLY: '6' });
    expect(reminderPolicy.fallback).toBe('CN');
    expect(reminderPolicy.days['US-CA']).toEqual({ month: 6, year: 15, price: 14 });
    expect(reminderPolicy.days.DE).toEqual({ month: 6, year: 15, price: 14 });
  });

  it('takes changes by jurisdiction and the jurisdiction for members and plans that name none', () => {
    const { reminderPolicy } = loadConfig({ REMINDER_POLICY: 'default=US-MA, US-CA:price=30,CN:year=5' });
    expect(reminderPolicy.fallback).toBe('US-MA');
    expect(reminderPolicy.days['US-CA'].price).toBe(30);
    expect(reminderPolicy.days.CN).toEqual({ month: 7, year: 5, price: 14 });
    expect(reminderPolicy.days['US-NY'].price).toBe(14);
  });

  it.each([
    ['US-CA:price=5', 'US-CA price notices are sent 7–30 days ahead, not 5'],
    ['CN:month=4', 'CN month notices are sent 5–30 days ahead, not 4'],
    ['FR:month=7', 'unknown jurisdiction "FR"'],
    ['default=TX', 'unknown jurisdiction "TX"'],
    ['CN:week=7', 'unknown notice "week" (month, year or price)'],
    ['CN=7', '"CN=7" is not <jurisdiction>:<month|year|price>=<days>'],
  ])('stops the start in one line naming REMINDER_POLICY for %s', (value, problem) => {
    const attempt = () => loadConfig({ REMINDER_POLICY: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      `Invalid configuration: REMINDER_POLICY="${value}"; expected ${REMINDER_POLICY_FORMAT} (${problem}).`,
    );
    expect(() => attempt()).not.toThrow(/\n/);
  });

  it("applies the member's jurisdiction, else the plan's, else the fallback", () => {
    const policy = parseReminderPolicy('default=EU', defaultReminderPolicy());
    if (typeof policy === 'string') throw new Error(policy);
    expect(jurisdictionOf({ reminderPolicy: 'US-NY' }, { reminderPolicy: 'CN' }, policy)).toBe('US-NY');
    expect(jurisdictionOf({}, { reminderPolicy: 'CN' }, policy)).toBe('CN');
    expect(jurisdictionOf({}, {}, policy)).toBe('EU');
  });
});
