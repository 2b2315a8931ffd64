import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { seededRandom } from '../../src/core/random.js';
import { startServer } from '../../src/server.js';
import { createJsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';

/** The README's "try e-mail" block: the catcher's command and the settings the start is given. */
function readmeExample(): { catcher: string[]; settings: Record<string, string> } {
  const block = /```sh\n(npm run mail:catch[\s\S]*?)```/.exec(readFileSync('README.md', 'utf8'))![1];
  const [catchLine, startLine] = block.split('\n');
  const catcher = catchLine.replace(/#.*/, '').trim().split(/\s+/);
  const settings = Object.fromEntries(
    [...startLine.matchAll(/(\w+)=('[^']*'|\S+)/g)].map(([, name, value]) => [name, value.replace(/^'|'$/g, '')]),
  );
  return { catcher, settings };
}

// The README's e-mail example as a reader follows it: the catcher started, the server started with
// the printed settings (the catcher's port, free on this machine, for 2525), Emily Carter's journey
// on the page: her code arrives in the catcher's output, then her receipt, reference number first.
describe("the README's SMTP catcher example", () => {
  it('shows the code and the receipt in the catcher, as printed', async () => {
    const { catcher, settings } = readmeExample();
    expect(catcher).toEqual(['npm', 'run', 'mail:catch']);
    expect(settings.SMTP_URL).toBe('smtp://127.0.0.1:2525');
    // `npm run mail:catch -- 0` as npm runs it: scripts/mailCatch.mjs on a free port.
    const child = spawn(process.execPath, ['scripts/mailCatch.mjs', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const waiters: (() => void)[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const check of [...waiters]) check();
    });
    const seen = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) resolve(match);
        };
        waiters.push(check);
        check();
      });
    const port = (await seen(/listening on smtp:\/\/127\.0\.0\.1:(\d+)/))[1];
    const app = await createJsonApp(
      testConfig({ ...settings, SMTP_URL: settings.SMTP_URL.replace(':2525', `:${port}`) }),
      { random: seededRandom(5) },
    );
    const running = await startServer(app, 0, '127.0.0.1');
    try {
      const post = async (path: string, body: unknown, token?: string) => {
        const res = await fetch(`${running.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
        return (await res.json()) as any;
      };
      const chat = await post('/webchat/api/conversations', {});
      const say = async (text: string) =>
        (await post(
          `/webchat/api/conversations/${chat.conversationId}/activities`,
          { type: 'message', text, locale: 'en-US' },
          chat.token,
        )) as { activities: { text?: string; suggestedActions?: { actions: { title: string }[] } }[] };
      await say('I want to cancel my membership');
      await say('emily.carter@example.com');
      const code = (await seen(/To:\s+emily\.carter@example\.com[\s\S]*?\b(\d{6})\b/))[1];
      const warning = await say(code);
      const choice = warning.activities.at(-1)!.suggestedActions!.actions[0].title;
      await say(choice);
      const receipt = (
        await seen(/From:[^\n]*\nTo:[^\n]*\nSubject: {4}Your cancellation is confirmed\n[\s\S]*?-{72}\n/)
      )[0];
      expect(receipt).toContain('From:       "Membership" <members@example.com>\n');
      expect(receipt).toContain('To:         emily.carter@example.com\n');
      expect(receipt).toMatch(/\n\nReference number: CX-\d{8}-[0-9A-Z]{4}\n\nYour cancellation of /);
    } finally {
      await running.shutdown();
      child.kill('SIGTERM');
    }
  });
});
