import { type SelectQueryBuilder, sql } from 'kysely';
import { decodeCursor, type Page, toPage } from '../common/pagination';
import type { DB } from './schema.generated';

/** The table a keyset page lists: newest first by (`time`, `id`); `key` is `time` as the query selects it. */
export interface KeysetOrder<T extends keyof DB, O> {
  table: T;
  /** The table's alias in the query. */
  alias: string;
  time: keyof DB[T] & string;
  key: { [K in keyof O]: O[K] extends Date ? K : never }[keyof O];
}

/**
 * One page of `query`, newest first by (time, id): `ORDER BY time DESC, id DESC LIMIT limit + 1`
 * after the cursor's row (the extra row only tells that another page exists). The cursor's row is
 * looked up for its stored time: timestamps have microseconds, a cursor's time only milliseconds,
 * and comparing with it would skip rows created within one millisecond. The listed tables never
 * delete a row a cursor may name (append-only, or rows only marked as ended).
 */
export async function keysetPage<T extends keyof DB, QDB, TB extends keyof QDB, O extends { id: string }>(
  query: SelectQueryBuilder<QDB, TB, O>,
  order: KeysetOrder<T, O>,
  page: { cursor?: string; limit: number },
): Promise<Page<O>> {
  const time = sql.ref(`${order.alias}.${order.time}`);
  const id = sql.ref(`${order.alias}.id`);
  let paged = query;
  if (page.cursor) {
    const cursor = decodeCursor(page.cursor);
    paged = paged.where(
      sql<boolean>`(${time}, ${id}) < (SELECT ${sql.ref(order.time)}, id FROM ${sql.table(order.table)} WHERE id = ${cursor.id})`,
    );
  }
  const rows = await paged
    .orderBy(time, 'desc')
    .orderBy(id, 'desc')
    .limit(page.limit + 1)
    .execute();
  return toPage(
    rows as O[],
    page.limit,
    (row) => ({ at: row[order.key] as Date, id: row.id }),
    (row) => row,
  );
}
