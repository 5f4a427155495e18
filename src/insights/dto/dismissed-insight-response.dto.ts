import { DISMISSED_INSIGHTS_MAX, INSIGHT_ID_MAX_LENGTH } from '../../../domain/insight-id';
import { ApiList, ApiText, ApiTimestamp } from '../../docs/schema-bounds';

/** An insight the caller dismissed. */
export class DismissedInsightResponseDto {
  /** @example "insight:momentum:TCS:2026-11-20" */
  @ApiText(INSIGHT_ID_MAX_LENGTH)
  insightId: string;
  /** When it was first dismissed; a repeated dismissal does not change it. */
  @ApiTimestamp()
  dismissedAt: Date;
}

/** Every insight the caller dismissed, newest first. */
export class DismissedInsightsResponseDto {
  @ApiList(DismissedInsightResponseDto, DISMISSED_INSIGHTS_MAX)
  items: DismissedInsightResponseDto[];
}
