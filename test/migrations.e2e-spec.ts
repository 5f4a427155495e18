import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createScratchDatabase, migrationDataSource, withDatabase } from './support/database';

/**
 * The real migrations on a database of their own: all up, all down one by one back to an empty
 * schema, all up again, and then the entities must match what the migrations built.
 */
const MIGRATIONS_TABLE = 'typeorm_migrations';

/** Everything in the database that is not PostgreSQL's own nor TypeORM's migrations table. */
function schemaObjects(client: Client): Promise<string[]> {
  return client
    .query<{ object: string }>(
      `WITH bookkeeping AS (SELECT to_regclass($1) AS oid)
       SELECT format('%s %s', CASE c.relkind WHEN 'r' THEN 'table' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence'
                                WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'c' THEN 'type'
                                WHEN 'p' THEN 'table' WHEN 'I' THEN 'index' ELSE c.relkind::text END, c.relname) AS object
         FROM pg_class c, bookkeeping b
        WHERE c.relnamespace = 'public'::regnamespace
          AND c.oid IS DISTINCT FROM b.oid
          AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indexrelid = c.oid AND i.indrelid = b.oid)
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.refobjid = b.oid)
       UNION ALL
       SELECT 'function ' || p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
       UNION ALL
       SELECT 'trigger ' || t.tgname FROM pg_trigger t WHERE NOT t.tgisinternal
       UNION ALL
       SELECT 'type ' || t.typname FROM pg_type t
        WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'm')
       UNION ALL
       SELECT 'extension ' || e.extname FROM pg_extension e WHERE e.extname <> 'plpgsql'
       UNION ALL
       SELECT 'schema ' || n.nspname FROM pg_namespace n
        WHERE n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
       ORDER BY 1`,
      [MIGRATIONS_TABLE],
    )
    .then((r) => r.rows.map((row) => row.object));
}

async function appliedCount(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${MIGRATIONS_TABLE}`);
  return rows[0].n;
}

describe('migrations', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const inDatabase = <T>(fn: (client: Client) => Promise<T>) => withDatabase(fn, scratch.url);
  let dataSource: DataSource;

  beforeAll(async () => {
    scratch = await createScratchDatabase('migrations');
    dataSource = await migrationDataSource(scratch.url);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await scratch?.drop();
  });

  it('go up, all the way down one by one to an empty schema, up again, and match the entities', async () => {
    expect(await inDatabase(schemaObjects)).toEqual([]);
    const total = dataSource.migrations.length;
    expect(total).toBeGreaterThanOrEqual(4);

    // Up: every migration, each in its own transaction.
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(dataSource.migrations.map((m) => m.name));
    const afterUp = await inDatabase(schemaObjects);
    for (const { tableName } of dataSource.entityMetadatas) expect(afterUp).toContain(`table ${tableName}`);
    expect(afterUp).toEqual(
      expect.arrayContaining(['function audit_events_append_only', 'trigger tr_audit_events_append_only']),
    );

    // Down: one at a time, newest first, until none is left.
    for (let remaining = total; remaining > 0; remaining--) {
      expect(await inDatabase(appliedCount)).toBe(remaining);
      await dataSource.undoLastMigration({ transaction: 'each' });
    }
    expect(await inDatabase(appliedCount)).toBe(0);
    expect(await inDatabase(schemaObjects)).toEqual([]);

    // Up again on the emptied schema: the downs left nothing behind that an up trips over.
    expect(await dataSource.runMigrations({ transaction: 'each' })).toHaveLength(total);
    expect(await inDatabase(schemaObjects)).toEqual(afterUp);

    // No drift: TypeORM would change nothing to make the schema match the entities.
    const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
    expect(upQueries.map((q) => q.query)).toEqual([]);
  }, 120_000);
});
