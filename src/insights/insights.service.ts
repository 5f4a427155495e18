import { Injectable } from '@nestjs/common';
import { DISMISSED_INSIGHTS_MAX } from '../../domain/insight-id';
import { AuditService } from '../audit/audit.service';
import { notFound, ruleViolation } from '../common/problem';
import { Database, type InTransaction } from '../database/database';
import { lockUserList } from '../database/list-locks';
import type { DismissedInsightResponseDto, DismissedInsightsResponseDto } from './dto/dismissed-insight-response.dto';
import { DismissedInsightsRepository, type InsightsDismissal } from './dismissed-insights.repository';

/** What the audit trail keeps of one dismissal. */
const audited = ({ insightId, dismissedAt }: DismissedInsightResponseDto) => ({ insightId, dismissedAt });

@Injectable()
export class InsightsService {
  constructor(
    private readonly repository: DismissedInsightsRepository,
    private readonly database: Database,
    private readonly audit: AuditService,
  ) {}

  async listDismissed(userId: string): Promise<DismissedInsightsResponseDto> {
    return { items: await this.repository.list(userId) };
  }

  /** Dismisses one insight (`created`), or answers the saved dismissal unchanged; 422 at the cap. */
  dismiss(userId: string, insightId: string): Promise<{ item: DismissedInsightResponseDto; created: boolean }> {
    return this.database.transaction(async (tx) => {
      const { added, present } = await this.dismissMany(userId, [insightId]);
      if (added[0]) {
        await this.audit.record(tx, { action: 'dismiss', before: null, after: audited(added[0]) });
        return { item: added[0], created: true };
      }
      if (present[0]) return { item: present[0], created: false };
      throw ruleViolation(
        `You have dismissed ${DISMISSED_INSIGHTS_MAX} insights, the most kept; un-dismiss some first.`,
        [{ field: 'insightId', message: `at most ${DISMISSED_INSIGHTS_MAX} insights can be dismissed` }],
      );
    });
  }

  /** Un-dismisses an insight; 404 when it is not dismissed. */
  undismiss(userId: string, insightId: string): Promise<void> {
    return this.database.transaction(async (tx) => {
      const removed = await this.repository.undismiss(userId, insightId);
      if (!removed) throw notFound(`Insight ${insightId} is not dismissed.`);
      await this.audit.record(tx, { action: 'undismiss', before: audited(removed), after: null });
    });
  }

  /**
   * Dismisses every id not dismissed yet (a union), up to the cap. Ids must match
   * `INSIGHT_ID_PATTERN`; repeats count once. Records no audit event: the caller does
   * (`dismiss`, or the localStorage import with its own single event). Joins the caller's
   * transaction, or opens one.
   */
  dismissMany(userId: string, insightIds: string[]): Promise<InsightsDismissal> {
    const ids = [...new Set(insightIds)];
    return this.database.transaction(async (tx) => {
      await lockUserList(this.database, tx, 'insights', userId);
      return this.repository.dismiss(userId, ids, DISMISSED_INSIGHTS_MAX);
    });
  }

  /** Deletes the user's dismissed insights: part of the account's erasure, which records it. */
  async eraseUser(_tx: InTransaction, userId: string): Promise<void> {
    await this.repository.deleteAllOf(userId);
  }
}
