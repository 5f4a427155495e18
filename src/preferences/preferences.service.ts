import { isDeepStrictEqual } from 'node:util';
import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { InTransaction } from '../database/database';
import { etagOf } from '../common/etag';
import { conflict, ProblemException, problemTypes, ruleViolation } from '../common/problem';
import type { PreferencesResponseDto } from './dto/preferences-response.dto';
import type { TradingModes } from '../../domain/preferences.enums';
import { PreferencesRepository, type SavedPreferences } from './preferences.repository';
import {
  checkPreferenceRules,
  DEFAULT_PREFERENCES,
  PREFERENCE_FIELDS,
  type PreferenceValues,
} from '../../domain/preferences.rules';

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
function changesOf(body: PreferencesChanges): PreferencesChanges {
  return Object.fromEntries(PREFERENCE_FIELDS.map((field) => [field, body[field]]));
}

/**
 * How often a write is planned again after concurrent writes moved the version under it. Each
 * retry means another write landed, so this only runs out when that many land meanwhile.
 */
const MAX_WRITE_ROUNDS = 50;

/** The saved version, or the documented defaults (version 0) when nothing was saved yet. */
function toResponse(saved: SavedPreferences | undefined): PreferencesResponseDto {
  return (
    saved ?? {
      ...DEFAULT_PREFERENCES,
      tradingModes: { ...DEFAULT_PREFERENCES.tradingModes },
      auxiliaryModes: [],
      disclosureAcceptedAt: null,
      version: 0,
      updatedAt: null,
    }
  );
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
    private readonly repository: PreferencesRepository,
    private readonly audit: AuditService,
  ) {}

  async get(userId: string): Promise<PreferencesResponseDto> {
    return toResponse(await this.repository.find(userId));
  }

  /**
   * PUT and PATCH (a PUT simply sends every field). `ifMatch`: the versions the client allows,
   * undefined for any. In an audited request the change and its audit event are one statement.
   */
  async write(userId: string, body: PreferencesChanges, ifMatch?: number[]): Promise<PreferencesResponseDto> {
    const { after } = await this.save(userId, changesOf(body), ifMatch, { audited: true });
    return after;
  }

  /**
   * Reads the current version, merges the change into it, checks the rules, and writes it if
   * it is still current; if a concurrent write got there first, it starts over from a fresh
   * read, so every write lands on the state it was checked against. `audited`: the write also
   * stores its audit event (the routes); without it the caller reports the change (the
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
      if (before && isDeepStrictEqual(writableOf(next), writableOf(before))) {
        return { before, after: before, changed: false };
      }
      const violations = checkPreferenceRules(writableOf(next));
      if (violations.length > 0) throw ruleViolation('The preferences break a rule.', violations);

      const change = {
        action: before ? 'update' : 'create',
        before: before && auditedOf(before),
        after: auditedOf(next),
        // What the write makes: the first version is 1, an update is one past the version it checks.
        version: (before?.version ?? 0) + 1,
      };
      const event = audited ? this.audit.eventOf(change) : null;
      const written = before
        ? await this.repository.update(userId, next, now, before.version, event)
        : await this.repository.insert(userId, next, now, event);
      if (written) return { before, after: { ...next, ...written }, changed: true };
    }
    throw conflict('The preferences are being changed by many requests at once; retry.');
  }

  /** Deletes the user's preferences: part of the account's erasure, which records it. */
  async eraseUser(_tx: InTransaction, userId: string): Promise<void> {
    await this.repository.deleteAllOf(userId);
  }
}
