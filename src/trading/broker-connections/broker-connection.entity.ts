import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../users/user.entity';

export const BROKERS = ['paper', 'zerodha', 'upstox', 'angelone', 'dhan', 'fyers'] as const;
export type Broker = (typeof BROKERS)[number];
export const CONNECTION_STATUSES = ['active', 'revoked'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
/**
 * The account at the broker (its client id): 1 to 64 of A-Z a-z 0-9 . _ - @ : after trimming.
 * Shared by the request's validation and its OpenAPI schema.
 */
export const ACCOUNT_REF_PATTERN = /^[A-Za-z0-9._@:-]{1,64}$/;
export const ACCOUNT_REF_MAX_LENGTH = 64;

/** Mirrors migrations 0001/0002. A deleted connection is kept as `revoked` for its orders. */
@Entity({ name: 'broker_connections' })
@Index('ix_broker_connections_user', ['userId', 'createdAt'])
@Index('ux_broker_connections_account', { synchronize: false })
@Check('ck_broker_connections_broker', `broker IN ('paper', 'zerodha', 'upstox', 'angelone', 'dhan', 'fyers')`)
@Check('ck_broker_connections_status', `status IN ('active', 'revoked')`)
@Check('ck_broker_connections_revoked', `(status = 'revoked') = (revoked_at IS NOT NULL)`)
export class BrokerConnection {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_broker_connections' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_broker_connections_user' })
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  broker: Broker;

  @Column({ name: 'account_ref', type: 'varchar', length: 64 })
  accountRef: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: ConnectionStatus;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
