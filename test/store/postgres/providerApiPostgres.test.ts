import { describeProviderApiContract } from '../providerApiContract.js';
import { instance, seededDatabase } from './postgresFixture.js';

describeProviderApiContract('PostgreSQL', async () => {
  const repo = instance(await seededDatabase());
  return { repo, close: () => repo.close() };
});
