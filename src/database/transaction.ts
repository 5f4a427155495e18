import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';

/** What services inject to reach the database: `tx` joins the caller's open transaction. */
export type Tx = TransactionHost<TransactionalAdapterTypeOrm>;

/**
 * Runs SQL that returns rows on the current transaction (or the pool). TypeORM's `query()`
 * answers `[rows, count]` for UPDATE/DELETE … RETURNING; this always gives the rows.
 */
export async function queryRows<T>(tx: Tx, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result = await tx.tx.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
