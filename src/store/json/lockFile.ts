import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { StoreLockedError } from '../storeErrors.js';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<file>.lock` for this process so a second instance cannot overwrite the same data.
 * A lock left behind by a process that is no longer running (a crash, SIGKILL) is taken over.
 */
export function acquireLock(file: string): () => void {
  const lockPath = `${file}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) throw new StoreLockedError(file, holder);
      unlinkSync(lockPath);
    }
  }
  throw new StoreLockedError(file, -1);
}
