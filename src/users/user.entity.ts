import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { EMAIL_MAX_LENGTH } from '../common/validation';
import { oneOf } from '../database/checks';
import { USER_ROLES, USER_STATUSES, type UserRole, type UserStatus } from '../../domain/users';

/** Mirrors migrations 0002 and 0010. Never serialised directly: responses go through `toUserResponse`. */
@Entity({ name: 'users' })
@Unique('uq_users_account_id', ['accountId'])
@Unique('uq_users_email', ['email'])
@Unique('uq_users_external_identity', ['externalIssuer', 'externalSubject'])
@Check('ck_users_email_lower', 'email = lower(email)')
@Check('ck_users_identity', "email IS NOT NULL OR external_subject IS NOT NULL OR status = 'erased'")
@Check('ck_users_external_pair', '(external_issuer IS NULL) = (external_subject IS NULL)')
@Check('ck_users_role', oneOf('role', USER_ROLES))
@Check('ck_users_status', oneOf('status', USER_STATUSES))
@Check('ck_users_failed_login_count', 'failed_login_count >= 0')
export class User {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_users' })
  id: string;

  @Column({ name: 'account_id', type: 'varchar', length: 16 })
  accountId: string;

  @Column({ type: 'varchar', length: EMAIL_MAX_LENGTH, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 100, default: '' })
  name: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role: UserRole;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: UserStatus;

  @Column({ name: 'external_issuer', type: 'varchar', length: 255, nullable: true })
  externalIssuer: string | null;

  @Column({ name: 'external_subject', type: 'varchar', length: 255, nullable: true })
  externalSubject: string | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Column({ name: 'failed_login_count', type: 'integer', default: 0 })
  failedLoginCount: number;

  @Column({ name: 'first_failed_login_at', type: 'timestamptz', nullable: true })
  firstFailedLoginAt: Date | null;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
