import { ApiProperty } from '@nestjs/swagger';
import { EMAIL_MAX_LENGTH } from '../../common/validation';
import { ApiText, ApiTimestamp, ApiUuid } from '../../docs/schema-bounds';
import { USER_ROLES, USER_STATUSES, type UserRole, type UserStatus } from '../../../domain/users';
import type { StoredUser } from '../users.repository';

/** The caller's account as the API shows it (replaces `arise_account_profile_v1`). */
export class UserResponseDto {
  /** @example "3f0c6d0e-8a0b-4c43-9a53-5f8f0a6f1b2c" */
  @ApiUuid()
  id: string;
  /** Null for accounts of an identity provider that shared no email. @example "priya@example.com" */
  @ApiText(EMAIL_MAX_LENGTH)
  email: string | null;
  /** @example "Priya Raman" */
  @ApiText(100)
  name: string;
  /** Human-readable account number. @example "FY-7K2M9QXD" */
  @ApiText(16)
  accountId: string;
  @ApiProperty({ enum: USER_ROLES, enumName: 'UserRole' })
  role: UserRole;
  @ApiTimestamp()
  createdAt: Date;
}

/**
 * The only way a user leaves the API: fields are copied by name, so a new column (a hash, a
 * lock-out counter) can never leak through a response.
 */
export function toUserResponse(user: StoredUser): UserResponseDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    accountId: user.accountId,
    role: user.role,
    createdAt: user.createdAt,
  };
}

/** An account as administrators see it; an erased one shows as `erased`, with nothing that identifies the person. */
export class AdminUserResponseDto extends UserResponseDto {
  @ApiProperty({ enum: USER_STATUSES, enumName: 'UserStatus' })
  status: UserStatus;
  /** When the account was erased; null while it is not. */
  @ApiTimestamp()
  erasedAt: Date | null;
}

export function toAdminUserResponse(user: StoredUser): AdminUserResponseDto {
  return {
    ...toUserResponse(user),
    status: user.status,
    erasedAt: user.status === 'erased' ? user.deletedAt : null,
  };
}
