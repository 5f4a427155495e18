import { ApiProperty } from '@nestjs/swagger';

const counts = (description: string) =>
  ({ type: 'object', additionalProperties: { type: 'integer' }, description }) as const;

/** How the rollout of the import goes, across all users. */
export class ImportStatsDto {
  /** Import requests recorded, replays included. */
  attempts: number;
  /** Users with at least one import that was not a replay. */
  usersImported: number;
  /** Share of attempts without an invalid key (0 to 1; 1 when there was none). @example 0.97 */
  successRate: number;
  @ApiProperty(counts('Attempts by status: imported, partial, unchanged, replayed.'))
  byStatus: Record<string, number>;
  @ApiProperty(counts('Keys by outcome (imported, merged, kept-server, ignored, invalid), over every attempt but replays.'))
  byOutcome: Record<string, number>;
}
