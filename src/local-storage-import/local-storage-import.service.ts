import { createHash } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import {
  IMPORT_OUTCOMES,
  type ImportPlan,
  planChangesSomething,
  planImport,
  type ServerState,
} from '../../domain/local-storage.merge';
import { parseLocalStorage } from '../../domain/local-storage.parser';
import { AuditService } from '../audit/audit.service';
import { EXPORT_PAGE_SIZE, eachItem } from '../common/pagination';
import { conflict, ProblemException, problemTypes } from '../common/problem';
import { Database, type InTransaction } from '../database/database';
import { lockUserList } from '../database/list-locks';
import { FeaturesService } from '../features/features.service';
import { InsightsService } from '../insights/insights.service';
import type { PreferencesResponseDto } from '../preferences/dto/preferences-response.dto';
import { PreferencesService, writableOf } from '../preferences/preferences.service';
import { UsersService } from '../users/users.service';
import { WatchlistService } from '../watchlist/watchlist.service';
import { type ImportHistoryDto, IMPORT_HISTORY_MAX_DEVICES } from './dto/import-history.dto';
import type { ImportLocalStorageDto } from './dto/import-local-storage.dto';
import type { ImportResultDto } from './dto/import-result.dto';
import type { ImportRecordDto } from './dto/import-record.dto';
import type { ImportStatsDto } from './dto/import-stats.dto';
import { IMPORT_STATUSES, type ImportStatus, type ImportSummary } from '../../domain/local-storage.records';
import { LocalStorageImportsRepository } from './local-storage-imports.repository';

export const IMPORTS_METRIC = 'local_storage_imports_total';
export const IMPORT_KEYS_METRIC = 'local_storage_import_keys_total';

/** SHA-256 of the entries in key order: the same browser data gives the same hash. */
function payloadHash(entries: Record<string, string>): Buffer {
  const canonical = JSON.stringify(
    Object.keys(entries)
      .sort()
      .map((key) => [key, entries[key]]),
  );
  return createHash('sha256').update(canonical).digest();
}

function statusOf(plan: ImportPlan): ImportStatus {
  if (plan.results.some((r) => r.outcome === 'invalid')) return 'partial';
  return planChangesSomething(plan) ? 'imported' : 'unchanged';
}

function countOutcomes(plan: ImportPlan): ImportSummary['counts'] {
  const counts = Object.fromEntries(IMPORT_OUTCOMES.map((o) => [o, 0])) as ImportSummary['counts'];
  for (const result of plan.results) counts[result.outcome]++;
  return counts;
}

/** The audit event's view of the user's data. */
function audited(state: ServerState) {
  return {
    preferences: state.preferences,
    profileName: state.profileName,
    watchlistCount: state.watchlist.length,
    dismissedInsightsCount: state.dismissedInsightIds.length,
  };
}

/** The view after the import, derived from the state before and what the plan wrote, plus what it added. */
function auditedAfter(before: ServerState, plan: ImportPlan, preferences: PreferencesResponseDto | null) {
  const view = audited(before);
  return {
    preferences: preferences ? writableOf(preferences) : view.preferences,
    profileName: plan.profileName ?? view.profileName,
    watchlistCount: view.watchlistCount + plan.watchlistToAdd.length,
    dismissedInsightsCount: view.dismissedInsightsCount + plan.insightIdsToAdd.length,
    watchlistAdded: plan.watchlistToAdd.map((entry) => entry.symbol),
    insightsAdded: plan.insightIdsToAdd,
  };
}

/** The server's saved versions the plan was made from, to detect a concurrent change. */
interface Snapshot {
  state: ServerState;
  preferencesVersion: number;
}

/**
 * The one-time import of a browser's localStorage (the seed's "data migration script, run on
 * first login"): parse leniently, plan against what the server holds (the server wins,
 * lists are unions), apply, record the attempt, and report one audit event — all in one
 * transaction (the route is `@Audited('import')`).
 */
@Injectable()
export class LocalStorageImportService {
  constructor(
    private readonly records: LocalStorageImportsRepository,
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly preferences: PreferencesService,
    private readonly watchlist: WatchlistService,
    private readonly insights: InsightsService,
    private readonly users: UsersService,
    private readonly features: FeaturesService,
    @InjectMetric(IMPORTS_METRIC) private readonly importsTotal: Counter<'status'>,
    @InjectMetric(IMPORT_KEYS_METRIC) private readonly keysTotal: Counter<'outcome'>,
  ) {}

  async import(userId: string, dto: ImportLocalStorageDto): Promise<ImportResultDto> {
    if (!this.features.isEnabled('localStorageImport', userId)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'The localStorage import is not enabled for this account yet.', {
        type: problemTypes.featureDisabled,
      });
    }
    return this.database.transaction(async (tx) => {
      // One import per user at a time: two devices' imports plan from each other's results. And
      // the lists' own writers wait until it commits (always in this order, import first), so
      // the plan is made from the lists it writes to: what it adds fits, nothing is dropped.
      for (const list of ['import', 'watchlist', 'insights'] as const) {
        await lockUserList(this.database, tx, list, userId);
      }
      const hash = payloadHash(dto.entries);
      const attempt = { user_id: userId, device_id: dto.deviceId ?? null, keys_count: Object.keys(dto.entries).length };

      const first = await this.records.firstOf(userId, hash);
      if (first) {
        await this.records.insert({ ...attempt, status: 'replayed', payload_hash: hash, summary: first.summary });
        this.count('replayed', first.summary.counts, false);
        return { status: 'replayed', results: first.summary.results, importedAt: first.receivedAt };
      }

      const parsed = parseLocalStorage(dto.entries);
      const before = await this.snapshot(userId);
      const plan = planImport(parsed, before.state);
      const preferencesAfter = await this.apply(userId, plan, before);
      const status = statusOf(plan);
      const summary: ImportSummary = { results: plan.results, counts: countOutcomes(plan) };
      const record = await this.records.insert({ ...attempt, status, payload_hash: hash, summary });

      if (planChangesSomething(plan)) {
        await this.audit.record(tx, {
          action: 'import',
          before: audited(before.state),
          after: auditedAfter(before.state, plan, preferencesAfter),
        });
      }
      this.count(status, summary.counts, true);
      return { status, results: plan.results, importedAt: record.receivedAt };
    });
  }

  private async snapshot(userId: string): Promise<Snapshot> {
    const [preferences, watchlist, insights, user] = [
      await this.preferences.get(userId),
      await this.watchlist.list(userId),
      await this.insights.listDismissed(userId),
      await this.users.getById(userId),
    ];
    return {
      preferencesVersion: preferences.version,
      state: {
        preferences: preferences.version > 0 ? writableOf(preferences) : null,
        watchlist: watchlist.items.map(({ symbol, exchange }) => ({ symbol, exchange })),
        dismissedInsightIds: insights.items.map((item) => item.insightId),
        profileName: user.name,
      },
    };
  }

  /**
   * Writes the plan; answers the preferences as saved, or null when the plan leaves them.
   * The preferences and the profile name are written only if they are still what the plan was
   * made from (else a concurrent save won, which is the server's value: 409, retry). The lists
   * need no such check: their locks are held since the snapshot.
   */
  private async apply(userId: string, plan: ImportPlan, before: Snapshot): Promise<PreferencesResponseDto | null> {
    let preferences: PreferencesResponseDto | null = null;
    if (plan.preferences) {
      try {
        ({ after: preferences } = await this.preferences.save(userId, plan.preferences, [before.preferencesVersion]));
      } catch (error) {
        if (!(error instanceof ProblemException) || error.problemType !== problemTypes.stale) throw error;
        throw conflict('The preferences changed during the import; send it again.');
      }
    }
    if (plan.watchlistToAdd.length > 0) await this.watchlist.mergeSymbols(userId, plan.watchlistToAdd);
    if (plan.insightIdsToAdd.length > 0) await this.insights.dismissMany(userId, plan.insightIdsToAdd);
    if (plan.profileName !== null && !(await this.users.fillEmptyName(userId, plan.profileName))) {
      throw conflict('The profile name changed during the import; send it again.');
    }
    return preferences;
  }

  /** Prometheus counters, once the import has committed. */
  private count(status: ImportStatus, counts: ImportSummary['counts'], keys: boolean): void {
    this.database.afterCommit(() => {
      this.importsTotal.inc({ status });
      if (keys)
        for (const outcome of IMPORT_OUTCOMES) if (counts[outcome]) this.keysTotal.inc({ outcome }, counts[outcome]);
    });
  }

  /** `GET /migrations/local-storage`: the caller's imports, per device. */
  async history(userId: string): Promise<ImportHistoryDto> {
    const rows = await this.records.devices(userId, IMPORT_HISTORY_MAX_DEVICES);
    return {
      imported: rows.length > 0,
      firstImportedAt: rows[0]?.firstEver ?? null,
      lastImportedAt: rows[0]?.lastEver ?? null,
      devices: rows.map(({ deviceId, firstImportedAt, lastImportedAt, lastStatus, attempts }) => ({
        deviceId,
        firstImportedAt,
        lastImportedAt,
        lastStatus,
        attempts,
      })),
    };
  }

  /** `GET /admin/migrations/stats`: the rollout across all users, in one statement so the numbers agree. */
  async stats(): Promise<ImportStatsDto> {
    const row = await this.records.stats();
    const byStatus = Object.fromEntries(IMPORT_STATUSES.map((s) => [s, row.byStatus?.[s] ?? 0])) as Record<
      ImportStatus,
      number
    >;
    const attempts = IMPORT_STATUSES.reduce((sum, s) => sum + byStatus[s], 0);
    // A replay repeats an earlier import's answer: it is neither a second success nor a second failure.
    const imports = attempts - byStatus.replayed;
    return {
      attempts,
      usersImported: row.usersImported,
      successRate: imports === 0 ? 1 : (imports - byStatus.partial) / imports,
      byStatus,
      byOutcome: Object.fromEntries(IMPORT_OUTCOMES.map((o) => [o, row.byOutcome?.[o] ?? 0])),
    };
  }

  /** Deletes the records of the user's imports: part of the account's erasure, which records it. */
  async eraseUser(_tx: InTransaction, userId: string): Promise<void> {
    await this.records.deleteAllOf(userId);
  }

  /** Every import attempt of the user with what it did with each key, newest first (the export). */
  importRecordsOf(userId: string): AsyncGenerator<ImportRecordDto> {
    return eachItem(async (cursor) => {
      const { items, nextCursor } = await this.records.list(userId, { limit: EXPORT_PAGE_SIZE, cursor });
      return {
        items: items.map(({ summary, ...record }) => ({ ...record, results: summary.results })),
        nextCursor,
      };
    });
  }
}
