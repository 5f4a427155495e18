import { randomBytes } from 'node:crypto';
import type { TestApp } from './app';
import { withDatabase } from './database';
import type { TestUser } from './users';

export interface AuditEventItem<Snapshot = unknown> {
  action: string;
  before: Snapshot;
  after: Snapshot;
  changedFields: string[];
}

/** The caller's audit events of one entity, newest first (`Snapshot`: the shape of before/after). */
export async function auditEvents<Snapshot = unknown>(t: TestApp, user: TestUser, entity: string): Promise<AuditEventItem<Snapshot>[]> {
  const res = await t.http().get('/api/v1/audit/events').query({ entity, limit: 100 }).set('authorization', user.auth).expect(200);
  return res.body.items;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` while the database refuses every audit event about `userId` (a trigger that
 * raises), to show that a change is rolled back together with its failed audit insert. Only
 * that user's events fail, so specs running in parallel are unaffected; the trigger is
 * dropped afterwards whatever happens.
 */
export async function withFailingAuditInserts<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  // A trigger's WHEN clause takes no parameters: the id is checked before it goes into SQL.
  if (!UUID.test(userId)) throw new Error(`not a user id: ${userId}`);
  const name = `e2e_fail_audit_${randomBytes(8).toString('hex')}`;
  await withDatabase(async (db) => {
    await db.query('BEGIN');
    await db.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'forced audit failure (e2e)'; END $$`);
    await db.query(`CREATE TRIGGER ${name} BEFORE INSERT ON audit_events FOR EACH ROW
      WHEN (NEW.subject_user_id = '${userId}'::uuid) EXECUTE FUNCTION ${name}()`);
    await db.query('COMMIT');
  });
  try {
    return await fn();
  } finally {
    await withDatabase(async (db) => {
      await db.query(`DROP TRIGGER IF EXISTS ${name} ON audit_events`);
      await db.query(`DROP FUNCTION IF EXISTS ${name}()`);
    });
  }
}
