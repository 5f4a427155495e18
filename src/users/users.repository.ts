import { Injectable } from '@nestjs/common';
import { type ExpressionBuilder, sql } from 'kysely';
import { Database } from '../database/database';
import { GenerateSql } from '../database/generate-sql';
import type { DB } from '../database/schema.generated';

/** Every column of `users`, named as the rest of the code names them. */
const USER_COLUMNS = [
  'id',
  'account_id as accountId',
  'email',
  'name',
  'password_hash as passwordHash',
  'role',
  'status',
  'external_issuer as externalIssuer',
  'external_subject as externalSubject',
  'last_login_at as lastLoginAt',
  'failed_login_count as failedLoginCount',
  'first_failed_login_at as firstFailedLoginAt',
  'locked_until as lockedUntil',
  'created_at as createdAt',
  'updated_at as updatedAt',
  'deleted_at as deletedAt',
] as const;

/** A user as stored, with its credentials and lock-out bookkeeping: never answered as it is. */
export type StoredUser = NonNullable<Awaited<ReturnType<UsersRepository['findById']>>>;

/** A new account: a password account (email, hash) or an identity provider's user (issuer, subject). */
export type NewUser = Pick<StoredUser, 'accountId' | 'name'> &
  Partial<Pick<StoredUser, 'email' | 'passwordHash' | 'externalIssuer' | 'externalSubject'>>;

/** Whether a read locks the row (`FOR UPDATE`) until the transaction it runs in ends. */
interface Lock {
  forUpdate?: boolean;
}

const now = (eb: ExpressionBuilder<DB, 'users'>) => eb.fn<Date>('now');

/** `ms` milliseconds as a PostgreSQL interval. */
const milliseconds = (ms: number) => sql`${ms} * interval '1 millisecond'`;

/** `users`: accounts, their lock-out bookkeeping, and identity-provider users. */
@Injectable()
export class UsersRepository {
  constructor(private readonly database: Database) {}

  private select({ forUpdate = false }: Lock) {
    const query = this.database.db.selectFrom('users').select(USER_COLUMNS);
    return forUpdate ? query.forUpdate() : query;
  }

  /** Its answer is what every read of a user answers: `StoredUser`. */
  @GenerateSql({ params: [GenerateSql.UUID] }, { name: 'for update', params: [GenerateSql.UUID, { forUpdate: true }] })
  findById(id: string, lock: Lock = {}) {
    return this.select(lock).where('id', '=', id).executeTakeFirst();
  }

  /** `email` as stored: lower-cased. */
  @GenerateSql(
    { params: ['priya@example.com'] },
    { name: 'for update', params: ['priya@example.com', { forUpdate: true }] },
  )
  findByEmail(email: string, lock: Lock = {}): Promise<StoredUser | undefined> {
    return this.select(lock).where('email', '=', email).executeTakeFirst();
  }

  @GenerateSql({ params: ['FY-0123ABCD'] })
  findByAccountId(accountId: string): Promise<StoredUser | undefined> {
    return this.select({}).where('account_id', '=', accountId).executeTakeFirst();
  }

  @GenerateSql({ params: ['https://issuer.example', 'subject-1'] })
  findByExternalIdentity(issuer: string, subject: string): Promise<StoredUser | undefined> {
    return this.select({})
      .where('external_issuer', '=', issuer)
      .where('external_subject', '=', subject)
      .executeTakeFirst();
  }

  /** The new row; a taken email, account id or external identity fails with its unique constraint. */
  @GenerateSql({
    params: [
      { accountId: 'FY-0123ABCD', email: 'priya@example.com', name: 'Priya Raman', passwordHash: '$argon2id$…' },
    ],
  })
  insert(user: NewUser): Promise<StoredUser> {
    return this.database.db
      .insertInto('users')
      .values({
        account_id: user.accountId,
        email: user.email,
        name: user.name,
        password_hash: user.passwordHash,
        external_issuer: user.externalIssuer,
        external_subject: user.externalSubject,
      })
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  /** The row with `changes` written over it (a field left undefined stays). */
  @GenerateSql(
    { name: 'name', params: [GenerateSql.UUID, { name: 'Priya Raman' }] },
    { name: 'role', params: [GenerateSql.UUID, { role: 'admin' }] },
  )
  update(id: string, changes: Partial<Pick<StoredUser, 'name' | 'role'>>): Promise<StoredUser> {
    return this.database.db
      .updateTable('users')
      .set((eb) => ({ name: changes.name, role: changes.role, updated_at: now(eb) }))
      .where('id', '=', id)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  /**
   * Sets the name only while the user has none (blank), in one conditional statement, so a
   * rename that commits meanwhile is never overwritten: false then.
   */
  @GenerateSql({ params: [GenerateSql.UUID, 'Priya Raman'] })
  async fillEmptyName(id: string, name: string): Promise<boolean> {
    const updated = await this.database.db
      .updateTable('users')
      .set((eb) => ({ name, updated_at: now(eb) }))
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .where('name', '~', '^[[:space:]]*$')
      .returning('id')
      .executeTakeFirst();
    return updated !== undefined;
  }

  /**
   * Counts a failed password: the count restarts when `windowMs` since the first failure have
   * passed, and reaching `maxAttempts` locks the account for one window. One statement whose
   * every value comes from the row it updates: concurrent failures (from many IPs) queue on the
   * row lock and each one counts. (A subquery would read a snapshot taken before the wait, and
   * two first failures would both write 1.)
   */
  @GenerateSql({ params: [GenerateSql.UUID, 900_000, 10] })
  async recordFailedLogin(id: string, windowMs: number, maxAttempts: number): Promise<void> {
    await this.database.db
      .updateTable('users')
      .set((eb) => {
        const inWindow = eb('first_failed_login_at', '>', sql<Date>`now() - ${milliseconds(windowMs)}`);
        const count = eb
          .case()
          .when(inWindow)
          .then(eb('failed_login_count', '+', eb.lit(1)))
          .else(eb.lit(1))
          .end();
        return {
          failed_login_count: count,
          first_failed_login_at: eb.case().when(inWindow).then(eb.ref('first_failed_login_at')).else(now(eb)).end(),
          locked_until: eb
            .case()
            .when(count, '>=', maxAttempts)
            .then(sql<Date>`now() + ${milliseconds(windowMs)}`)
            .else(eb.ref('locked_until'))
            .end(),
          updated_at: now(eb),
        };
      })
      .where('id', '=', id)
      .execute();
  }

  /** A password was right: the failure count and any lock end. */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async recordSuccessfulLogin(id: string): Promise<void> {
    await this.database.db
      .updateTable('users')
      .set((eb) => ({
        last_login_at: now(eb),
        failed_login_count: eb.lit(0),
        first_failed_login_at: eb.lit(null),
        locked_until: eb.lit(null),
      }))
      .where('id', '=', id)
      .execute();
  }

  /**
   * Anonymises the account: nothing that identifies the person stays (email, name, password
   * hash, identity-provider subject, sign-in times); the row, its id and account id stay, so that
   * neither is ever given to someone else. Also lists it in `erased_accounts`.
   */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async erase(id: string): Promise<void> {
    const erased = await this.database.db
      .updateTable('users')
      .set((eb) => ({
        email: null,
        name: '',
        password_hash: null,
        external_issuer: null,
        external_subject: null,
        status: 'erased',
        last_login_at: null,
        failed_login_count: 0,
        first_failed_login_at: null,
        locked_until: null,
        updated_at: now(eb),
        deleted_at: eb.fn.coalesce('deleted_at', now(eb)),
      }))
      .where('id', '=', id)
      .returning(['id', 'account_id'])
      .executeTakeFirstOrThrow();
    await this.database.db
      .insertInto('erased_accounts')
      .values({ user_id: erased.id, account_id: erased.account_id })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
  }

  /** The erased accounts' user ids, in id order, `limit` after `afterUserId`. */
  @GenerateSql({ params: [null, 500] }, { name: 'after an id', params: [GenerateSql.UUID, 500] })
  async erasedUserIds(afterUserId: string | null, limit: number): Promise<string[]> {
    let query = this.database.db.selectFrom('erased_accounts').select('user_id').orderBy('user_id').limit(limit);
    if (afterUserId) query = query.where('user_id', '>', afterUserId);
    return (await query.execute()).map((row) => row.user_id);
  }
}
