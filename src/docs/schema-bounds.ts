import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

/**
 * Bounds of response fields for the OpenAPI document (`maxLength`, `maxItems`): what the data
 * really holds — the column's size, the rule that made the value, the list's limit — so clients
 * and the OWASP lint know every string and list is bounded. Request DTOs get theirs from the
 * validation decorators (`@MaxLength(500)`, which the Swagger plugin documents when its argument
 * is a literal), so a documented input limit is always an enforced one; where the plugin cannot
 * see the limit (a named constant, `@ArrayMaxSize()`), the DTO states it next to the validator.
 */

/** A uuid as PostgreSQL prints it. */
export const UUID_LENGTH = 36;

/**
 * A `Date` as JSON writes it (`toISOString()`): 24 characters, 27 with the six-digit years
 * outside 0–9999 that PostgreSQL's timestamps can still hold.
 */
export const TIMESTAMP_MAX_LENGTH = 27;

type Options = Omit<ApiPropertyOptions, 'type' | 'format' | 'maxLength'>;

export const ApiUuid = (options: Options = {}) =>
  ApiProperty({ ...options, type: String, format: 'uuid', maxLength: UUID_LENGTH } as ApiPropertyOptions);

export const ApiTimestamp = (options: Options = {}) =>
  ApiProperty({ ...options, type: String, format: 'date-time', maxLength: TIMESTAMP_MAX_LENGTH } as ApiPropertyOptions);

/** A string of at most `maxLength` characters (the column's size, or the rule that made it). */
export const ApiText = (maxLength: number, options: Options = {}) =>
  ApiProperty({ ...options, type: String, maxLength } as ApiPropertyOptions);

/** A list of at most `maxItems` items of `type`. */
export const ApiList = (type: ApiPropertyOptions['type'], maxItems: number, options: Options = {}) =>
  ApiProperty({ ...options, type, isArray: true, maxItems } as ApiPropertyOptions);
