import pg from 'pg';

/** The NOTIFY channel a transaction that added outbox messages signals on. */
export const OUTBOX_CHANNEL = 'outbox_added';

/**
 * LISTENs for {@link OUTBOX_CHANNEL} on a connection of its own (a pooled one would be handed to
 * others). When that connection breaks it reconnects after `retryMs`, and then reports a notice
 * with an empty payload: messages may have been added while nobody listened.
 */
export class OutboxListener {
  private client: pg.Client | null = null;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private connected = false;
  private ready: Promise<void>;
  private markReady: () => void = () => undefined;
  private isReady = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly onNotice: (payload: string) => void,
    private readonly onError: (err: Error) => void,
    private readonly retryMs = 1000,
  ) {
    this.ready = this.nextReady();
    void this.connect();
  }

  /** Resolves once the current (or next) connection listens. */
  listening(): Promise<void> {
    return this.ready;
  }

  /** The server process of the listening connection, or null while reconnecting (tests break it). */
  async backendPid(): Promise<number | null> {
    const client = this.client;
    if (!client) return null;
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return rows[0].pid;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private nextReady(): Promise<void> {
    this.isReady = false;
    return new Promise((resolve) => {
      this.markReady = () => {
        this.isReady = true;
        resolve();
      };
    });
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    let lost = false;
    const drop = (err: Error) => {
      if (lost) return;
      lost = true;
      this.lost(client, err);
    };
    client.on('error', drop);
    client.on('end', () => drop(new Error('the listening connection was closed')));
    client.on('notification', (notice) => this.onNotice(notice.payload ?? ''));
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (err) {
      drop(err as Error);
      return;
    }
    if (this.closed || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    const reconnected = this.connected;
    this.connected = true;
    this.markReady();
    if (reconnected) this.onNotice('');
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.client === client) this.client = null;
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.onError(err);
    if (this.client === null && !this.timer) {
      if (this.isReady) this.ready = this.nextReady();
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.closed) void this.connect();
      }, this.retryMs);
      this.timer.unref();
    }
  }
}
