import { isDeepStrictEqual } from 'node:util';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { TradingMode } from '../../domain/market';
import type { TradingModes } from '../../domain/preferences.enums';
import { checkPreferenceRules, DEFAULT_PREFERENCES, type PreferenceValues } from '../../domain/preferences.rules';
import { AuditService, inlineAuditSql } from '../audit/audit.service';
import { etagOf } from '../common/etag';
import { conflict, ProblemException, problemTypes, ruleViolation } from '../common/problem';
import { preparedSql, Transactions } from '../database/transactions';
import type { PreferencesResponseDto } from './dto/preferences-response.dto';

/** The fields a write sets (absent = keep); `tradingModes` may name some modes only. */
export type PreferencesChanges = Partial<Omit<PreferenceValues, 'tradingModes'>> & {
  tradingModes?: Partial<TradingModes>;
};

/** A write's outcome: `before` null when it created the row; `changed` false for a no-op. */
export interface PreferencesChange {
  before: PreferencesResponseDto | null;
  after: PreferencesResponseDto;
  changed: boolean;
}

/** The writable fields of a request body; read-only ones a client echoed back are dropped. */
function changesOf(body: PreferencesChanges & Record<string, unknown>): PreferencesChanges {
  const { disclosureAccepted, universe, marketRegion, riskProfile, tradingModes, primaryMode, auxiliaryModes } = body;
  return { disclosureAccepted, universe, marketRegion, riskProfile, tradingModes, primaryMode, auxiliaryModes };
}

/** A row in snake_case, as the read answers it. */
interface PreferencesRow {
  disclosure_accepted: boolean;
  disclosure_accepted_at: Date | null;
  universe: PreferenceValues['universe'];
  market_region: PreferenceValues['marketRegion'];
  risk_profile: PreferenceValues['riskProfile'];
  trading_modes: TradingModes;
  primary_mode: TradingMode | null;
  auxiliary_modes: TradingMode[];
  version: number;
  updated_at: Date;
}

/** What a write answers of the version it made. */
interface WrittenRow {
  version: number;
  updated_at: Date;
}

/** The one read: `GET` answers it, and every write merges into it. */
const READ_SQL = preparedSql(
  'preferences.read',
  `SELECT disclosure_accepted, disclosure_accepted_at, universe, market_region, risk_profile,
     trading_modes, primary_mode, auxiliary_modes, version, updated_at
   FROM user_preferences WHERE user_id = $1`,
);

/**
 * A write is ONE statement: the row, only if it is still the version that was read (else
 * nothing, and the write is planned again from a fresh read), and the audit event with it.
 * No transaction and no lock is held between the read and this statement; the version check
 * is what keeps a concurrent write from being lost.
 */
const UPDATE_SQL = preparedSql(
  'preferences.update',
  `WITH written AS (
     UPDATE user_preferences SET (disclosure_accepted, disclosure_accepted_at, universe, market_region, risk_profile,
       trading_modes, primary_mode, auxiliary_modes, updated_at) = ($2, $3, $4, $5, $6, $7, $8, $9, $10),
       version = version + 1
     WHERE user_id = $1 AND version = $11
     RETURNING version, updated_at
   ), audited AS (${inlineAuditSql('written', 12)})
   SELECT version, updated_at FROM written`,
);

/** The first save; nothing if a concurrent first save won (the write then runs as an update). */
const INSERT_SQL = preparedSql(
  'preferences.insert',
  `WITH written AS (
     INSERT INTO user_preferences (user_id, disclosure_accepted, disclosure_accepted_at, universe, market_region,
       risk_profile, trading_modes, primary_mode, auxiliary_modes, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (user_id) DO NOTHING
     RETURNING version, updated_at
   ), audited AS (${inlineAuditSql('written', 11)})
   SELECT version, updated_at FROM written`,
);

/**
 * How often a write is planned again after concurrent writes moved the version under it. Each
 * retry means another write landed, so this only runs out when that many land meanwhile.
 */
const MAX_WRITE_ROUNDS = 50;

function toResponse(row: PreferencesRow | undefined): PreferencesResponseDto {
  if (!row) {
    return {
      ...DEFAULT_PREFERENCES,
      tradingModes: { ...DEFAULT_PREFERENCES.tradingModes },
      auxiliaryModes: [],
      disclosureAcceptedAt: null,
      version: 0,
      updatedAt: null,
    };
  }
  return {
    disclosureAccepted: row.disclosure_accepted,
    disclosureAcceptedAt: row.disclosure_accepted_at,
    universe: row.universe,
    marketRegion: row.market_region,
    riskProfile: row.risk_profile,
    tradingModes: row.trading_modes,
    primaryMode: row.primary_mode,
    auxiliaryModes: row.auxiliary_modes,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/** The fields a client writes: the response without what the server keeps. */
export const writableOf = ({
  disclosureAcceptedAt: _a,
  version: _v,
  updatedAt: _u,
  ...values
}: PreferencesResponseDto) => values;
const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** What the audit trail keeps of a version: the user's fields, not the bookkeeping. */
const auditedOf = ({ version: _v, updatedAt: _u, ...values }: PreferencesResponseDto) => values;

/**
 * The sent fields merged into the current version (modes key by key); accepting the disclosure
 * stamps it once, withdrawing it clears the stamp.
 */
function merge(current: PreferencesResponseDto, changes: PreferencesChanges, now: Date): PreferencesResponseDto {
  const { tradingModes, disclosureAccepted, primaryMode, ...fields } = changes;
  const accepted = disclosureAccepted ?? current.disclosureAccepted;
  return {
    ...current,
    ...definedOnly(fields),
    disclosureAccepted: accepted,
    disclosureAcceptedAt: accepted ? (current.disclosureAcceptedAt ?? now) : null,
    tradingModes: { ...current.tradingModes, ...definedOnly(tradingModes ?? {}) },
    primaryMode: primaryMode === undefined ? current.primaryMode : primaryMode,
  };
}

function stale(current: number): ProblemException {
  return new ProblemException(
    HttpStatus.PRECONDITION_FAILED,
    'The preferences changed since you read them; reload and retry.',
    {
      type: problemTypes.stale,
      headers: { ETag: etagOf(current) },
    },
  );
}

@Injectable()
export class PreferencesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  /** One indexed point query; the defaults when nothing was saved yet. */
  async get(userId: string): Promise<PreferencesResponseDto> {
    const [row] = await this.transactions.rows<PreferencesRow>(READ_SQL, [userId]);
    return toResponse(row);
  }

  /**
   * PUT and PATCH (a PUT simply sends every field). `ifMatch`: the versions the client allows,
   * undefined for any. The change and its audit event are one statement (`@Audited` with
   * `oneStatement`).
   */
  async write(userId: string, body: PreferencesChanges, ifMatch?: number[]): Promise<PreferencesResponseDto> {
    const { after } = await this.save(userId, changesOf(body), ifMatch, { audited: true });
    return after;
  }

  /**
   * Reads the current version, merges the change into it, checks the rules, and writes it if
   * it is still current; if a concurrent write got there first, it starts over from a fresh
   * read, so every write lands on the state it was checked against. `audited`: the statement
   * also writes the audit event (the routes); without it the caller reports the change (the
   * localStorage import, as part of its own single event).
   */
  async save(
    userId: string,
    changes: PreferencesChanges,
    ifMatch?: number[],
    { audited = false } = {},
  ): Promise<PreferencesChange> {
    for (let round = 1; round <= MAX_WRITE_ROUNDS; round++) {
      const current = await this.get(userId);
      if (ifMatch && !ifMatch.includes(current.version)) throw stale(current.version);
      const before = current.version > 0 ? current : null;
      // One instant for the version: a disclosure accepted by this write is stamped with its time.
      const now = new Date();
      const next = merge(current, changes, now);
      // Nothing changed: no new version, no audit event.
      if (before && isDeepStrictEqual(writableOf(next), writableOf(before)))
        return { before, after: before, changed: false };
      const violations = checkPreferenceRules(writableOf(next));
      if (violations.length > 0) throw ruleViolation('The preferences break a rule.', violations);

      const event = audited
        ? { action: before ? 'update' : 'create', before: before && auditedOf(before), after: auditedOf(next) }
        : null;
      const values = [
        userId,
        next.disclosureAccepted,
        next.disclosureAcceptedAt,
        next.universe,
        next.marketRegion,
        next.riskProfile,
        JSON.stringify(next.tradingModes),
        next.primaryMode,
        JSON.stringify(next.auxiliaryModes),
        now,
      ];
      const [written] = before
        ? await this.transactions.rows<WrittenRow>(UPDATE_SQL, [
            ...values,
            before.version,
            ...this.audit.inlineEvent(event),
          ])
        : await this.transactions.rows<WrittenRow>(INSERT_SQL, [...values, ...this.audit.inlineEvent(event)]);
      if (written)
        return { before, after: { ...next, version: written.version, updatedAt: written.updated_at }, changed: true };
    }
    throw conflict('The preferences are being changed by many requests at once; retry.');
  }
}
