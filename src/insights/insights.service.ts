import { Injectable } from '@nestjs/common';
import { DISMISSED_INSIGHTS_MAX } from '../../domain/insight-id';
import { AuditService } from '../audit/audit.service';
import { notFound, ruleViolation } from '../common/problem';
import { lockUserList } from '../database/list-locks';
import { Transactions } from '../database/transactions';
import {
  type DismissedInsightResponseDto,
  type DismissedInsightRow,
  type DismissedInsightsResponseDto,
  toDismissedInsightResponse,
} from './dto/dismissed-insight-response.dto';

/**
 * Dismisses the input's ids in ONE statement: ids already dismissed are answered as they are
 * ('present'), new ones are inserted while they fit under the cap ('added'), the rest are
 * answered, not stored ('overflow'). It runs under the list lock, as the watchlist's merge does
 * and for the same reasons: the count must be current, and a concurrent dismissal of the same id
 * must see the winner's row rather than find it neither present nor insertable.
 */
const DISMISS_SQL = `
WITH input AS (
  SELECT t.insight_id, t.ord FROM unnest($2::varchar[]) WITH ORDINALITY AS t(insight_id, ord)
), present AS (
  SELECT insight_id, dismissed_at FROM user_dismissed_insights WHERE user_id = $1 AND insight_id = ANY ($2::varchar[])
), fresh AS (
  SELECT i.insight_id,
    (SELECT count(*) FROM user_dismissed_insights WHERE user_id = $1) + row_number() OVER (ORDER BY i.ord) AS rank
  FROM input i
  WHERE NOT EXISTS (SELECT 1 FROM present p WHERE p.insight_id = i.insight_id)
), added AS (
  INSERT INTO user_dismissed_insights (user_id, insight_id)
  SELECT $1, insight_id FROM fresh WHERE rank <= $3
  ON CONFLICT (user_id, insight_id) DO NOTHING
  RETURNING insight_id, dismissed_at
)
SELECT 'added' AS outcome, insight_id, dismissed_at FROM added
UNION ALL SELECT 'present', insight_id, dismissed_at FROM present
UNION ALL SELECT 'overflow', insight_id, NULL FROM fresh WHERE rank > $3`;

type DismissOutcome = 'added' | 'present' | 'overflow';

/** What `dismissMany` did with each distinct id. */
export interface InsightsDismissal {
  /** Newly dismissed, in input order. */
  added: DismissedInsightResponseDto[];
  /** Already dismissed: left as they were (`dismissedAt` unchanged). */
  present: DismissedInsightResponseDto[];
  /** Not stored: the cap was reached. */
  overflow: string[];
}

/** What the audit trail keeps of one dismissal. */
const audited = ({ insightId, dismissedAt }: DismissedInsightResponseDto) => ({ insightId, dismissedAt });

@Injectable()
export class InsightsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  /** Newest first (ties by id); the primary key's index finds them, the sort is in memory (≤ 5,000). */
  async listDismissed(userId: string): Promise<DismissedInsightsResponseDto> {
    const rows = await this.transactions.rows<DismissedInsightRow>(
      'SELECT insight_id, dismissed_at FROM user_dismissed_insights WHERE user_id = $1 ORDER BY dismissed_at DESC, insight_id',
      [userId],
    );
    return { items: rows.map(toDismissedInsightResponse) };
  }

  /** Dismisses one insight (`created`), or answers the saved dismissal unchanged; 422 at the cap. */
  async dismiss(userId: string, insightId: string): Promise<{ item: DismissedInsightResponseDto; created: boolean }> {
    const { added, present } = await this.dismissMany(userId, [insightId]);
    if (added[0]) {
      this.audit.record({ action: 'dismiss', before: null, after: audited(added[0]) });
      return { item: added[0], created: true };
    }
    if (present[0]) return { item: present[0], created: false };
    throw ruleViolation(
      `You have dismissed ${DISMISSED_INSIGHTS_MAX} insights, the most kept; un-dismiss some first.`,
      [{ field: 'insightId', message: `at most ${DISMISSED_INSIGHTS_MAX} insights can be dismissed` }],
    );
  }

  /** Un-dismisses an insight; 404 when it is not dismissed. */
  async undismiss(userId: string, insightId: string): Promise<void> {
    const [removed] = await this.transactions.rows<DismissedInsightRow>(
      'DELETE FROM user_dismissed_insights WHERE user_id = $1 AND insight_id = $2 RETURNING insight_id, dismissed_at',
      [userId, insightId],
    );
    if (!removed) throw notFound(`Insight ${insightId} is not dismissed.`);
    this.audit.record({ action: 'undismiss', before: audited(toDismissedInsightResponse(removed)), after: null });
  }

  /**
   * Dismisses every id not dismissed yet (a union), up to the cap. Ids must match
   * `INSIGHT_ID_PATTERN`; repeats count once. Records no audit event: the caller does
   * (`dismiss`, or the localStorage import with its own single event). Joins the caller's
   * transaction, or opens one.
   */
  async dismissMany(userId: string, insightIds: string[]): Promise<InsightsDismissal> {
    const ids = [...new Set(insightIds)];
    return this.transactions.run(async () => {
      await lockUserList(this.transactions, 'insights', userId);
      const rows = await this.transactions.rows<DismissedInsightRow & { outcome: DismissOutcome }>(DISMISS_SQL, [
        userId,
        ids,
        DISMISSED_INSIGHTS_MAX,
      ]);
      const order = new Map(ids.map((id, i) => [id, i]));
      rows.sort((a, b) => order.get(a.insight_id)! - order.get(b.insight_id)!);
      const outcome = (name: DismissOutcome) => rows.filter((row) => row.outcome === name);
      return {
        added: outcome('added').map(toDismissedInsightResponse),
        present: outcome('present').map(toDismissedInsightResponse),
        overflow: outcome('overflow').map((row) => row.insight_id),
      };
    });
  }
}
