import { Injectable } from '@nestjs/common';
import { EXPORT_PAGE_SIZE, eachItem } from '../common/pagination';
import type { InTransaction } from '../database/database';
import type { BrokerConnectionRecordDto } from './broker-connections/dto/broker-connection-record.dto';
import { BrokerConnectionsRepository } from './broker-connections/broker-connections.repository';
import { OrdersRepository } from './orders/orders.repository';
import { OrdersService } from './orders/orders.service';
import { PortfolioService } from './portfolio/portfolio.service';
import { TradeIntentsService } from './trade-intents/trade-intents.service';
import { PortfolioSnapshotsRepository } from './portfolio/portfolio-snapshots.repository';
import { TradeIntentsRepository } from './trade-intents/trade-intents.repository';

/** A user's trading records as a whole: what their data rights (export, erasure) reach. */
@Injectable()
export class TradingRecordsService {
  constructor(
    private readonly connections: BrokerConnectionsRepository,
    private readonly intents: TradeIntentsRepository,
    private readonly orders: OrdersRepository,
    private readonly snapshots: PortfolioSnapshotsRepository,
    private readonly intentsService: TradeIntentsService,
    private readonly ordersService: OrdersService,
    private readonly portfolio: PortfolioService,
  ) {}

  /** The user's broker connections, revoked ones too, newest first: metadata, never a token (the export). */
  connectionsOf(userId: string): AsyncGenerator<BrokerConnectionRecordDto> {
    return eachItem((cursor) => this.connections.listAll(userId, { limit: EXPORT_PAGE_SIZE, cursor }));
  }

  /** The user's trade intents, newest first, as the API shows them (the export). */
  intentsOf(userId: string) {
    return eachItem((cursor) => this.intentsService.list(userId, { limit: EXPORT_PAGE_SIZE, cursor }));
  }

  /** The user's orders, newest first, as the API shows them (the export). */
  ordersOf(userId: string) {
    return eachItem((cursor) => this.ordersService.list(userId, { limit: EXPORT_PAGE_SIZE, cursor }));
  }

  /** The user's portfolio snapshots, newest first, as the API shows them (the export). */
  snapshotsOf(userId: string) {
    return eachItem((cursor) => this.portfolio.list(userId, { limit: EXPORT_PAGE_SIZE, cursor }));
  }

  /**
   * Deletes every trading record of the user, the broker tokens with their connections: part of
   * the account's erasure, which records it. Orders name intents and connections, intents name
   * connections: they go first.
   */
  async eraseUser(_tx: InTransaction, userId: string): Promise<void> {
    await this.orders.deleteAllOf(userId);
    await this.snapshots.deleteAllOf(userId);
    await this.intents.deleteAllOf(userId);
    await this.connections.deleteAllOf(userId);
  }
}
