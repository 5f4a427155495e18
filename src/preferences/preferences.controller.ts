import { applyDecorators, Body, Controller, Get, Headers, Patch, Put, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '../audit/audited.decorator';
import type { AuthUser } from '../auth/auth-user';
import { Authenticated } from '../auth/auth.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { ETAG_MAX_LENGTH, etagOf, IF_MATCH_MAX_LENGTH, parseIfMatch } from '../common/etag';
import { ApiInvalidRequest, ApiProblem } from '../docs/problem-response';
import { PreferencesResponseDto } from './dto/preferences-response.dto';
import { ReplacePreferencesDto } from './dto/replace-preferences.dto';
import { UpdatePreferencesDto } from './dto/update-preferences.dto';
import { PreferencesService } from './preferences.service';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description:
    'The ETag of the version you read (e.g. `"3"`); the write fails with 412 if it changed since. Without it the write is accepted.',
  schema: { type: 'string', maxLength: IF_MATCH_MAX_LENGTH },
};

const ETAG_HEADER = {
  ETag: { description: 'The version, quoted: `"3"`.', schema: { type: 'string', maxLength: ETAG_MAX_LENGTH } },
};

/** What PUT and PATCH share: the audited write, If-Match, and their documented answers. */
const PreferencesWrite = () =>
  applyDecorators(
    Audited('preferences'),
    ApiHeader(IF_MATCH),
    ApiOkResponse({ type: PreferencesResponseDto, headers: ETAG_HEADER }),
    ApiInvalidRequest(),
    ApiProblem(409, 'So many writes of these preferences landed at once that this one could not be applied; retry.'),
    ApiProblem(
      412,
      'If-Match names a version that is no longer current; the response ETag is the current one.',
      ETAG_HEADER,
    ),
    ApiProblem(
      422,
      'A rule is broken: the primary mode must be enabled; auxiliary modes must be enabled and not the primary.',
    ),
  );

const withETag = (reply: FastifyReply, preferences: PreferencesResponseDto) => {
  reply.header('ETag', etagOf(preferences.version));
  return preferences;
};

/** The caller's preferences: one document, versioned, replacing seven localStorage keys. */
@ApiTags('preferences')
@Controller('preferences')
@Authenticated()
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  /** The saved preferences, or the defaults if none were saved (never 404). `ETag` carries the version. */
  @Get()
  @ApiOkResponse({ type: PreferencesResponseDto, headers: ETAG_HEADER })
  async getPreferences(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) reply: FastifyReply) {
    return withETag(reply, await this.preferences.get(user.id));
  }

  /** Replaces every writable field. Read-only fields sent back from a GET are ignored. */
  @Put()
  @PreferencesWrite()
  async replacePreferences(
    @CurrentUser() user: AuthUser,
    @Body() dto: ReplacePreferencesDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PreferencesResponseDto> {
    return withETag(reply, await this.preferences.write(user.id, dto, parseIfMatch(ifMatch)));
  }

  /** Changes only the fields sent; `tradingModes` may name some modes only. */
  @Patch()
  @PreferencesWrite()
  async updatePreferences(
    @CurrentUser() user: AuthUser,
    @Body() dto: UpdatePreferencesDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PreferencesResponseDto> {
    return withETag(reply, await this.preferences.write(user.id, dto, parseIfMatch(ifMatch)));
  }
}
