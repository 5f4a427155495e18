import type { Holding } from '../../../../domain/trading';
import { ApiProperty } from '@nestjs/swagger';
import { EXCHANGES, type Exchange, SYMBOL_MAX_LENGTH } from '../../../../domain/market';
import { ApiDecimal, type DecimalFormat } from '../../../common/decimal';
import { ApiNextCursor, ApiPageItems } from '../../../common/pagination';
import { ApiList, ApiText, ApiTimestamp, ApiUuid } from '../../../docs/schema-bounds';
import type { PortfolioSnapshotRow } from '../portfolio-snapshots.repository';
import { CASH_FORMAT, HOLDING_PRICE_FORMAT, MAX_HOLDINGS, QUANTITY_FORMAT } from './create-portfolio-snapshot.dto';

/** quantity × lastPrice: up to 12 + 12 digits before the point. */
const VALUE_FORMAT: DecimalFormat = { integerDigits: 24, fractionDigits: 4, sign: 'non-negative' };
/** cash + holdingsValue, in `numeric(28,4)`: negative for a margin debit larger than the holdings. */
const TOTAL_FORMAT: DecimalFormat = { integerDigits: 24, fractionDigits: 4, sign: 'any' };

/** Decimals are strings with exactly 4 decimals, as stored (`"25.0000"`). */
export class HoldingResponseDto {
  /** @example "INFY" */
  @ApiText(SYMBOL_MAX_LENGTH)
  symbol: string;
  @ApiProperty({ enum: EXCHANGES, enumName: 'Exchange' })
  exchange: Exchange;
  /** @example "25.0000" */
  @ApiDecimal(QUANTITY_FORMAT)
  quantity: string;
  /** @example "1450.2500" */
  @ApiDecimal(HOLDING_PRICE_FORMAT)
  averagePrice: string;
  /** @example "1502.8000" */
  @ApiDecimal(HOLDING_PRICE_FORMAT)
  lastPrice: string;
  /** quantity × lastPrice, rounded half up to 4 decimals. @example "37570.0000" */
  @ApiDecimal(VALUE_FORMAT)
  value: string;
}

/** A portfolio snapshot; every decimal is a string with exactly 4 decimals. */
export class PortfolioSnapshotResponseDto {
  @ApiUuid()
  id: string;
  @ApiUuid()
  connectionId: string | null;
  @ApiTimestamp()
  takenAt: Date;
  /** @example "125000.5000" */
  @ApiDecimal(CASH_FORMAT)
  cash: string;
  @ApiList(HoldingResponseDto, MAX_HOLDINGS)
  holdings: HoldingResponseDto[];
  /** The sum of the holdings' values. @example "37570.0000" */
  @ApiDecimal(VALUE_FORMAT)
  holdingsValue: string;
  /** cash + holdingsValue. @example "162570.5000" */
  @ApiDecimal(TOTAL_FORMAT)
  totalValue: string;
  @ApiTimestamp()
  createdAt: Date;
}

export class PortfolioSnapshotPageDto {
  @ApiPageItems(PortfolioSnapshotResponseDto)
  items: PortfolioSnapshotResponseDto[];
  @ApiNextCursor()
  nextCursor: string | null;
}

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
