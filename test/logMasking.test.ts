import { Writable } from 'node:stream';
import { createLogger } from '../src/log.js';
import { maskEmail, maskPhone, maskText } from '../src/privacy/mask.js';
import { conversation } from './support/conversation.js';

describe('masking personal data', () => {
  it('masks phones and emails the way support reads them', () => {
    expect(maskPhone('+8613812345678')).toBe('+86 138****5678');
    expect(maskEmail('zoe@example.com')).toBe('z***@example.com');
    expect(maskText('我的手机号是 138 1234 5678，邮箱 Zhang.Wei@example.com，验证码 482 913')).toBe('我的手机号是 138****5678，邮箱 Z***@example.com，验证码 ******');
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
