import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../database/database';
import { keysetPage } from '../database/keyset';
import { GenerateSql } from '../database/generate-sql';
import type { AuditEntity } from '../../domain/audit';
import type { NewAuditEvent } from './inline-audit-event';

const json = (value: object | null) => value && JSON.stringify(value);

export interface AuditEventFilter {
  subjectUserId?: string;
  entity?: AuditEntity;
  limit: number;
  cursor?: string;
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

  /**
   * Removes the personal data of `userId` from the trail, through the one UPDATE the append-only
   * trigger lets through (migration 0010), and only inside this transaction: the events about the
   * user lose their values, changed values' keys (`items.<symbol>` → `items`), request id, IP and
   * user agent; the events the user made about others (an administrator) lose the request id, IP
   * and user agent. Events already redacted are left alone, so that it can run again.
   */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async redactUser(userId: string): Promise<void> {
    const db = this.database.db;
    await sql`SELECT set_config('fyntrix.erasing_user', ${userId}, true)`.execute(db);
    const redacted = { request_id: null, ip: null, user_agent: null, erased_at: sql<Date>`now()` };
    await db
      .updateTable('audit_events')
      .set({
        ...redacted,
        before: null,
        after: null,
        changed_fields: sql<string[]>`ARRAY(
          SELECT DISTINCT split_part(field, '.', 1) FROM unnest(changed_fields) AS field ORDER BY 1)`,
      })
      .where('subject_user_id', '=', userId)
      .where('erased_at', 'is', null)
      .execute();
    await db
      .updateTable('audit_events')
      .set(redacted)
      .where('actor_user_id', '=', userId)
      .where('actor_user_id', '<>', (eb) => eb.ref('subject_user_id'))
      .where('erased_at', 'is', null)
      .execute();
    await sql`SELECT set_config('fyntrix.erasing_user', '', true)`.execute(db);
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
        'e.erased_at as erasedAt',
      ]);
    if (filter.subjectUserId) query = query.where('e.subject_user_id', '=', filter.subjectUserId);
    if (filter.entity) query = query.where('e.entity', '=', filter.entity);
    // The cursor's row is always there to continue after: audit_events is append-only.
    return keysetPage(query, { table: 'audit_events', alias: 'e', time: 'occurred_at', key: 'occurredAt' }, filter);
  }
}
