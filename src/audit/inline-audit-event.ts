import { type Insertable, type QueryCreator, sql } from 'kysely';
import type { AuditEvents, DB } from '../database/schema.generated';

/*
 * The audit module's part of a statement written elsewhere: a repository that writes a change in
 * ONE statement embeds its event with `insertAuditEventFrom`, and `audit_events` keeps one author.
 */

/** An event as it is inserted; `id` and `occurred_at` come from the database. */
export type NewAuditEvent = Omit<Insertable<AuditEvents>, 'id' | 'occurred_at' | 'before' | 'after'> & {
  before: object | null;
  after: object | null;
};

/** The columns a new event sets. */
const EVENT_COLUMNS = [
  'entity',
  'action',
  'before',
  'after',
  'changed_fields',
  'actor_user_id',
  'subject_user_id',
  'request_id',
  'ip',
  'user_agent',
  'entity_version',
] as const satisfies readonly (keyof NewAuditEvent)[];

/** The event parameter of `insertAuditEventFrom`: the event as JSON, or null for none. */
export const auditEventParam = (event: NewAuditEvent | null): string | null => event && JSON.stringify(event);

/**
 * For a change written in ONE statement: the body of a data-modifying CTE that inserts `event`
 * (`auditEventParam`) once per row of the CTE `source` (the one that wrote the change), and
 * nothing when `event` is null. One statement is atomic on its own: the change and its event
 * land together or not at all.
 */
export function insertAuditEventFrom<T extends DB>(qb: QueryCreator<T>, source: string, event: unknown) {
  const columns = sql.join(EVENT_COLUMNS.map((column) => sql.ref(`e.${column}`)));
  return qb
    .insertInto('audit_events')
    .columns(EVENT_COLUMNS)
    .expression(
      sql`select ${columns} from ${sql.table(source)}, jsonb_populate_record(null::audit_events, ${event}::jsonb) as e
          where e.entity is not null`,
    );
}
