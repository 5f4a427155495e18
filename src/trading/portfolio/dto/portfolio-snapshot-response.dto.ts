import { ApiProperty } from '@nestjs/swagger';
import { EXCHANGES, type Exchange } from '../../../common/market';
import type { Holding } from '../portfolio-snapshot.entity';

/** Decimals are strings with exactly 4 decimals, as stored (`"25.0000"`). */
export class HoldingResponseDto {
  /** @example "INFY" */
  symbol: string;
  @ApiProperty({ enum: EXCHANGES, enumName: 'Exchange' })
  exchange: Exchange;
  /** @example "25.0000" */
  quantity: string;
  /** @example "1450.2500" */
  averagePrice: string;
  /** @example "1502.8000" */
  lastPrice: string;
  /** quantity × lastPrice, rounded half up to 4 decimals. @example "37570.0000" */
  value: string;
}

/** A portfolio snapshot; every decimal is a string with exactly 4 decimals. */
export class PortfolioSnapshotResponseDto {
  id: string;
  connectionId: string | null;
  takenAt: Date;
  /** @example "125000.5000" */
  cash: string;
  holdings: HoldingResponseDto[];
  /** The sum of the holdings' values. @example "37570.0000" */
  holdingsValue: string;
  /** cash + holdingsValue. @example "162570.5000" */
  totalValue: string;
  createdAt: Date;
}

export class PortfolioSnapshotPageDto {
  items: PortfolioSnapshotResponseDto[];
  nextCursor: string | null;
}

export type PortfolioSnapshotRow = PortfolioSnapshotResponseDto;

const toHoldingResponse = (h: Holding): HoldingResponseDto => ({
  symbol: h.symbol,
  exchange: h.exchange,
  quantity: h.quantity,
  averagePrice: h.averagePrice,
  lastPrice: h.lastPrice,
  value: h.value,
});

export function toPortfolioSnapshotResponse(row: PortfolioSnapshotRow): PortfolioSnapshotResponseDto {
  return {
    id: row.id,
    connectionId: row.connectionId,
    takenAt: row.takenAt,
    cash: row.cash,
    holdings: row.holdings.map(toHoldingResponse),
    holdingsValue: row.holdingsValue,
    totalValue: row.totalValue,
    createdAt: row.createdAt,
  };
}
