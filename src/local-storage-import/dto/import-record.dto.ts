import { ApiProperty } from '@nestjs/swagger';
import { ApiList, ApiText, ApiTimestamp, ApiUuid } from '../../docs/schema-bounds';
import { IMPORT_STATUSES, type ImportStatus } from '../../../domain/local-storage.records';
import { MAX_IMPORT_KEYS } from './import-local-storage.dto';
import { KeyResultDto } from './import-result.dto';

/** One import attempt as it was recorded, with what it did with each key (the export). */
export class ImportRecordDto {
  @ApiUuid()
  id: string;
  /** Null for imports sent without a deviceId. @example "laptop-1" */
  @ApiText(128)
  deviceId: string | null;
  @ApiTimestamp()
  receivedAt: Date;
  @ApiProperty({ enum: IMPORT_STATUSES, enumName: 'ImportStatus' })
  status: ImportStatus;
  /** @example 12 */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_IMPORT_KEYS })
  keysCount: number;
  /** One per key sent, in the order sent. */
  @ApiList(KeyResultDto, MAX_IMPORT_KEYS)
  results: KeyResultDto[];
}
