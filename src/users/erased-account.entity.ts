import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Mirrors migration 0010: the accounts that were erased, by id only (no personal data), so that
 * the erasures can be applied again to a restored backup (`npm run erasure:reapply`).
 */
@Entity({ name: 'erased_accounts' })
export class ErasedAccount {
  @PrimaryColumn('uuid', { name: 'user_id', primaryKeyConstraintName: 'pk_erased_accounts' })
  userId: string;

  @Column({ name: 'account_id', type: 'varchar', length: 16 })
  accountId: string;

  @Column({ name: 'erased_at', type: 'timestamptz', default: () => 'now()' })
  erasedAt: Date;
}
