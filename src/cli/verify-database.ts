/**
 * `npm run db:verify`: with a stage's environment, lists applied and pending migrations and
 * checks that every table, column, index, constraint and trigger the code expects exists.
 * Exits 1 with a readable report when anything is missing or pending (CI runs it after
 * `migration:run`).
 */
import 'reflect-metadata';
import { dataSource as cliDataSource } from '../../ormconfig';
import { formatReport, verifySchema } from '../database/schema-verification';
import { runCli } from './run-cli';

async function main(): Promise<number> {
  const dataSource = await (await cliDataSource).initialize();
  try {
    const report = await verifySchema(dataSource);
    console.log(formatReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

runCli(main);
