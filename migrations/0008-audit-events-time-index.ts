import { MigrationInterface, QueryRunner } from 'typeorm';

const INDEX = 'ix_audit_events_occurred';

/**
 * 0008 — an index for the administrators' view of every event, newest first: without it that
 * page sorts the whole table (measured: 140 ms at a million events, 5.5 ms at a thousand).
 * Built CONCURRENTLY, outside a transaction, so that the audit trail keeps taking inserts while
 * it builds; a build that failed half-way leaves an invalid index, which is dropped first.
 */
export class AuditEventsTimeIndex1764000000008 implements MigrationInterface {
  name = 'AuditEventsTimeIndex1764000000008';
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    const [invalid] = (await q.query(
      `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1 AND NOT i.indisvalid`,
      [INDEX],
    )) as unknown[];
    if (invalid) await q.query(`DROP INDEX CONCURRENTLY ${INDEX}`);
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${INDEX} ON audit_events (occurred_at, id)`);
  }

  /** A plain DROP: quick, and TypeORM reverts a migration inside a transaction whatever it says. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ${INDEX}`);
  }
}
