import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Activity, TranscriptLogger } from 'botbuilder';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log.js';
import { TOO_LONG } from '../../dialogs/stepPrompt.js';
import { keptText } from '../i18n/keptText.js';
import { toSupportedLocale } from '../i18n/languages.js';
import { maskDeep, maskText } from '../privacy/mask.js';

const DAY_MS = 86_400_000;
const SECRET_KEYS = /token|secret|password|authorization|code/i;

export interface TranscriptLoggerOptions {
  dir: string;
  retentionDays: number;
  /** A conversation's buffer is written once it has been quiet this long. */
  idleMs: number;
}

/** Everything a person reads in an activity, masked; ids and timestamps are left as they are. */
export function maskActivity(activity: Partial<Activity>): Partial<Activity> {
  const copy = JSON.parse(JSON.stringify(activity)) as Partial<Activity>;
  // Kept as the chat page keeps it: a pasted book would otherwise be rewritten at every flush.
  if (copy.text) copy.text = keptText(maskText(copy.text), TOO_LONG, toSupportedLocale(copy.locale) ?? 'en-US');
  if (copy.speak) copy.speak = maskText(copy.speak);
  if (copy.suggestedActions) copy.suggestedActions = maskDeep(copy.suggestedActions);
  if (copy.attachments) copy.attachments = maskDeep(copy.attachments);
  if (copy.value !== undefined) copy.value = maskDeep<unknown>(copy.value);
  if (copy.channelData && typeof copy.channelData === 'object') {
    copy.channelData = Object.fromEntries(
      Object.entries(copy.channelData as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEYS.test(k) ? '[redacted]' : maskDeep(v),
      ]),
    );
  }
  if (copy.from && !copy.from.role) copy.from = { ...copy.from, role: 'bot' };
  return copy;
}

function fileName(channelId: string, conversationId: string): string {
  return `${`${channelId}_${conversationId}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 180)}.transcript`;
}

interface Buffer {
  key: string;
  file: string;
  pending: Partial<Activity>[];
  lastAt: number;
}

/**
 * Keeps each conversation as one Emulator `.transcript` file (a JSON array), so support can open
 * a member's conversation with File › Open Transcript. Personal data is masked before anything
 * is kept, and nothing waits on the disk during a turn: activities are buffered and written when
 * the conversation goes quiet or the server stops. Files older than the retention are deleted.
 */
export class MaskedTranscriptLogger implements TranscriptLogger {
  private readonly buffers = new Map<string, Buffer>();
  private timers: NodeJS.Timeout[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: TranscriptLoggerOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  logActivity(activity: Partial<Activity>): void {
    const channelId = activity.channelId ?? 'unknown';
    const conversationId = activity.conversation?.id ?? 'unknown';
    const key = `${channelId}\u0000${conversationId}`;
    let buffer = this.buffers.get(key);
    if (!buffer) {
      buffer = { key, file: join(this.options.dir, fileName(channelId, conversationId)), pending: [], lastAt: 0 };
      this.buffers.set(key, buffer);
    }
    buffer.pending.push(maskActivity(activity));
    buffer.lastAt = this.clock.now().getTime();
  }

  /** Deletes old files now and daily; writes quiet conversations every `checkMs`. */
  start(checkMs = 15_000): void {
    void this.purgeOld();
    const purge = setInterval(() => void this.purgeOld(), DAY_MS);
    const idle = setInterval(() => void this.flush(false), checkMs);
    purge.unref();
    idle.unref();
    this.timers.push(purge, idle);
  }

  /** Writes buffered activities: all of them, or (`all` false) those of quiet conversations. */
  flush(all = true): Promise<void> {
    const now = this.clock.now().getTime();
    const due = [...this.buffers.values()].filter(
      (b) => b.pending.length && (all || now - b.lastAt >= this.options.idleMs),
    );
    this.writing = this.writing.then(async () => {
      for (const buffer of due) await this.write(buffer);
    });
    return this.writing;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.flush(true);
  }

  /** Deletes transcripts last written more than the retention ago; returns how many. */
  async purgeOld(): Promise<number> {
    if (!existsSync(this.options.dir)) return 0;
    const cutoff = this.clock.now().getTime() - this.options.retentionDays * DAY_MS;
    let removed = 0;
    for (const name of await readdir(this.options.dir)) {
      if (!name.endsWith('.transcript')) continue;
      const path = join(this.options.dir, name);
      if ((await stat(path)).mtimeMs < cutoff) {
        await unlink(path);
        removed += 1;
      }
    }
    return removed;
  }

  private async write(buffer: Buffer): Promise<void> {
    const taken = buffer.pending.splice(0);
    try {
      await mkdir(this.options.dir, { recursive: true });
      const earlier = existsSync(buffer.file)
        ? (JSON.parse(await readFile(buffer.file, 'utf8')) as Partial<Activity>[])
        : [];
      const tmp = `${buffer.file}.tmp`;
      await writeFile(tmp, `${JSON.stringify([...earlier, ...taken], null, 2)}\n`);
      await rename(tmp, buffer.file);
    } catch (err) {
      buffer.pending.unshift(...taken);
      this.logger.error({ err, file: buffer.file }, 'could not write a transcript; will try again');
      return;
    }
    // A quiet conversation holds no memory until it speaks again.
    if (buffer.pending.length === 0) this.buffers.delete(buffer.key);
  }
}
