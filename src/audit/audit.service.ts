import { InjectTransactionHost } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { decodeCursor, type Page, toPage } from '../common/pagination';
import { type Tx } from '../database/transaction';
import { AuditEvent, type AuditEntity } from './audit-event.entity';
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

const PENDING_CHANGE = 'audit:pendingChange';

/**
 * The audit trail's only writer. Inside an `@Audited()` handler, services call `record()`;
 * the interceptor then writes exactly one event in the handler's transaction, or none when
 * nothing was recorded (an idempotent repeat). Outside HTTP (CLIs), `append()` writes directly.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly cls: ClsService,
    @InjectTransactionHost() private readonly txHost: Tx,
  ) {}

  /** Reports the change the current request made. One change per request. */
  record(change: AuditChange): void {
    if (this.cls.get(PENDING_CHANGE)) throw new Error('A request records at most one audit change');
    this.cls.set(PENDING_CHANGE, change);
  }

  /** Used by the interceptor: the change recorded by the handler that just ran, if any. */
  takeRecorded(): AuditChange | undefined {
    const change = this.cls.get<AuditChange | undefined>(PENDING_CHANGE);
    this.cls.set(PENDING_CHANGE, undefined);
    return change;
  }

  /** Writes one event on the current transaction (or alone, outside one). */
  async append(entity: AuditEntity, change: AuditChange, origin: AuditOrigin): Promise<void> {
    await this.txHost.tx.getRepository(AuditEvent).insert({
      entity,
      action: change.action,
      before: change.before,
      after: change.after,
      changedFields: changedFields(change.before, change.after),
      actorUserId: origin.actorUserId,
      subjectUserId: change.subjectUserId ?? origin.subjectUserId,
      requestId: origin.requestId ?? null,
      ip: origin.ip ?? null,
      userAgent: origin.userAgent?.slice(0, 512) ?? null,
    });
  }

  /** Events newest first, by subject and/or entity, a page at a time. */
  async list(filter: AuditEventFilter): Promise<Page<AuditEvent>> {
    const query = this.txHost.tx
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .orderBy('e.occurred_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.subjectUserId) query.andWhere('e.subject_user_id = :subject', { subject: filter.subjectUserId });
    if (filter.entity) query.andWhere('e.entity = :entity', { entity: filter.entity });
    if (filter.cursor) {
      const { at, id } = decodeCursor(filter.cursor);
      query.andWhere('(e.occurred_at, e.id) < (:at, :id)', { at, id });
    }
    const rows = await query.getMany();
    return toPage(rows, filter.limit, (e) => ({ at: e.occurredAt, id: e.id }), (e) => e);
  }
}
