import { describeRepositoryContract } from '../repositoryContract.js';
import { instance, seededDatabase } from './postgresFixture.js';

describeRepositoryContract('PostgreSQL', async () => {
  const repo = instance(await seededDatabase());
  return { repo, close: () => repo.close() };
});
