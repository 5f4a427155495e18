import { Readable } from 'node:stream';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, StreamableFile } from '@nestjs/common';
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
  async exportMe(@CurrentUser() user: AuthUser): Promise<StreamableFile> {
    const document = await this.exports.export(user.id);
    return new StreamableFile(Readable.from(document), {
      type: 'application/json; charset=utf-8',
      disposition: 'attachment; filename="fyntrix-data-export.json"',
    });
  }

  /**
   * Erases the caller's account for good, in one transaction: every session ends (access tokens
   * already issued stop working), broker connections and their tokens, trade intents, orders,
   * portfolio snapshots, preferences, watchlist, dismissed insights and import records are
   * deleted, the account keeps nothing that identifies the person, and the audit trail keeps its
   * events without personal data. Asks for the password again (password accounts), or a sign-in
   * at most 5 minutes old (identity-provider accounts). A second call answers 401.
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
