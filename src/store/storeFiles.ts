import { open, rename, unlink, type FileHandle } from 'node:fs/promises';

/**
 * The file operations the journal and the snapshot writer use. Production passes {@link diskFiles};
 * tests pass a layer whose writes fail (a full disk cannot be arranged on a shared machine).
 */
export interface StoreFiles {
  /**
   * Opens a file, as `fs.promises.open` does.
   *
   * @param path - The file.
   * @param flags - As `fs.open`'s ('a' to append to a journal, 'w' for a new snapshot).
   * @param mode - The new file's permissions ({@link DATA_FILE_MODE} for data).
   * @returns The handle; writes and syncs through it may fail as a full disk's would.
   */
  open(path: string, flags: string, mode?: number): Promise<FileHandle>;
  /**
   * Replaces `to` with `from` in one step, as `fs.promises.rename` does.
   *
   * @param from - The file written whole.
   * @param to - The file it replaces.
   */
  rename(from: string, to: string): Promise<void>;
  /**
   * Removes a file, as `fs.promises.unlink` does.
   *
   * @param path - The file.
   */
  unlink(path: string): Promise<void>;
}

export const diskFiles: StoreFiles = { open, rename, unlink };

/** Data files hold personal data: only the service's own user may read them. */
export const DATA_FILE_MODE = 0o600;

/** Writes all of `text`: a write to a file may land only part of it. */
export async function writeAll(handle: FileHandle, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Makes a rename or a new file in `dir` survive power loss: the file's own fsync covers its bytes,
 * not the directory entry that names it.
 */
export async function syncDirectory(files: StoreFiles, dir: string): Promise<void> {
  const handle = await files.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
