import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 0001 — the trading tables of the original service: broker connections and their encrypted
 * tokens, trade intents, broker orders and portfolio snapshots. The foreign keys to `users`
 * arrive with 0002, which creates that table.
 *
 * Money and quantities are `numeric` (exact), raw broker payloads and holdings `jsonb`.
 */
export class TradingTables1764000000001 implements MigrationInterface {
  name = 'TradingTables1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE broker_connections (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        broker varchar(16) NOT NULL,
        account_ref varchar(64) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'active',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT pk_broker_connections PRIMARY KEY (id),
        CONSTRAINT ck_broker_connections_broker
          CHECK (broker IN ('paper', 'zerodha', 'upstox', 'angelone', 'dhan', 'fyers')),
        CONSTRAINT ck_broker_connections_status CHECK (status IN ('active', 'revoked')),
        CONSTRAINT ck_broker_connections_revoked CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_broker_connections_user ON broker_connections (user_id, created_at)`);
    // One live connection per broker account; revoked rows stay for the orders that reference them.
    await q.query(`
      CREATE UNIQUE INDEX ux_broker_connections_account ON broker_connections (user_id, broker, account_ref)
        WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE broker_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        connection_id uuid NOT NULL,
        access_token bytea NOT NULL,
        refresh_token bytea,
        key_version integer NOT NULL,
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_broker_tokens PRIMARY KEY (id),
        CONSTRAINT uq_broker_tokens_connection UNIQUE (connection_id),
        CONSTRAINT fk_broker_tokens_connection FOREIGN KEY (connection_id)
          REFERENCES broker_connections (id) ON DELETE CASCADE,
        CONSTRAINT ck_broker_tokens_key_version CHECK (key_version > 0)
      )`);
    await q.query(`CREATE INDEX ix_broker_tokens_key_version ON broker_tokens (key_version)`);

    await q.query(`
      CREATE TABLE trade_intents (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        connection_id uuid,
        symbol varchar(32) NOT NULL,
        exchange varchar(8) NOT NULL,
        side varchar(4) NOT NULL,
        quantity numeric(18,0) NOT NULL,
        order_type varchar(8) NOT NULL,
        limit_price numeric(18,4),
        trigger_price numeric(18,4),
        product varchar(8) NOT NULL,
        mode varchar(16) NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'draft',
        status_reason varchar(500),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz,
        CONSTRAINT pk_trade_intents PRIMARY KEY (id),
        CONSTRAINT fk_trade_intents_connection FOREIGN KEY (connection_id)
          REFERENCES broker_connections (id) ON DELETE RESTRICT,
        CONSTRAINT ck_trade_intents_symbol CHECK (symbol ~ '^[A-Z0-9&._-]{1,32}$'),
        CONSTRAINT ck_trade_intents_exchange CHECK (exchange IN ('NSE', 'BSE', 'NFO', 'MCX', 'NYSE', 'NASDAQ')),
        CONSTRAINT ck_trade_intents_side CHECK (side IN ('BUY', 'SELL')),
        CONSTRAINT ck_trade_intents_quantity CHECK (quantity > 0),
        CONSTRAINT ck_trade_intents_order_type CHECK (order_type IN ('MARKET', 'LIMIT', 'SL', 'SL-M')),
        CONSTRAINT ck_trade_intents_prices CHECK (
          (order_type = 'MARKET' AND limit_price IS NULL AND trigger_price IS NULL) OR
          (order_type = 'LIMIT' AND limit_price > 0 AND trigger_price IS NULL) OR
          (order_type = 'SL' AND limit_price > 0 AND trigger_price > 0) OR
          (order_type = 'SL-M' AND limit_price IS NULL AND trigger_price > 0)),
        CONSTRAINT ck_trade_intents_product CHECK (product IN ('CNC', 'MIS', 'NRML')),
        CONSTRAINT ck_trade_intents_mode CHECK (mode IN ('Intraday', 'Swing', 'Options', 'Futures')),
        CONSTRAINT ck_trade_intents_status CHECK (status IN
          ('draft', 'submitted', 'open', 'partially_filled', 'filled', 'cancelled', 'rejected'))
      )`);
    await q.query(`CREATE INDEX ix_trade_intents_user_created ON trade_intents (user_id, created_at, id)`);
    await q.query(`CREATE INDEX ix_trade_intents_user_status ON trade_intents (user_id, status)`);

    await q.query(`
      CREATE TABLE broker_orders (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        intent_id uuid NOT NULL,
        connection_id uuid NOT NULL,
        broker_order_id varchar(64) NOT NULL,
        status varchar(20) NOT NULL,
        quantity numeric(18,0) NOT NULL,
        filled_quantity numeric(18,0) NOT NULL DEFAULT 0,
        average_price numeric(18,4),
        raw_payload jsonb,
        placed_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_broker_orders PRIMARY KEY (id),
        CONSTRAINT uq_broker_orders_broker_order UNIQUE (connection_id, broker_order_id),
        CONSTRAINT fk_broker_orders_intent FOREIGN KEY (intent_id)
          REFERENCES trade_intents (id) ON DELETE CASCADE,
        CONSTRAINT fk_broker_orders_connection FOREIGN KEY (connection_id)
          REFERENCES broker_connections (id) ON DELETE RESTRICT,
        CONSTRAINT ck_broker_orders_status CHECK (status IN
          ('open', 'partially_filled', 'filled', 'cancelled', 'rejected')),
        CONSTRAINT ck_broker_orders_quantity CHECK (quantity > 0),
        CONSTRAINT ck_broker_orders_filled CHECK (filled_quantity >= 0 AND filled_quantity <= quantity)
      )`);
    await q.query(`CREATE INDEX ix_broker_orders_user_placed ON broker_orders (user_id, placed_at, id)`);
    await q.query(`CREATE INDEX ix_broker_orders_intent ON broker_orders (intent_id)`);

    await q.query(`
      CREATE TABLE portfolio_snapshots (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        connection_id uuid,
        taken_at timestamptz NOT NULL,
        cash numeric(24,4) NOT NULL,
        holdings jsonb NOT NULL DEFAULT '[]',
        holdings_value numeric(28,4) NOT NULL,
        total_value numeric(28,4) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_portfolio_snapshots PRIMARY KEY (id),
        CONSTRAINT fk_portfolio_snapshots_connection FOREIGN KEY (connection_id)
          REFERENCES broker_connections (id) ON DELETE SET NULL,
        CONSTRAINT ck_portfolio_snapshots_holdings CHECK (jsonb_typeof(holdings) = 'array')
      )`);
    await q.query(`CREATE INDEX ix_portfolio_snapshots_user_taken ON portfolio_snapshots (user_id, taken_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE portfolio_snapshots`);
    await q.query(`DROP TABLE broker_orders`);
    await q.query(`DROP TABLE trade_intents`);
    await q.query(`DROP TABLE broker_tokens`);
    await q.query(`DROP TABLE broker_connections`);
  }
}
