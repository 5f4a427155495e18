import { Injectable } from '@nestjs/common';
import { DEFAULT_EXCHANGE, type Exchange } from '../../../domain/market';
import type { Page } from '../../common/pagination';
import type { FieldError } from '../../../domain/field-error';
import { notFound, ruleViolation } from '../../common/problem';
import { pgErrorCode } from '../../database/database-errors';
import { BrokerConnectionsService } from '../broker-connections/broker-connections.service';
import type { CreatePortfolioSnapshotDto } from './dto/create-portfolio-snapshot.dto';
import { type PortfolioSnapshotResponseDto, toPortfolioSnapshotResponse } from './dto/portfolio-snapshot-response.dto';
import { PortfolioSnapshotsRepository } from './portfolio-snapshots.repository';

/** How far ahead of the server's clock `takenAt` may be (clients' clocks drift). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The caller's portfolio snapshots: append-only records of what a portfolio was worth. */
@Injectable()
export class PortfolioService {
  constructor(
    private readonly repository: PortfolioSnapshotsRepository,
    private readonly connections: BrokerConnectionsService,
  ) {}

  /**
   * Records a snapshot; PostgreSQL computes its totals exactly. 404 when `connectionId` is not
   * one of the caller's live connections (a connection revoked right after still has its row).
   */
  async create(userId: string, dto: CreatePortfolioSnapshotDto): Promise<PortfolioSnapshotResponseDto> {
    const holdings = dto.holdings.map((h) => ({ ...h, exchange: h.exchange ?? DEFAULT_EXCHANGE }));
    const violations = snapshotRuleViolations(dto.takenAt, holdings);
    if (violations.length > 0) throw ruleViolation('The snapshot breaks a rule.', violations);
    if (dto.connectionId) await this.connections.assertLive(userId, dto.connectionId);
    try {
      const row = await this.repository.insert(userId, {
        connectionId: dto.connectionId ?? null,
        takenAt: dto.takenAt ?? null,
        cash: dto.cash,
        holdings,
      });
      return toPortfolioSnapshotResponse(row);
    } catch (error) {
      // 22003 numeric_value_out_of_range: a total beyond numeric(28,4) (24 digits before the point).
      if (pgErrorCode(error) !== '22003') throw error;
      throw ruleViolation('The totals are too large to store.', [
        { field: 'holdings', message: 'holdingsValue and totalValue must stay below 10^24' },
      ]);
    }
  }

  async list(
    userId: string,
    query: { from?: string; to?: string; limit: number; cursor?: string },
  ): Promise<Page<PortfolioSnapshotResponseDto>> {
    if (query.from && query.to && new Date(query.from) >= new Date(query.to)) {
      throw ruleViolation('The time range is empty.', [{ field: 'to', message: 'to must be after from' }]);
    }
    const { items, nextCursor } = await this.repository.list(userId, query);
    return { items: items.map(toPortfolioSnapshotResponse), nextCursor };
  }

  async latest(userId: string): Promise<PortfolioSnapshotResponseDto> {
    const row = await this.repository.latest(userId);
    if (!row) throw notFound('No portfolio snapshot yet.');
    return toPortfolioSnapshotResponse(row);
  }

  async get(userId: string, id: string): Promise<PortfolioSnapshotResponseDto> {
    const row = await this.repository.find(userId, id);
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
