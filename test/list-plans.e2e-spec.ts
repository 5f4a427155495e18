import { Client } from 'pg';
import { markedCalls, stubDatabase } from '../scripts/sql';
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
  'UsersRepository.erasedUserIds': '`npm run erasure:reapply` after a restore: every erased account, in pages of ids',
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

  for (const call of markedCalls()) {
    it(`${call.label}: no whole-table scan or sort`, async () => {
      const plans: PlanNode[] = [];
      const failures: string[] = [];
      // Reads are EXPLAINed (and answered with no rows); writes are not sent.
      await call.run(
        stubDatabase(async (query) => {
          if (WRITES.test(query.sql)) return [];
          try {
            const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
              `EXPLAIN (FORMAT JSON) ${query.sql}`,
              query.parameters as unknown[],
            );
            plans.push(rows[0]['QUERY PLAN'][0].Plan);
          } catch (error) {
            failures.push((error as Error).message);
          }
          return [];
        }),
      );
      expect(failures).toEqual([]);
      if (WHOLE_TABLE_READS[call.method]) return;
      expect({ call: call.label, problems: plans.flatMap((plan) => problemsOf(plan)) }).toEqual({
        call: call.label,
        problems: [],
      });
    });
  }
});
