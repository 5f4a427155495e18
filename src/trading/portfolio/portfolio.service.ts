import { Injectable } from '@nestjs/common';
import type { FieldError } from '../../../domain/field-error';
import { DEFAULT_EXCHANGE, type Exchange } from '../../../domain/market';
import { keysetPageSql, type Page, toPage } from '../../common/pagination';
import { notFound, ruleViolation } from '../../common/problem';
import { pgErrorCode } from '../../database/database-errors';
import { SqlParams } from '../../database/sql-params';
import { Transactions } from '../../database/transactions';
import { connectionNotFound } from '../broker-connections/broker-connections.service';
import type { CreatePortfolioSnapshotDto } from './dto/create-portfolio-snapshot.dto';
import {
  type PortfolioSnapshotResponseDto,
  type PortfolioSnapshotRow,
  toPortfolioSnapshotResponse,
} from './dto/portfolio-snapshot-response.dto';

const SNAPSHOT_VIEW = `s.id, s.connection_id AS "connectionId", s.taken_at AS "takenAt", s.cash, s.holdings,
  s.holdings_value AS "holdingsValue", s.total_value AS "totalValue", s.created_at AS "createdAt"`;

/** How far ahead of the server's clock `takenAt` may be (clients' clocks drift). */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Inserts a snapshot with its totals computed by PostgreSQL numeric arithmetic, exactly:
 * each holding's value is quantity × lastPrice rounded to 4 decimals, `holdings_value` their
 * sum, `total_value` cash plus that sum. The decimals in `holdings` are stored as numeric text
 * with 4 decimals. Nothing is inserted (no row returned) when `connectionId` is not one of the
 * caller's live connections.
 */
const INSERT_SQL = `
WITH valued AS (
  SELECT e.ord, e.h->>'symbol' AS symbol, e.h->>'exchange' AS exchange,
         (e.h->>'quantity')::numeric(16,4) AS quantity,
         (e.h->>'averagePrice')::numeric(16,4) AS average_price,
         (e.h->>'lastPrice')::numeric(16,4) AS last_price,
         round((e.h->>'quantity')::numeric * (e.h->>'lastPrice')::numeric, 4) AS value
    FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS e(h, ord)
)
INSERT INTO portfolio_snapshots AS s (user_id, connection_id, taken_at, cash, holdings, holdings_value, total_value)
SELECT $1, $2, COALESCE($3::timestamptz, now()), $5::numeric,
       COALESCE(jsonb_agg(jsonb_build_object(
         'symbol', symbol, 'exchange', exchange, 'quantity', quantity::text, 'averagePrice', average_price::text,
         'lastPrice', last_price::text, 'value', value::text) ORDER BY ord), '[]'::jsonb),
       COALESCE(sum(value), 0),
       $5::numeric + COALESCE(sum(value), 0)
  FROM valued
HAVING $2::uuid IS NULL
    OR EXISTS (SELECT 1 FROM broker_connections c WHERE c.id = $2 AND c.user_id = $1 AND c.status = 'active')
RETURNING ${SNAPSHOT_VIEW}`;

/** The caller's portfolio snapshots: append-only records of what a portfolio was worth. */
@Injectable()
export class PortfolioService {
  constructor(private readonly transactions: Transactions) {}

  async create(userId: string, dto: CreatePortfolioSnapshotDto): Promise<PortfolioSnapshotResponseDto> {
    const holdings = dto.holdings.map((h) => ({ ...h, exchange: h.exchange ?? DEFAULT_EXCHANGE }));
    const violations = snapshotRuleViolations(dto.takenAt, holdings);
    if (violations.length > 0) throw ruleViolation('The snapshot breaks a rule.', violations);
    let rows: PortfolioSnapshotRow[];
    try {
      rows = await this.transactions.rows<PortfolioSnapshotRow>(INSERT_SQL, [
        userId,
        dto.connectionId ?? null,
        dto.takenAt ?? null,
        JSON.stringify(holdings),
        dto.cash,
      ]);
    } catch (error) {
      // 22003 numeric_value_out_of_range: a total beyond numeric(28,4) (24 digits before the point).
      if (pgErrorCode(error) !== '22003') throw error;
      throw ruleViolation('The totals are too large to store.', [
        { field: 'holdings', message: 'holdingsValue and totalValue must stay below 10^24' },
      ]);
    }
    if (rows.length === 0) throw connectionNotFound();
    return toPortfolioSnapshotResponse(rows[0]);
  }

  async list(
    userId: string,
    query: { from?: string; to?: string; limit: number; cursor?: string },
  ): Promise<Page<PortfolioSnapshotResponseDto>> {
    if (query.from && query.to && new Date(query.from) >= new Date(query.to)) {
      throw ruleViolation('The time range is empty.', [{ field: 'to', message: 'to must be after from' }]);
    }
    const params = new SqlParams();
    const conditions = [`s.user_id = ${params.add(userId)}`];
    if (query.from) conditions.push(`s.taken_at >= ${params.add(query.from)}`);
    if (query.to) conditions.push(`s.taken_at < ${params.add(query.to)}`);
    const rows = await this.transactions.rows<PortfolioSnapshotRow>(
      keysetPageSql({
        select: SNAPSHOT_VIEW,
        table: 'portfolio_snapshots',
        alias: 's',
        timeColumn: 'taken_at',
        conditions,
        params,
        ...query,
      }),
      params.values,
    );
    return toPage(rows, query.limit, (r) => ({ at: r.takenAt, id: r.id }), toPortfolioSnapshotResponse);
  }

  async latest(userId: string): Promise<PortfolioSnapshotResponseDto> {
    const [row] = await this.transactions.rows<PortfolioSnapshotRow>(
      `SELECT ${SNAPSHOT_VIEW} FROM portfolio_snapshots s WHERE s.user_id = $1 ORDER BY s.taken_at DESC, s.id DESC LIMIT 1`,
      [userId],
    );
    if (!row) throw notFound('No portfolio snapshot yet.');
    return toPortfolioSnapshotResponse(row);
  }

  async get(userId: string, id: string): Promise<PortfolioSnapshotResponseDto> {
    const [row] = await this.transactions.rows<PortfolioSnapshotRow>(
      `SELECT ${SNAPSHOT_VIEW} FROM portfolio_snapshots s WHERE s.id = $1 AND s.user_id = $2`,
      [id, userId],
    );
    if (!row) throw notFound('No such portfolio snapshot.');
    return toPortfolioSnapshotResponse(row);
  }
}

/** One holding per symbol and exchange; `takenAt` not in the future (beyond clock skew). */
function snapshotRuleViolations(
  takenAt: string | undefined,
  holdings: { symbol: string; exchange: Exchange }[],
): FieldError[] {
  const errors: FieldError[] = [];
  if (takenAt && new Date(takenAt).getTime() > Date.now() + CLOCK_SKEW_MS) {
    errors.push({ field: 'takenAt', message: 'takenAt must not be in the future' });
  }
  const seen = new Set<string>();
  holdings.forEach((h, index) => {
    const key = `${h.symbol}@${h.exchange}`;
    if (seen.has(key))
      errors.push({ field: `holdings.${index}`, message: `${h.symbol} on ${h.exchange} is listed twice` });
    seen.add(key);
  });
  return errors;
}
