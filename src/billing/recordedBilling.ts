import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RandomSource } from '../core/random.js';
import type { Clock } from '../core/clock.js';
import type { BillingPort, ChargeRequest, ChargeResult } from '../membership/billing.js';

interface RecordedCharge extends ChargeRequest {
  chargeId: string;
  at: string;
}

/**
 * The development billing adapter: every charge is accepted and appended, one JSON object a line,
 * to a file (BILLING_FILE; null keeps them in memory, for tests), and a key asked again gets the
 * charge recorded for it. For one process on one machine; production asks the provider's billing.
 */
export class RecordedBilling implements BillingPort {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly held: RecordedCharge[] = [];

  constructor(
    private readonly file: string | null,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  charge(request: ChargeRequest): Promise<ChargeResult> {
    // One at a time, so two passes asking with the same key cannot both append a charge.
    const result = this.queue.then(() => this.chargeOnce(request));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Every charge recorded, oldest first. */
  async charges(): Promise<RecordedCharge[]> {
    if (this.file === null) return [...this.held];
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordedCharge);
  }

  private async chargeOnce(request: ChargeRequest): Promise<ChargeResult> {
    const earlier = (await this.charges()).find((c) => c.idempotencyKey === request.idempotencyKey);
    if (earlier) return { status: 'charged', chargeId: earlier.chargeId };
    const charge: RecordedCharge = {
      ...request,
      chargeId: `ch-${this.random.hex(8)}`,
      at: this.clock.now().toISOString(),
    };
    if (this.file === null) {
      this.held.push(charge);
    } else {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, `${JSON.stringify(charge)}\n`, { mode: 0o600 });
    }
    return { status: 'charged', chargeId: charge.chargeId };
  }
}
