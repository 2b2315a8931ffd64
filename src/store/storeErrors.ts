/** The data file cannot be used as it is; the file is left exactly as it was found. */
export class StoreLoadError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`Cannot load ${file}: ${problem}. The file was left untouched; fix or restore it, then start again.`);
    this.name = 'StoreLoadError';
  }
}

/** Another running process already writes this data file. */
export class StoreLockedError extends Error {
  constructor(
    readonly file: string,
    readonly holderPid: number,
  ) {
    super(
      `${file} is in use by another running instance (pid ${holderPid}). Stop it first, or point DB_FILE/STATE_FILE elsewhere.`,
    );
    this.name = 'StoreLockedError';
  }
}

/**
 * A change could not be written (a full disk, a read-only or failing file system). Nothing of it
 * was kept: memory was rolled back with the file, and nothing it would have sent was delivered.
 */
export class StoreWriteError extends Error {
  readonly errno: string | undefined;

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(
      `Cannot write ${file} (${errno ?? (cause as Error)?.message ?? 'unknown error'}); the change was not made. Free disk space or fix the file system; the service retries on the next change.`,
      { cause },
    );
    this.name = 'StoreWriteError';
    this.errno = errno;
  }
}

/** Finds an error of `type` behind the wrappers botbuilder puts around a dialog's error. */
export function errorIn<T extends Error>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 10; depth++) {
    if (e instanceof type) return e;
    e = (e as { error?: unknown; cause?: unknown }).error ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Finds a StoreWriteError behind the wrappers botbuilder puts around a dialog's error. */
export function storeWriteErrorIn(error: unknown): StoreWriteError | undefined {
  return errorIn(error, StoreWriteError);
}
