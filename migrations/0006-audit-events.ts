import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 0006 — `audit_events`: who changed what of whose data, when, from where. Append-only: a
 * trigger makes the database itself refuse UPDATE, DELETE and TRUNCATE. No foreign keys, on
 * purpose: the history outlives the rows it describes.
 */
export class AuditEvents1764000000006 implements MigrationInterface {
  name = 'AuditEvents1764000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_user_id uuid,
        subject_user_id uuid NOT NULL,
        entity varchar(32) NOT NULL,
        action varchar(32) NOT NULL,
        before jsonb,
        after jsonb,
        changed_fields text[] NOT NULL DEFAULT '{}',
        request_id varchar(128),
        ip varchar(45),
        user_agent varchar(512),
        CONSTRAINT pk_audit_events PRIMARY KEY (id),
        CONSTRAINT ck_audit_events_entity CHECK (entity IN
          ('preferences', 'watchlist', 'insights', 'profile', 'broker_connection', 'trade_intent', 'import'))
      )`);
    // "My events, newest first" (read backwards) and "events of one entity".
    await q.query(`CREATE INDEX ix_audit_events_subject ON audit_events (subject_user_id, occurred_at, id)`);
    await q.query(`CREATE INDEX ix_audit_events_entity ON audit_events (entity, occurred_at, id)`);
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TRIGGER tr_audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only()`);
  }
}
