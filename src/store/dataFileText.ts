import { constants } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { StoreLoadError } from './storeErrors.js';

const MB = 1024 * 1024;

/** What a file system error means for a data file, in words an operator can act on. */
export function describeFileError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EISDIR':
      return 'it is a directory, not a file; point the setting at a file';
    case 'ENOTDIR':
      return 'a part of its path is a file, not a directory';
    // mkdir's answer when a part of the data file's directory path is a file.
    case 'EEXIST':
      return err.syscall === 'mkdir' ? 'a part of its path is a file, not a directory' : `${err.code}: ${err.message}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${err.code}): the service's user must be able to read and write it and its directory`;
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return `${err.code ?? 'error'}: ${err.message}`;
  }
}

/** An error from the file system (it has an errno code), as opposed to a bug. */
export function isFileError(err: unknown): err is NodeJS.ErrnoException {
  // Not `instanceof Error`: errors of node's own modules come from another realm under jest.
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as NodeJS.ErrnoException).code === 'string' &&
    typeof (err as NodeJS.ErrnoException).syscall === 'string'
  );
}

/**
 * Reads a data file as text; null if it does not exist. A file that cannot be read, is a
 * directory, or is larger than V8's longest string (about 512 MB, where `readFile` would fail with
 * a bare RangeError) is refused with a StoreLoadError naming it, before anything is read.
 */
export async function readDataText(file: string): Promise<string | null> {
  try {
    const info = await stat(file);
    if (info.isDirectory())
      throw new StoreLoadError(file, describeFileError({ code: 'EISDIR' } as NodeJS.ErrnoException));
    if (info.size > constants.MAX_STRING_LENGTH) {
      const count = (n: number) => n.toLocaleString('en-US');
      throw new StoreLoadError(
        file,
        `it is ${Math.round(info.size / MB)} MB (${count(info.size)} bytes), more than Node can read as one string (${count(constants.MAX_STRING_LENGTH)} characters); move it aside and restore a smaller backup`,
      );
    }
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (isFileError(err)) throw new StoreLoadError(file, describeFileError(err));
    throw err;
  }
}
