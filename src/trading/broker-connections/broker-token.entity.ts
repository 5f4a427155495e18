import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { BrokerConnection } from './broker-connection.entity';

/**
 * Mirrors migration 0001. Tokens are AES-256-GCM ciphertexts (nonce, tag and ciphertext in one
 * value, this row's id as associated data) under the key ring version `keyVersion`.
 */
@Entity({ name: 'broker_tokens' })
@Unique('uq_broker_tokens_connection', ['connectionId'])
@Index('ix_broker_tokens_key_version', ['keyVersion'])
@Check('ck_broker_tokens_key_version', 'key_version > 0')
export class BrokerToken {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_broker_tokens' })
  id: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @ManyToOne(() => BrokerConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_broker_tokens_connection' })
  connection?: BrokerConnection;

  @Column({ name: 'access_token', type: 'bytea' })
  accessToken: Buffer;

  @Column({ name: 'refresh_token', type: 'bytea', nullable: true })
  refreshToken: Buffer | null;

  @Column({ name: 'key_version', type: 'integer' })
  keyVersion: number;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
