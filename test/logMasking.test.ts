import { Writable } from 'node:stream';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/log.js';
import { startServer } from '../src/server.js';
import { testConfig } from './support/testConfig.js';
import { userMessage } from './support/http.js';
import { writtenLanguage } from '../src/nlu/language.js';

const languageOf = (text: string) => writtenLanguage(text)?.locale ?? null;
import { maskEmail, maskPhone, maskText } from '../src/core/mask.js';
import { conversation } from './support/conversation.js';

describe('masking personal data', () => {
  it('masks phones and emails the way support reads them', () => {
    expect(maskPhone('+8613812345678')).toBe('+86 138****5678');
    expect(maskEmail('zoe@example.com')).toBe('z***@example.com');
    expect(maskText('我的手机号是 138 1234 5678，邮箱 Zhang.Wei@example.com，验证码 482 913')).toBe(
      '我的手机号是 138****5678，邮箱 Z***@example.com，验证码 ******',
    );
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
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
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

  function capture() {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    return { logger: createLogger('info', { destination: sink }), text: () => lines.join('') };
  }

  it('logs a reply that cannot be serialised with neither the body nor the Authorization header', async () => {
    const log = capture();
    const app = await createApp(testConfig({ LOG_LEVEL: 'info' }), { logger: log.logger });
    // The incident: a reply JSON cannot write (here a BigInt in its channelData).
    app.bot.run = async (context) => {
      await context.sendActivity({
        type: 'message',
        text: `code ${context.activity.text}`,
        channelData: { amount: BigInt(1) },
      });
    };
    const running = await startServer(app, 0, '127.0.0.1');
    const res = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.secret-part' },
      body: JSON.stringify(userMessage('unserialisable', '13812345678 482913')),
    });
    expect(res.status).toBe(500);
    await running.shutdown();
    const text = log.text();
    expect(text).toMatch(/could not format response body/);
    for (const secret of ['13812345678', '482913', 'secret-part', 'eyJhbGciOiJIUzI1NiJ9'])
      expect(text).not.toContain(secret);
    expect(text).toContain('"url":"/api/messages"');
  });

  it("masks values, not fields: an error's errno code stays, a code in any field or message is hidden", () => {
    const log = capture();
    const err = Object.assign(new Error('write failed for 13812345678'), { code: 'ENOSPC' });
    log.logger.error({ err }, 'store write failed');
    log.logger.info(
      { code: '482913', nested: { headers: { authorization: 'Bearer abc' }, note: 'email zoe@example.com' } },
      'values',
    );
    const [first, second] = log
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(first.err).toMatchObject({ type: 'Error', code: 'ENOSPC', message: 'write failed for 138****5678' });
    expect(first.err.stack).toContain('write failed for 138****5678');
    expect(second).toMatchObject({
      code: '******',
      nested: { headers: { authorization: '[redacted]' }, note: 'email z***@example.com' },
    });
  });

  it('writes objects with cycles instead of failing', () => {
    const log = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    log.logger.warn({ loop }, 'cyclic');
    expect(JSON.parse(log.text()).loop).toEqual({ name: 'loop', self: '[circular]' });
  });
});
