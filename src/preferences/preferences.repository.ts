import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { auditEventParam, insertAuditEventFrom, type NewAuditEvent } from '../audit/inline-audit-event';
import { columnOf, type SnakeCase, selectedAs, type Stored, stored } from '../database/columns';
import { Database } from '../database/database';
import { GenerateSql } from '../database/generate-sql';
import { preparedQuery } from '../database/prepared-query';
import { DEFAULT_PREFERENCES, PREFERENCE_FIELDS, type PreferenceValues } from '../../domain/preferences.rules';

/** A version as it is written: the user's values and the disclosure's stamp. */
export interface PreferencesVersion extends PreferenceValues {
  disclosureAcceptedAt: Date | null;
}

/** What a write answers of the version it made. */
export interface WrittenVersion {
  version: number;
  updatedAt: Date;
}

type StoredField = keyof PreferencesVersion;

/** Every stored field, each in the column of its name in snake_case (`riskProfile`: `risk_profile`). */
const FIELDS: readonly StoredField[] = [...PREFERENCE_FIELDS, 'disclosureAcceptedAt'];

/** The parameters of a write: every field as its column takes it, and the bookkeeping. */
type WriteParams = { [F in StoredField]: Stored<PreferencesVersion[F]> } & {
  userId: string;
  updatedAt: Date;
  auditEvent: string | null;
};

/** The one read: `GET` answers it, and every write merges into it. */
const READ = preparedQuery('preferences.read', (db, p: { userId: string }) =>
  db
    .selectFrom('user_preferences')
    .select(FIELDS.map(selectedAs))
    .select(['version', 'updated_at as updatedAt'])
    .where('user_id', '=', p.userId),
);

export type SavedPreferences = NonNullable<Awaited<ReturnType<PreferencesRepository['find']>>>;

/** Each field's column set to its parameter; called once per statement, when it is compiled. */
const columnsOf = (p: WriteParams) =>
  Object.fromEntries(FIELDS.map((field) => [columnOf(field), p[field]])) as {
    [F in StoredField as SnakeCase<F>]: WriteParams[F];
  };

/**
 * A write is ONE statement: the row, only if it is still the version that was read (else
 * nothing), and the audit event with it. No transaction and no lock is held between the read
 * and this statement; the version check is what keeps a concurrent write from being lost.
 */
const UPDATE = preparedQuery('preferences.update', (db, p: WriteParams & { expectedVersion: number }) =>
  db
    .with('written', (qb) =>
      qb
        .updateTable('user_preferences')
        .set((eb) => ({ ...columnsOf(p), updated_at: p.updatedAt, version: eb('version', '+', sql.lit(1)) }))
        .where('user_id', '=', p.userId)
        .where('version', '=', p.expectedVersion)
        .returning(['version', 'updated_at as updatedAt']),
    )
    .with('audited', (qb) => insertAuditEventFrom(qb, 'written', p.auditEvent))
    .selectFrom('written')
    .select(['version', 'updatedAt']),
);

/** The first save; nothing if a concurrent first save won (the write then runs as an update). */
const INSERT = preparedQuery('preferences.insert', (db, p: WriteParams) =>
  db
    .with('written', (qb) =>
      qb
        .insertInto('user_preferences')
        .values({ user_id: p.userId, ...columnsOf(p), updated_at: p.updatedAt })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .returning(['version', 'updated_at as updatedAt']),
    )
    .with('audited', (qb) => insertAuditEventFrom(qb, 'written', p.auditEvent))
    .selectFrom('written')
    .select(['version', 'updatedAt']),
);

const SAMPLE: PreferencesVersion = {
  ...DEFAULT_PREFERENCES,
  disclosureAccepted: true,
  disclosureAcceptedAt: GenerateSql.DATE,
};

/**
 * `user_preferences`: one row per user. The hot statements are compiled once and prepared per
 * connection (`preparedQuery`); a write carries its audit event in the same statement.
 */
@Injectable()
export class PreferencesRepository {
  constructor(private readonly database: Database) {}

  /** One indexed point query; undefined when nothing was saved yet. */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async find(userId: string) {
    const [row] = await this.database.run(READ.bind({ userId }));
    return row;
  }

  /** Writes `next` over `expectedVersion`; undefined when that is no longer the current version. */
  @GenerateSql({ params: [GenerateSql.UUID, SAMPLE, GenerateSql.DATE, 1, null] })
  async update(
    userId: string,
    next: PreferencesVersion,
    at: Date,
    expectedVersion: number,
    event: NewAuditEvent | null,
  ): Promise<WrittenVersion | undefined> {
    const [row] = await this.database.run(UPDATE.bind({ ...writeParams(userId, next, at, event), expectedVersion }));
    return row;
  }

  /** The first version; undefined when a concurrent first save won. */
  @GenerateSql({ params: [GenerateSql.UUID, SAMPLE, GenerateSql.DATE, null] })
  async insert(
    userId: string,
    next: PreferencesVersion,
    at: Date,
    event: NewAuditEvent | null,
  ): Promise<WrittenVersion | undefined> {
    const [row] = await this.database.run(INSERT.bind(writeParams(userId, next, at, event)));
    return row;
  }
}

/** A write's parameters: built per call, so a plain loop over the fields (no intermediate arrays). */
function writeParams(userId: string, next: PreferencesVersion, at: Date, event: NewAuditEvent | null): WriteParams {
  const params: Record<string, unknown> = { userId, updatedAt: at, auditEvent: auditEventParam(event) };
  for (const field of FIELDS) params[field] = stored(next[field]);
  // The loop set every field of WriteParams, each as `stored` gives it.
  return params as WriteParams;
}
