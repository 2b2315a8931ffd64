import { createHash } from 'node:crypto';
import type { Storage } from 'botbuilder';
import type { Clock } from '../core/clock.js';
import { hasPassed } from '../core/instant.js';

/**
 * How long the token a renewal replaced still answers: a message the page sent just before it
 * renewed arrives with the old token. It cannot renew again.
 */
export const REPLACED_TOKEN_GRACE_SECONDS = 60;

/**
 * An eTag no stored item has: a write carrying it creates the item, or is refused when one is
 * stored (every engine, like botbuilder's MemoryStorage, refuses a stored item whose eTag differs).
 */
const CREATE_ONLY = 'create-only';

/** A conversation's token generation, in the shared state storage so that every instance agrees. */
interface TokenGeneration {
  generation: number;
  /** until when the generation before this one is still accepted (ISO) */
  previousUntil?: string;
  eTag?: string;
}

/** Whether a token of a generation may be used: the newest, or the one it replaced for a moment. */
export type GenerationCheck = 'current' | 'replaced-recently' | 'replaced';

/**
 * What page tokens cannot carry themselves, kept in the state storage (idle-purged like any state,
 * by when the tokens it speaks of have expired): each conversation's token generation, so that a
 * renewal retires the token before it on every instance, and the host tokens that opened a
 * conversation, so that each opens one only.
 */
export class WebChatSessions {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /** A conversation never renewed has no record: its first token, generation 0, is the current one. */
  async check(conversationId: string, generation: number): Promise<GenerationCheck> {
    const stored = await this.load(conversationId);
    if (generation === stored.generation) return 'current';
    const recent =
      generation === stored.generation - 1 &&
      stored.previousUntil !== undefined &&
      !hasPassed(stored.previousUntil, this.clock.now());
    return recent ? 'replaced-recently' : 'replaced';
  }

  /**
   * Moves the conversation on from `generation` to the next one; resolves with it, or with null
   * when `generation` is no longer the current one (another renewal, perhaps on another instance,
   * got there first: of two holders of one token only one goes on).
   */
  async advance(conversationId: string, generation: number): Promise<number | null> {
    const stored = await this.load(conversationId);
    if (stored.generation !== generation) return null;
    const previousUntil = new Date(this.clock.now().getTime() + REPLACED_TOKEN_GRACE_SECONDS * 1000).toISOString();
    const next: TokenGeneration = { generation: generation + 1, previousUntil, eTag: stored.eTag ?? CREATE_ONLY };
    try {
      await this.storage.write({ [generationKey(conversationId)]: next });
    } catch (err) {
      if ((await this.load(conversationId)).generation !== generation) return null;
      throw err;
    }
    return next.generation;
  }

  /**
   * Records that a host token opened a conversation; false when it already had. Kept by the
   * token's hash (never the token) with its expiry, after which it vouches for nobody anyway.
   */
  async claimHostToken(token: string, expiresAt: Date): Promise<boolean> {
    const key = hostTokenKey(token);
    try {
      await this.storage.write({ [key]: { expiresAt: expiresAt.toISOString(), eTag: CREATE_ONLY } });
      return true;
    } catch (err) {
      if ((await this.storage.read([key]))[key] !== undefined) return false;
      throw err;
    }
  }

  private async load(conversationId: string): Promise<TokenGeneration> {
    const key = generationKey(conversationId);
    return ((await this.storage.read([key]))[key] as TokenGeneration | undefined) ?? { generation: 0 };
  }
}

function generationKey(conversationId: string): string {
  return `webchat/token-generation/${conversationId}`;
}

function hostTokenKey(token: string): string {
  return `webchat/host-token/${createHash('sha256').update(token).digest('hex')}`;
}
