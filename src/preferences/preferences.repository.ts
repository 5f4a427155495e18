import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { auditEventParam, insertAuditEventFrom, type NewAuditEvent } from '../audit/inline-audit-event';
import { Database } from '../database/database';
import { GenerateSql } from '../database/generate-sql';
import { preparedQuery } from '../database/prepared-query';
import type { PreferenceValues } from '../../domain/preferences.rules';

/** A version as it is written: the user's values and the disclosure's stamp. */
export interface PreferencesVersion extends PreferenceValues {
  disclosureAcceptedAt: Date | null;
}

/** What a write answers of the version it made. */
export interface WrittenVersion {
  version: number;
  updatedAt: Date;
}

interface WriteParams {
  userId: string;
  disclosureAccepted: boolean;
  disclosureAcceptedAt: Date | null;
  universe: PreferenceValues['universe'];
  marketRegion: PreferenceValues['marketRegion'];
  riskProfile: PreferenceValues['riskProfile'];
  tradingModes: string;
  primaryMode: PreferenceValues['primaryMode'];
  auxiliaryModes: string;
  updatedAt: Date;
  auditEvent: string | null;
}

/** The one read: `GET` answers it, and every write merges into it. */
const READ = preparedQuery('preferences.read', (db, p: { userId: string }) =>
  db
    .selectFrom('user_preferences')
    .select([
      'disclosure_accepted as disclosureAccepted',
      'disclosure_accepted_at as disclosureAcceptedAt',
      'universe',
      'market_region as marketRegion',
      'risk_profile as riskProfile',
      'trading_modes as tradingModes',
      'primary_mode as primaryMode',
      'auxiliary_modes as auxiliaryModes',
      'version',
      'updated_at as updatedAt',
    ])
    .where('user_id', '=', p.userId),
);

export type SavedPreferences = NonNullable<Awaited<ReturnType<PreferencesRepository['find']>>>;

const columnsOf = (p: WriteParams) => ({
  disclosure_accepted: p.disclosureAccepted,
  disclosure_accepted_at: p.disclosureAcceptedAt,
  universe: p.universe,
  market_region: p.marketRegion,
  risk_profile: p.riskProfile,
  trading_modes: p.tradingModes,
  primary_mode: p.primaryMode,
  auxiliary_modes: p.auxiliaryModes,
  updated_at: p.updatedAt,
});

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
        .set((eb) => ({ ...columnsOf(p), version: eb('version', '+', sql.lit(1)) }))
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
        .values({ user_id: p.userId, ...columnsOf(p) })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .returning(['version', 'updated_at as updatedAt']),
    )
    .with('audited', (qb) => insertAuditEventFrom(qb, 'written', p.auditEvent))
    .selectFrom('written')
    .select(['version', 'updatedAt']),
);

const SAMPLE: PreferencesVersion = {
  disclosureAccepted: true,
  disclosureAcceptedAt: GenerateSql.DATE,
  universe: 'NIFTY50',
  marketRegion: 'India',
  riskProfile: 'Moderate',
  tradingModes: { Intraday: false, Swing: true, Options: false, Futures: false },
  primaryMode: 'Swing',
  auxiliaryModes: [],
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

  /** Deletes the user's preferences (the account's erasure). */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async deleteAllOf(userId: string): Promise<void> {
    await this.database.db.deleteFrom('user_preferences').where('user_id', '=', userId).execute();
  }
}

function writeParams(userId: string, next: PreferencesVersion, at: Date, event: NewAuditEvent | null): WriteParams {
  return {
    userId,
    disclosureAccepted: next.disclosureAccepted,
    disclosureAcceptedAt: next.disclosureAcceptedAt,
    universe: next.universe,
    marketRegion: next.marketRegion,
    riskProfile: next.riskProfile,
    tradingModes: JSON.stringify(next.tradingModes),
    primaryMode: next.primaryMode,
    auxiliaryModes: JSON.stringify(next.auxiliaryModes),
    updatedAt: at,
    auditEvent: auditEventParam(event),
  };
}
