/**
 * `npm run tokens:reencrypt [-- --batch-size 500]`: moves every broker token to the newest key
 * of TOKEN_ENCRYPTION_KEYS, after a key was added. Runs with the stage's environment like the
 * service; batches of rows, each one transaction; safe to run again (and while the service runs).
 * Retire an old key from the ring only once this reports 0 rows remaining.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { BrokerTokensService } from '../trading/broker-connections/broker-tokens.service';
import { runCli, withAppContext } from './run-cli';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'batch-size': { type: 'string', default: '500' } } });
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    console.error('usage: npm run tokens:reencrypt [-- --batch-size <1..10000>]');
    return 2;
  }
  const report = await withAppContext((app) =>
    app.get(BrokerTokensService).reencryptAll(batchSize, (count) => console.log(`re-encrypted a batch of ${count}`)),
  );
  console.log(
    `key version ${report.keyVersion}: re-encrypted ${report.reencrypted} token rows in ${report.batches} batches; ` +
      `${report.remaining} rows remain under older keys`,
  );
  return report.remaining === 0 ? 0 : 1;
}

runCli(main);
