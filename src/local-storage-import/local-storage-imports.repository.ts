import { Injectable } from '@nestjs/common';
import { type Insertable, sql } from 'kysely';
import { Database } from '../database/database';
import { GenerateSql } from '../database/generate-sql';
import { keysetPage } from '../database/keyset';
import type { LocalStorageImports } from '../database/schema.generated';
import type { ImportStatus, ImportSummary } from '../../domain/local-storage.records';

/** An import attempt as it is recorded; `id` and `received_at` come from the database. */
export type NewImportRecord = Omit<Insertable<LocalStorageImports>, 'id' | 'received_at' | 'summary'> & {
  summary: ImportSummary;
};

const SAMPLE_HASH = Buffer.alloc(32);

const SAMPLE_RECORD: NewImportRecord = {
  user_id: GenerateSql.UUID,
  device_id: 'web-7f3c2a',
  keys_count: 1,
  status: 'imported',
  payload_hash: SAMPLE_HASH,
  summary: {
    results: [{ key: 'arise_risk', outcome: 'imported', detail: 'imported: Aggressive' }],
    counts: { imported: 1, merged: 0, 'kept-server': 0, ignored: 0, invalid: 0 },
  },
};

/** `local_storage_imports`: one row per import attempt (replays included). */
@Injectable()
export class LocalStorageImportsRepository {
  constructor(private readonly database: Database) {}

  /** The user's first import of this exact payload, if any. */
  @GenerateSql({ params: [GenerateSql.UUID, SAMPLE_HASH] })
  firstOf(userId: string, payloadHash: Buffer) {
    return this.database.db
      .selectFrom('local_storage_imports')
      .select(['summary', 'received_at as receivedAt'])
      .where('user_id', '=', userId)
      .where('payload_hash', '=', payloadHash)
      .orderBy('received_at')
      .limit(1)
      .executeTakeFirst();
  }

  /** Records an attempt; answers when it was received. */
  @GenerateSql({ params: [SAMPLE_RECORD] })
  insert(record: NewImportRecord) {
    return this.database.db
      .insertInto('local_storage_imports')
      .values({ ...record, summary: JSON.stringify(record.summary) })
      .returning('received_at as receivedAt')
      .executeTakeFirstOrThrow();
  }

  /**
   * The user's imports per device, the most recent device first, at most `maxDevices`. The
   * window aggregates (`firstEver`, `lastEver`) run before LIMIT: they span every device.
   */
  @GenerateSql({ params: [GenerateSql.UUID, 100] })
  devices(userId: string, maxDevices: number) {
    return this.database.db
      .selectFrom('local_storage_imports')
      .where('user_id', '=', userId)
      .groupBy('device_id')
      .select((eb) => [
        'device_id as deviceId',
        eb.fn.min('received_at').as('firstImportedAt'),
        eb.fn.max('received_at').as('lastImportedAt'),
        sql<ImportStatus>`(${eb.fn.agg('array_agg', ['status']).orderBy('received_at', 'desc')})[1]`.as('lastStatus'),
        eb.cast<number>(eb.fn.countAll(), 'integer').as('attempts'),
        eb.fn.min(eb.fn.min('received_at')).over().as('firstEver'),
        eb.fn.max(eb.fn.max('received_at')).over().as('lastEver'),
      ])
      .orderBy((eb) => eb.fn.max('received_at'), 'desc')
      .limit(maxDevices)
      .execute();
  }

  /**
   * The rollout across all users, in one statement so the numbers agree: users with an import
   * that was not a replay, attempts by status, and keys by outcome (replays left out: they
   * repeat an earlier import's counts).
   */
  @GenerateSql()
  stats() {
    return (
      this.database.db
        .with('by_status', (qb) =>
          qb
            .selectFrom('local_storage_imports')
            .select((eb) => ['status', eb.cast<number>(eb.fn.countAll(), 'integer').as('count')])
            .groupBy('status'),
        )
        .with('by_outcome', (qb) =>
          qb
            .selectFrom('local_storage_imports')
            .crossJoinLateral((eb) =>
              sql<{ key: string; value: string }>`jsonb_each_text(${eb.ref('summary', '->').key('counts')})`.as('c'),
            )
            .where('status', '<>', 'replayed')
            .groupBy('c.key')
            .select((eb) => [
              'c.key as outcome',
              eb.cast<number>(eb.fn.sum(eb.cast('c.value', 'integer')), 'integer').as('count'),
            ]),
        )
        // Aggregates over all rows: each subquery answers exactly one row (the object ones null
        // when there is nothing to count).
        .selectNoFrom((eb) => [
          eb
            .selectFrom('local_storage_imports')
            .where('status', '<>', 'replayed')
            .select((eb) => eb.cast<number>(eb.fn.count('user_id').distinct(), 'integer').as('users'))
            .$asScalar()
            .as('usersImported'),
          eb
            .selectFrom('by_status')
            .select((eb) =>
              eb.fn<Partial<Record<ImportStatus, number>> | null>('jsonb_object_agg', ['status', 'count']).as('counts'),
            )
            .$asScalar()
            .as('byStatus'),
          eb
            .selectFrom('by_outcome')
            .select((eb) => eb.fn<Record<string, number> | null>('jsonb_object_agg', ['outcome', 'count']).as('counts'))
            .$asScalar()
            .as('byOutcome'),
        ])
        .executeTakeFirstOrThrow()
    );
  }

  /** Deletes the records of the user's imports (the account's erasure). */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async deleteAllOf(userId: string): Promise<void> {
    await this.database.db.deleteFrom('local_storage_imports').where('user_id', '=', userId).execute();
  }

  /** Every import attempt of the user with what it did, newest first, a page at a time (the export). */
  @GenerateSql(
    { params: [GenerateSql.UUID, { limit: 500 }] },
    { name: 'with cursor', params: [GenerateSql.UUID, { limit: 500, cursor: GenerateSql.CURSOR }] },
  )
  list(userId: string, page: { limit: number; cursor?: string }) {
    const query = this.database.db
      .selectFrom('local_storage_imports as i')
      .select([
        'i.id',
        'i.device_id as deviceId',
        'i.received_at as receivedAt',
        'i.status',
        'i.keys_count as keysCount',
        'i.summary',
      ])
      .where('i.user_id', '=', userId);
    return keysetPage(
      query,
      { table: 'local_storage_imports', alias: 'i', time: 'received_at', key: 'receivedAt' },
      page,
    );
  }
}
