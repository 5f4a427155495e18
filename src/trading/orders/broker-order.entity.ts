import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ORDER_STATUSES, type OrderStatus } from '../../../domain/trading';
import { oneOf } from '../../database/checks';

/** Mirrors migrations 0001/0002: an order as the broker knows it, placed for one trade intent. */
@Entity({ name: 'broker_orders' })
@Unique('uq_broker_orders_broker_order', ['connectionId', 'brokerOrderId'])
@Index('ix_broker_orders_user_placed', ['userId', 'placedAt', 'id'])
@Index('ix_broker_orders_intent', ['intentId'])
@Check('ck_broker_orders_status', oneOf('status', ORDER_STATUSES))
@Check('ck_broker_orders_quantity', 'quantity > 0')
@Check('ck_broker_orders_filled', 'filled_quantity >= 0 AND filled_quantity <= quantity')
export class BrokerOrder {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_broker_orders' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_broker_orders_user' })
  user?: object;

  @Column({ name: 'intent_id', type: 'uuid' })
  intentId: string;

  @ManyToOne('TradeIntent', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'intent_id', foreignKeyConstraintName: 'fk_broker_orders_intent' })
  intent?: object;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @ManyToOne('BrokerConnection', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_broker_orders_connection' })
  connection?: object;

  @Column({ name: 'broker_order_id', type: 'varchar', length: 64 })
  brokerOrderId: string;

  @Column({ type: 'varchar', length: 20 })
  status: OrderStatus;

  @Column({ type: 'numeric', precision: 18, scale: 0 })
  quantity: string;

  @Column({ name: 'filled_quantity', type: 'numeric', precision: 18, scale: 0, default: 0 })
  filledQuantity: string;

  @Column({ name: 'average_price', type: 'numeric', precision: 18, scale: 4, nullable: true })
  averagePrice: string | null;

  @Column({ name: 'raw_payload', type: 'jsonb', nullable: true })
  rawPayload: Record<string, unknown> | null;

  @Column({ name: 'placed_at', type: 'timestamptz', default: () => 'now()' })
  placedAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
