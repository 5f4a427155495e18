import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ImportOutcome, KeyResult } from '../../domain/local-storage.merge';
import { User } from '../users/user.entity';

export const IMPORT_STATUSES = ['imported', 'partial', 'unchanged', 'replayed'] as const;
/**
 * `imported`: something changed and every key was usable; `partial`: some keys were invalid
 * (the others still landed); `unchanged`: nothing to change; `replayed`: this exact payload
 * was imported before, so nothing was done.
 */
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportSummary {
  results: KeyResult[];
  counts: Record<ImportOutcome, number>;
}

/** Mirrors migration 0007: one row per import attempt. */
@Entity({ name: 'local_storage_imports' })
@Index('ix_local_storage_imports_user', ['userId', 'receivedAt'])
@Index('ix_local_storage_imports_payload', ['userId', 'payloadHash'])
@Check('ck_local_storage_imports_status', `status IN ('imported', 'partial', 'unchanged', 'replayed')`)
@Check('ck_local_storage_imports_keys_count', 'keys_count >= 0')
export class LocalStorageImport {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_local_storage_imports' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_local_storage_imports_user' })
  user?: User;

  @Column({ name: 'device_id', type: 'varchar', length: 128, nullable: true })
  deviceId: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ name: 'keys_count', type: 'integer' })
  keysCount: number;

  @Column({ type: 'varchar', length: 20 })
  status: ImportStatus;

  @Column({ name: 'payload_hash', type: 'bytea' })
  payloadHash: Buffer;

  @Column({ type: 'jsonb' })
  summary: ImportSummary;
}
