import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { EXCHANGES, type Exchange } from '../../domain/market';
import { oneOf } from '../database/checks';

/** Mirrors migration 0004: one row per watched symbol; `position` is dense 0..n-1 per user. */
@Entity({ name: 'user_watchlists' })
@Unique('uq_user_watchlists_user_symbol', ['userId', 'symbol'])
@Unique('uq_user_watchlists_user_position', ['userId', 'position'], { deferrable: 'INITIALLY DEFERRED' })
@Index('ix_user_watchlists_symbol', ['symbol'])
@Check('ck_user_watchlists_symbol', `symbol ~ '^[A-Z0-9&._-]{1,32}$'`)
@Check('ck_user_watchlists_exchange', oneOf('exchange', EXCHANGES))
@Check('ck_user_watchlists_position', 'position >= 0')
export class WatchlistItem {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_user_watchlists' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_watchlists_user' })
  user?: object;

  @Column({ type: 'varchar', length: 32 })
  symbol: string;

  @Column({ type: 'varchar', length: 8, default: 'NSE' })
  exchange: Exchange;

  @Column({ type: 'varchar', length: 500, nullable: true })
  notes: string | null;

  @Column({ type: 'integer' })
  position: number;

  @Column({ name: 'added_at', type: 'timestamptz', default: () => 'now()' })
  addedAt: Date;
}
