import { join } from 'node:path';
import { openDataStore } from '../../../src/store/json/dataStore.js';
import { JsonRepository } from '../../../src/store/json/jsonRepository.js';
import { testSealer } from '../../support/sealer.js';
import { scratchDir } from '../../support/testConfig.js';
import { describeProviderApiContract } from '../providerApiContract.js';

describeProviderApiContract('the JSON store', async () => {
  const store = await openDataStore(join(scratchDir(), 'db.json'), 'data/seed.json');
  return { repo: await JsonRepository.open(store, testSealer()), close: () => store.close() };
});
