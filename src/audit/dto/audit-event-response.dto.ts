import { ApiProperty } from '@nestjs/swagger';
import { WATCHLIST_MAX_ITEMS } from '../../../domain/market';
import { ApiNextCursor, ApiPageItems } from '../../common/pagination';
import { REQUEST_ID_MAX_LENGTH } from '../../common/request-id';
import { ApiText, ApiTimestamp, ApiUuid } from '../../docs/schema-bounds';
import { AUDIT_ENTITIES, type AuditEntity, USER_AGENT_MAX_LENGTH } from '../../../domain/audit';
import type { AuditEventItem } from '../audit.service';

/**
 * The most fields one change names: a watchlist replace that removes 500 symbols and adds 500
 * others names `items.<symbol>` for each, and `symbols`. Field names are the entities' own, one
 * level deep (`tradingModes.Swing`, `items.BAJAJ-AUTO`).
 */
const MAX_CHANGED_FIELDS = 2 * WATCHLIST_MAX_ITEMS + 1;
const CHANGED_FIELD_MAX_LENGTH = 64;

/** One change of the caller's data. */
export class AuditEventResponseDto {
  @ApiUuid()
  id: string;
  @ApiTimestamp()
  occurredAt: Date;
  @ApiProperty({ enum: AUDIT_ENTITIES, enumName: 'AuditEntity' })
  entity: AuditEntity;
  /** What happened: `update`, `add`, `remove`, `replace`, `dismiss`, … @example "update" */
  @ApiText(32)
  action: string;
  /** The entity before the change (null when it was created). */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  before: unknown;
  /** The entity after the change (null when it was removed). */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  after: unknown;
  /** @example ["riskProfile", "tradingModes.Options"] */
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: CHANGED_FIELD_MAX_LENGTH },
    maxItems: MAX_CHANGED_FIELDS,
  })
  changedFields: string[];
  @ApiText(REQUEST_ID_MAX_LENGTH)
  requestId: string | null;
  /**
   * True when the personal data of an erased account was removed from this event: about that
   * account, `before`, `after` and `requestId` are null and `changedFields` keeps top-level
   * names only; made by it (an administrator), its request id, IP and user agent are null.
   */
  erased: boolean;
}

/**
 * An event in the user's data export: also who acted and, where the user acted themselves, from
 * where (another person's IP and user agent are not theirs to get).
 */
export class ExportedAuditEventDto extends AuditEventResponseDto {
  /** Null when the system acted (e.g. `npm run user:promote`). */
  @ApiUuid()
  actorUserId: string | null;
  /** IPv4 or IPv6. */
  @ApiText(45)
  ip: string | null;
  @ApiText(USER_AGENT_MAX_LENGTH)
  userAgent: string | null;
}

/** An event as administrators see it: also whose data it was, who acted and from where. */
export class AdminAuditEventResponseDto extends ExportedAuditEventDto {
  @ApiUuid()
  subjectUserId: string;
}

export class AuditEventPageDto {
  @ApiPageItems(AuditEventResponseDto)
  items: AuditEventResponseDto[];
  @ApiNextCursor()
  nextCursor: string | null;
}

export class AdminAuditEventPageDto {
  @ApiPageItems(AdminAuditEventResponseDto)
  items: AdminAuditEventResponseDto[];
  @ApiNextCursor()
  nextCursor: string | null;
}

export function toAuditEventResponse(event: AuditEventItem): AuditEventResponseDto {
  const { id, occurredAt, entity, action, before, after, changedFields, requestId, erasedAt } = event;
  return { id, occurredAt, entity, action, before, after, changedFields, requestId, erased: erasedAt !== null };
}

export function toAdminAuditEventResponse(event: AuditEventItem): AdminAuditEventResponseDto {
  const { subjectUserId, actorUserId, ip, userAgent } = event;
  return { ...toAuditEventResponse(event), subjectUserId, actorUserId, ip, userAgent };
}

export function toExportedAuditEvent(event: AuditEventItem): ExportedAuditEventDto {
  const own = event.actorUserId === event.subjectUserId;
  return {
    ...toAuditEventResponse(event),
    actorUserId: event.actorUserId,
    ip: own ? event.ip : null,
    userAgent: own ? event.userAgent : null,
  };
}
