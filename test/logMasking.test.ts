import { Writable } from 'node:stream';
import { createLogger } from '../src/log.js';
import { languageOf } from '../src/i18n/locale.js';
import { maskEmail, maskPhone, maskText } from '../src/privacy/mask.js';
import { conversation } from './support/conversation.js';

describe('masking personal data', () => {
  it('masks phones and emails the way support reads them', () => {
    expect(maskPhone('+8613812345678')).toBe('+86 138****5678');
    expect(maskEmail('zoe@example.com')).toBe('z***@example.com');
    expect(maskText('我的手机号是 138 1234 5678，邮箱 Zhang.Wei@example.com，验证码 482 913')).toBe('我的手机号是 138****5678，邮箱 Z***@example.com，验证码 ******');
  });

  // The patterns start only where a run starts (their speed is measured in test/stress/longMessage.stress.ts);
  // these check that they still find what follows, precedes or sits inside a long run.
  it('still masks an email, a phone and a code next to long runs of the characters they are made of', () => {
    const run = 'a'.repeat(20_000);
    expect(maskText(`${run} zoe@example.com`)).toBe(`${run} z***@example.com`);
    expect(maskText(`${run}@example.com`)).toBe('a***@example.com');
    expect(maskText(`zoe@example.com ${run}.x`)).toBe(`z***@example.com ${run}.x`);
    expect(maskText(`${'1 '.repeat(3)}x 13812345678`)).toBe('1 1 1 x 138****5678');
    expect(maskText(`${'1-----x'.repeat(1000)}138 1234 5678`).endsWith('x138****5678')).toBe(true);
    expect(maskText(`${'12345 '.repeat(2)}abc 482913`)).toBe('123****2345 abc ******');
  });

  it('reads the language of a long word next to an email as the original did', () => {
    expect(languageOf(`${'a'.repeat(20_000)}@example.com`)).toBeNull();
    expect(languageOf(`zoe@example.com ${'x'.repeat(20_000)}`)).toBe('en-US');
    expect(languageOf('my email is zoe@example.com')).toBe('en-US');
    expect(languageOf('zoe@example.com')).toBeNull();
  });

  it('keeps the full phone, email and code out of a debug log of a whole journey', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const logger = createLogger('debug', { destination: sink });
    const c = await conversation({ logger });
    await c.say('I want to cancel');
    await c.say('my number is 13812345678, email zhang.wei@example.com');
    const code = c.lastCode();
    await c.say(code);
    const log = lines.join('');
    expect(log).toContain('"conversationId":"conv-1"');
    expect(log).not.toContain('13812345678');
    expect(log).not.toContain('zhang.wei@example.com');
    expect(log).not.toContain(code);
  });
});
