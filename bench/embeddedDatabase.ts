import pg from 'pg';

/** The throwaway server of scripts/embeddedPostgres.mjs (plain JavaScript, shared with the tests). */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  // dist/bench/… → the repository's scripts/ (not compiled: the tests' global set-up imports it too).
  const module = (await import(new URL('../../scripts/embeddedPostgres.mjs', import.meta.url).href)) as {
    startEmbeddedPostgres(): Promise<EmbeddedPostgres>;
  };
  return module.startEmbeddedPostgres();
}

/** A new, empty database on the server of `url`, and its URL: one per size or run, so none sees another's rows. */
export async function createDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
