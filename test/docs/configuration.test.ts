import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES } from '../../src/config.js';

const documented = (file: string) =>
  new Set(
    readFileSync(file, 'utf8')
      .match(/`[A-Za-z_]+`/g)
      ?.map((v) => v.slice(1, -1)),
  );

describe('the configuration documented', () => {
  it('names every variable the configuration reads in docs/CONFIGURATION.md', () => {
    const doc = documented('docs/CONFIGURATION.md');
    expect(CONFIG_VARIABLES.filter((v) => !doc.has(v))).toEqual([]);
  });

  it('lists every variable in .env.example, and nothing else', () => {
    const listed = [...readFileSync('.env.example', 'utf8').matchAll(/^#? ?([A-Za-z_]+)=/gm)].map((m) => m[1]);
    expect(CONFIG_VARIABLES.filter((v) => !listed.includes(v))).toEqual([]);
    expect(listed.filter((v) => !CONFIG_VARIABLES.includes(v))).toEqual([]);
  });

  it('keeps its lines short enough to read', () => {
    const long = readFileSync('docs/CONFIGURATION.md', 'utf8')
      .split('\n')
      .filter((l) => l.length > 120);
    expect(long).toEqual([]);
  });
});
