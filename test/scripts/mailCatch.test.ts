import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { OutboxMessage } from '../../src/model/schema.js';
import { SmtpTransport } from '../../src/notify/transports/smtpTransport.js';

/** `npm run mail:catch`, the inbox for trying the bot by hand, run as a developer runs it. */
describe('npm run mail:catch', () => {
  it('prints what a mail carries, the login but not its password', async () => {
    const child = spawn(process.execPath, ['scripts/mailCatch.mjs', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const seen = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve) => {
        const check = () => {
          const match = pattern.exec(output);
          if (!match) return;
          child.stdout.off('data', check);
          resolve(match);
        };
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.stdout.on('data', check);
        check();
      });
    try {
      const port = Number((await seen(/listening on smtp:\/\/127\.0\.0\.1:(\d+)/))[1]);
      const transport = new SmtpTransport(
        `smtp://dev:dev-secret@127.0.0.1:${port}`,
        'Membership <members@example.com>',
      );
      const message: OutboxMessage = {
        id: 'msg-00112233aabbccdd',
        at: '2026-11-24T02:00:00.000Z',
        memberId: 'm-1006',
        channel: 'email',
        to: 'emily.carter@example.com',
        locale: 'en-US',
        template: 'cancellation-effective',
        text: 'Your Fitness Pro Monthly membership (ms-2007) has now ended, as you requested.',
        status: 'pending',
        attempts: 0,
        nextAttemptAt: '2026-11-24T02:00:00.000Z',
      };
      await transport.send(message, new AbortController().signal);
      transport.close();
      await seen(/as you requested\.\n-{72}\n/);
      expect(output).toContain('Subject:    Your membership has ended\n');
      expect(output).toContain('To:         emily.carter@example.com\n');
      expect(output).toContain('Message-ID: <msg-00112233aabbccdd@example.com>\n');
      expect(output).toContain('Login:      dev\n');
      expect(output).toMatch(/Parts: {6}text \d+ characters, HTML \d+ characters\n/);
      expect(output).not.toContain('dev-secret');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
