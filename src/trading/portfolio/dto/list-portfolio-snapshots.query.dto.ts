import { IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { IsTimestamp } from '../../../common/validation';

export class ListPortfolioSnapshotsQueryDto extends PageQueryDto {
  /** Only snapshots taken at or after this time (ISO 8601). */
  @IsOptional()
  @IsTimestamp()
  from?: string;

  /** Only snapshots taken before this time (ISO 8601). */
  @IsOptional()
  @IsTimestamp()
  to?: string;
}
