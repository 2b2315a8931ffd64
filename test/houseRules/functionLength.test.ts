import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Linter } from 'eslint';

const run = promisify(execFile);
const ESLINT = join(resolve('.'), 'node_modules', 'eslint', 'bin', 'eslint.js');

/** The options `npm run lint` applies to max-lines-per-function in the given file, as ESLint resolves them. */
async function lengthRuleFor(file: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, [ESLINT, '--print-config', file]);
  const config = JSON.parse(stdout) as { rules: Record<string, unknown> };
  return config.rules['max-lines-per-function'];
}

/** A function whose text spans `lines` lines: its braces, a comment, a blank line and statements. */
function functionOf(lines: number): string {
  const body = ['  // why', '', ...Array.from({ length: lines - 4 }, (_, i) => `  console.log(${i});`)];
  return ['function long() {', ...body, '}', 'long();'].join('\n');
}

describe('no function over 60 lines in src/ and dialogs/ (npm run lint)', () => {
  it('applies the rule at 60 lines to the source and the dialogs, not to the tests', async () => {
    expect(await lengthRuleFor('src/app.ts')).toEqual([2, { max: 60 }]);
    expect(await lengthRuleFor('dialogs/mainDialog.ts')).toEqual([2, { max: 60 }]);
    expect(await lengthRuleFor('test/bot.test.ts')).toBeUndefined();
  });

  it('counts every line of a function, comments and blank lines too', async () => {
    const rule = await lengthRuleFor('src/app.ts');
    const config = [{ rules: { 'max-lines-per-function': rule as Linter.RuleEntry } }];
    const linter = new Linter({ configType: 'flat' });
    expect(linter.verify(functionOf(60), config)).toEqual([]);
    const [problem] = linter.verify(functionOf(61), config);
    expect(problem?.message).toBe("Function 'long' has too many lines (61). Maximum allowed is 60.");
  });
});
