import { LOCALES } from '../../src/i18n/languages.js';
import { loadModels } from '../../src/nlu/models.js';
import { Understanding } from '../../src/nlu/understanding.js';

/** The models `npm run build` trained, as the server loads them. */
export const loadUnderstanding = async (): Promise<Understanding> => new Understanding(await loadModels(LOCALES));
