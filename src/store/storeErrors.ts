/** The data file cannot be used as it is; the file is left exactly as it was found. */
export class StoreLoadError extends Error {
  constructor(readonly file: string, readonly problem: string) {
    super(`Cannot load ${file}: ${problem}. The file was left untouched; fix or restore it, then start again.`);
    this.name = 'StoreLoadError';
  }
}

/** Another running process already writes this data file. */
export class StoreLockedError extends Error {
  constructor(readonly file: string, readonly holderPid: number) {
    super(`${file} is in use by another running instance (pid ${holderPid}). Stop it first, or point DB_FILE/STATE_FILE elsewhere.`);
    this.name = 'StoreLockedError';
  }
}
