import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OutboxMessage } from '../../model/schema.js';
import { deliveryRecord, DeliveryError, type Transport } from '../transport.js';

/** The development inbox: one JSON object a line, appended to a file anyone can `tail -f`. */
export class FileTransport implements Transport {
  constructor(private readonly file: string) {}

  async send(message: OutboxMessage): Promise<void> {
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, `${JSON.stringify(deliveryRecord(message))}\n`, 'utf8');
    } catch (err) {
      throw new DeliveryError(`could not append to ${this.file}: ${(err as Error).message}`, true);
    }
  }
}
