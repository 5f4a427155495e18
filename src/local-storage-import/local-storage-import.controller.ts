import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import type { AuthUser } from '../auth/auth-user';
import { Authenticated } from '../auth/auth.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiInvalidRequest, ApiProblem } from '../docs/problem-response';
import { ImportHistoryDto } from './dto/import-history.dto';
import { ImportLocalStorageDto } from './dto/import-local-storage.dto';
import { ImportResultDto } from './dto/import-result.dto';
import { ImportStatsDto } from './dto/import-stats.dto';
import { LocalStorageImportService } from './local-storage-import.service';

@ApiTags('migrations')
@Controller('migrations/local-storage')
@Authenticated()
export class LocalStorageImportController {
  constructor(private readonly imports: LocalStorageImportService) {}

  /**
   * The one-time import of the browser's localStorage, run on first sign-in. Known keys are
   * parsed leniently and merged without losing anything: preferences the server already saved
   * win (`kept-server`), the watchlist and dismissed insights are unions (within the 500-item
   * limit; what does not fit is listed), the disclosure is accepted if either side accepted.
   * Session caches and unknown keys are `ignored`; an invalid value is `invalid` with the
   * reason and never stops the other keys. Sending the same payload again changes nothing.
   */
  @Post()
  @HttpCode(HttpStatus.OK)
  @Audited('import')
  @ApiOkResponse({ type: ImportResultDto })
  @ApiInvalidRequest()
  @ApiProblem(403, 'The import is not enabled for this account yet (feature flag `localStorageImport`).')
  @ApiProblem(409, 'The preferences changed during the import; send it again.')
  @ApiProblem(413, 'The payload is larger than the body limit (256 KB by default).')
  importLocalStorage(@CurrentUser() user: AuthUser, @Body() dto: ImportLocalStorageDto): Promise<ImportResultDto> {
    return this.imports.import(user.id, dto);
  }

  /** Whether, when and from which devices the caller imported. */
  @Get()
  @ApiOkResponse({ type: ImportHistoryDto })
  getLocalStorageImports(@CurrentUser() user: AuthUser): Promise<ImportHistoryDto> {
    return this.imports.history(user.id);
  }
}

@ApiTags('admin')
@Controller('admin/migrations')
@Authenticated('admin')
export class AdminImportStatsController {
  constructor(private readonly imports: LocalStorageImportService) {}

  /** The import's rollout across all users: attempts, users imported, success rate, outcomes. */
  @Get('stats')
  @ApiOkResponse({ type: ImportStatsDto })
  getImportStats(): Promise<ImportStatsDto> {
    return this.imports.stats();
  }
}
