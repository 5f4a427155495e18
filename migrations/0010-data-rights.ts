import { MigrationInterface, QueryRunner } from 'typeorm';

/** The trigger function of 0006: every UPDATE, DELETE and TRUNCATE of `audit_events` refused. */
const APPEND_ONLY = `
  CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END $$`;

/**
 * Still append-only, with one narrow exception: the erasure of an account. Inside a transaction
 * that set `fyntrix.erasing_user` (transaction-local, `set_config(…, true)`), an UPDATE may redact
 * that user's events and nothing else: where the user is the subject, the values, request id,
 * IP and user agent become NULL and the changed fields keep only their first segment (a watchlist
 * change names `items.<symbol>`); where the user only acted (an administrator), the request id,
 * IP and user agent become NULL. `erased_at` marks the event; every other column must stay as it
 * was. DELETE and TRUNCATE stay refused.
 */
const APPEND_ONLY_BUT_ERASURE = `
  CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    erasing text := nullif(current_setting('fyntrix.erasing_user', true), '');
  BEGIN
    IF TG_OP = 'UPDATE' AND erasing IS NOT NULL
       AND OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL
       AND NEW.request_id IS NULL AND NEW.ip IS NULL AND NEW.user_agent IS NULL
       AND (NEW.id, NEW.occurred_at, NEW.actor_user_id, NEW.subject_user_id, NEW.entity, NEW.action)
           IS NOT DISTINCT FROM (OLD.id, OLD.occurred_at, OLD.actor_user_id, OLD.subject_user_id, OLD.entity, OLD.action)
       AND (
         (OLD.subject_user_id::text = erasing
           AND NEW.before IS NULL AND NEW.after IS NULL
           AND NEW.changed_fields = ARRAY(
             SELECT DISTINCT split_part(field, '.', 1) FROM unnest(OLD.changed_fields) AS field ORDER BY 1))
         OR (OLD.actor_user_id::text = erasing
           AND (NEW.before, NEW.after, NEW.changed_fields) IS NOT DISTINCT FROM (OLD.before, OLD.after, OLD.changed_fields))
       )
    THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END $$`;

const AUDIT_ENTITIES = `'preferences', 'watchlist', 'insights', 'profile', 'broker_connection', 'trade_intent', 'import'`;

/**
 * 0010 — users' data rights (export, erasure). Accounts can be `erased`: the row stays, with
 * nothing that identifies the person, so its id and account id are never reused. `erased_accounts`
 * lists them (ids only, no personal data) so that a restored backup can be erased again
 * (`npm run erasure:reapply`). Audit events gain `erased_at` and the redaction path above, and
 * the `account` entity (exports and erasures). Existing events need no change: they are
 * redacted when their user is erased.
 */
export class DataRights1764000000010 implements MigrationInterface {
  name = 'DataRights1764000000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_status`);
    await q.query(
      `ALTER TABLE users ADD CONSTRAINT ck_users_status CHECK (status IN ('active', 'disabled', 'erased'))`,
    );
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_identity`);
    await q.query(`
      ALTER TABLE users ADD CONSTRAINT ck_users_identity
        CHECK (email IS NOT NULL OR external_subject IS NOT NULL OR status = 'erased')`);
    await q.query(`
      CREATE TABLE erased_accounts (
        user_id uuid NOT NULL,
        account_id varchar(16) NOT NULL,
        erased_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_erased_accounts PRIMARY KEY (user_id)
      )`);

    await q.query(`ALTER TABLE audit_events ADD COLUMN erased_at timestamptz`);
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT ck_audit_events_entity`);
    await q.query(
      `ALTER TABLE audit_events ADD CONSTRAINT ck_audit_events_entity CHECK (entity IN (${AUDIT_ENTITIES}, 'account'))`,
    );
    // The erasure finds the events an erased administrator made on others' data; rare rows, a small index.
    await q.query(`
      CREATE INDEX ix_audit_events_other_actor ON audit_events (actor_user_id)
        WHERE actor_user_id <> subject_user_id`);
    await q.query(APPEND_ONLY_BUT_ERASURE);
  }

  /**
   * Erased accounts stay erased: their rows become `disabled` with a placeholder address (no
   * personal data), and the `account` events stay (the trail is append-only), so the old entity
   * check comes back NOT VALID: it holds for every new event.
   */
  async down(q: QueryRunner): Promise<void> {
    await q.query(APPEND_ONLY);
    await q.query(`DROP INDEX ix_audit_events_other_actor`);
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT ck_audit_events_entity`);
    await q.query(
      `ALTER TABLE audit_events ADD CONSTRAINT ck_audit_events_entity CHECK (entity IN (${AUDIT_ENTITIES})) NOT VALID`,
    );
    await q.query(`ALTER TABLE audit_events DROP COLUMN erased_at`);
    await q.query(`DROP TABLE erased_accounts`);
    await q.query(`
      UPDATE users SET status = 'disabled', email = lower('erased-' || account_id || '@erased.invalid')
       WHERE status = 'erased'`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_identity`);
    await q.query(`
      ALTER TABLE users ADD CONSTRAINT ck_users_identity CHECK (email IS NOT NULL OR external_subject IS NOT NULL)`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_status`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT ck_users_status CHECK (status IN ('active', 'disabled'))`);
  }
}
