import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { parse as parseEnv } from 'dotenv';
import jwt from 'jsonwebtoken';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { startServer } from '../../src/server.js';
import { createJsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';

/** The README's "Embed in your app" section: the bot's settings and the backend's code, as printed. */
function readmeExample(): { settings: Record<string, string>; mint: string } {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## Embed in your app');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const block = (lang: string) => new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section)![1];
  return { settings: parseEnv(block('sh')), mint: block('js') };
}

/** Runs the README's backend code with `Date.now()` at the test clock's time; returns its memberToken. */
function mintAsReadmeSays(mint: string, settings: Record<string, string>, clock: ManualClock): string {
  const context = { jwt, process: { env: settings }, Date: { now: () => clock.now().getTime() } };
  return runInNewContext(`${mint}\nmemberToken;`, context) as string;
}

describe("the README's embed example", () => {
  it('names every setting the start needs, and its token verifies the member without a code', async () => {
    const clock = new ManualClock('2026-11-24T02:00:00.000Z');
    const { settings, mint } = readmeExample();
    expect(Object.keys(settings).sort()).toEqual([
      'MEMBER_TOKEN_AUDIENCE',
      'MEMBER_TOKEN_ISSUER',
      'MEMBER_TOKEN_SECRET',
    ]);
    const app = await createJsonApp(testConfig(settings), { clock, random: seededRandom(1) });
    const running = await startServer(app, 0, '127.0.0.1');
    try {
      const post = async (path: string, body: unknown, token?: string) => {
        const res = await fetch(`${running.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as any };
      };
      const started = await post('/webchat/api/conversations', {
        locale: 'en-US',
        memberToken: mintAsReadmeSays(mint, settings, clock),
      });
      expect(started.status).toBe(201);
      const answer = await post(
        `/webchat/api/conversations/${started.body.conversationId}/activities`,
        { type: 'message', text: 'I want to cancel my membership', locale: 'en-US' },
        started.body.token,
      );
      expect(answer.body.activities.map((a: any) => a.text).join('\n')).toMatch(/At period end/);
      expect(app.store.data.outbox.filter((m) => m.template === 'otp')).toEqual([]);
    } finally {
      await running.shutdown();
    }
  });
});
