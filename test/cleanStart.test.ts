import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { scratchDir } from './support/testConfig.js';

// `npm start` runs the bundle without hiding any warning: a deprecated API used by our code or a
// pinned dependency (restify's spdy once printed DEP0111 through http-deceiver) shows here.
describe('a start', () => {
  it('prints no deprecation warning, with --trace-deprecation and nothing silenced', async () => {
    const dir = scratchDir('clean-start-');
    const child = spawn(process.execPath, ['--trace-deprecation', 'dist/server.mjs'], {
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        HOST: '127.0.0.1',
        DB_FILE: join(dir, 'db.json'),
        STATE_FILE: join(dir, 'state.json'),
        NOTIFY_OUTBOX_FILE: join(dir, 'outbox.jsonl'),
        BILLING_FILE: join(dir, 'charges.jsonl'),
      },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const found = /"port":(\d+)/.exec(stdout);
        if (found) resolve(`http://127.0.0.1:${found[1]}`);
      });
      child.once('exit', () => reject(new Error(`stopped before listening: ${stderr}`)));
    });
    // The first request reads a body: restify's body reader once printed DEP0005 there.
    await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await fetch(`${url}/`);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(stderr).not.toMatch(/Warning/);
  });
});
