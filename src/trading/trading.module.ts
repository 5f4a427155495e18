import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { type AppConfig, appConfig } from '../config/app-config';
import { BrokerConnectionsRepository } from './broker-connections/broker-connections.repository';
import { BrokerConnectionsController } from './broker-connections/broker-connections.controller';
import { BrokerConnectionsService } from './broker-connections/broker-connections.service';
import { BrokerTokensService } from './broker-connections/broker-tokens.service';
import { BrokerRegistry } from './brokers/broker-registry';
import { PaperBrokerAdapter } from './brokers/paper-broker.adapter';
import { TokenCipher } from '../crypto/token-cipher';
import { OrdersController } from './orders/orders.controller';
import { OrdersRepository } from './orders/orders.repository';
import { OrdersService } from './orders/orders.service';
import { PortfolioController } from './portfolio/portfolio.controller';
import { PortfolioSnapshotsRepository } from './portfolio/portfolio-snapshots.repository';
import { PortfolioService } from './portfolio/portfolio.service';
import { TradeIntentsController } from './trade-intents/trade-intents.controller';
import { TradeIntentsRepository } from './trade-intents/trade-intents.repository';
import { TradeIntentsService } from './trade-intents/trade-intents.service';
import { TradingRecordsService } from './trading-records.service';

/** Broker connections (encrypted tokens), trade intents, orders through broker adapters, portfolio snapshots. */
@Module({
  imports: [AuditModule],
  controllers: [BrokerConnectionsController, TradeIntentsController, OrdersController, PortfolioController],
  providers: [
    // The key ring is parsed and checked once, with the configuration.
    {
      provide: TokenCipher,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => new TokenCipher(config.tokenKeys),
    },
    BrokerConnectionsRepository,
    BrokerTokensService,
    BrokerConnectionsService,
    PaperBrokerAdapter,
    BrokerRegistry,
    OrdersRepository,
    OrdersService,
    TradeIntentsRepository,
    TradeIntentsService,
    PortfolioSnapshotsRepository,
    PortfolioService,
    TradingRecordsService,
  ],
  exports: [TradingRecordsService],
})
export class TradingModule {}
