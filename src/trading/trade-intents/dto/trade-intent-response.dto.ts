import {
  INTENT_STATUSES,
  type IntentStatus,
  ORDER_SIDES,
  ORDER_TYPES,
  type OrderSide,
  type OrderType,
  PRICE_FORMAT,
  PRODUCTS,
  type Product,
} from '../../../../domain/trading';
import { ApiProperty } from '@nestjs/swagger';
import { ApiDecimal } from '../../../common/decimal';
import {
  EXCHANGES,
  type Exchange,
  SYMBOL_MAX_LENGTH,
  TRADING_MODES,
  type TradingMode,
} from '../../../../domain/market';
import { ApiNextCursor, ApiPageItems } from '../../../common/pagination';
import { ApiText, ApiTimestamp, ApiUuid } from '../../../docs/schema-bounds';
import type { TradeIntentRow } from '../trade-intents.repository';

/** A trade intent. Prices are decimal strings with 4 decimals, as stored (`"2500.5000"`). */
export class TradeIntentResponseDto {
  @ApiUuid()
  id: string;
  /** @example "RELIANCE" */
  @ApiText(SYMBOL_MAX_LENGTH)
  symbol: string;
  @ApiProperty({ enum: EXCHANGES, enumName: 'Exchange' })
  exchange: Exchange;
  @ApiProperty({ enum: ORDER_SIDES, enumName: 'OrderSide' })
  side: OrderSide;
  /** @example 10 */
  quantity: number;
  @ApiProperty({ enum: ORDER_TYPES, enumName: 'OrderType' })
  orderType: OrderType;
  /** @example "2500.5000" */
  @ApiDecimal(PRICE_FORMAT)
  limitPrice: string | null;
  /** @example null */
  @ApiDecimal(PRICE_FORMAT)
  triggerPrice: string | null;
  @ApiProperty({ enum: PRODUCTS, enumName: 'Product' })
  product: Product;
  @ApiProperty({ enum: TRADING_MODES, enumName: 'TradingMode' })
  mode: TradingMode;
  @ApiProperty({ enum: INTENT_STATUSES, enumName: 'IntentStatus' })
  status: IntentStatus;
  /** Why the broker rejected the order, when it did. */
  @ApiText(500)
  statusReason: string | null;
  /** The connection it was submitted through; null while a draft. */
  @ApiUuid()
  connectionId: string | null;
  @ApiTimestamp()
  createdAt: Date;
  @ApiTimestamp()
  updatedAt: Date;
  @ApiTimestamp()
  submittedAt: Date | null;
}

export class TradeIntentPageDto {
  @ApiPageItems(TradeIntentResponseDto)
  items: TradeIntentResponseDto[];
  @ApiNextCursor()
  nextCursor: string | null;
}

export function toTradeIntentResponse(row: TradeIntentRow): TradeIntentResponseDto {
  return {
    id: row.id,
    symbol: row.symbol,
    exchange: row.exchange,
    side: row.side,
    quantity: Number(row.quantity),
    orderType: row.orderType,
    limitPrice: row.limitPrice,
    triggerPrice: row.triggerPrice,
    product: row.product,
    mode: row.mode,
    status: row.status,
    statusReason: row.statusReason,
    connectionId: row.connectionId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    submittedAt: row.submittedAt,
  };
}
