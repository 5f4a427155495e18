import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { toExportedAuditEvent } from '../audit/dto/audit-event-response.dto';
import { Database } from '../database/database';
import { InsightsService } from '../insights/insights.service';
import { LocalStorageImportService } from '../local-storage-import/local-storage-import.service';
import { PreferencesService } from '../preferences/preferences.service';
import { TradingRecordsService } from '../trading/trading-records.service';
import { toUserResponse } from '../users/dto/user-response.dto';
import { UsersService } from '../users/users.service';
import { WatchlistService } from '../watchlist/watchlist.service';
import { DATA_EXPORT_SCHEMA_VERSION, type DataExportDto } from './dto/data-export.dto';

type Section = keyof DataExportDto;

/** A list section: its items, read a page at a time. */
type ListSource = AsyncIterable<unknown> | Promise<unknown[]>;

/**
 * The right of access: everything held about the user as one JSON document (`DataExportDto`),
 * written as it is read, a page of rows at a time, so that a long history never sits in memory.
 * The sections are read one after the other, each page consistent on its own (not one snapshot:
 * that would hold a connection for as long as the client takes to download).
 */
@Injectable()
export class DataExportService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly preferences: PreferencesService,
    private readonly watchlist: WatchlistService,
    private readonly insights: InsightsService,
    private readonly imports: LocalStorageImportService,
    private readonly trading: TradingRecordsService,
  ) {}

  /**
   * Records the export (an event without the exported data) and answers the document's text in
   * chunks. The account is read first: a user erased meanwhile gets 404 before anything is sent.
   */
  async export(userId: string): Promise<AsyncGenerator<string>> {
    const account = toUserResponse(await this.users.getById(userId));
    await this.database.transaction((tx) => this.audit.record(tx, { action: 'export', before: null, after: null }));
    return inChunks(this.write(userId, account));
  }

  private async *write(userId: string, account: DataExportDto['account']): AsyncGenerator<string> {
    const head: Partial<DataExportDto> = {
      schemaVersion: DATA_EXPORT_SCHEMA_VERSION,
      exportedAt: new Date(),
      account,
      preferences: await this.preferences.get(userId),
    };
    yield JSON.stringify(head).slice(0, -1);
    const lists: [Section, () => ListSource][] = [
      ['watchlist', async () => (await this.watchlist.list(userId)).items],
      ['dismissedInsights', async () => (await this.insights.listDismissed(userId)).items],
      ['localStorageImports', () => this.imports.importRecordsOf(userId)],
      ['brokerConnections', () => this.trading.connectionsOf(userId)],
      ['tradeIntents', () => this.trading.intentsOf(userId)],
      ['orders', () => this.trading.ordersOf(userId)],
      ['portfolioSnapshots', () => this.trading.snapshotsOf(userId)],
      ['auditEvents', () => mapEach(this.audit.eventsAbout(userId), toExportedAuditEvent)],
    ];
    for (const [section, read] of lists) {
      yield `,${JSON.stringify(section)}:[`;
      let first = true;
      for await (const item of await read()) {
        yield (first ? '' : ',') + JSON.stringify(item);
        first = false;
      }
      yield ']';
    }
    yield '}';
  }
}

/** About this much text is sent at a time: one write per row would cost more than the row. */
const CHUNK_CHARS = 64 * 1024;

async function* inChunks(parts: AsyncIterable<string>): AsyncGenerator<string> {
  let chunk = '';
  for await (const part of parts) {
    chunk += part;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function* mapEach<T, R>(items: AsyncIterable<T>, map: (item: T) => R): AsyncGenerator<R> {
  for await (const item of items) yield map(item);
}
