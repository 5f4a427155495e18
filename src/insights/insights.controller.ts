import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '../audit/audited.decorator';
import type { AuthUser } from '../auth/auth-user';
import { Authenticated } from '../auth/auth.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiInvalidRequest, ApiProblem } from '../docs/problem-response';
import { DismissedInsightResponseDto, DismissedInsightsResponseDto } from './dto/dismissed-insight-response.dto';
import { InsightIdParamDto } from './dto/insight-id-param.dto';
import { InsightsService } from './insights.service';

/** The insights the caller dismissed (replaces `arise_dismissed_insights_v1`). */
@ApiTags('insights')
@Controller('insights')
@Authenticated()
export class InsightsController {
  constructor(private readonly insights: InsightsService) {}

  /** Every dismissed insight, newest first (at most 5,000). */
  @Get('dismissed')
  @ApiOkResponse({ type: DismissedInsightsResponseDto })
  getDismissedInsights(@CurrentUser() user: AuthUser): Promise<DismissedInsightsResponseDto> {
    return this.insights.listDismissed(user.id);
  }

  /** Dismisses an insight (201); dismissing it again answers 200 with the saved dismissal, unchanged. */
  @Post(':insightId/dismiss')
  @Audited('insights')
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: DismissedInsightResponseDto, description: 'Dismissed now.' })
  @ApiOkResponse({ type: DismissedInsightResponseDto, description: 'Already dismissed: unchanged.' })
  @ApiInvalidRequest()
  @ApiProblem(422, 'The caller already has 5,000 dismissed insights.')
  async dismissInsight(
    @CurrentUser() user: AuthUser,
    @Param() params: InsightIdParamDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DismissedInsightResponseDto> {
    const { item, created } = await this.insights.dismiss(user.id, params.insightId);
    if (!created) reply.status(HttpStatus.OK);
    return item;
  }

  /** Un-dismisses an insight, so it shows again. */
  @Delete(':insightId/dismiss')
  @Audited('insights')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Un-dismissed.' })
  @ApiInvalidRequest()
  @ApiProblem(404, 'The insight is not dismissed.')
  undismissInsight(@CurrentUser() user: AuthUser, @Param() params: InsightIdParamDto): Promise<void> {
    return this.insights.undismiss(user.id, params.insightId);
  }
}
