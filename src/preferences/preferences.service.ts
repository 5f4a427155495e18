import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { etagOf } from '../common/etag';
import type { TradingMode } from '../common/market';
import { ProblemException, problemTypes, ruleViolation } from '../common/problem';
import { Transactions } from '../database/transactions';
import type { PreferencesResponseDto } from './dto/preferences-response.dto';
import type { TradingModes } from './preferences.enums';
import { checkPreferenceRules, DEFAULT_PREFERENCES, type PreferenceValues } from './preferences.rules';

/** The fields a write sets (absent = keep); `tradingModes` may name some modes only. */
export type PreferencesChanges = Partial<Omit<PreferenceValues, 'tradingModes'>> & { tradingModes?: Partial<TradingModes> };

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

/** A row in snake_case: from a SELECT (timestamps as Dates) or `to_jsonb()` (as strings). */
interface PreferencesRow {
  disclosure_accepted: boolean;
  disclosure_accepted_at: string | Date | null;
  universe: PreferenceValues['universe'];
  market_region: PreferenceValues['marketRegion'];
  risk_profile: PreferenceValues['riskProfile'];
  trading_modes: TradingModes;
  primary_mode: TradingMode | null;
  auxiliary_modes: TradingMode[];
  version: number;
  updated_at: string | Date;
}

const COLUMNS = `disclosure_accepted, disclosure_accepted_at, universe, market_region, risk_profile,
  trading_modes, primary_mode, auxiliary_modes, version, updated_at`;

/**
 * Applies a write as ONE conditional statement: lock the row, merge the sent fields into it
 * (modes merge key by key, in SQL, so concurrent writers of different fields never undo each
 * other), check the version, and update only if something actually changes. It answers the
 * row before and after: `before` null = no row yet; `after` null = stale version or no change.
 */
const UPDATE_SQL = `
WITH old AS (
  SELECT * FROM user_preferences WHERE user_id = $1 FOR UPDATE
), next AS (
  SELECT old.id,
    COALESCE($2::boolean, old.disclosure_accepted) AS disclosure_accepted,
    CASE WHEN $2::boolean IS NULL THEN old.disclosure_accepted_at
         WHEN $2::boolean THEN COALESCE(old.disclosure_accepted_at, now())
         ELSE NULL END AS disclosure_accepted_at,
    COALESCE($3::varchar, old.universe) AS universe,
    COALESCE($4::varchar, old.market_region) AS market_region,
    COALESCE($5::varchar, old.risk_profile) AS risk_profile,
    old.trading_modes || COALESCE($6::jsonb, '{}'::jsonb) AS trading_modes,
    CASE WHEN $7::boolean THEN $8::varchar ELSE old.primary_mode END AS primary_mode,
    COALESCE($9::jsonb, old.auxiliary_modes) AS auxiliary_modes
  FROM old
  WHERE $10::integer[] IS NULL OR old.version = ANY($10::integer[])
), changed AS (
  UPDATE user_preferences p SET
    disclosure_accepted = n.disclosure_accepted, disclosure_accepted_at = n.disclosure_accepted_at,
    universe = n.universe, market_region = n.market_region, risk_profile = n.risk_profile,
    trading_modes = n.trading_modes, primary_mode = n.primary_mode, auxiliary_modes = n.auxiliary_modes,
    version = p.version + 1, updated_at = now()
  FROM next n, old o
  WHERE p.id = n.id
    AND (n.disclosure_accepted, n.universe, n.market_region, n.risk_profile, n.trading_modes, n.primary_mode, n.auxiliary_modes)
        IS DISTINCT FROM
        (o.disclosure_accepted, o.universe, o.market_region, o.risk_profile, o.trading_modes, o.primary_mode, o.auxiliary_modes)
  RETURNING p.*
)
SELECT (SELECT to_jsonb(old) FROM old) AS before, (SELECT to_jsonb(changed) FROM changed) AS after`;

/** The first save: defaults merged with the write, unless a concurrent first save won. */
const INSERT_SQL = `
INSERT INTO user_preferences (user_id, disclosure_accepted, disclosure_accepted_at, universe, market_region,
  risk_profile, trading_modes, primary_mode, auxiliary_modes)
VALUES ($1, $2, CASE WHEN $2 THEN now() END, $3, $4, $5, $6, $7, $8)
ON CONFLICT (user_id) DO NOTHING
RETURNING to_jsonb(user_preferences.*) AS after`;

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
    disclosureAcceptedAt: row.disclosure_accepted_at ? new Date(row.disclosure_accepted_at) : null,
    universe: row.universe,
    marketRegion: row.market_region,
    riskProfile: row.risk_profile,
    tradingModes: row.trading_modes,
    primaryMode: row.primary_mode,
    auxiliaryModes: row.auxiliary_modes,
    version: row.version,
    updatedAt: new Date(row.updated_at),
  };
}

/** The fields a client writes: the response without what the server keeps. */
export const writableOf = ({ disclosureAcceptedAt: _a, version: _v, updatedAt: _u, ...values }: PreferencesResponseDto) => values;
const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** What the audit trail keeps of a version: the user's fields, not the bookkeeping. */
const auditedOf = ({ version: _v, updatedAt: _u, ...values }: PreferencesResponseDto) => values;

function stale(current: number): ProblemException {
  return new ProblemException(HttpStatus.PRECONDITION_FAILED, 'The preferences changed since you read them; reload and retry.', {
    type: problemTypes.stale,
    headers: { ETag: etagOf(current) },
  });
}

@Injectable()
export class PreferencesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  /** One indexed point query; the defaults when nothing was saved yet. */
  async get(userId: string): Promise<PreferencesResponseDto> {
    const [row] = await this.transactions.rows<PreferencesRow>(`SELECT ${COLUMNS} FROM user_preferences WHERE user_id = $1`, [userId]);
    return toResponse(row);
  }

  /**
   * PUT and PATCH (a PUT simply sends every field). `ifMatch`: the versions the client allows,
   * undefined for any. Runs inside the audit interceptor's transaction: a rule violation found
   * after the update throws, and the update is rolled back with it.
   */
  async write(userId: string, body: PreferencesChanges, ifMatch?: number[]): Promise<PreferencesResponseDto> {
    const { before, after, changed } = await this.save(userId, changesOf(body), ifMatch);
    if (changed) {
      this.audit.record({ action: before ? 'update' : 'create', before: before && auditedOf(before), after: auditedOf(after) });
    }
    return after;
  }

  /**
   * The data work of a write, without the audit record: the caller reports the change (the
   * routes above, or the localStorage import as part of its own single event).
   */
  async save(userId: string, values: PreferencesChanges, ifMatch?: number[]): Promise<PreferencesChange> {
    // Two rounds at most: the second only when a concurrent first save created the row.
    for (let round = 0; round < 2; round++) {
      const result = (await this.update(userId, values, ifMatch)) ?? (await this.insert(userId, values, ifMatch));
      if (result) return result;
    }
    throw new Error('preferences row neither updatable nor insertable');
  }

  private async update(userId: string, values: PreferencesChanges, ifMatch?: number[]): Promise<PreferencesChange | undefined> {
    const [{ before, after }] = await this.transactions.rows<{ before: PreferencesRow | null; after: PreferencesRow | null }>(
      UPDATE_SQL,
      [
        userId,
        values.disclosureAccepted ?? null,
        values.universe ?? null,
        values.marketRegion ?? null,
        values.riskProfile ?? null,
        values.tradingModes ? JSON.stringify(values.tradingModes) : null,
        values.primaryMode !== undefined,
        values.primaryMode ?? null,
        values.auxiliaryModes ? JSON.stringify(values.auxiliaryModes) : null,
        ifMatch ?? null,
      ],
    );
    if (!before) return undefined;
    if (ifMatch && !ifMatch.includes(before.version)) throw stale(before.version);
    // Nothing changed: no new version, no audit event.
    if (!after) return { before: toResponse(before), after: toResponse(before), changed: false };
    return this.accept(toResponse(before), toResponse(after));
  }

  private async insert(userId: string, values: PreferencesChanges, ifMatch?: number[]): Promise<PreferencesChange | undefined> {
    if (ifMatch && !ifMatch.includes(0)) throw stale(0);
    const { tradingModes, ...fields } = values;
    const merged: PreferenceValues = {
      ...DEFAULT_PREFERENCES,
      ...definedOnly(fields),
      tradingModes: { ...DEFAULT_PREFERENCES.tradingModes, ...definedOnly(tradingModes ?? {}) },
    };
    // The rules are checked once, in accept(): a violation rolls this insert back with the transaction.
    const [row] = await this.transactions.rows<{ after: PreferencesRow }>(INSERT_SQL, [
      userId,
      merged.disclosureAccepted,
      merged.universe,
      merged.marketRegion,
      merged.riskProfile,
      JSON.stringify(merged.tradingModes),
      merged.primaryMode,
      JSON.stringify(merged.auxiliaryModes),
    ]);
    if (!row) return undefined;
    return this.accept(null, toResponse(row.after));
  }

  /** Checks the rules on the state actually written (a violation rolls the write back). */
  private accept(before: PreferencesResponseDto | null, after: PreferencesResponseDto): PreferencesChange {
    const violations = checkPreferenceRules(writableOf(after));
    if (violations.length > 0) throw ruleViolation('The preferences break a rule.', violations);
    return { before, after, changed: true };
  }
}
