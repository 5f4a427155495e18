import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { IsUuid } from '../../common/validation';
import { AUDIT_ENTITIES, type AuditEntity } from '../audit-event.entity';

export class ListAuditEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ENTITIES, enumName: 'AuditEntity' })
  @IsOptional()
  @IsIn(AUDIT_ENTITIES)
  entity?: AuditEntity;
}

export class ListAdminAuditEventsQueryDto extends ListAuditEventsQueryDto {
  /** Only events about this user's data. */
  @IsOptional()
  @IsUuid()
  userId?: string;
}
