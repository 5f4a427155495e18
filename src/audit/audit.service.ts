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

/** The request an `@Audited()` handler serves: what its event will say of who, where and what. */
export interface AuditScope {
  entity: AuditEntity;
  origin: AuditOrigin;
  /** `@Audited(entity, { oneStatement: true })`: the handler writes its event itself (`inlineEvent`). */
  oneStatement: boolean;
  change?: AuditChange;
}

/** The columns an event sets, in the order of `auditEventValues()`. */
const EVENT_COLUMNS =
  'entity, action, before, after, changed_fields, actor_user_id, subject_user_id, request_id, ip, user_agent';
const EVENT_TYPES = ['varchar', 'varchar', 'jsonb', 'jsonb', 'text[]', 'uuid', 'uuid', 'varchar', 'varchar', 'varchar'];

const APPEND_SQL = `INSERT INTO audit_events (${EVENT_COLUMNS}) VALUES (${EVENT_TYPES.map((_, i) => `$${i + 1}`).join(', ')})`;

function auditEventValues(entity: AuditEntity, change: AuditChange, origin: AuditOrigin): unknown[] {
  return [
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
  ];
}

/** The parameters of `inlineAuditSql` that insert no event. */
const NO_EVENT: readonly unknown[] = EVENT_TYPES.map(() => null);

/**
 * For a change written in ONE statement: a data-modifying CTE body that inserts the event once
 * per row of `source` (the CTE that wrote the change), its ten parameters from `$first` on, to
 * be filled by `AuditService.inlineEvent()`. With those parameters null it inserts nothing. One
 * statement is atomic on its own: the change and its event land together or not at all.
 */
export function inlineAuditSql(source: string, first: number): string {
  const values = EVENT_TYPES.map((type, i) => `$${first + i}::${type}`);
  return `INSERT INTO audit_events (${EVENT_COLUMNS}) SELECT ${values.join(', ')} FROM ${source} WHERE $${first}::varchar IS NOT NULL`;
}

/**
 * The audit trail's only writer. Inside an `@Audited()` handler, services call `record()`;
 * the interceptor then writes exactly one event in the handler's transaction, or none when
 * nothing was recorded (an idempotent repeat). A one-statement handler instead embeds the
 * event in its statement (`inlineAuditSql` + `inlineEvent`). Outside HTTP (CLIs), `append()`
 * writes directly.
 */
@Injectable()
export class AuditService {
  /** The `@Audited()` request running in this call chain, if any. */
  private readonly scope = new AsyncLocalStorage<AuditScope>();

  constructor(private readonly transactions: Transactions) {}

  /** Reports the change the current request made. One change per request. */
  record(change: AuditChange): void {
    const scope = this.scope.getStore();
    if (!scope) throw new Error('AuditService.record() is only for handlers marked @Audited()');
    if (scope.oneStatement) throw new Error('A one-statement @Audited() handler writes its event with inlineEvent()');
    if (scope.change) throw new Error('A request records at most one audit change');
    scope.change = change;
  }

  /**
   * The parameters of `inlineAuditSql` for `change`, or nulls (no event) when `change` is null.
   * It may be asked again when the statement is retried: only the statement that writes counts.
   */
  inlineEvent(change: AuditChange | null): readonly unknown[] {
    if (change === null) return NO_EVENT;
    const scope = this.scope.getStore();
    if (!scope?.oneStatement)
      throw new Error('AuditService.inlineEvent() is only for @Audited(entity, { oneStatement: true }) handlers');
    return auditEventValues(scope.entity, change, scope.origin);
  }

  /** Used by the interceptor: runs a handler in its audit scope; the scope then holds the recorded change. */
  async capture<T>(scope: AuditScope, handler: () => Promise<T>): Promise<T> {
    return this.scope.run(scope, handler);
  }

  /**
   * Writes one event on the current transaction (or alone, outside one). Plain SQL: it is on
   * every write's path, and the repository's insert costs more than the statement.
   */
  async append(entity: AuditEntity, change: AuditChange, origin: AuditOrigin): Promise<void> {
    await this.transactions.manager.query(APPEND_SQL, auditEventValues(entity, change, origin));
  }

  /** Events newest first, by subject and/or entity, a page at a time. */
  async list(filter: AuditEventFilter): Promise<Page<AuditEvent>> {
    const params = new SqlParams();
    const conditions: string[] = [];
    if (filter.subjectUserId) conditions.push(`e.subject_user_id = ${params.add(filter.subjectUserId)}`);
    if (filter.entity) conditions.push(`e.entity = ${params.add(filter.entity)}`);
    // The cursor's row is always there to continue after: audit_events is append-only.
    const rows = await this.transactions.rows<AuditEvent>(
      keysetPageSql({
        select: AUDIT_EVENT_VIEW,
        table: 'audit_events',
        alias: 'e',
        timeColumn: 'occurred_at',
        conditions,
        params,
        ...filter,
      }),
      params.values,
    );
    return toPage(
      rows,
      filter.limit,
      (e) => ({ at: e.occurredAt, id: e.id }),
      (e) => e,
    );
  }
}
