import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CompiledQuery,
  type DatabaseConnection,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import { Client } from 'pg';
import type { Database } from '../src/database/database';
import { generateSqlCalls } from '../src/database/generate-sql';
import type { DB } from '../src/database/schema.generated';
import { createMigratedDatabase, dropDatabase } from './support/database';
import { LARGE_TABLE_ROWS, seedLargeTables } from './support/seed-large';

/**
 * Every read of every repository, as `npm run sql` calls them, EXPLAINed against tables holding
 * hundreds of thousands of rows: none may scan a whole table or sort more than a user's share of
 * one. A list that is fast at a thousand rows and slow at a million fails here, not in production.
 */

/** Reads that visit a whole table by nature, with why that is right. */
const WHOLE_TABLE_READS: Record<string, string> = {
  'LocalStorageImportsRepository.stats':
    "the administrators' rollout totals: an aggregate over every import, read when the dashboard loads",
  'BrokerConnectionsRepository.countTokensNotUnder':
    'the end of `npm run tokens:reencrypt`: counts the tokens a run left behind, once per run',
};

/** A sort of more rows than this sorts (a large part of) a table, not one user's rows. */
const SORT_LIMIT = 10_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Plan Rows': number;
  Plans?: PlanNode[];
}

function problemsOf(node: PlanNode, out: string[] = []): string[] {
  if (node['Node Type'] === 'Seq Scan') out.push(`sequential scan of ${node['Relation Name']}`);
  if (node['Node Type'] === 'Sort') {
    const input = node.Plans?.[0]?.['Plan Rows'] ?? 0;
    if (input > SORT_LIMIT) out.push(`sort of ${input} rows`);
  }
  for (const child of node.Plans ?? []) problemsOf(child, out);
  return out;
}

const WRITES = /\b(insert\s+into|update\s+"|delete\s+from)\b/i;

function repositoryFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return repositoryFiles(path);
    return entry.name.endsWith('.repository.ts') ? [path] : [];
  });
}

/** A Database whose reads are EXPLAINed on `client` (and answered with no rows); writes are not sent. */
function explainingDatabase(client: Client, plans: { sql: string; plan: PlanNode }[]): Database {
  const connection: DatabaseConnection = {
    executeQuery: async <R>(query: CompiledQuery) => {
      if (!WRITES.test(query.sql)) {
        const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
          `EXPLAIN (FORMAT JSON) ${query.sql}`,
          query.parameters as unknown[],
        );
        plans.push({ sql: query.sql, plan: rows[0]['QUERY PLAN'][0].Plan });
      }
      return { rows: [] as R[] };
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
      createDriver: () => ({
        init: () => Promise.resolve(),
        acquireConnection: () => Promise.resolve(connection),
        beginTransaction: () => Promise.resolve(),
        commitTransaction: () => Promise.resolve(),
        rollbackTransaction: () => Promise.resolve(),
        releaseConnection: () => Promise.resolve(),
        destroy: () => Promise.resolve(),
      }),
    },
  });
  const database: Pick<Database, 'db' | 'run'> = { db, run: async (query) => (await db.executeQuery(query)).rows };
  return database as Database;
}

describe('list queries at scale', () => {
  const server = process.env.DATABASE_URL!;
  const name = `fyntrix_plans_${process.pid}`;
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: await createMigratedDatabase(server, name) });
    await client.connect();
    await seedLargeTables(client);
  }, 180_000);
  afterAll(async () => {
    await client?.end();
    await dropDatabase(server, name);
  });

  it(`seeds ${LARGE_TABLE_ROWS} audit events`, async () => {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    expect(rows[0].n).toBe(LARGE_TABLE_ROWS);
  });

  for (const file of repositoryFiles(join(__dirname, '..', 'src'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(file) as Record<string, unknown>;
    for (const repository of Object.values(exported)) {
      if (typeof repository !== 'function') continue;
      for (const [method, calls] of generateSqlCalls.get(repository) ?? []) {
        for (const call of calls) {
          const label = `${repository.name}.${method}${call.name ? ` (${call.name})` : ''}`;
          it(`${label}: no whole-table scan or sort`, async () => {
            const plans: { sql: string; plan: PlanNode }[] = [];
            const instance = new (repository as new (database: Database) => Record<string, Function>)(
              explainingDatabase(client, plans),
            );
            await Promise.resolve(instance[method](...call.params)).catch((error: Error) => {
              if (/EXPLAIN|syntax|column|relation/.test(error.message)) throw error;
            });
            const problems = plans.flatMap(({ plan }) => problemsOf(plan));
            if (WHOLE_TABLE_READS[`${repository.name}.${method}`]) return;
            expect({ label, problems }).toEqual({ label, problems: [] });
          });
        }
      }
    }
  }
});
