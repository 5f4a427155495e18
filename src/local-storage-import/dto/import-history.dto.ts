import { ApiProperty } from '@nestjs/swagger';
import { IMPORT_STATUSES, type ImportStatus } from '../local-storage-import.entity';

export class ImportDeviceDto {
  /** Null for imports sent without a deviceId. */
  deviceId: string | null;
  firstImportedAt: Date;
  lastImportedAt: Date;
  @ApiProperty({ enum: IMPORT_STATUSES, enumName: 'ImportStatus' })
  lastStatus: ImportStatus;
  /** Attempts from this device, replays included. */
  attempts: number;
}

/** Whether, when and from which devices the caller imported their browser data. */
export class ImportHistoryDto {
  imported: boolean;
  firstImportedAt: Date | null;
  lastImportedAt: Date | null;
  devices: ImportDeviceDto[];
}
