import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import {
  INTENT_STATUSES,
  type IntentStatus,
  ORDER_SIDES,
  ORDER_TYPES,
  type OrderSide,
  type OrderType,
  PRODUCTS,
  type Product,
} from '../../../domain/trading';
import { EXCHANGES, type Exchange, TRADING_MODES, type TradingMode } from '../../../domain/market';
import { oneOf } from '../../database/checks';

/** Mirrors migrations 0001/0002. Quantities and prices are numeric: strings in TypeScript. */
@Entity({ name: 'trade_intents' })
@Index('ix_trade_intents_user_created', ['userId', 'createdAt', 'id'])
@Index('ix_trade_intents_user_status', ['userId', 'status'])
@Check('ck_trade_intents_symbol', `symbol ~ '^[A-Z0-9&._-]{1,32}$'`)
@Check('ck_trade_intents_exchange', oneOf('exchange', EXCHANGES))
@Check('ck_trade_intents_side', oneOf('side', ORDER_SIDES))
@Check('ck_trade_intents_quantity', 'quantity > 0')
@Check('ck_trade_intents_order_type', oneOf('order_type', ORDER_TYPES))
@Check(
  'ck_trade_intents_prices',
  `(order_type = 'MARKET' AND limit_price IS NULL AND trigger_price IS NULL) OR
   (order_type = 'LIMIT' AND limit_price > 0 AND trigger_price IS NULL) OR
   (order_type = 'SL' AND limit_price > 0 AND trigger_price > 0) OR
   (order_type = 'SL-M' AND limit_price IS NULL AND trigger_price > 0)`,
)
@Check('ck_trade_intents_product', oneOf('product', PRODUCTS))
@Check('ck_trade_intents_mode', oneOf('mode', TRADING_MODES))
@Check('ck_trade_intents_status', oneOf('status', INTENT_STATUSES))
export class TradeIntent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_trade_intents' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_trade_intents_user' })
  user?: object;

  @Column({ name: 'connection_id', type: 'uuid', nullable: true })
  connectionId: string | null;

  @ManyToOne('BrokerConnection', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_trade_intents_connection' })
  connection?: object;

  @Column({ type: 'varchar', length: 32 })
  symbol: string;

  @Column({ type: 'varchar', length: 8 })
  exchange: Exchange;

  @Column({ type: 'varchar', length: 4 })
  side: OrderSide;

  @Column({ type: 'numeric', precision: 18, scale: 0 })
  quantity: string;

  @Column({ name: 'order_type', type: 'varchar', length: 8 })
  orderType: OrderType;

  @Column({ name: 'limit_price', type: 'numeric', precision: 18, scale: 4, nullable: true })
  limitPrice: string | null;

  @Column({ name: 'trigger_price', type: 'numeric', precision: 18, scale: 4, nullable: true })
  triggerPrice: string | null;

  @Column({ type: 'varchar', length: 8 })
  product: Product;

  @Column({ type: 'varchar', length: 16 })
  mode: TradingMode;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status: IntentStatus;

  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true })
  statusReason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;
}
