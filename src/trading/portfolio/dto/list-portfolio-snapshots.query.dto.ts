import { IsISO8601, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';

export class ListPortfolioSnapshotsQueryDto extends PageQueryDto {
  /** Only snapshots taken at or after this time (ISO 8601). */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  /** Only snapshots taken before this time (ISO 8601). */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;
}
