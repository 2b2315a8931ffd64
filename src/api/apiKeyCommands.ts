import { API_SCOPES, type ApiKey, type ApiScope } from '../model/schema.js';
import type { ApiKeyService, IssuedKey } from './apiKeyService.js';

const USAGE = `usage: npm run api:key -- create --scope <${API_SCOPES.join(',')}> [--label <text>] | list | revoke <key id> | rotate <key id>`;

/** The command line is not one the key command knows; the message shows the usage. */
export class ApiKeyUsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n${USAGE}`);
    this.name = 'ApiKeyUsageError';
  }
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new ApiKeyUsageError(`${name} needs a value.`);
  return value;
}

function scopesOf(text: string | undefined): ApiScope[] {
  if (!text) throw new ApiKeyUsageError('Say what the key may do with --scope.');
  const scopes = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
  if (unknown.length || scopes.length === 0)
    throw new ApiKeyUsageError(
      `Unknown scope ${unknown.join(', ') || '(none)'}; the scopes are ${API_SCOPES.join(', ')}.`,
    );
  return scopes as ApiScope[];
}

/** The secret on a line of its own, last, so a person or a script can take it from the output. */
const shown = (issued: IssuedKey, what: string) =>
  `${what} API key ${issued.key.id} (scopes: ${issued.key.scopes.join(', ')}). ` +
  `It is shown this once and only its hash is kept; send it as "Authorization: Bearer <key>":\n${issued.token}`;

const line = (k: ApiKey) =>
  [
    k.id,
    k.scopes.join(','),
    `created ${k.createdAt}`,
    k.revokedAt ? `revoked ${k.revokedAt}` : 'live',
    k.replacedBy ? `replaced by ${k.replacedBy}` : '',
    k.label ?? '',
  ]
    .filter(Boolean)
    .join('  ');

/** Runs `create`, `list`, `revoke` or `rotate`; returns what to print. */
export async function runApiKeyCommand(args: string[], keys: ApiKeyService): Promise<string> {
  const [command, ...rest] = args;
  switch (command) {
    case 'create':
      return shown(await keys.create(scopesOf(option(rest, '--scope')), option(rest, '--label')), 'Created');
    case 'list': {
      const all = await keys.list();
      return all.length ? all.map(line).join('\n') : 'No API keys yet.';
    }
    case 'revoke': {
      if (!rest[0]) throw new ApiKeyUsageError('Name the key to revoke by its id (ak_…).');
      const key = await keys.revoke(rest[0]);
      return `Revoked API key ${key.id}: requests with it get 401 from now on.`;
    }
    case 'rotate': {
      if (!rest[0]) throw new ApiKeyUsageError('Name the key to rotate by its id (ak_…).');
      return shown(await keys.rotate(rest[0]), `Revoked ${rest[0]}; its replacement is`);
    }
    default:
      throw new ApiKeyUsageError(command ? `Unknown command "${command}".` : 'Say what to do.');
  }
}
