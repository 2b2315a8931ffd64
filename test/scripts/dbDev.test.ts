import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Client } from 'pg';

describe('npm run db:dev', () => {
  it('serves a PostgreSQL at the DATABASE_URL it prints until Ctrl-C, then stops and removes its data', async () => {
    const child = spawn(process.execPath, ['scripts/dbDev.mjs'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const found = /^DATABASE_URL=(\S+)$/m.exec(out);
        if (found) resolve(found[1]);
      });
      void exited.then(() => reject(new Error(`db:dev exited early: ${out}${err}`)));
    });
    expect(url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);

    const client = new Client({ connectionString: url });
    await client.connect();
    expect((await client.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await client.end();

    const dir = /its data in (\S+) until it stops/.exec(out)![1];
    expect(existsSync(dir)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130); // as a shell reports Ctrl-C
    expect(err).toBe('');
    expect(existsSync(dir)).toBe(false);
  }, 60_000);
});
