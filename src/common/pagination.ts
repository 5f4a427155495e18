import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { badRequest } from './problem';

/** `?limit=&cursor=` of every list that pages by keyset (time, id), newest first. */
export class PageQueryDto {
  /** Items per page, 1 to 100. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number = 50;

  /** `nextCursor` of the previous page; absent for the first page. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export interface Keyset {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: the (time, id) of the last item of a page. */
export function encodeCursor(key: Keyset): string {
  return Buffer.from(`${key.at.toISOString()}|${key.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Keyset {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  if (!id || !UUID.test(id) || Number.isNaN(at.getTime())) {
    throw badRequest('The cursor is not valid.', [{ field: 'cursor', message: 'cursor must be a nextCursor value' }]);
  }
  return { at, id };
}

/**
 * Turns `limit + 1` rows fetched newest first into a page: the extra row only tells that
 * another page exists.
 */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => Keyset, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null,
  };
}
