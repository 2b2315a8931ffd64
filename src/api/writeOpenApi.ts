// `npm run api:openapi`: writes docs/openapi.json from the API's zod schemas; a test fails when the
// checked-in copy differs from what they generate.
import { readFileSync, writeFileSync } from 'node:fs';
import { openApiText } from './openApiDocument.js';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
writeFileSync('docs/openapi.json', openApiText(version));
console.log('Wrote docs/openapi.json');
