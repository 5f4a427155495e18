import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ENTITIES, type AuditEntity, type AuditEvent } from '../audit-event.entity';

/** One change of the caller's data. */
export class AuditEventResponseDto {
  id: string;
  occurredAt: Date;
  @ApiProperty({ enum: AUDIT_ENTITIES, enumName: 'AuditEntity' })
  entity: AuditEntity;
  /** What happened: `update`, `add`, `remove`, `replace`, `dismiss`, … @example "update" */
  action: string;
  /** The entity before the change (null when it was created). */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  before: unknown;
  /** The entity after the change (null when it was removed). */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  after: unknown;
  /** @example ["riskProfile", "tradingModes.Options"] */
  changedFields: string[];
  requestId: string | null;
}

/** An event as administrators see it: also whose data it was, who acted and from where. */
export class AdminAuditEventResponseDto extends AuditEventResponseDto {
  subjectUserId: string;
  /** Null when the system acted (e.g. `npm run user:promote`). */
  actorUserId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export class AuditEventPageDto {
  items: AuditEventResponseDto[];
  nextCursor: string | null;
}

export class AdminAuditEventPageDto {
  items: AdminAuditEventResponseDto[];
  nextCursor: string | null;
}

export function toAuditEventResponse(event: AuditEvent): AuditEventResponseDto {
  const { id, occurredAt, entity, action, before, after, changedFields, requestId } = event;
  return { id, occurredAt, entity, action, before, after, changedFields, requestId };
}

export function toAdminAuditEventResponse(event: AuditEvent): AdminAuditEventResponseDto {
  const { subjectUserId, actorUserId, ip, userAgent } = event;
  return { ...toAuditEventResponse(event), subjectUserId, actorUserId, ip, userAgent };
}
