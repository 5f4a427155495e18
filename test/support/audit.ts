import type { TestApp } from './app';
import { withUserTrigger } from './triggers';
import type { TestUser } from './users';

export interface AuditEventItem<Snapshot = unknown> {
  action: string;
  before: Snapshot;
  after: Snapshot;
  changedFields: string[];
}

/** The caller's audit events of one entity, newest first (`Snapshot`: the shape of before/after). */
export async function auditEvents<Snapshot = unknown>(
  t: TestApp,
  user: TestUser,
  entity: string,
): Promise<AuditEventItem<Snapshot>[]> {
  const res = await t
    .http()
    .get('/api/v1/audit/events')
    .query({ entity, limit: 100 })
    .set('authorization', user.auth)
    .expect(200);
  return res.body.items;
}

/**
 * Runs `fn` while the database refuses every audit event about `userId` (a trigger that
 * raises), to show that a change is rolled back together with its failed audit insert.
 */
export const withFailingAuditInserts = <T>(userId: string, fn: () => Promise<T>): Promise<T> =>
  withUserTrigger(
    userId,
    {
      on: 'BEFORE INSERT ON audit_events',
      userColumn: 'NEW.subject_user_id',
      body: "RAISE EXCEPTION 'forced audit failure (e2e)';",
    },
    fn,
  );
