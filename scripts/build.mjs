// npm run build (and so npm start, npm run chat, npm test): compile the TypeScript, train the
// language models, bundle the server and the chat page. Each stage is skipped when its inputs and
// outputs are what its last run saw and left (scripts/buildStamp.mjs), so a start with nothing
// changed builds nothing. `--check` prints each stage's state (fresh or stale) and the files it
// watches as JSON, building nothing.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filesUnder, isFresh, runStage, watchedFiles } from './buildStamp.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);

/** What npm installed stands for every file in node_modules; this script for how each stage runs. */
const EVERY_STAGE = [
  'package-lock.json',
  'node_modules/.package-lock.json',
  'scripts/build.mjs',
  'scripts/buildStamp.mjs',
];
const typescript = (name) => /\.[cm]?tsx?$/.test(name);

/** Runs a command, its stdout collected (and passed on), its stderr shown; rejects on a non-zero exit. */
function run(command, args) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.once('error', fail);
    child.once('close', (code) =>
      code === 0 ? done(out) : fail(new BuildError(`${[command, ...args].join(' ')} failed (exit ${code})`, out)),
    );
  });
}

class BuildError extends Error {
  constructor(message, output) {
    super(message);
    this.output = output;
  }
}

/**
 * tsc's --listFiles lines are absolute paths; anything else is a diagnostic. Incremental (its state
 * in dist/.build/), so a change re-checks what it affects; it emits only what changed, so the
 * outputs are every compiled file in dist/ (a bundle's .mjs beside them is the bundle stage's).
 * tsc never checks that its earlier outputs are still there: when they are not, it starts afresh.
 */
async function compile({ outputsIntact }) {
  const tsc = resolve('node_modules/typescript/bin/tsc');
  const state = 'dist/.build/tsc.tsbuildinfo';
  if (!outputsIntact) rmSync(state, { force: true });
  const args = ['-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', state];
  let out;
  try {
    out = await run(process.execPath, [tsc, ...args, '--listFiles']);
  } catch (err) {
    if (err instanceof BuildError) process.stdout.write(diagnostics(err.output));
    throw err;
  }
  const inputs = out.split('\n').filter((l) => l.startsWith('/') && existsSync(l));
  const compiled = (name) => name.endsWith('.js') || name.endsWith('.js.map');
  const outputs = ['src', 'dialogs', 'bench'].flatMap((dir) => filesUnder(ROOT, `dist/${dir}`, compiled));
  return { inputs, outputs };
}

const diagnostics = (out) =>
  out
    .split('\n')
    .filter((l) => !(l.startsWith('/') && existsSync(l)))
    .join('\n');

/** Trains in a node of its own; the compiled files it imports are found the way a bundler would. */
async function train() {
  const entry = 'dist/src/nlu/train.js';
  await run(process.execPath, [entry]);
  // Loaded here, not at the top: a start with nothing to build never needs it.
  const { build } = await import('esbuild');
  const graph = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return { inputs: Object.keys(graph.metafile.inputs), outputs: ['dist/nlu-model.json'] };
}

const stages = [
  {
    name: 'typescript',
    inputs: () => [
      ...EVERY_STAGE,
      'tsconfig.json',
      'tsconfig.build.json',
      ...['src', 'dialogs', 'bench'].flatMap((dir) => filesUnder(ROOT, dir, typescript)),
    ],
    run: compile,
  },
  {
    name: 'nlu-model',
    inputs: () => [...EVERY_STAGE, ...filesUnder(ROOT, 'src/i18n', (name) => /^corpus\..+\.json$/.test(name))],
    run: train,
  },
  {
    name: 'server-bundle',
    inputs: () => [...EVERY_STAGE, 'scripts/bundle.mjs', 'src/botframework/nativeAsync.cjs'],
    run: async () => (await import('./bundle.mjs')).bundleServer(),
  },
  {
    name: 'web-bundle',
    inputs: () => [...EVERY_STAGE, 'scripts/bundleWeb.mjs'],
    run: async () => (await import('./bundleWeb.mjs')).bundleWeb(),
  },
];

if (process.argv.includes('--check')) {
  const state = (s) => ({ state: isFresh(ROOT, s) ? 'fresh' : 'stale', watched: watchedFiles(ROOT, s) });
  console.log(JSON.stringify(Object.fromEntries(stages.map((s) => [s.name, state(s)]))));
} else {
  const unchanged = [];
  for (const stage of stages) {
    const started = performance.now();
    try {
      if ((await runStage(ROOT, stage)) === 'fresh') unchanged.push(stage.name);
      else console.log(`build: ${stage.name} built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      console.error(`build: ${stage.name} failed: ${err.message}`);
      process.exit(1);
    }
  }
  if (unchanged.length) console.log(`build: ${unchanged.join(', ')} unchanged`);
}
