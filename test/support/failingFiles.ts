import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import type { StoreFiles } from '../../src/store/storeFiles.js';

function enospc(): NodeJS.ErrnoException {
  const err = new Error('ENOSPC: no space left on device, write') as NodeJS.ErrnoException;
  err.code = 'ENOSPC';
  err.errno = -28;
  err.syscall = 'write';
  return err;
}

/**
 * The store's file operations with a switch that makes writes fail as on a full disk: the first
 * half of what is written lands (a torn line) and then ENOSPC is thrown. With `cutsFail` the
 * truncation that cuts the torn part off fails too; with `only`, just the files whose path matches fail, and with `skip`, only after that many more writes to them. `writes` counts write calls, so a test can wait
 * until a write is under way; `gate` holds writes until the test opens it.
 */
export function failingFiles() {
  const state = { full: false, cutsFail: false, writes: 0, gate: null as Promise<void> | null, only: /./, skip: 0 };
  let openGate = () => undefined as void;
  const files: StoreFiles = {
    async open(path, flags, mode) {
      const handle: FileHandle = await open(path, flags, mode);
      const write = handle.write.bind(handle) as (
        buffer: Buffer,
        offset: number,
        length: number,
      ) => Promise<{ bytesWritten: number }>;
      const truncate = handle.truncate.bind(handle);
      Object.assign(handle, {
        async write(buffer: Buffer, offset: number, length: number) {
          state.writes += 1;
          if (state.gate) await state.gate;
          if (!state.full || !state.only.test(path)) return write(buffer, offset, length);
          if (state.skip > 0) {
            state.skip -= 1;
            return write(buffer, offset, length);
          }
          const half = Math.floor(length / 2);
          if (half > 0) await write(buffer, offset, half);
          throw enospc();
        },
        async truncate(len?: number) {
          if (state.cutsFail) throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' });
          return truncate(len);
        },
      });
      return handle;
    },
    rename,
    unlink,
  };
  return {
    files,
    state,
    /** The disk is full from now on. */
    fill(options: { cutsFail?: boolean; only?: RegExp; skip?: number } = {}) {
      state.full = true;
      state.cutsFail = options.cutsFail ?? false;
      state.only = options.only ?? /./;
      state.skip = options.skip ?? 0;
    },
    /** Space again. */
    free() {
      state.full = false;
      state.cutsFail = false;
    },
    /** Writes wait from now on until {@link release}. */
    hold() {
      state.gate = new Promise<void>((resolve) => {
        openGate = resolve;
      });
    },
    release() {
      state.gate = null;
      openGate();
    },
  };
}
