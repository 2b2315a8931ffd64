import { randomBytes } from 'node:crypto';
import { FieldCipher } from '../src/privacy/fieldCipher.js';
import { RecordSealer } from '../src/store/sealedRecords.js';

/** Keys for one benchmark process: what it seals is read back by the same process only. */
export const benchSealer = () =>
  new RecordSealer(new FieldCipher([{ id: 'bench', key: randomBytes(32) }], randomBytes(32)));
