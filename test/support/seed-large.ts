import type { Client } from 'pg';

/** How many rows `seedLargeTables` writes to the biggest tables. */
export const LARGE_TABLE_ROWS = 200_000;
const USERS = 2_000;

/**
 * Fills every table of a migrated database with many users' rows, spread so that each user holds
 * a small share, and analyses them: enough that PostgreSQL would rather scan than use an index
 * that does not fit a query. Rows are plain SQL (generate_series), not the service's writes.
 */
export async function seedLargeTables(client: Client): Promise<void> {
  await client.query(`
    INSERT INTO users (account_id, email, name)
      SELECT 'FY-' || lpad(g::text, 8, '0'), 'seed' || g || '@example.com', 'Seed ' || g FROM generate_series(1, ${USERS}) g;
    CREATE TEMP TABLE seed_users AS SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS n FROM users;
    INSERT INTO audit_events (occurred_at, actor_user_id, subject_user_id, entity, action, before, after, changed_fields)
      SELECT now() - g * interval '1 second', u.id, u.id,
             (ARRAY['preferences', 'watchlist', 'insights', 'profile', 'import'])[1 + g % 5], 'update',
             '{"a": 0}', '{"a": 1}', '{a}'
        FROM generate_series(1, ${LARGE_TABLE_ROWS}) g JOIN seed_users u ON u.n = g % ${USERS};
    INSERT INTO user_preferences (user_id, disclosure_accepted, universe, market_region, risk_profile, trading_modes, auxiliary_modes)
      SELECT id, false, 'NIFTY50', 'India', 'Moderate', '{"Swing": true}', '[]' FROM users;
    INSERT INTO user_watchlists (user_id, symbol, position)
      SELECT u.id, 'SYM' || p, p FROM seed_users u, generate_series(0, 49) p;
    INSERT INTO user_dismissed_insights (user_id, insight_id, dismissed_at)
      SELECT u.id, 'insight-' || p, now() - p * interval '1 minute' FROM seed_users u, generate_series(1, 50) p;
    INSERT INTO local_storage_imports (user_id, device_id, received_at, keys_count, status, payload_hash, summary)
      SELECT u.id, 'device-' || (g % 3), now() - g * interval '1 minute', 5, 'imported', sha256(g::text::bytea),
             '{"results": [], "counts": {"imported": 5}}'
        FROM generate_series(1, ${LARGE_TABLE_ROWS / 10}) g JOIN seed_users u ON u.n = g % ${USERS};
    INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
      SELECT u.id, gen_random_uuid(), sha256(('t' || g)::bytea), now() + interval '1 day'
        FROM generate_series(1, ${LARGE_TABLE_ROWS / 10}) g JOIN seed_users u ON u.n = g % ${USERS};
    INSERT INTO broker_connections (user_id, broker, account_ref) SELECT id, 'paper', 'ACC-' || n FROM seed_users;
    INSERT INTO broker_tokens (connection_id, access_token, key_version)
      SELECT id, '\\x00'::bytea, 1 FROM broker_connections;
    INSERT INTO trade_intents (user_id, connection_id, symbol, exchange, side, quantity, order_type, product, mode, status, created_at)
      SELECT c.user_id, c.id, 'SYM' || (g % 50), 'NSE', 'BUY', 1, 'MARKET', 'CNC', 'Swing',
             (ARRAY['draft', 'open', 'filled', 'cancelled'])[1 + g % 4], now() - g * interval '1 second'
        FROM generate_series(1, ${LARGE_TABLE_ROWS / 2}) g
        JOIN seed_users u ON u.n = g % ${USERS} JOIN broker_connections c ON c.user_id = u.id;
    INSERT INTO broker_orders (user_id, intent_id, connection_id, broker_order_id, status, quantity, placed_at)
      SELECT i.user_id, i.id, i.connection_id, 'B-' || i.id, 'filled', 1, i.created_at
        FROM trade_intents i WHERE i.status IN ('open', 'filled');
    INSERT INTO portfolio_snapshots (user_id, taken_at, cash, holdings_value, total_value)
      SELECT u.id, now() - g * interval '1 minute', 100, 0, 100
        FROM generate_series(1, ${LARGE_TABLE_ROWS / 2}) g JOIN seed_users u ON u.n = g % ${USERS};
    ANALYZE;
  `);
}
