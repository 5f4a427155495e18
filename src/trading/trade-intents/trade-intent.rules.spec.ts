import { checkOrderPrices, type OrderPrices } from './trade-intent.rules';

const fields = (order: OrderPrices) => checkOrderPrices(order).map((e) => `${e.field}: ${e.message}`);

describe('order price rules', () => {
  it.each([
    [{ side: 'BUY', orderType: 'MARKET' }],
    [{ side: 'BUY', orderType: 'MARKET', limitPrice: null, triggerPrice: null }],
    [{ side: 'SELL', orderType: 'LIMIT', limitPrice: '0.05' }],
    [{ side: 'BUY', orderType: 'SL', limitPrice: '101', triggerPrice: '100.5' }],
    [{ side: 'BUY', orderType: 'SL', limitPrice: '100', triggerPrice: '100.0000' }],
    [{ side: 'SELL', orderType: 'SL', limitPrice: '99.5', triggerPrice: '100' }],
    [{ side: 'SELL', orderType: 'SL-M', triggerPrice: '100' }],
  ] as [OrderPrices][])('accepts %j', (order) => {
    expect(checkOrderPrices(order)).toEqual([]);
  });

  it.each([
    [{ side: 'BUY', orderType: 'MARKET', limitPrice: '1' }, ['limitPrice: a MARKET order takes no limitPrice']],
    [{ side: 'BUY', orderType: 'MARKET', triggerPrice: '1' }, ['triggerPrice: a MARKET order takes no triggerPrice']],
    [{ side: 'BUY', orderType: 'LIMIT' }, ['limitPrice: a LIMIT order needs limitPrice']],
    [
      { side: 'BUY', orderType: 'LIMIT', limitPrice: '1', triggerPrice: '1' },
      ['triggerPrice: a LIMIT order takes no triggerPrice'],
    ],
    [{ side: 'BUY', orderType: 'SL', limitPrice: '1' }, ['triggerPrice: a SL order needs triggerPrice']],
    [
      { side: 'BUY', orderType: 'SL' },
      ['limitPrice: a SL order needs limitPrice', 'triggerPrice: a SL order needs triggerPrice'],
    ],
    [
      { side: 'BUY', orderType: 'SL', limitPrice: '100', triggerPrice: '100.0001' },
      ['triggerPrice: a BUY stop-loss order triggers at or below its limitPrice'],
    ],
    [
      { side: 'SELL', orderType: 'SL', limitPrice: '100', triggerPrice: '99.9999' },
      ['triggerPrice: a SELL stop-loss order triggers at or above its limitPrice'],
    ],
    [
      { side: 'SELL', orderType: 'SL-M', limitPrice: '1' },
      ['limitPrice: a SL-M order takes no limitPrice', 'triggerPrice: a SL-M order needs triggerPrice'],
    ],
  ] as [OrderPrices, string[]][])('rejects %j', (order, expected) => {
    expect(fields(order)).toEqual(expected);
  });
});
