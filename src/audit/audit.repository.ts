import { Injectable } from '@nestjs/common';
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
