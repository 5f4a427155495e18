import { ApiProperty } from '@nestjs/swagger';
import { IMPORT_OUTCOMES, type ImportOutcome } from '../../../domain/local-storage.merge';
import { CONFIG_BOUNDS } from '../../config/app-config';
import { ApiList, ApiText, ApiTimestamp } from '../../docs/schema-bounds';
import { MAX_IMPORT_KEYS, MAX_KEY_LENGTH } from './import-local-storage.dto';
import { IMPORT_STATUSES, type ImportStatus } from '../../../domain/local-storage.records';

/** Every entry takes at least a byte of the request body: a bound no count of entries can pass. */
const MAX_NOT_STORED = CONFIG_BOUNDS.bodyLimitBytes;

/** What happened to one key sent. */
export class KeyResultDto {
  /** @example "arise_risk" */
  @ApiText(MAX_KEY_LENGTH)
  key: string;
  @ApiProperty({ enum: IMPORT_OUTCOMES, enumName: 'ImportOutcome' })
  outcome: ImportOutcome;
  /** Why, in a sentence; for `invalid`, the reason. @example "imported: Aggressive" */
  detail: string;
  /**
   * How many entries of this key (watchlist symbols, dismissed insights) were not stored because
   * a limit was reached; `detail` names them. Absent when everything fitted. A client keeps its
   * copy of such a key. (An addition to the design's `{key, outcome, detail}`.)
   * @example 2
   */
  @ApiProperty({ required: false, type: 'integer', format: 'int32', minimum: 1, maximum: MAX_NOT_STORED })
  notStored?: number;
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
