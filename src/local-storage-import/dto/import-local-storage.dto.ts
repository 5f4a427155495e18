import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsOptional, Matches, ValidateBy } from 'class-validator';
import { CONFIG_BOUNDS } from '../../config/app-config';

export const MAX_IMPORT_KEYS = 500;
export const MAX_KEY_LENGTH = 256;
export const DEVICE_ID_MAX_LENGTH = 128;

/** `{key: string}` with at most MAX_IMPORT_KEYS keys of at most MAX_KEY_LENGTH characters. */
function IsStorageEntries() {
  return ValidateBy({
    name: 'isStorageEntries',
    validator: {
      validate: (value: unknown) =>
        !!value &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.keys(value).length <= MAX_IMPORT_KEYS &&
        Object.entries(value).every(
          ([key, v]) => key.length > 0 && key.length <= MAX_KEY_LENGTH && typeof v === 'string',
        ),
      defaultMessage: () =>
        `entries must map at most ${MAX_IMPORT_KEYS} keys (1 to ${MAX_KEY_LENGTH} characters) to string values`,
    },
  });
}

export class ImportLocalStorageDto {
  /**
   * The browser's localStorage exactly as stored: every value a string, plain text or JSON
   * text (`Object.fromEntries(Object.entries(localStorage))`).
   * @example {"arise_risk": "Aggressive", "arise_watchlist": "[\"TCS\", \"INFY\"]", "arise_news": "[]"}
   */
  // A value is bounded by the request body limit alone (BODY_LIMIT_BYTES, at most 10 MiB): what
  // a browser caches under keys the import ignores can be large, and must not fail the import.
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: CONFIG_BOUNDS.bodyLimitBytes },
    maxProperties: MAX_IMPORT_KEYS,
  })
  @IsObject()
  @IsStorageEntries()
  entries: Record<string, string>;

  /** The browser's own stable id, to tell devices apart in the import history. @example "web-7f3c2a" */
  @IsOptional()
  @ApiProperty({ maxLength: DEVICE_ID_MAX_LENGTH })
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'deviceId must be 1 to 128 of A-Z a-z 0-9 . _ : -' })
  deviceId?: string;
}
