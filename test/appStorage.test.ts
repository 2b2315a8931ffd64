import { storeInUse } from '../src/appStorage.js';

describe('the store named at start', () => {
  it('is the JSON file without DATABASE_URL', () => {
    expect(storeInUse({ DB_FILE: 'data/db.json', DATABASE_URL: undefined })).toBe('the JSON file data/db.json');
  });

  it('is the database’s host, port and name, without user or password', () => {
    const named = storeInUse({
      DB_FILE: 'data/db.json',
      DATABASE_URL: 'postgres://app:s3cret@db.internal:6543/members',
    });
    expect(named).toBe('PostgreSQL at db.internal:6543/members');
    expect(storeInUse({ DB_FILE: 'x', DATABASE_URL: 'postgresql://app:s3cret@localhost/membership' })).toBe(
      'PostgreSQL at localhost:5432/membership',
    );
    expect(named).not.toContain('s3cret');
  });
});
