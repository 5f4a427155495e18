import { IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { IsEnumValue, IsUuid } from '../../common/validation';
import { AUDIT_ENTITIES, type AuditEntity } from '../../../domain/audit';

export class ListAuditEventsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsEnumValue(AUDIT_ENTITIES, 'AuditEntity')
  entity?: AuditEntity;
}

export class ListAdminAuditEventsQueryDto extends ListAuditEventsQueryDto {
  /** Only events about this user's data. */
  @IsOptional()
  @IsUuid()
  userId?: string;
}
