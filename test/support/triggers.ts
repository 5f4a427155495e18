import { randomBytes } from 'node:crypto';
import { withDatabase } from './database';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface UserTrigger {
  /** e.g. `BEFORE INSERT ON audit_events`. */
  on: string;
  /** The column (of NEW or OLD) that holds the user id, e.g. `NEW.subject_user_id`. */
  userColumn: string;
  /** The PL/pgSQL body of the trigger function, without BEGIN/END. */
  body: string;
}

/**
 * Runs `fn` while a row trigger fires for one user's rows only, so specs running in parallel
 * are unaffected; the trigger is dropped afterwards whatever happens. For making the database
 * fail a statement, or for changing data at an exact point inside a request's transaction.
 * `fn` gets the trigger function's name (to check that it never leaks into an answer).
 */
export async function withUserTrigger<T>(
  userId: string,
  trigger: UserTrigger,
  fn: (functionName: string) => Promise<T>,
): Promise<T> {
  // A trigger's WHEN clause takes no parameters: the id is checked before it goes into SQL.
  if (!UUID.test(userId)) throw new Error(`not a user id: ${userId}`);
  const name = `e2e_trigger_${randomBytes(8).toString('hex')}`;
  const table = trigger.on.split(/\s+ON\s+/i)[1];
  await withDatabase(async (db) => {
    await db.query('BEGIN');
    await db.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${trigger.body} END $$`);
    await db.query(`CREATE TRIGGER ${name} ${trigger.on} FOR EACH ROW
      WHEN (${trigger.userColumn} = '${userId}'::uuid) EXECUTE FUNCTION ${name}()`);
    await db.query('COMMIT');
  });
  try {
    return await fn(name);
  } finally {
    await withDatabase(async (db) => {
      await db.query(`DROP TRIGGER IF EXISTS ${name} ON ${table}`);
      await db.query(`DROP FUNCTION IF EXISTS ${name}()`);
    });
  }
}

/** Every update of the user's row runs `plpgsql` first (e.g. `RAISE EXCEPTION …` to fail it). */
export const beforeUserUpdates = (plpgsql: string): UserTrigger => ({
  on: 'BEFORE UPDATE ON users',
  userColumn: 'OLD.id',
  body: `${plpgsql};`,
});
