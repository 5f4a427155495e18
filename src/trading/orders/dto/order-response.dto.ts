import { ORDER_STATUSES, type OrderStatus, PRICE_FORMAT } from '../../../../domain/trading';
import { ApiProperty } from '@nestjs/swagger';
import { ApiDecimal } from '../../../common/decimal';
import { ApiNextCursor, ApiPageItems } from '../../../common/pagination';
import { ApiText, ApiTimestamp, ApiUuid } from '../../../docs/schema-bounds';
import type { OrderRow } from '../orders.repository';

/** An order as its broker knows it, placed for one trade intent. */
export class OrderResponseDto {
  @ApiUuid()
  id: string;
  @ApiUuid()
  intentId: string;
  @ApiUuid()
  connectionId: string;
  /** The broker's id of the order (`PAPER-…` for the paper broker). */
  @ApiText(64)
  brokerOrderId: string;
  @ApiProperty({ enum: ORDER_STATUSES, enumName: 'OrderStatus' })
  status: OrderStatus;
  /** @example 10 */
  quantity: number;
  /** @example 4 */
  filledQuantity: number;
  /** Volume-weighted price of the fills so far, 4 decimals; null before the first fill. @example "2499.7500" */
  @ApiDecimal(PRICE_FORMAT)
  averagePrice: string | null;
  @ApiTimestamp()
  placedAt: Date;
  @ApiTimestamp()
  updatedAt: Date;
}

export class OrderPageDto {
  @ApiPageItems(OrderResponseDto)
  items: OrderResponseDto[];
  @ApiNextCursor()
  nextCursor: string | null;
}

/** Copies the named fields only: the broker's raw payload stays inside the service. */
export function toOrderResponse(row: OrderRow): OrderResponseDto {
  return {
    id: row.id,
    intentId: row.intentId,
    connectionId: row.connectionId,
    brokerOrderId: row.brokerOrderId,
    status: row.status,
    quantity: Number(row.quantity),
    filledQuantity: Number(row.filledQuantity),
    averagePrice: row.averagePrice,
    placedAt: row.placedAt,
    updatedAt: row.updatedAt,
  };
}
