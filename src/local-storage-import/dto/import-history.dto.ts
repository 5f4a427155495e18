import { ApiProperty } from '@nestjs/swagger';
import { ApiList, ApiText, ApiTimestamp } from '../../docs/schema-bounds';
import { IMPORT_STATUSES, type ImportStatus } from '../../../domain/local-storage.records';
import { DEVICE_ID_MAX_LENGTH } from './import-local-storage.dto';

/** The history lists this many devices at most, the most recent first; its times span them all. */
export const IMPORT_HISTORY_MAX_DEVICES = 100;

export class ImportDeviceDto {
  /** Null for imports sent without a deviceId. */
  @ApiText(DEVICE_ID_MAX_LENGTH)
  deviceId: string | null;
  @ApiTimestamp()
  firstImportedAt: Date;
  @ApiTimestamp()
  lastImportedAt: Date;
  @ApiProperty({ enum: IMPORT_STATUSES, enumName: 'ImportStatus' })
  lastStatus: ImportStatus;
  /** Attempts from this device, replays included. */
  attempts: number;
}

/** Whether, when and from which devices the caller imported their browser data. */
export class ImportHistoryDto {
  imported: boolean;
  @ApiTimestamp()
  firstImportedAt: Date | null;
  @ApiTimestamp()
  lastImportedAt: Date | null;
  /** The devices imported from, the most recent first: at most 100 (the times above cover every device). */
  @ApiList(ImportDeviceDto, IMPORT_HISTORY_MAX_DEVICES)
  devices: ImportDeviceDto[];
}
