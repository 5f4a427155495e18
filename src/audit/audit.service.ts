import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { EXPORT_PAGE_SIZE, eachItem, type Page } from '../common/pagination';
import type { InTransaction } from '../database/database';
import { type AuditEntity, USER_AGENT_MAX_LENGTH } from '../../domain/audit';
import { type AuditEventFilter, AuditRepository } from './audit.repository';
import type { NewAuditEvent } from './inline-audit-event';
import { changedFields } from './changed-fields';

/** What a write reports of the change it made; the audited unit adds who, when and where. */
export interface AuditChange {
  action: string;
  before: object | null;
  after: object | null;
  /** Whose data changed; the caller's own by default. */
  subjectUserId?: string;
  /** The version of the changed entity this change made, where it has one (the change streams name it). */
  version?: number;
}

export interface AuditOrigin {
  /** Null when the system acted (a CLI). */
  actorUserId: string | null;
  subjectUserId: string;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

/** An audited unit of work: the entity its changes are about, and who acted from where. */
interface AuditUnit {
  entity: AuditEntity;
  origin: AuditOrigin;
}

export type AuditEventItem = Awaited<ReturnType<AuditRepository['list']>>['items'][number];
/** An event as the change streams read it: its `seq`, what changed and how. */
export type RecordedChange = Awaited<ReturnType<AuditRepository['changesAfter']>>[number];

/**
 * The audit trail. Which work is audited is decided in one place: the `@Audited()` interceptor
 * (or a CLI acting as the system) runs it as an audited unit with `runAudited`. Writes hand over
 * their change in one of two ways, both visible in their types and both atomic with the change:
 * `record(tx, change)` inside the transaction that made it, or `eventOf(change)` as an argument
 * of a repository write that stores change and event in one statement. Outside an audited unit
 * both are no-ops: nothing is recorded, nothing throws.
 */
@Injectable()
export class AuditService {
  private readonly unit = new AsyncLocalStorage<AuditUnit>();

  constructor(private readonly repository: AuditRepository) {}

  /** Runs `work` as an audited unit: its changes are recorded as `entity` changes by `origin`. */
  runAudited<T>(entity: AuditEntity, origin: AuditOrigin, work: () => Promise<T>): Promise<T> {
    return this.unit.run({ entity, origin }, work);
  }

  /** Records `change` in the transaction that made it (nothing outside an audited unit). */
  async record(_tx: InTransaction, change: AuditChange): Promise<void> {
    const event = this.eventOf(change);
    if (event) await this.repository.append(event);
  }

  /**
   * The event of `change` for a repository write that stores it in its own statement
   * (`insertAuditEventFrom`); null, so no event, for no change or outside an audited unit.
   */
  eventOf(change: AuditChange | null): NewAuditEvent | null {
    const unit = this.unit.getStore();
    if (!unit || !change) return null;
    const { origin } = unit;
    return {
      entity: unit.entity,
      action: change.action,
      before: change.before,
      after: change.after,
      changed_fields: changedFields(change.before, change.after),
      actor_user_id: origin.actorUserId,
      subject_user_id: change.subjectUserId ?? origin.subjectUserId,
      request_id: origin.requestId ?? null,
      ip: origin.ip ?? null,
      user_agent: origin.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
      entity_version: change.version ?? null,
    };
  }

  /**
   * Removes `userId`'s personal data from the trail, in the transaction that erases the account:
   * their events keep when, which entity, which action and which fields, without values or where
   * from (`AuditRepository.redactUser`).
   */
  async redactUser(_tx: InTransaction, userId: string): Promise<void> {
    await this.repository.redactUser(userId);
  }

  /**
   * Records the erasure of `userId`'s account without personal data (no values, request id, IP
   * or user agent): who erased it (the user, or the system: no actor) and when. Outside an
   * audited unit too: an erasure is always recorded.
   */
  async recordErasure(_tx: InTransaction, userId: string): Promise<void> {
    await this.repository.append({
      entity: 'account',
      action: 'erase',
      before: null,
      after: null,
      changed_fields: [],
      actor_user_id: this.unit.getStore()?.origin.actorUserId ?? null,
      subject_user_id: userId,
    });
  }

  /** Every event about the user, newest first, read a page at a time (the export). */
  eventsAbout(userId: string): AsyncGenerator<AuditEventItem> {
    return eachItem((cursor) => this.list({ subjectUserId: userId, limit: EXPORT_PAGE_SIZE, cursor }));
  }

  /** Events newest first, by subject and/or entity, a page at a time. */
  list(filter: AuditEventFilter): Promise<Page<AuditEventItem>> {
    return this.repository.list(filter);
  }

  /*
   * The change history as the change streams read it: `seq` orders a user's events as they
   * committed (migration 0009), so "after seq N" never skips one that commits later.
   */

  /** A user's events of `entities` after `afterSeq`, oldest first, at most `limit`. */
  changesAfter(userId: string, afterSeq: number, entities: readonly AuditEntity[], limit: number) {
    return this.repository.changesAfter(userId, afterSeq, entities, limit);
  }

  /** How many of a user's events of `entities` follow `afterSeq` (up to `cap` + 1), and when the first happened. */
  backlogAfter(userId: string, afterSeq: number, entities: readonly AuditEntity[], cap: number) {
    return this.repository.backlogAfter(userId, afterSeq, entities, cap);
  }

  /** The seq of a user's newest event, 0 when they have none. */
  async lastSeqOf(userId: string): Promise<number> {
    return Number((await this.repository.lastSeq(userId)) ?? 0);
  }
}
