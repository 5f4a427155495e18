import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 0004 — `user_watchlists`: one row per watched symbol, replacing the browser key
 * `arise_watchlist`. `position` keeps the user's order, dense 0..n-1.
 *
 * - Unique (user_id, symbol): a symbol is listed once; `INSERT … ON CONFLICT` relies on it.
 * - Unique (user_id, position), DEFERRABLE INITIALLY DEFERRED: no two items share a place,
 *   checked at commit, so a removal or a reorder can shift positions row by row.
 * - The seed's index on user_id is the leading column of both unique indexes (the position one
 *   also serves "the list in order"); symbol has its own index ("who watches X").
 * - The checks repeat the API's symbol format and exchange list, as trade_intents do.
 */
export class UserWatchlists1764000000004 implements MigrationInterface {
  name = 'UserWatchlists1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_watchlists (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        symbol varchar(32) NOT NULL,
        exchange varchar(8) NOT NULL DEFAULT 'NSE',
        notes varchar(500),
        position integer NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_user_watchlists PRIMARY KEY (id),
        CONSTRAINT uq_user_watchlists_user_symbol UNIQUE (user_id, symbol),
        CONSTRAINT uq_user_watchlists_user_position UNIQUE (user_id, position) DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT fk_user_watchlists_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_user_watchlists_symbol CHECK (symbol ~ '^[A-Z0-9&._-]{1,32}$'),
        CONSTRAINT ck_user_watchlists_exchange CHECK (exchange IN ('NSE', 'BSE', 'NFO', 'MCX', 'NYSE', 'NASDAQ')),
        CONSTRAINT ck_user_watchlists_position CHECK (position >= 0)
      )`);
    await q.query(`CREATE INDEX ix_user_watchlists_symbol ON user_watchlists (symbol)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_watchlists`);
  }
}
