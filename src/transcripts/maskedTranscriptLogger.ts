import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Activity, Middleware, TranscriptLogger, TurnContext } from 'botbuilder';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log.js';
import { TOO_LONG } from '../../dialogs/stepPrompt.js';
import { keptText } from '../i18n/keptText.js';
import { toSupportedLocale } from '../i18n/languages.js';
import { maskDeep, maskText } from '../core/mask.js';
import { namesIn } from '../privacy/namesInTurn.js';
import { DATA_FILE_MODE } from '../store/storeFiles.js';

const DAY_MS = 86_400_000;
const SECRET_KEYS = /token|secret|password|authorization|code/i;
/** What a member's name becomes in a transcript. */
const NAME_MASK = '[name]';

export interface TranscriptLoggerOptions {
  dir: string;
  retentionDays: number;
  /** A conversation's buffer is written once it has been quiet this long. */
  idleMs: number;
}

/**
 * Everything a person reads in an activity, masked: what looks like a phone number, an e-mail or a
 * code, and the `names` the turn sent (noteName). Ids and timestamps are left as they are.
 */
export function maskActivity(activity: Partial<Activity>, names: readonly string[] = []): Partial<Activity> {
  const mask = (text: string) => maskText(names.reduce((masked, name) => masked.replaceAll(name, NAME_MASK), text));
  const copy = JSON.parse(JSON.stringify(activity)) as Partial<Activity>;
  // Kept as the chat page keeps it: a pasted book would otherwise be rewritten at every flush.
  if (copy.text) copy.text = keptText(mask(copy.text), TOO_LONG, toSupportedLocale(copy.locale) ?? 'en-US');
  if (copy.speak) copy.speak = mask(copy.speak);
  if (copy.suggestedActions) copy.suggestedActions = maskDeep(copy.suggestedActions, mask);
  if (copy.attachments) copy.attachments = maskDeep(copy.attachments, mask);
  if (copy.value !== undefined) copy.value = maskDeep<unknown>(copy.value, mask);
  if (copy.channelData && typeof copy.channelData === 'object') {
    copy.channelData = Object.fromEntries(
      Object.entries(copy.channelData as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEYS.test(k) ? '[redacted]' : maskDeep(v, mask),
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

  /** Buffers the activity masked, `names` (those its turn sent) included. */
  logActivity(activity: Partial<Activity>, names: readonly string[] = []): void {
    const channelId = activity.channelId ?? 'unknown';
    const conversationId = activity.conversation?.id ?? 'unknown';
    const key = `${channelId}\u0000${conversationId}`;
    let buffer = this.buffers.get(key);
    if (!buffer) {
      buffer = { key, file: join(this.options.dir, fileName(channelId, conversationId)), pending: [], lastAt: 0 };
      this.buffers.set(key, buffer);
    }
    buffer.pending.push({ ...maskActivity(activity, names), timestamp: activity.timestamp ?? this.clock.now() });
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

  /**
   * Deletes transcripts last written more than the retention ago, and narrows the others to the
   * service's own user (an earlier version left them readable by every local user); returns how
   * many were deleted.
   */
  async purgeOld(): Promise<number> {
    if (!existsSync(this.options.dir)) return 0;
    const cutoff = this.clock.now().getTime() - this.options.retentionDays * DAY_MS;
    let removed = 0;
    for (const name of await readdir(this.options.dir)) {
      if (name.endsWith('.transcript') || name.endsWith('.transcript.tmp'))
        removed += (await this.tidy(join(this.options.dir, name), cutoff)) ? 1 : 0;
    }
    return removed;
  }

  /** Deletes the file if it was last written before `cutoff` (true), else narrows its mode. */
  private async tidy(path: string, cutoff: number): Promise<boolean> {
    const { mtimeMs, mode } = await stat(path);
    if (mtimeMs < cutoff) {
      await unlink(path);
      return true;
    }
    if (mode & 0o077) await chmod(path, DATA_FILE_MODE);
    return false;
  }

  private async write(buffer: Buffer): Promise<void> {
    const taken = buffer.pending.splice(0);
    try {
      await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
      const earlier = existsSync(buffer.file)
        ? (JSON.parse(await readFile(buffer.file, 'utf8')) as Partial<Activity>[])
        : [];
      const tmp = `${buffer.file}.tmp`;
      // Made anew, so that it gets the mode: a temp file left by a crash would keep its own.
      await rm(tmp, { force: true });
      await writeFile(tmp, `${JSON.stringify([...earlier, ...taken], null, 2)}\n`, { mode: DATA_FILE_MODE });
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

/**
 * Hands each activity of a turn (the incoming one, then those sent) to the logger at the turn's
 * end, with the names the turn noted (noteName), as botbuilder's TranscriptLoggerMiddleware would
 * without them.
 */
export class MaskedTranscriptMiddleware implements Middleware {
  constructor(private readonly transcripts: MaskedTranscriptLogger) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const incoming = snapshot(context.activity);
    const turn: Partial<Activity>[] = [
      { ...incoming, from: { ...incoming.from, role: incoming.from?.role || 'user' } as Activity['from'] },
    ];
    context.onSendActivities(async (_context, activities, send) => {
      const responses = await send();
      activities.forEach((a, i) => turn.push({ ...snapshot(a), id: responses?.[i]?.id ?? a.id }));
      return responses;
    });
    await next();
    const names = namesIn(context);
    for (const activity of turn.filter(worthKeeping)) this.transcripts.logActivity(activity, names);
  }
}

/** A copy as the activity is now: the turn may change it afterwards. */
const snapshot = (activity: Partial<Activity>) => JSON.parse(JSON.stringify(activity)) as Partial<Activity>;

/** The event that starts a proactive message is the adapter's, not the member's. */
const worthKeeping = (activity: Partial<Activity>) =>
  !(activity.type === 'event' && activity.name === 'ContinueConversation');
