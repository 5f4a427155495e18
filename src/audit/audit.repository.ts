import { Injectable } from '@nestjs/common';
import { type Insertable, type QueryCreator, sql } from 'kysely';
import { Database } from '../database/database';
import { keysetPage } from '../database/keyset';
import type { AuditEvents, DB } from '../database/schema.generated';
import { GenerateSql } from '../database/generate-sql';
import type { AuditEntity } from '../../domain/audit';

/** An event as it is inserted; `id` and `occurred_at` come from the database. */
export type NewAuditEvent = Omit<Insertable<AuditEvents>, 'id' | 'occurred_at' | 'before' | 'after'> & {
  before: object | null;
  after: object | null;
};

const json = (value: object | null) => value && JSON.stringify(value);

/** The columns a new event sets, in one list for both ways of inserting it. */
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
] as const satisfies readonly (keyof NewAuditEvent)[];

export interface AuditEventFilter {
  subjectUserId?: string;
  entity?: AuditEntity;
  limit: number;
  cursor?: string;
}

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

/** The only writer of `audit_events` (append-only: the database refuses UPDATE and DELETE). */
@Injectable()
export class AuditRepository {
  constructor(private readonly database: Database) {}

  @GenerateSql({ params: [{ entity: 'profile', action: 'update', subject_user_id: GenerateSql.UUID }] })
  async append(event: NewAuditEvent): Promise<void> {
    await this.database.db
      .insertInto('audit_events')
      .values({ ...event, before: json(event.before), after: json(event.after) })
      .execute();
  }

  /** Events newest first, by subject and/or entity, a page at a time. */
  @GenerateSql(
    { name: 'own history', params: [{ subjectUserId: GenerateSql.UUID, limit: 50 }] },
    {
      name: 'own history after a cursor',
      params: [{ subjectUserId: GenerateSql.UUID, limit: 50, cursor: GenerateSql.CURSOR }],
    },
    { name: 'by user and entity', params: [{ subjectUserId: GenerateSql.UUID, entity: 'watchlist', limit: 50 }] },
    { name: 'by entity', params: [{ entity: 'watchlist', limit: 50, cursor: GenerateSql.CURSOR }] },
    { name: 'everything', params: [{ limit: 50 }] },
  )
  list(filter: AuditEventFilter) {
    let query = this.database.db
      .selectFrom('audit_events as e')
      .select([
        'e.id',
        'e.occurred_at as occurredAt',
        'e.actor_user_id as actorUserId',
        'e.subject_user_id as subjectUserId',
        'e.entity',
        'e.action',
        'e.before',
        'e.after',
        'e.changed_fields as changedFields',
        'e.request_id as requestId',
        'e.ip',
        'e.user_agent as userAgent',
      ]);
    if (filter.subjectUserId) query = query.where('e.subject_user_id', '=', filter.subjectUserId);
    if (filter.entity) query = query.where('e.entity', '=', filter.entity);
    // The cursor's row is always there to continue after: audit_events is append-only.
    return keysetPage(query, { table: 'audit_events', alias: 'e', time: 'occurred_at', key: 'occurredAt' }, filter);
  }
}
