-- Rate limits every instance shares (src/store/postgres/postgresRateLimiter.ts), in the table
-- rate-limiter-flexible's RateLimiterPostgres uses: it inserts by position, so the columns keep its
-- order (key, points, expire). `key` is text rather than its varchar(255): a conversation id can be
-- longer. `expire` is in epoch milliseconds; rows an hour past it are deleted every few minutes.
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);

CREATE INDEX rate_limits_expire ON rate_limits (expire);
