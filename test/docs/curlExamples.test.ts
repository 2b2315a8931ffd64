import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { API_SCOPES } from '../../src/model/schema.js';
import { startServer } from '../../src/server.js';
import { createJsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';

const run = promisify(execFile);

/** Every Markdown file a reader is pointed at: the README and everything in docs/ (a new file counts too). */
const DOCS = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The curl commands of a file's `sh` blocks, in the order printed, a line continued with `\` joined. */
function curlExamples(file: string): string[] {
  const blocks = [...readFileSync(file, 'utf8').matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks
    .flatMap((block) => block.replace(/\\\n\s*/g, '').split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.startsWith('curl '));
}

const examples = DOCS.map((file) => ({ file, commands: curlExamples(file) })).filter((d) => d.commands.length);

// Each file's examples run in order, as a reader would paste them, through sh with the docs'
// $BASE and $KEY, against the server the composition root builds, on loopback. A value the docs
// elide ("…", a cursor) cannot be pasted as it is: such a command must still reach its route. A
// command answered otherwise than 2xx says so in a comment after it ("# 409 here: …").
describe('the curl examples in the docs', () => {
  it('are found (docs/API.md has its calls)', () => {
    expect(examples.map((d) => d.file)).toContain('docs/API.md');
  });

  it.each(examples)('$file: each answers as documented, on the demo data', async ({ commands }) => {
    const app = await createJsonApp(testConfig(), {
      clock: new ManualClock('2026-11-24T02:00:00.000Z'),
      random: seededRandom(3),
    });
    const running = await startServer(app, 0, '127.0.0.1');
    try {
      const { token } = await app.apiKeys.create([...API_SCOPES]);
      for (const command of commands) {
        // The status on a line of its own after the body: curl's -w, added without changing the command.
        const script = `curl() { command curl -w '\\n%{http_code}' "$@"; }\n${command}`;
        const { stdout } = await run('sh', ['-c', script], {
          env: { PATH: process.env.PATH, BASE: running.url.replace(/\/$/, ''), KEY: token },
        });
        const status = Number(stdout.trim().split('\n').at(-1));
        // A status the docs state after the command ("# 409 here: …") is the one expected; else a 2xx.
        const stated = /#\s*(\d{3})\b/.exec(command)?.[1];
        const answered = command.includes('…')
          ? status !== 404 && status < 500
          : stated
            ? status === Number(stated)
            : status >= 200 && status < 300;
        expect({ command, answered: answered || stdout }).toEqual({ command, answered: true });
      }
    } finally {
      await running.shutdown();
    }
  });
});
