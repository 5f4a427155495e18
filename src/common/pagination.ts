import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, isUUID, Max, MaxLength, Min } from 'class-validator';
import { ApiList, ApiText } from '../docs/schema-bounds';
import { badRequest } from './problem';

export const PAGE_MAX_LIMIT = 100;
export const PAGE_DEFAULT_LIMIT = 50;
/** A cursor is about 90 characters (base64url of a timestamp and a uuid); the bound leaves room. */
export const CURSOR_MAX_LENGTH = 200;

/**
 * `?limit=&cursor=` of every list that pages by keyset (time, id), newest first. Documented by
 * hand: the Swagger plugin reads `*.dto.ts` files only. `limit` is always set once the pipe has
 * transformed the query (the initializer is the default), so services take it as it is.
 */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    format: 'int32',
    minimum: 1,
    maximum: PAGE_MAX_LIMIT,
    default: PAGE_DEFAULT_LIMIT,
    description: `Items per page, 1 to ${PAGE_MAX_LIMIT}.`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_MAX_LIMIT)
  limit: number = PAGE_DEFAULT_LIMIT;

  @ApiPropertyOptional({
    maxLength: CURSOR_MAX_LENGTH,
    description: '`nextCursor` of the previous page; absent for the first page.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(CURSOR_MAX_LENGTH)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** The `items` and `nextCursor` of a page response DTO, documented with their bounds. */
export const ApiPageItems = (type: ApiPropertyOptions['type']) => ApiList(type, PAGE_MAX_LIMIT);
export const ApiNextCursor = () =>
  ApiText(CURSOR_MAX_LENGTH, {
    nullable: true,
    description: 'Pass as `cursor` to get the next page; null on the last page.',
  });

export interface Keyset {
  at: Date;
  id: string;
}

/** Opaque to clients: the (time, id) of the last item of a page. */
export function encodeCursor(key: Keyset): string {
  return Buffer.from(`${key.at.toISOString()}|${key.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Keyset {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  if (!id || !isUUID(id) || Number.isNaN(at.getTime())) {
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

/** Rows read at a time by a user's data export: memory stays flat whatever the history's length. */
export const EXPORT_PAGE_SIZE = 500;

/**
 * Every item of a paged list, reading one page at a time (`readPage(cursor)`, without a cursor
 * first): a long list streams without being held in memory.
 */
export async function* eachItem<T>(readPage: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await readPage(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
