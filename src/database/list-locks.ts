import { sql } from 'kysely';
import type { Database, InTransaction } from './database';

/**
 * One advisory-lock class per per-user list (the first key of the two-key lock). Class 5004 is
 * taken too: audit_events' trigger serialises each user's events with it (migration 0009).
 */
const LIST_LOCK_CLASSES = { watchlist: 5_001, insights: 5_002, import: 5_003 } as const;
export type UserList = keyof typeof LIST_LOCK_CLASSES;

/**
 * Serialises the writers of one user's list until the current transaction ends: the
 * watchlist's dense positions and its 500 limit, and the dismissed insights' cap, are decided
 * from the list's current count, which two concurrent writers would both read before either
 * commits. A transaction-scoped advisory lock rather than `SELECT … FROM users … FOR UPDATE`:
 * it does not block logins, profile changes or the foreign-key checks of other tables on the
 * user's row. The second key is a hash of the user id; a collision only makes two users'
 * writes wait for each other. Asks for the transaction (`tx`): outside one, the lock would be
 * released as soon as it is taken.
 */
export async function lockUserList(
  database: Database,
  _tx: InTransaction,
  list: UserList,
  userId: string,
): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${LIST_LOCK_CLASSES[list]}::int, hashtext(${userId}::text))`.execute(
    database.db,
  );
}
