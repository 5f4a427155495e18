import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { IMPORT_STATUSES, type ImportStatus, type ImportSummary } from '../../domain/local-storage.records';
import { oneOf } from '../database/checks';

/** Mirrors migration 0007: one row per import attempt. */
@Entity({ name: 'local_storage_imports' })
@Index('ix_local_storage_imports_user', ['userId', 'receivedAt'])
@Index('ix_local_storage_imports_payload', ['userId', 'payloadHash'])
@Check('ck_local_storage_imports_status', oneOf('status', IMPORT_STATUSES))
@Check('ck_local_storage_imports_keys_count', 'keys_count >= 0')
export class LocalStorageImport {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_local_storage_imports' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_local_storage_imports_user' })
  user?: object;

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
