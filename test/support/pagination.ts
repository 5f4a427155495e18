import type { Test } from 'supertest';

/** Far more pages than any spec reads: only a list whose cursor never ends gets there. */
const MAX_PAGES = 1_000;

/**
 * Reads a cursor-paginated list page by page: `page(cursor)` requests one page (without a
 * cursor first), which must answer 200 with `{ items, nextCursor }`. Goes on until the last
 * page, or until `until(items so far)` holds. Answers the items in order and each page's size.
 */
export async function readAllPages<T>(
  page: (cursor: string | undefined) => Test,
  until?: (items: T[]) => boolean,
): Promise<{ items: T[]; sizes: number[] }> {
  const items: T[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    if (sizes.length === MAX_PAGES) throw new Error(`still a next page after ${MAX_PAGES} pages`);
    const { body } = await page(cursor).expect(200);
    items.push(...body.items);
    sizes.push(body.items.length);
    cursor = body.nextCursor ?? undefined;
  } while (cursor && !until?.(items));
  return { items, sizes };
}
