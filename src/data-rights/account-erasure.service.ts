import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import { TokensService } from '../auth/tokens.service';
import { Database } from '../database/database';
import { InsightsService } from '../insights/insights.service';
import { LocalStorageImportService } from '../local-storage-import/local-storage-import.service';
import { PreferencesService } from '../preferences/preferences.service';
import { TradingRecordsService } from '../trading/trading-records.service';
import { UsersService } from '../users/users.service';
import { WatchlistService } from '../watchlist/watchlist.service';

/**
 * The right to erasure: an account and everything held about its person go, in one
 * transaction, for good. The account row stays anonymised (its ids are never reused) and listed
 * in `erased_accounts`; the audit trail keeps its events' skeleton without personal data.
 */
@Injectable()
export class AccountErasureService {
  constructor(
    private readonly database: Database,
    private readonly auth: AuthService,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
    private readonly preferences: PreferencesService,
    private readonly watchlist: WatchlistService,
    private readonly insights: InsightsService,
    private readonly imports: LocalStorageImportService,
    private readonly trading: TradingRecordsService,
    private readonly audit: AuditService,
  ) {}

  /** `DELETE /users/me`: the caller proves who they are again, then their account is erased. */
  async eraseOwnAccount(caller: AuthUser, password: string | undefined): Promise<void> {
    await this.auth.confirmIdentity(caller, password);
    await this.erase(caller.id);
  }

  /**
   * Erases the account (the route, `npm run user:erase`, and again after a restore:
   * `npm run erasure:reapply`); false when there is no such account. Running it again on an
   * erased account finds nothing left to remove and records nothing.
   */
  async erase(userId: string): Promise<boolean> {
    return this.database.transaction(async (tx) => {
      // Locked to the commit: two erasures of one account run one after the other.
      const user = await this.users.lockById(tx, userId);
      if (!user) return false;
      await this.tokens.revokeAllOf(tx, userId);
      await this.trading.eraseUser(tx, userId);
      await this.preferences.eraseUser(tx, userId);
      await this.watchlist.eraseUser(tx, userId);
      await this.insights.eraseUser(tx, userId);
      await this.imports.eraseUser(tx, userId);
      await this.users.erase(tx, userId);
      await this.audit.redactUser(tx, userId);
      if (user.status !== 'erased') await this.audit.recordErasure(tx, userId);
      return true;
    });
  }
}
