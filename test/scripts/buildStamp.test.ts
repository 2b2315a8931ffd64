import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scratchDir } from '../support/testConfig.js';

const SCRIPT = resolve('scripts/buildStamp.mjs');

/**
 * A stage over a scratch project, run in a node of its own (jest cannot load the ES module): it
 * joins src/* into out/all.txt, reports reading extra.txt too, and counts its runs in runs.log.
 * FAIL=1 makes it throw after writing.
 */
const DRIVER = `
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, runStage } from ${JSON.stringify(SCRIPT)};
const root = process.argv[1];
const stage = {
  name: 'join',
  inputs: () => filesUnder(root, 'src'),
  run: async ({ outputsIntact }) => {
    appendFileSync(join(root, 'runs.log'), \`run \${outputsIntact}\\n\`);
    const files = filesUnder(root, 'src');
    mkdirSync(join(root, 'out'), { recursive: true });
    writeFileSync(join(root, 'out/all.txt'), files.map((f) => readFileSync(join(root, f), 'utf8')).join('') + readFileSync(join(root, 'extra.txt'), 'utf8'));
    if (process.env.FAIL) throw new Error('failed on purpose');
    return { inputs: [join(root, 'extra.txt'), join(root, 'node_modules/dep/index.js')], outputs: ['out/all.txt'] };
  },
};
console.log(await runStage(root, stage));
`;

function project(): string {
  const root = scratchDir('build-stamp-');
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src/a.txt'), 'a');
  writeFileSync(join(root, 'extra.txt'), 'x');
  return root;
}

function build(root: string, env: Record<string, string> = {}): string {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', DRIVER, root], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return run.status === 0 ? run.stdout.trim() : `exit ${run.status}`;
}

const runLog = (root: string) => readFileSync(join(root, 'runs.log'), 'utf8').split('\n').filter(Boolean);
const runs = (root: string) => runLog(root).length;

describe('a build stage with a stamp', () => {
  it('runs once for unchanged inputs and again for each change', () => {
    const root = project();
    expect(build(root)).toBe('built');
    expect(build(root)).toBe('fresh');
    expect(runs(root)).toBe(1);

    writeFileSync(join(root, 'src/a.txt'), 'A');
    expect(build(root)).toBe('built');
    expect(readFileSync(join(root, 'out/all.txt'), 'utf8')).toBe('Ax');
    expect(build(root)).toBe('fresh');

    writeFileSync(join(root, 'src/b.txt'), 'b');
    expect(build(root)).toBe('built');

    writeFileSync(join(root, 'extra.txt'), 'y');
    expect(build(root)).toBe('built');
    expect(readFileSync(join(root, 'out/all.txt'), 'utf8')).toBe('Aby');
    expect(build(root)).toBe('fresh');
    expect(runs(root)).toBe(4);
  });

  it('runs again when an output was deleted or changed by hand', () => {
    const root = project();
    expect(build(root)).toBe('built');
    rmSync(join(root, 'out/all.txt'));
    expect(build(root)).toBe('built');
    writeFileSync(join(root, 'out/all.txt'), 'edited');
    expect(build(root)).toBe('built');
    expect(readFileSync(join(root, 'out/all.txt'), 'utf8')).toBe('ax');
    expect(build(root)).toBe('fresh');
  });

  it('tells the run whether its last outputs are intact, for a tool with state of its own', () => {
    const root = project();
    build(root);
    writeFileSync(join(root, 'src/a.txt'), 'A');
    build(root);
    rmSync(join(root, 'out/all.txt'));
    build(root);
    expect(runLog(root)).toEqual(['run false', 'run true', 'run false']);
  });

  it('keeps no stamp from a failed run, so the next one runs', () => {
    const root = project();
    expect(build(root)).toBe('built');
    writeFileSync(join(root, 'src/a.txt'), 'A');
    expect(build(root, { FAIL: '1' })).toBe('exit 1');
    expect(build(root)).toBe('built');
    expect(build(root)).toBe('fresh');
  });

  it('records only the project’s own files, not node_modules', () => {
    const root = project();
    build(root);
    const stamp = JSON.parse(readFileSync(join(root, 'dist/.build/join.json'), 'utf8'));
    expect(stamp.recorded).toEqual(['extra.txt']);
    expect(stamp.outputs).toEqual(['out/all.txt']);
  });

  it('trusts a hash it computed while the file keeps its identity, and hashes a file just written again', () => {
    const root = project();
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, 'src/a.txt'), anHourAgo, anHourAgo);
    expect(build(root)).toBe('built');
    const cacheFile = join(root, 'dist/.build/hashes.json');
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
    // extra.txt and the output were written less than a second ago: racy, so not kept.
    expect(Object.keys(cache)).toEqual(['src/a.txt']);

    // Had the file been read again, this planted hash would not matter; the stage runs because it does.
    writeFileSync(cacheFile, JSON.stringify({ 'src/a.txt': { ...cache['src/a.txt'], hash: 'planted' } }));
    expect(build(root)).toBe('built');

    // An edit changes the identity (size, times), so the file is read, whatever the cache says.
    writeFileSync(join(root, 'src/a.txt'), 'A');
    utimesSync(join(root, 'src/a.txt'), anHourAgo, anHourAgo);
    expect(build(root)).toBe('built');
    expect(readFileSync(join(root, 'out/all.txt'), 'utf8')).toBe('Ax');
    expect(build(root)).toBe('fresh');
  });
});
