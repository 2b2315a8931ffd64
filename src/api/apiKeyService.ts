import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import type { Repository, Transaction } from '../model/repository.js';
import type { ApiKey, ApiScope } from '../model/schema.js';

/** A key just made: the record kept, and the only copy of the whole key (shown once, never stored). */
export interface IssuedKey {
  key: ApiKey;
  token: string;
}

/** No key has that id; the message names the command that lists them. */
export class UnknownApiKeyError extends Error {
  constructor(readonly id: string) {
    super(`No API key ${id}; \`npm run api:key -- list\` shows the keys there are.`);
    this.name = 'UnknownApiKeyError';
  }
}

/** A key is `<id>_<secret>`: the id is public (logs, audit), the secret 24 random bytes as hex. */
const TOKEN = /^(ak_[0-9a-f]{12})_([0-9a-f]{48})$/;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * The provider's API keys: made with their scopes, shown once, kept as a hash of the secret (a
 * 192-bit random secret needs no slow hash), revoked or rotated, checked on each request. Each
 * change is one transaction with its audit entry.
 */
export class ApiKeyService {
  constructor(
    private readonly repo: Repository,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  async create(scopes: ApiScope[], label?: string): Promise<IssuedKey> {
    return this.repo.transact(async (tx) => this.issue(tx, scopes, label));
  }

  list(): Promise<ApiKey[]> {
    return this.repo.apiKeys();
  }

  /** Revokes the key at once; revoking a revoked key changes nothing. */
  async revoke(id: string): Promise<ApiKey> {
    return this.repo.transact(async (tx) => {
      const key = await this.existing(tx, id);
      if (key.revokedAt) return key;
      const revoked: ApiKey = { ...key, revokedAt: this.clock.now().toISOString() };
      tx.put('apiKeys', revoked);
      this.audit(tx, 'api.key.revoked', { keyId: id });
      return revoked;
    });
  }

  /** A new key with the same scopes and label; the old one is revoked in the same transaction. */
  async rotate(id: string): Promise<IssuedKey> {
    return this.repo.transact(async (tx) => {
      const old = await this.existing(tx, id);
      const issued = this.issue(tx, old.scopes, old.label);
      tx.put('apiKeys', {
        ...old,
        revokedAt: old.revokedAt ?? this.clock.now().toISOString(),
        replacedBy: issued.key.id,
      });
      this.audit(tx, 'api.key.rotated', { keyId: id, replacedBy: issued.key.id });
      return issued;
    });
  }

  /** The live key a bearer token names, or undefined (malformed, unknown, revoked or a wrong secret alike). */
  async authenticate(token: string): Promise<ApiKey | undefined> {
    const parts = TOKEN.exec(token);
    if (!parts) return undefined;
    const key = await this.repo.apiKey(parts[1]);
    if (!key || key.revokedAt) return undefined;
    const given = Buffer.from(hashOf(parts[2]), 'hex');
    return timingSafeEqual(given, Buffer.from(key.secretHash, 'hex')) ? key : undefined;
  }

  private issue(tx: Transaction, scopes: readonly ApiScope[], label?: string): IssuedKey {
    const id = `ak_${this.random.hex(6)}`;
    const secret = this.random.hex(24);
    const key: ApiKey = {
      id,
      secretHash: hashOf(secret),
      scopes: [...new Set(scopes)],
      createdAt: this.clock.now().toISOString(),
      ...(label ? { label } : {}),
    };
    tx.put('apiKeys', key);
    this.audit(tx, 'api.key.created', { keyId: id, scopes: key.scopes.join(',') });
    return { key, token: `${id}_${secret}` };
  }

  private async existing(tx: Transaction, id: string): Promise<ApiKey> {
    const key = await tx.apiKey(id);
    if (!key) throw new UnknownApiKeyError(id);
    return key;
  }

  private audit(tx: Transaction, type: string, data: Record<string, string>): void {
    tx.put('audit', { id: `au-${this.random.hex(8)}`, at: this.clock.now().toISOString(), type, data });
  }
}
