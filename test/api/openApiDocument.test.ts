import { readFileSync } from 'node:fs';
import { API_OPERATIONS } from '../../src/api/apiOperations.js';
import { openApiDocument, openApiText } from '../../src/api/openApiDocument.js';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

describe('the OpenAPI document', () => {
  it('is checked in as the zod schemas generate it (run `npm run api:openapi` after changing them)', () => {
    expect(readFileSync('docs/openapi.json', 'utf8')).toBe(openApiText(version));
  });

  it('is OpenAPI 3.1 with a bearer scheme, every operation secured, and the cancel route declaring Idempotency-Key', () => {
    const doc = openApiDocument(version);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components?.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    for (const op of API_OPERATIONS) {
      const described = doc.paths?.[op.path]?.[op.method];
      expect(described?.security).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(described?.responses ?? {})).toEqual(
        expect.arrayContaining([String(op.status), '401', '403', '429']),
      );
    }
    const cancel = doc.paths?.['/v1/members/{memberId}/memberships/{membershipId}/cancel']?.post;
    expect(cancel?.parameters).toContainEqual(
      expect.objectContaining({ in: 'header', name: 'Idempotency-Key', required: true }),
    );
  });
});
