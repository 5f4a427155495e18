import { MigrationInterface, QueryRunner } from 'typeorm';

const INDEX = 'ux_audit_events_subject_seq';

/**
 * 0009 — the audit trail becomes the change feed of the live streams (`GET /api/v1/events`):
 *
 * - `seq`: each event's position in the change history, drawn from one sequence by a BEFORE
 *   INSERT trigger AFTER it took the subject user's transaction-scoped advisory lock (class
 *   5004, the user id's hash). The lock is held until the inserting transaction ends, so a user's
 *   next event can only draw its seq once the previous one committed or rolled back: a user's
 *   events commit in seq order, and a reader that sees seq N sees every earlier one of that user
 *   (replay after `Last-Event-ID` never skips one). Whatever inserts the event — a route's
 *   transaction, the preferences' one-statement write, a CLI — takes the lock.
 * - `entity_version`: the version of the changed entity that the change made, where it has one
 *   (the preferences), so the stream can name the new ETag.
 * - an AFTER INSERT trigger `pg_notify('fyntrix_changes', {userId, seq, entity})`: PostgreSQL
 *   delivers it at commit, so a rolled-back write never notifies and a committed one always does.
 *
 * Events from before this migration keep a null `seq` (the table is append-only, and no client
 * holds an id from before). Plain statements, each idempotent, outside a transaction: the index
 * is built CONCURRENTLY, so that the audit trail keeps taking inserts while it builds; adding the
 * nullable columns rewrites nothing.
 */
export class AuditEventsChangeFeed1764000000009 implements MigrationInterface {
  name = 'AuditEventsChangeFeed1764000000009';
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE audit_events ADD COLUMN IF NOT EXISTS seq bigint, ADD COLUMN IF NOT EXISTS entity_version integer`,
    );
    await q.query(`CREATE SEQUENCE IF NOT EXISTS audit_events_seq AS bigint OWNED BY audit_events.seq`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_sequence() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(5004, hashtext(NEW.subject_user_id::text));
        NEW.seq := nextval('audit_events_seq');
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE OR REPLACE TRIGGER tr_audit_events_sequence BEFORE INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_sequence()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('fyntrix_changes',
          json_build_object('userId', NEW.subject_user_id, 'seq', NEW.seq, 'entity', NEW.entity)::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE TRIGGER tr_audit_events_notify AFTER INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_notify()`);
    const [invalid] = (await q.query(
      `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1 AND NOT i.indisvalid`,
      [INDEX],
    )) as unknown[];
    if (invalid) await q.query(`DROP INDEX CONCURRENTLY ${INDEX}`);
    // Replay: one user's events after a seq, in order.
    await q.query(`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${INDEX} ON audit_events (subject_user_id, seq)`);
  }

  /** Plain statements: TypeORM reverts a migration inside a transaction whatever it says. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS tr_audit_events_notify ON audit_events`);
    await q.query(`DROP TRIGGER IF EXISTS tr_audit_events_sequence ON audit_events`);
    await q.query(`DROP FUNCTION IF EXISTS audit_events_notify()`);
    await q.query(`DROP FUNCTION IF EXISTS audit_events_sequence()`);
    await q.query(`DROP INDEX IF EXISTS ${INDEX}`);
    // Drops the sequence it owns too.
    await q.query(`ALTER TABLE audit_events DROP COLUMN IF EXISTS seq, DROP COLUMN IF EXISTS entity_version`);
  }
}
