import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../database/database';
import { GenerateSql } from '../database/generate-sql';

/** A dismissal as the routes answer it: the columns, and their names in a CTE that selected them. */
const DISMISSAL = ['insight_id as insightId', 'dismissed_at as dismissedAt'] as const;
const DISMISSAL_FIELDS = ['insightId', 'dismissedAt'] as const;

type DismissOutcome = 'added' | 'present' | 'overflow';

export type Dismissal = Awaited<ReturnType<DismissedInsightsRepository['list']>>[number];

/** What a dismissal of many ids did with each distinct id, each list in input order. */
export interface InsightsDismissal {
  /** Newly dismissed, in input order. */
  added: Dismissal[];
  /** Already dismissed: left as they were (`dismissedAt` unchanged). */
  present: Dismissal[];
  /** Not stored: the cap was reached. */
  overflow: string[];
}

/** `user_dismissed_insights`: one row per insight a user dismissed. */
@Injectable()
export class DismissedInsightsRepository {
  constructor(private readonly database: Database) {}

  /** Newest first (ties by id); the primary key's index finds them, the sort is in memory (≤ the cap). */
  @GenerateSql({ params: [GenerateSql.UUID] })
  list(userId: string) {
    return this.database.db
      .selectFrom('user_dismissed_insights')
      .select(DISMISSAL)
      .where('user_id', '=', userId)
      .orderBy('dismissed_at', 'desc')
      .orderBy('insight_id')
      .execute();
  }

  /**
   * Dismisses the ids in ONE statement: ids already dismissed are answered as they are
   * ('present'), new ones are inserted while they fit under `cap` ('added'), the rest are
   * answered, not stored ('overflow'). The caller holds the list lock, as for the watchlist's
   * merge and for the same reasons: the count must be current, and a concurrent dismissal of the
   * same id must see the winner's row rather than find it neither present nor insertable.
   * `insightIds` hold each id once.
   */
  @GenerateSql({ params: [GenerateSql.UUID, ['welcome-tour', 'insight:momentum:TCS:2026-11-20'], 5000] })
  async dismiss(userId: string, insightIds: string[], cap: number): Promise<InsightsDismissal> {
    const rows = await this.database.db
      .with('input', (qb) =>
        qb
          .selectFrom(
            sql<{ insight_id: string; ord: number }>`unnest(${insightIds}::varchar[]) WITH ORDINALITY`.as<'t'>(
              sql`t(insight_id, ord)`,
            ),
          )
          .selectAll(),
      )
      .with('present', (qb) =>
        qb
          .selectFrom('user_dismissed_insights')
          .select(DISMISSAL)
          .where('user_id', '=', userId)
          .where('insight_id', 'in', (eb) => eb.selectFrom('input').select('insight_id')),
      )
      .with('saved', (qb) =>
        qb
          .selectFrom('user_dismissed_insights')
          .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('count'))
          .where('user_id', '=', userId),
      )
      .with('fresh', (qb) =>
        qb
          .selectFrom(['input as i', 'saved as s'])
          .where((eb) =>
            eb.not(
              eb.exists(
                eb.selectFrom('present as p').select('p.insightId').whereRef('p.insightId', '=', 'i.insight_id'),
              ),
            ),
          )
          .select('i.insight_id')
          .select((eb) =>
            eb
              .cast<number>(sql`${eb.ref('s.count')} + row_number() OVER (ORDER BY ${eb.ref('i.ord')})`, 'integer')
              .as('rank'),
          ),
      )
      .with('added', (qb) =>
        qb
          .insertInto('user_dismissed_insights')
          .columns(['user_id', 'insight_id'])
          .expression((eb) =>
            eb
              .selectFrom('fresh')
              .select([eb.val(userId).as('user_id'), 'insight_id'])
              .where('rank', '<=', cap),
          )
          .onConflict((oc) => oc.columns(['user_id', 'insight_id']).doNothing())
          .returning(DISMISSAL),
      )
      // Kysely types a union by its first branch: the overflow's, whose NULL time the others' fit.
      .selectFrom('fresh')
      .select([
        sql.lit<DismissOutcome>('overflow').as('outcome'),
        'insight_id as insightId',
        sql.lit<Date | null>(null).as('dismissedAt'),
      ])
      .where('rank', '>', cap)
      .unionAll((eb) =>
        eb.selectFrom('added').select([sql.lit<DismissOutcome>('added').as('outcome'), ...DISMISSAL_FIELDS]),
      )
      .unionAll((eb) =>
        eb.selectFrom('present').select([sql.lit<DismissOutcome>('present').as('outcome'), ...DISMISSAL_FIELDS]),
      )
      .execute();

    const order = new Map(insightIds.map((id, i) => [id, i]));
    rows.sort((a, b) => order.get(a.insightId)! - order.get(b.insightId)!);
    const dismissal: InsightsDismissal = { added: [], present: [], overflow: [] };
    for (const { outcome, insightId, dismissedAt } of rows) {
      // Only overflow rows lack a time: the others are rows of the table.
      if (outcome === 'overflow') dismissal.overflow.push(insightId);
      else if (dismissedAt !== null) dismissal[outcome].push({ insightId, dismissedAt });
    }
    return dismissal;
  }

  /** Un-dismisses one insight; undefined when it is not dismissed. */
  @GenerateSql({ params: [GenerateSql.UUID, 'welcome-tour'] })
  undismiss(userId: string, insightId: string) {
    return this.database.db
      .deleteFrom('user_dismissed_insights')
      .where('user_id', '=', userId)
      .where('insight_id', '=', insightId)
      .returning(DISMISSAL)
      .executeTakeFirst();
  }
}
