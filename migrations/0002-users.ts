import { MigrationInterface, QueryRunner } from 'typeorm';

const USER_OWNED_TABLES = ['broker_connections', 'trade_intents', 'broker_orders', 'portfolio_snapshots'];

/**
 * 0002 — `users` with its audit fields (created/updated/deleted at, last login, failed logins,
 * lock-out, role, status, identity-provider issuer + subject), `refresh_tokens`, and the foreign
 * keys from the trading tables of 0001 to `users`.
 *
 * Emails are stored lower-cased (the check enforces it), so the plain unique constraint is
 * case-insensitive.
 */
export class Users1764000000002 implements MigrationInterface {
  name = 'Users1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        account_id varchar(16) NOT NULL,
        email varchar(254),
        name varchar(100) NOT NULL DEFAULT '',
        password_hash varchar(255),
        role varchar(16) NOT NULL DEFAULT 'user',
        status varchar(16) NOT NULL DEFAULT 'active',
        external_issuer varchar(255),
        external_subject varchar(255),
        last_login_at timestamptz,
        failed_login_count integer NOT NULL DEFAULT 0,
        first_failed_login_at timestamptz,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT uq_users_account_id UNIQUE (account_id),
        CONSTRAINT uq_users_email UNIQUE (email),
        CONSTRAINT uq_users_external_identity UNIQUE (external_issuer, external_subject),
        CONSTRAINT ck_users_email_lower CHECK (email = lower(email)),
        CONSTRAINT ck_users_identity CHECK (email IS NOT NULL OR external_subject IS NOT NULL),
        CONSTRAINT ck_users_external_pair CHECK ((external_issuer IS NULL) = (external_subject IS NULL)),
        CONSTRAINT ck_users_role CHECK (role IN ('user', 'admin')),
        CONSTRAINT ck_users_status CHECK (status IN ('active', 'disabled')),
        CONSTRAINT ck_users_failed_login_count CHECK (failed_login_count >= 0)
      )`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        family_id uuid NOT NULL,
        token_hash bytea NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT pk_refresh_tokens PRIMARY KEY (id),
        CONSTRAINT uq_refresh_tokens_hash UNIQUE (token_hash),
        CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id)`);

    for (const table of USER_OWNED_TABLES) {
      await q.query(
        `ALTER TABLE ${table} ADD CONSTRAINT fk_${table}_user
           FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of USER_OWNED_TABLES) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT fk_${table}_user`);
    }
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE users`);
  }
}
