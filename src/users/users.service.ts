import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { conflict, notFound } from '../common/problem';
import { toUserResponse } from './dto/user-response.dto';
import { isUniqueViolation } from '../database/database-errors';
import { Transactions } from '../database/transactions';
import { User, type UserRole } from './user.entity';

/** Crockford base32 without I, L, O, U: readable aloud, no look-alike characters. */
const ACCOUNT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function newAccountId(): string {
  let id = 'FY-';
  for (let i = 0; i < 8; i++) id += ACCOUNT_ALPHABET[randomInt(ACCOUNT_ALPHABET.length)];
  return id;
}

/** The `users` table: accounts, their lock-out bookkeeping, and identity-provider users. */
@Injectable()
export class UsersService {
  constructor(
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  private get users() {
    return this.transactions.manager.getRepository(User);
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  async getById(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user || user.deletedAt) throw notFound('No such user.');
    return user;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  /** Creates a password account; 409 when the (lower-cased) email is taken. */
  async createLocal(input: { email: string; name: string; passwordHash: string }): Promise<User> {
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
  async findOrProvisionExternal(issuer: string, subject: string, name: string): Promise<User> {
    const existing = await this.users.findOneBy({ externalIssuer: issuer, externalSubject: subject });
    if (existing) return existing;
    try {
      return await this.insertWithAccountId({ externalIssuer: issuer, externalSubject: subject, name });
    } catch (error) {
      // Two first requests of a new user raced; the other one created the row.
      if (!isUniqueViolation(error, 'uq_users_external_identity')) throw error;
      return this.users.findOneByOrFail({ externalIssuer: issuer, externalSubject: subject });
    }
  }

  private async insertWithAccountId(values: Partial<User>): Promise<User> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.users.save(this.users.create({ ...values, accountId: newAccountId() }));
      } catch (error) {
        if (isUniqueViolation(error, 'uq_users_email')) throw conflict('An account with this email already exists.');
        // 32^8 account ids: a collision is rare, two in a row rarer still.
        if (!isUniqueViolation(error, 'uq_users_account_id') || attempt >= 3) throw error;
      }
    }
  }

  /** Renames the user (`PATCH /users/me`); an unchanged name is no change and no audit event. */
  async updateName(id: string, name: string): Promise<User> {
    return this.transactions.run(async () => {
      const before = await this.users.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!before || before.deletedAt) throw notFound('No such user.');
      if (before.name === name) return before;
      await this.users.update({ id }, { name, updatedAt: () => 'now()' });
      const after = { ...before, name };
      this.audit.record({ action: 'update', before: toUserResponse(before), after: toUserResponse(after) });
      return after;
    });
  }

  /**
   * Sets the name only while the user has none: the localStorage import, where the server's
   * name wins (the import reports the change in its own audit event). One conditional
   * statement, so a rename that commits meanwhile is never overwritten: false then.
   */
  async fillEmptyName(id: string, name: string): Promise<boolean> {
    const updated = await this.transactions.rows(
      `UPDATE users SET name = $2, updated_at = now() WHERE id = $1 AND deleted_at IS NULL AND name ~ '^[[:space:]]*$' RETURNING id`,
      [id, name],
    );
    return updated.length > 0;
  }

  /**
   * Counts a failed password for the account: the count restarts when the window since the
   * first failure has passed, and reaching `maxAttempts` locks the account for one window.
   * One statement whose every value comes from the row it updates: concurrent failures (from
   * many IPs) queue on the row lock and each one counts. (A subquery would read a snapshot
   * taken before the wait, and two first failures would both write 1.)
   */
  async recordFailedLogin(id: string, windowMs: number, maxAttempts: number): Promise<void> {
    const inWindow = `first_failed_login_at > now() - $2 * interval '1 millisecond'`;
    await this.transactions.manager.query(
      `UPDATE users SET
         failed_login_count = CASE WHEN ${inWindow} THEN failed_login_count + 1 ELSE 1 END,
         first_failed_login_at = CASE WHEN ${inWindow} THEN first_failed_login_at ELSE now() END,
         locked_until = CASE WHEN (CASE WHEN ${inWindow} THEN failed_login_count + 1 ELSE 1 END) >= $3
                        THEN now() + $2 * interval '1 millisecond' ELSE locked_until END,
         updated_at = now()
       WHERE id = $1`,
      [id, windowMs, maxAttempts],
    );
  }

  async recordSuccessfulLogin(id: string): Promise<void> {
    await this.users.update(
      { id },
      { lastLoginAt: () => 'now()', failedLoginCount: 0, firstFailedLoginAt: null, lockedUntil: null },
    );
  }

  /**
   * Gives a role by email (`npm run user:promote`), audited as a change by the system.
   * False when no such account exists.
   */
  async setRoleByEmail(email: string, role: UserRole): Promise<boolean> {
    return this.transactions.run(async () => {
      const before = await this.users.findOne({
        where: { email: email.toLowerCase() },
        lock: { mode: 'pessimistic_write' },
      });
      if (!before) return false;
      if (before.role === role) return true;
      await this.users.update({ id: before.id }, { role, updatedAt: () => 'now()' });
      const after = { ...before, role };
      await this.audit.append(
        'profile',
        { action: 'role-change', before: toUserResponse(before), after: toUserResponse(after) },
        { actorUserId: null, subjectUserId: before.id },
      );
      return true;
    });
  }
}
