import { spawnSync } from 'node:child_process';

/** `node scripts/build.mjs --check`: each stage's state and watched files, building nothing. */
function check(): Record<string, { state: string; watched: string[] }> {
  const run = spawnSync(process.execPath, ['scripts/build.mjs', '--check'], { encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}

// npm test builds first, so every stage is as its last run left it; test/scripts/buildStamp.test.ts
// shows a stage runs again when a watched file changes.
describe('npm run build', () => {
  const stages = check();

  it('has nothing to do right after a build', () => {
    expect(Object.fromEntries(Object.entries(stages).map(([name, s]) => [name, s.state]))).toEqual({
      typescript: 'fresh',
      'nlu-model': 'fresh',
      'server-bundle': 'fresh',
      'web-bundle': 'fresh',
    });
  });

  it('watches the sources, the corpora, the compiled files bundled and the installed packages', () => {
    const watches = (stage: string, files: string[]) =>
      expect(stages[stage].watched).toEqual(expect.arrayContaining(files));
    const installed = ['package-lock.json', 'node_modules/.package-lock.json', 'scripts/build.mjs'];
    watches('typescript', [...installed, 'tsconfig.json', 'src/nlu/train.ts', 'dialogs/mainDialog.ts', 'bench/run.ts']);
    watches('nlu-model', [
      ...installed,
      'src/i18n/corpus.zh-CN.json',
      'src/i18n/corpus.en-US.json',
      'dist/src/nlu/classifier.js',
    ]);
    watches('server-bundle', [
      ...installed,
      'dist/src/main.js',
      'dist/dialogs/mainDialog.js',
      'dist/bench/echoServer.js',
    ]);
    watches('web-bundle', [...installed, 'web/client/main.ts', 'web/client/chat.css']);
  });
});
