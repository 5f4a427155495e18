import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 0003 — `user_preferences`: one row per user, replacing the browser keys
 * `arise_disclosure_accepted_v1`, `arise_universe`, `arise_market_region`, `arise_risk`,
 * `arise_modes`, `arise_primary_mode` and `arise_auxiliary_modes`. `version` backs the ETag;
 * a user without a row reads the documented defaults (version 0).
 */
export class UserPreferences1764000000003 implements MigrationInterface {
  name = 'UserPreferences1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_preferences (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        disclosure_accepted boolean NOT NULL,
        disclosure_accepted_at timestamptz,
        universe varchar(20) NOT NULL,
        market_region varchar(10) NOT NULL,
        risk_profile varchar(16) NOT NULL,
        trading_modes jsonb NOT NULL,
        primary_mode varchar(16),
        auxiliary_modes jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_user_preferences PRIMARY KEY (id),
        CONSTRAINT uq_user_preferences_user UNIQUE (user_id),
        CONSTRAINT fk_user_preferences_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_user_preferences_universe CHECK (universe IN
          ('NIFTY50', 'NIFTY100', 'NIFTY200', 'NIFTY500', 'NIFTYMIDCAP150', 'NIFTYSMALLCAP250', 'NIFTYBANK')),
        CONSTRAINT ck_user_preferences_market_region CHECK (market_region IN ('India', 'Global')),
        CONSTRAINT ck_user_preferences_risk_profile CHECK (risk_profile IN ('Aggressive', 'Moderate', 'Conservative')),
        CONSTRAINT ck_user_preferences_primary_mode CHECK (primary_mode IN ('Intraday', 'Swing', 'Options', 'Futures')),
        CONSTRAINT ck_user_preferences_trading_modes CHECK (jsonb_typeof(trading_modes) = 'object'),
        CONSTRAINT ck_user_preferences_auxiliary_modes CHECK (jsonb_typeof(auxiliary_modes) = 'array'),
        CONSTRAINT ck_user_preferences_disclosure CHECK (disclosure_accepted = (disclosure_accepted_at IS NOT NULL)),
        CONSTRAINT ck_user_preferences_version CHECK (version > 0)
      )`);
    await q.query(`CREATE INDEX ix_user_preferences_universe ON user_preferences (universe)`);
    await q.query(`CREATE INDEX ix_user_preferences_risk_profile ON user_preferences (risk_profile)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_preferences`);
  }
}
