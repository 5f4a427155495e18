import { ApiProperty } from '@nestjs/swagger';
import { ApiList, ApiText, ApiTimestamp } from '../../docs/schema-bounds';
import { MAX_IMPORT_KEYS, MAX_KEY_LENGTH } from './import-local-storage.dto';
import { IMPORT_OUTCOMES, type ImportOutcome } from '../local-storage.merge';
import { IMPORT_STATUSES, type ImportStatus } from '../local-storage-import.entity';

/** What happened to one key sent. */
export class KeyResultDto {
  /** @example "arise_risk" */
  @ApiText(MAX_KEY_LENGTH)
  key: string;
  @ApiProperty({ enum: IMPORT_OUTCOMES, enumName: 'ImportOutcome' })
  outcome: ImportOutcome;
  /** Why, in a sentence; for `invalid`, the reason. @example "imported: Aggressive" */
  detail: string;
}

export class ImportResultDto {
  /**
   * `imported`: data changed and every key was usable; `partial`: some keys were invalid (the
   * others still landed); `unchanged`: nothing to change; `replayed`: this exact payload was
   * imported before, nothing was done, and the first import's results are returned.
   */
  @ApiProperty({ enum: IMPORT_STATUSES, enumName: 'ImportStatus' })
  status: ImportStatus;
  /** One per key sent, in the order sent. */
  @ApiList(KeyResultDto, MAX_IMPORT_KEYS)
  results: KeyResultDto[];
  /** When the payload was imported (the first time, for a replay). */
  @ApiTimestamp()
  importedAt: Date;
}
