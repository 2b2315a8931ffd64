import type { OutboxMessage } from '../../model/schema.js';
import { deliveryRecord, type Transport } from '../transport.js';

/** Prints each message for a developer watching the terminal (the code is the point of an OTP). */
export class ConsoleTransport implements Transport {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  async send(message: OutboxMessage): Promise<void> {
    this.write(`[${message.channel} → ${message.to}] ${JSON.stringify(deliveryRecord(message))}`);
  }
}
