import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AUDIT_ENTITIES, type AuditEntity, USER_AGENT_MAX_LENGTH } from '../../domain/audit';
import { REQUEST_ID_MAX_LENGTH } from '../common/request-id';
import { oneOf } from '../database/checks';

/**
 * Mirrors migrations 0006, 0008, 0009 and 0010. Append-only: the database refuses UPDATE, DELETE and
 * TRUNCATE, but for the redaction of an erased user's events (`AuditRepository.redactUser`).
 * Its triggers (0009) give each new event its `seq` and notify the change streams.
 */
@Entity({ name: 'audit_events' })
@Index('ix_audit_events_subject', ['subjectUserId', 'occurredAt', 'id'])
@Index('ux_audit_events_subject_seq', ['subjectUserId', 'seq'], { unique: true })
@Index('ix_audit_events_entity', ['entity', 'occurredAt', 'id'])
@Index('ix_audit_events_occurred', ['occurredAt', 'id'])
@Index('ix_audit_events_other_actor', ['actorUserId'], { where: 'actor_user_id <> subject_user_id' })
@Check('ck_audit_events_entity', oneOf('entity', AUDIT_ENTITIES))
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_events' })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  /** Null when the system acted (a CLI, a migration). */
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'subject_user_id', type: 'uuid' })
  subjectUserId: string;

  @Column({ type: 'varchar', length: 32 })
  entity: AuditEntity;

  @Column({ type: 'varchar', length: 32 })
  action: string;

  @Column({ type: 'jsonb', nullable: true })
  before: object | null;

  @Column({ type: 'jsonb', nullable: true })
  after: object | null;

  @Column({ name: 'changed_fields', type: 'text', array: true, default: () => "'{}'" })
  changedFields: string[];

  @Column({ name: 'request_id', type: 'varchar', length: REQUEST_ID_MAX_LENGTH, nullable: true })
  requestId: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: USER_AGENT_MAX_LENGTH, nullable: true })
  userAgent: string | null;

  /** When the personal data of an erased account was removed from this event. */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt: Date | null;

  /**
   * The position in the change history, set by the database (a trigger, in per-user commit
   * order); null for events recorded before migration 0009. A bigint: pg reads it as a string.
   */
  @Column({ type: 'bigint', nullable: true })
  seq: string | null;

  /** The version of the changed entity this change made, where it has one (the preferences). */
  @Column({ name: 'entity_version', type: 'integer', nullable: true })
  entityVersion: number | null;
}
