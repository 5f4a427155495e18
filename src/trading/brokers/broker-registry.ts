import type { Broker } from '../../../domain/trading';
import { Injectable } from '@nestjs/common';
import { ruleViolation } from '../../common/problem';
import type { BrokerAdapter } from './broker-adapter';
import { PaperBrokerAdapter } from './paper-broker.adapter';

/**
 * The broker adapters this service has, by broker. Connections can be stored for every broker
 * of `BROKERS`; orders go only through brokers listed here (a new integration is one more
 * constructor parameter).
 */
@Injectable()
export class BrokerRegistry {
  private readonly adapters: ReadonlyMap<Broker, BrokerAdapter>;

  constructor(paper: PaperBrokerAdapter) {
    this.adapters = new Map([paper].map((adapter) => [adapter.broker, adapter]));
  }

  /** The adapter of a connection's broker; 422 (on `connectionId`) when orders through it are not supported yet. */
  adapterFor(broker: Broker): BrokerAdapter {
    const adapter = this.adapters.get(broker);
    if (!adapter) {
      const supported = [...this.adapters.keys()].join(', ');
      throw ruleViolation(`Orders through ${broker} are not supported yet.`, [
        {
          field: 'connectionId',
          message: `broker ${broker} has no order integration yet; orders can go through: ${supported}`,
        },
      ]);
    }
    return adapter;
  }
}
