import { Injectable } from '@nestjs/common';
import { type NotNull, sql } from 'kysely';
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

  /**
   * One user's events of `entities` after `afterSeq`, oldest first, at most `limit`: the change
   * streams' replay and catch-up (the unique index on subject and seq serves it).
   */
  @GenerateSql({ params: [GenerateSql.UUID, 41, ['preferences', 'watchlist'], 100] })
  changesAfter(subjectUserId: string, afterSeq: number, entities: readonly AuditEntity[], limit: number) {
    return this.database.db
      .selectFrom('audit_events')
      .select([
        'seq',
        'entity',
        'action',
        'before',
        'after',
        'changed_fields as changedFields',
        'entity_version as entityVersion',
        'occurred_at as occurredAt',
      ])
      .where('subject_user_id', '=', subjectUserId)
      .where('seq', '>', String(afterSeq))
      .where('entity', 'in', entities)
      .orderBy('seq')
      .limit(limit)
      .$narrowType<{ seq: NotNull }>()
      .execute();
  }

  /**
   * How far behind a stream resuming after `afterSeq` is: how many of the user's events of
   * `entities` follow it (counted up to `cap` + 1) and when the first of them happened.
   */
  @GenerateSql({ params: [GenerateSql.UUID, 41, ['preferences', 'watchlist'], 500] })
  async backlogAfter(subjectUserId: string, afterSeq: number, entities: readonly AuditEntity[], cap: number) {
    const backlog = this.database.db
      .selectFrom('audit_events')
      .select('occurred_at')
      .where('subject_user_id', '=', subjectUserId)
      .where('seq', '>', String(afterSeq))
      .where('entity', 'in', entities)
      .orderBy('seq')
      .limit(cap + 1)
      .as('backlog');
    const { count, oldest } = await this.database.db
      .selectFrom(backlog)
      .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('backlog.occurred_at').as('oldest')])
      .executeTakeFirstOrThrow();
    return { count: Number(count), oldest };
  }

  /** The newest seq of one user's events (of any entity), or null when they have none yet. */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async lastSeq(subjectUserId: string): Promise<string | null> {
    const { last } = await this.database.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('seq').as('last'))
      .where('subject_user_id', '=', subjectUserId)
      .executeTakeFirstOrThrow();
    return last;
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
