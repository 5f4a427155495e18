import { ApiProperty } from '@nestjs/swagger';
import { ExportedAuditEventDto } from '../../audit/dto/audit-event-response.dto';
import { ApiList, ApiTimestamp } from '../../docs/schema-bounds';
import { DISMISSED_INSIGHTS_MAX } from '../../../domain/insight-id';
import { WATCHLIST_MAX_ITEMS } from '../../../domain/market';
import { DismissedInsightResponseDto } from '../../insights/dto/dismissed-insight-response.dto';
import { ImportRecordDto } from '../../local-storage-import/dto/import-record.dto';
import { PreferencesResponseDto } from '../../preferences/dto/preferences-response.dto';
import { BrokerConnectionRecordDto } from '../../trading/broker-connections/dto/broker-connection-record.dto';
import { OrderResponseDto } from '../../trading/orders/dto/order-response.dto';
import { PortfolioSnapshotResponseDto } from '../../trading/portfolio/dto/portfolio-snapshot-response.dto';
import { TradeIntentResponseDto } from '../../trading/trade-intents/dto/trade-intent-response.dto';
import { UserResponseDto } from '../../users/dto/user-response.dto';
import { WatchlistItemResponseDto } from '../../watchlist/dto/watchlist-response.dto';

/** The version of the export's schema: it rises when a section changes incompatibly. */
export const DATA_EXPORT_SCHEMA_VERSION = 1;

/**
 * Everything the service holds about the caller, as one JSON document, in this order (the
 * sections are written as they are read). Lists are newest first where they have a time. Never
 * a password hash, refresh token or broker token, encrypted or not.
 */
export class DataExportDto {
  /** @example 1 */
  @ApiProperty({
    type: 'integer',
    format: 'int32',
    enum: [DATA_EXPORT_SCHEMA_VERSION],
    minimum: DATA_EXPORT_SCHEMA_VERSION,
    maximum: DATA_EXPORT_SCHEMA_VERSION,
  })
  schemaVersion: typeof DATA_EXPORT_SCHEMA_VERSION;
  @ApiTimestamp()
  exportedAt: Date;
  account: UserResponseDto;
  preferences: PreferencesResponseDto;
  @ApiList(WatchlistItemResponseDto, WATCHLIST_MAX_ITEMS)
  watchlist: WatchlistItemResponseDto[];
  @ApiList(DismissedInsightResponseDto, DISMISSED_INSIGHTS_MAX)
  dismissedInsights: DismissedInsightResponseDto[];
  /** Every import attempt of the browser's `localStorage`, with what it did with each key. */
  localStorageImports: ImportRecordDto[];
  /** Revoked ones too; metadata only. */
  brokerConnections: BrokerConnectionRecordDto[];
  tradeIntents: TradeIntentResponseDto[];
  orders: OrderResponseDto[];
  portfolioSnapshots: PortfolioSnapshotResponseDto[];
  /** Every change of the caller's data (the audit trail). */
  auditEvents: ExportedAuditEventDto[];
}
