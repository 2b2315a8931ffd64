import jwt from 'jsonwebtoken';

/** The issuer and audience every test configuration expects of host tokens (testConfig sets them). */
export const TOKEN_ISSUER = 'https://host-app.test';
export const TOKEN_AUDIENCE = 'membership-assistant-test';

/**
 * A host token as the host app issues it: member `sub`, channel user `uid`, the configured issuer
 * and audience; `overrides` replaces claims (or removes them with undefined) for refusal tests.
 */
export function signHostToken(
  secret: string,
  memberId: string,
  userId: string,
  exp: number,
  overrides: Record<string, unknown> = {},
): string {
  const claims: Record<string, unknown> = {
    sub: memberId,
    uid: userId,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    exp,
    ...overrides,
  };
  for (const key of Object.keys(claims)) if (claims[key] === undefined) delete claims[key];
  return jwt.sign(claims, secret, { algorithm: 'HS256', noTimestamp: true });
}
