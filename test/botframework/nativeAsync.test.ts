import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import ts from 'typescript';
import { DialogContext } from 'botbuilder-dialogs';
import { nativeAsync, DOWNLEVELLED } from '../../src/botframework/nativeAsync.cjs';

// What TypeScript emits for ES2015, as botbuilder's packages are compiled.
const source = `
export class Counter {
  constructor(private readonly step: number) {}
  async add(start: number, delay: Promise<number>): Promise<number> {
    const waited = await delay;
    return start + waited * this.step;
  }
  async precedence(a: Promise<number>, b: number): Promise<number> {
    return await a + b;
  }
  async either(a: Promise<number> | undefined, b: number): Promise<number> {
    return await (a || b);
  }
  async bare(): Promise<string> {
    await undefined;
    return typeof this;
  }
  async recovers(failing: Promise<number>): Promise<string> {
    try {
      await failing;
      return 'not reached';
    } catch (err) {
      return 'caught ' + (err as Error).message;
    }
  }
  async rethrows(failing: Promise<number>): Promise<number> {
    return (await failing) + 1;
  }
  async throwsFirst(): Promise<void> {
    throw new Error('before any await');
  }
  async counted(..._rest: number[]): Promise<number> {
    await null;
    return arguments.length;
  }
  async nested(values: number[]): Promise<number[]> {
    return Promise.all(values.map(async (v) => (await Promise.resolve(v)) * this.step));
  }
  async withDefault(a: number, b = this.step): Promise<number> {
    return (await a) + b;
  }
  *plain(): Generator<number> {
    yield 1;
    yield 2;
  }
}
export const topLevel = async (x: Promise<string>): Promise<string> => (await x).toUpperCase();
`;
const downlevelled = ts.transpileModule(source, {
  compilerOptions: { target: ts.ScriptTarget.ES2015, module: ts.ModuleKind.CommonJS },
}).outputText;

function load(code: string) {
  const exports: Record<string, unknown> = {};
  new Script(`(function (exports, require) {\n${code}\n})`).runInThisContext()(exports, require);
  return exports as {
    Counter: new (step: number) => Record<string, (...args: unknown[]) => unknown>;
    topLevel: (x: Promise<string>) => Promise<string>;
  };
}

async function outcome(run: () => unknown): Promise<string> {
  try {
    return `resolved ${JSON.stringify(await run())}`;
  } catch (err) {
    return `rejected ${(err as Error).message}`;
  }
}

async function behaviour(code: string): Promise<string[]> {
  const { Counter, topLevel } = load(code);
  const c = new Counter(3);
  return Promise.all([
    outcome(() => c.add(1, Promise.resolve(2))),
    outcome(() => c.precedence(Promise.resolve(2), 5)),
    outcome(() => c.either(undefined, 4)),
    outcome(() => c.bare()),
    outcome(() => c.recovers(Promise.reject(new Error('no')))),
    outcome(() => c.rethrows(Promise.reject(new Error('gone')))),
    outcome(() => c.throwsFirst()),
    outcome(() => c.counted(1, 2, 3)),
    outcome(() => c.nested([1, 2])),
    outcome(() => c.withDefault(Promise.resolve(1) as unknown as number)),
    outcome(() => [...(c.plain() as Iterable<number>)]),
    outcome(() => topLevel(Promise.resolve('up'))),
  ]);
}

describe("nativeAsync: TypeScript's down-levelled async functions made native", () => {
  const rewritten = nativeAsync(downlevelled);

  it('leaves no generator-driven async function, and keeps real generators', () => {
    expect(downlevelled).toMatch(/__awaiter\(this, void 0, void 0, function\* \(\)/);
    expect(rewritten).not.toMatch(/__awaiter\((this|void 0|[^,]+), [^,]+, void 0, function\*/);
    expect(rewritten).toContain('(async function () {');
    expect(rewritten.match(/\*plain\(\)/g)).toHaveLength(1);
    expect(rewritten).toContain('yield 1;');
  });

  it('behaves exactly as the generator version: values, this, arguments, precedence, errors', async () => {
    const before = await behaviour(downlevelled);
    expect(before).toEqual([
      'resolved 7',
      'resolved 7',
      'resolved 4',
      'resolved "object"',
      'resolved "caught no"',
      'rejected gone',
      'rejected before any await',
      'resolved 3',
      'resolved [3,6]',
      'resolved 4',
      'resolved [1,2]',
      'resolved "UP"',
    ]);
    expect(await behaviour(rewritten)).toEqual(before);
  });

  it('returns a file without down-levelled async functions unchanged', () => {
    const plain = 'const a = function* () { yield 1; };\nmodule.exports = a;\n';
    expect(nativeAsync(plain)).toBe(plain);
  });

  it('rewrites every botbuilder file into valid JavaScript with no generator-driven async left', () => {
    const root = join(__dirname, '..', '..', 'node_modules');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (name === 'node_modules') continue;
        if (statSync(path).isDirectory()) walk(path);
        else if (DOWNLEVELLED.test(path)) files.push(path);
      }
    };
    // Web Chat and the Direct Line clients it brings are bundled for the browser (scripts/bundleWeb.mjs), never run by the server.
    const browserOnly = /^botframework-(webchat|directline)/;
    for (const name of readdirSync(root))
      if (/^(botbuilder|botframework)/.test(name) && !browserOnly.test(name)) walk(join(root, name));
    let rewrittenFiles = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const out = nativeAsync(text, file);
      if (out !== text) rewrittenFiles += 1;
      expect(
        () => new Script(`(function (exports, require, module, __filename, __dirname) {${out}\n})`, { filename: file }),
      ).not.toThrow();
      expect({ file, left: /__awaiter\d*\([^()]*, void 0, function\*/.test(out) }).toEqual({ file, left: false });
    }
    expect(rewrittenFiles).toBeGreaterThan(50);
  });

  it("is what these tests run: botbuilder-dialogs' methods are native async functions here", () => {
    expect(DialogContext.prototype.continueDialog.toString()).toContain('(async function () {');
  });
});
