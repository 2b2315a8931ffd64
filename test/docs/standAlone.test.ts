import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Every Markdown file in the repository, as git knows them. */
const docs = execFileSync('git', ['ls-files', '*.md'], { encoding: 'utf8' }).trim().split('\n');

describe('the docs stand alone', () => {
  it('cite no issue numbers of a tracker the reader does not have', () => {
    // owner/repo#123 names a public thread and may stay; a bare #15 means nothing here.
    const cited = docs.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ at: `${file}:${i + 1}`, found: /(?<![\w/-])#\d+(?:\.\d+)?\b/.exec(line)?.[0] }))
        .filter((l) => l.found),
    );
    expect(cited).toEqual([]);
  });

  it('point at no file outside the repository', () => {
    const outside = docs.filter((file) => /(?:\.\.\/shared|\/work\/)/.test(readFileSync(file, 'utf8')));
    expect(outside).toEqual([]);
  });
});
