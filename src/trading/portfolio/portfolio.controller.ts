import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user';
import { Authenticated } from '../../auth/auth.decorators';
import { CurrentUser } from '../../auth/current-user.decorator';
import { UuidParam } from '../../common/validation';
import { ApiInvalidRequest, ApiProblem } from '../../docs/problem-response';
import { CreatePortfolioSnapshotDto } from './dto/create-portfolio-snapshot.dto';
import { ListPortfolioSnapshotsQueryDto } from './dto/list-portfolio-snapshots.query.dto';
import { PortfolioSnapshotPageDto, PortfolioSnapshotResponseDto } from './dto/portfolio-snapshot-response.dto';
import { PortfolioService } from './portfolio.service';

/** What the caller's portfolio was worth, over time. Totals are computed by the server, exactly. */
@ApiTags('trading')
@Controller('portfolio/snapshots')
@Authenticated()
export class PortfolioController {
  constructor(private readonly portfolio: PortfolioService) {}

  /** Records a snapshot; the server computes each holding's value, `holdingsValue` and `totalValue`. */
  @Post()
  @ApiCreatedResponse({ type: PortfolioSnapshotResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(404, 'The caller has no live broker connection with `connectionId`.')
  @ApiProblem(422, 'A symbol listed twice for one exchange, `takenAt` in the future, or totals of 10^24 or more.')
  createPortfolioSnapshot(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreatePortfolioSnapshotDto,
  ): Promise<PortfolioSnapshotResponseDto> {
    return this.portfolio.create(user.id, dto);
  }

  /** Newest `takenAt` first, optionally within `[from, to)`. */
  @Get()
  @ApiOkResponse({ type: PortfolioSnapshotPageDto })
  @ApiInvalidRequest()
  @ApiProblem(422, '`from` is not before `to`.')
  listPortfolioSnapshots(
    @CurrentUser() user: AuthUser,
    @Query() query: ListPortfolioSnapshotsQueryDto,
  ): Promise<PortfolioSnapshotPageDto> {
    return this.portfolio.list(user.id, query);
  }

  /** The snapshot with the newest `takenAt`. */
  @Get('latest')
  @ApiOkResponse({ type: PortfolioSnapshotResponseDto })
  @ApiProblem(404, 'The caller has no snapshot yet.')
  getLatestPortfolioSnapshot(@CurrentUser() user: AuthUser): Promise<PortfolioSnapshotResponseDto> {
    return this.portfolio.latest(user.id);
  }

  /** One of the caller's snapshots. */
  @Get(':id')
  @ApiOkResponse({ type: PortfolioSnapshotResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(404, 'The caller has no snapshot with this id.')
  getPortfolioSnapshot(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<PortfolioSnapshotResponseDto> {
    return this.portfolio.get(user.id, id);
  }
}
