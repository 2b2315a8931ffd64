import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OutboxMessage } from '../../model/schema.js';
import { deliveryRecord, DeliveryError, type Transport } from '../transport.js';

/** The development inbox: one JSON object a line, appended to a file anyone can `tail -f`. */
export class FileTransport implements Transport {
  constructor(private readonly file: string) {}

  async send(message: OutboxMessage): Promise<void> {
    const line = `${JSON.stringify(deliveryRecord(message))}\n`;
    try {
      await appendFile(this.file, line, 'utf8').catch(async (err: NodeJS.ErrnoException) => {
        // The folder is made when missing, not before every message: a mkdir a message was a visible share of a journey.
        if (err.code !== 'ENOENT') throw err;
        await mkdir(dirname(this.file), { recursive: true });
        await appendFile(this.file, line, 'utf8');
      });
    } catch (err) {
      throw new DeliveryError(`could not append to ${this.file}: ${(err as Error).message}`, true);
    }
  }
}
