import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Holding } from '../../../domain/trading';

/** Mirrors migrations 0001/0002. Totals are computed by PostgreSQL numeric arithmetic. */
@Entity({ name: 'portfolio_snapshots' })
@Index('ix_portfolio_snapshots_user_taken', ['userId', 'takenAt', 'id'])
@Check('ck_portfolio_snapshots_holdings', `jsonb_typeof(holdings) = 'array'`)
export class PortfolioSnapshot {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_portfolio_snapshots' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_portfolio_snapshots_user' })
  user?: object;

  @Column({ name: 'connection_id', type: 'uuid', nullable: true })
  connectionId: string | null;

  @ManyToOne('BrokerConnection', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_portfolio_snapshots_connection' })
  connection?: object;

  @Column({ name: 'taken_at', type: 'timestamptz' })
  takenAt: Date;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  cash: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  holdings: Holding[];

  @Column({ name: 'holdings_value', type: 'numeric', precision: 28, scale: 4 })
  holdingsValue: string;

  @Column({ name: 'total_value', type: 'numeric', precision: 28, scale: 4 })
  totalValue: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
