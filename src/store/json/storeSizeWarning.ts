import { statSync } from 'node:fs';
import { constants } from 'node:buffer';
import type { Logger } from '../../log.js';

const MB = 1024 * 1024;

/**
 * Warns, well before it happens, that a data file is growing towards the size at which it cannot
 * be loaded any more (one V8 string, about 512 MB: the start is then refused). Nothing is stopped:
 * the operator has time to act.
 */
export function warnIfLarge(file: string, limitMb: number, logger: Pick<Logger, 'warn'>): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // not written yet: nothing to warn about
  }
  if (size <= limitMb * MB) return;
  const mb = Number((size / MB).toFixed(1));
  const cannotLoadMb = Math.floor(constants.MAX_STRING_LENGTH / MB);
  logger.warn(
    { file, sizeMb: mb, warnAboveMb: limitMb, cannotLoadAboveMb: cannotLoadMb },
    `${file} is ${mb} MB, past STORE_WARN_MB=${limitMb}; at about ${cannotLoadMb} MB it can no longer be loaded and the service will not start. ` +
      'Lower STATE_IDLE_DAYS or AUDIT_RETENTION_DAYS, or move the member data to a database, before then.',
  );
}
