import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';

const run = promisify(execFile);
const REPO = resolve('.');
const DEPCRUISE = join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** The text without terminal colour codes. */
const plain = (text: string) => stripVTControlCharacters(text);

/** Runs the project's dependency rule over a small tree of files; returns its exit code and report. */
async function cruise(files: Record<string, string>): Promise<{ code: number; report: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'dependency-rule-'));
  try {
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext' } }));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const args = [DEPCRUISE, '--config', join(REPO, '.dependency-cruiser.cjs'), '--output-type', 'err', 'src'];
    try {
      // CI's environment makes the report coloured; the words are what is checked.
      const { stdout } = await run(process.execPath, args, { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' } });
      return { code: 0, report: plain(stdout) };
    } catch (err) {
      const failed = err as { code: number; stdout: string };
      return { code: failed.code, report: plain(failed.stdout) };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the dependency rule (npm run lint)', () => {
  it('lets a layer import the layers below it', async () => {
    const { code } = await cruise({
      'src/i18n/words.ts': "import { LOCALES } from '../model/locales.js';\nexport const words = LOCALES;\n",
      'src/model/locales.ts': "export const LOCALES = ['en-US'];\n",
    });
    expect(code).toBe(0);
  });

  it('fails on an import from a lower layer up into a higher one', async () => {
    const { code, report } = await cruise({
      'src/model/schema.ts': "import { LANGUAGES } from '../i18n/languages.js';\nexport const schema = LANGUAGES;\n",
      'src/i18n/languages.ts': 'export const LANGUAGES = [];\n',
    });
    expect(code).not.toBe(0);
    expect(report).toContain('no-upward-from-model: src/model/schema.ts → src/i18n/languages.ts');
  });

  it('fails on a cycle, even within one layer', async () => {
    const { code, report } = await cruise({
      'src/notify/notifier.ts': "import { emailText } from './emailText.js';\nexport const notifier = emailText;\n",
      'src/notify/emailText.ts':
        "import type { notifier } from './notifier.js';\nexport const emailText = (n: typeof notifier) => n;\n",
    });
    expect(code).not.toBe(0);
    expect(report).toContain('no-cycles');
  });

  it('keeps the domain free of the bot framework', async () => {
    const { code, report } = await cruise({
      'src/membership/service.ts': "import { TurnContext } from 'botbuilder';\nexport const c = TurnContext;\n",
    });
    expect(code).not.toBe(0);
    expect(report).toContain('domain-knows-no-frameworks');
  });

  it('keeps what both storage engines share free of either engine', async () => {
    const { code, report } = await cruise({
      'src/store/sealing.ts': "import { store } from './json/store.js';\nexport const sealing = store;\n",
      'src/store/json/store.ts': 'export const store = 1;\n',
    });
    expect(code).not.toBe(0);
    expect(report).toContain('store-shared-knows-no-engine: src/store/sealing.ts → src/store/json/store.ts');
  });

  it('keeps the JSON engine free of PostgreSQL', async () => {
    const { code, report } = await cruise({
      'src/store/json/store.ts': "import { pool } from '../postgres/pool.js';\nexport const store = pool;\n",
      'src/store/postgres/pool.ts': 'export const pool = 1;\n',
    });
    expect(code).not.toBe(0);
    expect(report).toContain('json-engine-knows-no-postgres: src/store/json/store.ts → src/store/postgres/pool.ts');
  });
});
