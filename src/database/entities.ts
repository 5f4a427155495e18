import { AuditEvent } from '../audit/audit-event.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { LocalStorageImport } from '../local-storage-import/local-storage-import.entity';
import { DismissedInsight } from '../insights/dismissed-insight.entity';
import { UserPreferences } from '../preferences/preferences.entity';
import { BrokerConnection } from '../trading/broker-connections/broker-connection.entity';
import { BrokerToken } from '../trading/broker-connections/broker-token.entity';
import { BrokerOrder } from '../trading/orders/broker-order.entity';
import { PortfolioSnapshot } from '../trading/portfolio/portfolio-snapshot.entity';
import { TradeIntent } from '../trading/trade-intents/trade-intent.entity';
import { User } from '../users/user.entity';
import { WatchlistItem } from '../watchlist/watchlist.entity';

/**
 * Every entity, in one list shared by the app and the migration CLI, so the drift check
 * (`npm run migration:check`) compares the migrations against the whole model.
 */
export const ENTITIES = [
  User,
  RefreshToken,
  BrokerConnection,
  BrokerToken,
  TradeIntent,
  BrokerOrder,
  PortfolioSnapshot,
  UserPreferences,
  WatchlistItem,
  DismissedInsight,
  AuditEvent,
  LocalStorageImport,
];
