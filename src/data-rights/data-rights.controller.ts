import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import type { AuthUser } from '../auth/auth-user';
import { Authenticated } from '../auth/auth.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { problemTypes } from '../common/problem';
import { ApiInvalidRequest, ApiProblem } from '../docs/problem-response';
import { ExportRateLimit } from '../rate-limit/rate-limit.decorators';
import { AccountErasureService } from './account-erasure.service';
import { DataExportService } from './data-export.service';
import { DataExportDto } from './dto/data-export.dto';
import { EraseAccountDto } from './dto/erase-account.dto';

/** The caller's data rights: a copy of everything held about them, and the erasure of their account. */
@ApiTags('users')
@Controller('users/me')
@Authenticated()
export class DataRightsController {
  constructor(
    private readonly erasure: AccountErasureService,
    private readonly exports: DataExportService,
  ) {}

  /**
   * Everything the service holds about the caller, as one JSON document (`schemaVersion` 1):
   * account, preferences, watchlist, dismissed insights, localStorage imports, broker connections
   * (never their tokens), trade intents, orders, portfolio snapshots and the audit trail of their
   * data. Streamed as it is read. One per user every 10 minutes (DATA_EXPORT_INTERVAL_MS): 429
   * with `Retry-After` otherwise. The export itself is recorded in the audit trail.
   */
  @Get('export')
  @Audited('account')
  @ExportRateLimit()
  @ApiProduces('application/json')
  @ApiOkResponse({ type: DataExportDto })
  async exportMe(@CurrentUser() user: AuthUser, @Res() reply: FastifyReply): Promise<void> {
    const document = await this.exports.export(user.id);
    // A long history takes longer to send than REQUEST_TIMEOUT_MS, whose timer would cut the
    // stream half-way: once the export has started (errors before are answered as usual), the
    // reply leaves Fastify's lifecycle, which clears that timer, and is written here.
    reply.hijack();
    for (const [name, value] of Object.entries(reply.getHeaders()))
      if (value !== undefined) reply.raw.setHeader(name, value);
    reply.raw.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': 'attachment; filename="fyntrix-data-export.json"',
    });
    // A client that goes away ends the stream; there is no one left to answer.
    await pipeline(Readable.from(document), reply.raw).catch(() => reply.raw.destroy());
  }

  /**
   * Erases the caller's account for good, in one transaction: every session ends (access tokens
   * already issued stop working), broker connections and their tokens, trade intents, orders,
   * portfolio snapshots, preferences, watchlist, dismissed insights and import records are
   * deleted, the account keeps nothing that identifies the person, and the audit trail keeps its
   * events without personal data. Asks for the password again (password accounts), or a sign-in
   * at most 5 minutes old (identity-provider accounts). A second call answers 401.
   *
   * Departure from the design: the audit trail's personal fields are removed in place by one
   * narrowly allowed, audited update (redaction), not crypto-shredded; SECURITY.md says why.
   */
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @Audited('account')
  @ApiNoContentResponse({ description: 'The account was erased.' })
  @ApiInvalidRequest()
  @ApiProblem(401, 'No valid access token, or the password is incorrect.')
  @ApiProblem(
    403,
    `The identity-provider sign-in is older than 5 minutes (\`${problemTypes.reauthenticationRequired}\`): sign in again first.`,
  )
  async eraseMe(@CurrentUser() user: AuthUser, @Body() dto: EraseAccountDto): Promise<void> {
    await this.erasure.eraseOwnAccount(user, dto.password);
  }
}
