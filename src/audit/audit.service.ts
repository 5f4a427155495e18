import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { keysetPageSql, type Page, toPage } from '../common/pagination';
import { SqlParams } from '../database/sql-params';
import { Transactions } from '../database/transactions';
import { type AuditEntity, type AuditEvent, USER_AGENT_MAX_LENGTH } from './audit-event.entity';
import { changedFields } from './changed-fields';

/** What a handler reports of the change it made; the audit interceptor adds who, when and where. */
export interface AuditChange {
  action: string;
  before: object | null;
  after: object | null;
  /** Whose data changed; the caller's own by default. */
  subjectUserId?: string;
}

export interface AuditOrigin {
  actorUserId: string | null;
  subjectUserId: string;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditEventFilter {
  subjectUserId?: string;
  entity?: AuditEntity;
  limit: number;
  cursor?: string;
}

/** Every column of `audit_events`, named as the entity's fields. */
const AUDIT_EVENT_VIEW = `e.id, e.occurred_at AS "occurredAt", e.actor_user_id AS "actorUserId", e.subject_user_id AS "subjectUserId",
  e.entity, e.action, e.before, e.after, e.changed_fields AS "changedFields", e.request_id AS "requestId", e.ip,
  e.user_agent AS "userAgent"`;

/**
 * The audit trail's only writer. Inside an `@Audited()` handler, services call `record()`;
 * the interceptor then writes exactly one event in the handler's transaction, or none when
 * nothing was recorded (an idempotent repeat). Outside HTTP (CLIs), `append()` writes directly.
 */
@Injectable()
export class AuditService {
  /** The change recorded by the handler running in this call chain, if any. */
  private readonly recorded = new AsyncLocalStorage<{ change?: AuditChange }>();

  constructor(private readonly transactions: Transactions) {}

  /** Reports the change the current request made. One change per request. */
  record(change: AuditChange): void {
    const slot = this.recorded.getStore();
    if (!slot) throw new Error('AuditService.record() is only for handlers marked @Audited()');
    if (slot.change) throw new Error('A request records at most one audit change');
    slot.change = change;
  }

  /** Used by the interceptor: runs a handler and hands back the change it recorded. */
  async capture<T>(handler: () => Promise<T>): Promise<{ result: T; change?: AuditChange }> {
    const slot: { change?: AuditChange } = {};
    const result = await this.recorded.run(slot, handler);
    return { result, change: slot.change };
  }

  /**
   * Writes one event on the current transaction (or alone, outside one). Plain SQL: it is on
   * every write's path, and the repository's insert costs more than the statement.
   */
  async append(entity: AuditEntity, change: AuditChange, origin: AuditOrigin): Promise<void> {
    await this.transactions.manager.query(
      `INSERT INTO audit_events (entity, action, before, after, changed_fields, actor_user_id, subject_user_id, request_id, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        entity,
        change.action,
        change.before === null ? null : JSON.stringify(change.before),
        change.after === null ? null : JSON.stringify(change.after),
        changedFields(change.before, change.after),
        origin.actorUserId,
        change.subjectUserId ?? origin.subjectUserId,
        origin.requestId ?? null,
        origin.ip ?? null,
        origin.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
      ],
    );
  }

  /** Events newest first, by subject and/or entity, a page at a time. */
  async list(filter: AuditEventFilter): Promise<Page<AuditEvent>> {
    const params = new SqlParams();
    const conditions: string[] = [];
    if (filter.subjectUserId) conditions.push(`e.subject_user_id = ${params.add(filter.subjectUserId)}`);
    if (filter.entity) conditions.push(`e.entity = ${params.add(filter.entity)}`);
    // The cursor's row is always there to continue after: audit_events is append-only.
    const rows = await this.transactions.rows<AuditEvent>(
      keysetPageSql({ select: AUDIT_EVENT_VIEW, table: 'audit_events', alias: 'e', timeColumn: 'occurred_at', conditions, params, ...filter }),
      params.values,
    );
    return toPage(rows, filter.limit, (e) => ({ at: e.occurredAt, id: e.id }), (e) => e);
  }
}
