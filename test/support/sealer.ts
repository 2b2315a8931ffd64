import { FieldCipher } from '../../src/privacy/fieldCipher.js';
import { RecordSealer } from '../../src/store/sealedRecords.js';

/** Fixed keys, so what a test seals opens in the next test of the file as in a restarted service. */
export const TEST_KEY = { id: 'test-1', key: Buffer.alloc(32, 7) };
export const TEST_INDEX_KEY = Buffer.from('test-index-key-test-index-key-0123');

export const testSealer = (keys = [TEST_KEY]) => new RecordSealer(new FieldCipher(keys, TEST_INDEX_KEY));
