import { ApiProperty } from '@nestjs/swagger';
import { IMPORT_OUTCOMES } from '../../../domain/local-storage.merge';
import { IMPORT_STATUSES } from '../../../domain/local-storage.records';

/** A count per name (a status or an outcome): PostgreSQL counts, read as safe integers. */
const counts = (names: readonly string[], description: string) =>
  ({
    type: 'object',
    additionalProperties: { type: 'integer', format: 'int64', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    maxProperties: names.length,
    description,
  }) as const;

/** How the rollout of the import goes, across all users. */
export class ImportStatsDto {
  /** Import requests recorded, replays included. */
  attempts: number;
  /** Users with at least one import that was not a replay. */
  usersImported: number;
  /** Share of imports without an invalid key, replays left out (0 to 1; 1 when there was none). @example 0.97 */
  successRate: number;
  @ApiProperty(counts(IMPORT_STATUSES, 'Attempts by status: imported, partial, unchanged, replayed.'))
  byStatus: Record<string, number>;
  @ApiProperty(
    counts(
      IMPORT_OUTCOMES,
      'Keys by outcome (imported, merged, kept-server, ignored, invalid), over every attempt but replays.',
    ),
  )
  byOutcome: Record<string, number>;
}
