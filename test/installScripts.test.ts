import { spawnSync } from 'node:child_process';

// npm blocks dependencies' install scripts unless package.json's allowScripts allows them, and
// lists every package it has no decision for after each install. The decisions (docs/ARCHITECTURE.md,
// "Build") cover every installed package with an install script, so an install ends without that list.
describe('allowScripts', () => {
  it('decides for every installed package with an install script', () => {
    const run = spawnSync('npm', ['install-scripts', 'ls'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('No packages with unreviewed install scripts.');
  });
});
