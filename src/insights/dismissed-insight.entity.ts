import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** Mirrors migration 0005: one row per insight a user dismissed. */
@Entity({ name: 'user_dismissed_insights' })
@Check('ck_user_dismissed_insights_insight_id', `insight_id ~ '^[A-Za-z0-9_.:-]{1,128}$'`)
export class DismissedInsight {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_user_dismissed_insights' })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_dismissed_insights_user' })
  user?: object;

  @PrimaryColumn({
    name: 'insight_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_user_dismissed_insights',
  })
  insightId: string;

  @Column({ name: 'dismissed_at', type: 'timestamptz', default: () => 'now()' })
  dismissedAt: Date;
}
