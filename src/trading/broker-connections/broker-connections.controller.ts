import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audited } from '../../audit/audited.decorator';
import type { AuthUser } from '../../auth/auth-user';
import { Authenticated } from '../../auth/auth.decorators';
import { CurrentUser } from '../../auth/current-user.decorator';
import { PageQueryDto } from '../../common/pagination';
import { UuidParam } from '../../common/validation';
import { ApiInvalidRequest, ApiProblem } from '../../docs/problem-response';
import { BrokerConnectionsService } from './broker-connections.service';
import { BrokerConnectionPageDto, BrokerConnectionResponseDto } from './dto/broker-connection-response.dto';
import { CreateBrokerConnectionDto, ReplaceBrokerTokensDto } from './dto/create-broker-connection.dto';

const NOT_FOUND = 'No live connection of the caller has this id (deleted ones are gone).';

/** The caller's broker connections. Tokens go in encrypted and never come out. */
@ApiTags('trading')
@Controller('broker-connections')
@Authenticated()
export class BrokerConnectionsController {
  constructor(private readonly connections: BrokerConnectionsService) {}

  /** Connects a broker account; the tokens are stored encrypted (AES-256-GCM). */
  @Post()
  @Audited('broker_connection')
  @ApiCreatedResponse({ type: BrokerConnectionResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(409, 'This broker account is already connected (one live connection per broker and account).')
  createBrokerConnection(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateBrokerConnectionDto,
  ): Promise<BrokerConnectionResponseDto> {
    return this.connections.create(user.id, dto);
  }

  /** The caller's live connections, newest first. */
  @Get()
  @ApiOkResponse({ type: BrokerConnectionPageDto })
  @ApiInvalidRequest()
  listBrokerConnections(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<BrokerConnectionPageDto> {
    return this.connections.list(user.id, query);
  }

  /** One of the caller's live connections. */
  @Get(':id')
  @ApiOkResponse({ type: BrokerConnectionResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(404, NOT_FOUND)
  getBrokerConnection(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<BrokerConnectionResponseDto> {
    return this.connections.get(user.id, id);
  }

  /**
   * Revokes the connection and deletes its tokens. Afterwards it is gone from this API; the
   * orders placed through it keep referring to it.
   */
  @Delete(':id')
  @HttpCode(204)
  @Audited('broker_connection')
  @ApiNoContentResponse({ description: 'Revoked; its tokens are deleted.' })
  @ApiInvalidRequest()
  @ApiProblem(404, NOT_FOUND)
  @ApiProblem(
    409,
    'An order placed through this connection is still live (submitted, open or partially filled): cancel it first.',
  )
  async deleteBrokerConnection(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<void> {
    await this.connections.revoke(user.id, id);
  }

  /** Replaces the connection's tokens (e.g. after the broker's daily login), encrypted under the newest key. */
  @Put(':id/tokens')
  @Audited('broker_connection')
  @ApiOkResponse({ type: BrokerConnectionResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(404, NOT_FOUND)
  replaceBrokerTokens(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: ReplaceBrokerTokensDto,
  ): Promise<BrokerConnectionResponseDto> {
    return this.connections.replaceTokens(user.id, id, dto);
  }
}
