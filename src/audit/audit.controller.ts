import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { Authenticated } from '../auth/auth.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiInvalidRequest } from '../docs/problem-response';
import { AuditService } from './audit.service';
import {
  AdminAuditEventPageDto,
  AuditEventPageDto,
  toAdminAuditEventResponse,
  toAuditEventResponse,
} from './dto/audit-event-response.dto';
import { ListAdminAuditEventsQueryDto, ListAuditEventsQueryDto } from './dto/list-audit-events.query.dto';

@ApiTags('audit')
@Controller('audit/events')
@Authenticated()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The caller's own change history, newest first. */
  @Get()
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiInvalidRequest()
  async listMyAuditEvents(
    @CurrentUser() user: AuthUser,
    @Query() query: ListAuditEventsQueryDto,
  ): Promise<AuditEventPageDto> {
    const page = await this.audit.list({ ...query, subjectUserId: user.id });
    return { ...page, items: page.items.map(toAuditEventResponse) };
  }
}

@ApiTags('admin')
@Controller('admin/audit/events')
@Authenticated('admin')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  /** Every user's change history, newest first; filter by user and entity. */
  @Get()
  @ApiOkResponse({ type: AdminAuditEventPageDto })
  @ApiInvalidRequest()
  async listAuditEvents(@Query() query: ListAdminAuditEventsQueryDto): Promise<AdminAuditEventPageDto> {
    const page = await this.audit.list({ ...query, subjectUserId: query.userId });
    return { ...page, items: page.items.map(toAdminAuditEventResponse) };
  }
}
