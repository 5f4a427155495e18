import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BROKERS, type Broker, CONNECTION_STATUSES, type ConnectionStatus } from '../../../domain/trading';
import { oneOf } from '../../database/checks';

/** Mirrors migrations 0001/0002. A deleted connection is kept as `revoked` for its orders. */
@Entity({ name: 'broker_connections' })
@Index('ix_broker_connections_user', ['userId', 'createdAt'])
@Index('ux_broker_connections_account', { synchronize: false })
@Check('ck_broker_connections_broker', oneOf('broker', BROKERS))
@Check('ck_broker_connections_status', oneOf('status', CONNECTION_STATUSES))
@Check('ck_broker_connections_revoked', `(status = 'revoked') = (revoked_at IS NOT NULL)`)
export class BrokerConnection {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_broker_connections' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_broker_connections_user' })
  user?: object;

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
