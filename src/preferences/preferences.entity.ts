import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { TradingMode } from '../../domain/market';
import type { MarketRegion, RiskProfile, TradingModes, Universe } from '../../domain/preferences.enums';

/** Mirrors migration 0003: one row per user; `version` is the ETag. */
@Entity({ name: 'user_preferences' })
@Unique('uq_user_preferences_user', ['userId'])
@Index('ix_user_preferences_universe', ['universe'])
@Index('ix_user_preferences_risk_profile', ['riskProfile'])
@Check(
  'ck_user_preferences_universe',
  `universe IN ('NIFTY50', 'NIFTY100', 'NIFTY200', 'NIFTY500', 'NIFTYMIDCAP150', 'NIFTYSMALLCAP250', 'NIFTYBANK')`,
)
@Check('ck_user_preferences_market_region', `market_region IN ('India', 'Global')`)
@Check('ck_user_preferences_risk_profile', `risk_profile IN ('Aggressive', 'Moderate', 'Conservative')`)
@Check('ck_user_preferences_primary_mode', `primary_mode IN ('Intraday', 'Swing', 'Options', 'Futures')`)
@Check('ck_user_preferences_trading_modes', `jsonb_typeof(trading_modes) = 'object'`)
@Check('ck_user_preferences_auxiliary_modes', `jsonb_typeof(auxiliary_modes) = 'array'`)
@Check('ck_user_preferences_disclosure', 'disclosure_accepted = (disclosure_accepted_at IS NOT NULL)')
@Check('ck_user_preferences_version', 'version > 0')
export class UserPreferences {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_user_preferences' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_preferences_user' })
  user?: object;

  @Column({ name: 'disclosure_accepted', type: 'boolean' })
  disclosureAccepted: boolean;

  @Column({ name: 'disclosure_accepted_at', type: 'timestamptz', nullable: true })
  disclosureAcceptedAt: Date | null;

  @Column({ type: 'varchar', length: 20 })
  universe: Universe;

  @Column({ name: 'market_region', type: 'varchar', length: 10 })
  marketRegion: MarketRegion;

  @Column({ name: 'risk_profile', type: 'varchar', length: 16 })
  riskProfile: RiskProfile;

  @Column({ name: 'trading_modes', type: 'jsonb' })
  tradingModes: TradingModes;

  @Column({ name: 'primary_mode', type: 'varchar', length: 16, nullable: true })
  primaryMode: TradingMode | null;

  @Column({ name: 'auxiliary_modes', type: 'jsonb' })
  auxiliaryModes: TradingMode[];

  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
