import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { conflict, notFound } from '../common/problem';
import { Database, type InTransaction } from '../database/database';
import { isUniqueViolation } from '../database/database-errors';
import { toUserResponse } from './dto/user-response.dto';
import type { UserRole } from '../../domain/users';
import { type NewUser, type StoredUser, UsersRepository } from './users.repository';

export type { StoredUser } from './users.repository';

/** Crockford base32 without I, L, O, U: readable aloud, no look-alike characters. */
const ACCOUNT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function newAccountId(): string {
  let id = 'FY-';
  for (let i = 0; i < 8; i++) id += ACCOUNT_ALPHABET[randomInt(ACCOUNT_ALPHABET.length)];
  return id;
}

/** Accounts, their lock-out bookkeeping, and identity-provider users. */
@Injectable()
export class UsersService {
  constructor(
    private readonly repository: UsersRepository,
    private readonly database: Database,
    private readonly audit: AuditService,
  ) {}

  findById(id: string): Promise<StoredUser | undefined> {
    return this.repository.findById(id);
  }

  async getById(id: string): Promise<StoredUser> {
    const user = await this.findById(id);
    if (!user || user.deletedAt) throw notFound('No such user.');
    return user;
  }

  findByEmail(email: string): Promise<StoredUser | undefined> {
    return this.repository.findByEmail(email.toLowerCase());
  }

  /** Whether the account was erased (its tokens must stop working). */
  async isErased(id: string): Promise<boolean> {
    return (await this.repository.findById(id))?.status === 'erased';
  }

  /** By email, or by account id (`FY-…`, any case): support staff know one or the other. */
  findByEmailOrAccountId(key: string): Promise<StoredUser | undefined> {
    return key.includes('@') ? this.findByEmail(key) : this.repository.findByAccountId(key.toUpperCase());
  }

  /** The account, locked until the transaction ends (the erasure). */
  lockById(_tx: InTransaction, id: string): Promise<StoredUser | undefined> {
    return this.repository.findById(id, { forUpdate: true });
  }

  /** Anonymises the account and lists it as erased; part of the erasure's transaction. */
  erase(_tx: InTransaction, id: string): Promise<void> {
    return this.repository.erase(id);
  }

  /** Every erased account's user id, a page of `pageSize` at a time (`npm run erasure:reapply`). */
  async *erasedUserIds(pageSize = 500): AsyncGenerator<string> {
    for (let after: string | null = null; ;) {
      const ids = await this.repository.erasedUserIds(after, pageSize);
      yield* ids;
      if (ids.length < pageSize) return;
      after = ids[ids.length - 1];
    }
  }

  /** Creates a password account; 409 when the (lower-cased) email is taken. */
  async createLocal(input: { email: string; name: string; passwordHash: string }): Promise<StoredUser> {
    return this.insertWithAccountId({
      email: input.email.toLowerCase(),
      name: input.name,
      passwordHash: input.passwordHash,
    });
  }

  /**
   * The user behind an identity-provider token, created on first sight. The provider's email
   * is not copied: linking it to a password account of the same address would let whoever
   * controls the provider account take over the local one.
   */
  async findOrProvisionExternal(issuer: string, subject: string, name: string): Promise<StoredUser> {
    const existing = await this.repository.findByExternalIdentity(issuer, subject);
    if (existing) return existing;
    try {
      return await this.insertWithAccountId({ externalIssuer: issuer, externalSubject: subject, name });
    } catch (error) {
      // Two first requests of a new user raced; the other one created the row.
      if (!isUniqueViolation(error, 'uq_users_external_identity')) throw error;
      const created = await this.repository.findByExternalIdentity(issuer, subject);
      if (!created) throw error;
      return created;
    }
  }

  private async insertWithAccountId(user: Omit<NewUser, 'accountId'>): Promise<StoredUser> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.repository.insert({ ...user, accountId: newAccountId() });
      } catch (error) {
        if (isUniqueViolation(error, 'uq_users_email')) throw conflict('An account with this email already exists.');
        // 32^8 account ids: a collision is rare, two in a row rarer still.
        if (!isUniqueViolation(error, 'uq_users_account_id') || attempt >= 3) throw error;
      }
    }
  }

  /**
   * Renames the user (`PATCH /users/me`); an unchanged name is no change and no audit event.
   * The row stays locked from the read to the commit, so concurrent renames each start from
   * the name the previous one left, and each is audited with it.
   */
  async updateName(id: string, name: string): Promise<StoredUser> {
    return this.database.transaction(async (tx) => {
      const before = await this.repository.findById(id, { forUpdate: true });
      if (!before || before.deletedAt) throw notFound('No such user.');
      if (before.name === name) return before;
      const after = await this.repository.update(id, { name });
      await this.audit.record(tx, { action: 'update', before: toUserResponse(before), after: toUserResponse(after) });
      return after;
    });
  }

  /**
   * Sets the name only while the user has none: the localStorage import, where the server's
   * name wins (the import reports the change in its own audit event). False when the user has
   * a name by now: a rename that commits meanwhile is never overwritten.
   */
  fillEmptyName(id: string, name: string): Promise<boolean> {
    return this.repository.fillEmptyName(id, name);
  }

  /**
   * Counts a failed password for the account: the count restarts when the window since the
   * first failure has passed, and reaching `maxAttempts` locks the account for one window.
   */
  recordFailedLogin(id: string, windowMs: number, maxAttempts: number): Promise<void> {
    return this.repository.recordFailedLogin(id, windowMs, maxAttempts);
  }

  recordSuccessfulLogin(id: string): Promise<void> {
    return this.repository.recordSuccessfulLogin(id);
  }

  /**
   * Gives a role by email (`npm run user:promote`, which runs it as an audited unit acting as
   * the system). False when no such account exists.
   */
  async setRoleByEmail(email: string, role: UserRole): Promise<boolean> {
    return this.database.transaction(async (tx) => {
      const before = await this.repository.findByEmail(email.toLowerCase(), { forUpdate: true });
      if (!before) return false;
      if (before.role === role) return true;
      const after = await this.repository.update(before.id, { role });
      await this.audit.record(tx, {
        action: 'role-change',
        before: toUserResponse(before),
        after: toUserResponse(after),
        subjectUserId: before.id,
      });
      return true;
    });
  }
}
