import { DataSource, MigrationExecutor } from 'typeorm';

/**
 * Schema objects the entities cannot describe, which the migrations create and the service
 * relies on: the audit trail's append-only and change-feed triggers, and partial unique indexes.
 */
export const OBJECTS_BEYOND_ENTITIES: { kind: 'trigger' | 'index' | 'function'; name: string; table?: string }[] = [
  { kind: 'function', name: 'audit_events_append_only' },
  { kind: 'trigger', name: 'tr_audit_events_append_only', table: 'audit_events' },
  { kind: 'trigger', name: 'tr_audit_events_no_truncate', table: 'audit_events' },
  { kind: 'function', name: 'audit_events_sequence' },
  { kind: 'trigger', name: 'tr_audit_events_sequence', table: 'audit_events' },
  { kind: 'function', name: 'audit_events_notify' },
  { kind: 'trigger', name: 'tr_audit_events_notify', table: 'audit_events' },
  { kind: 'index', name: 'ux_broker_connections_account', table: 'broker_connections' },
];

export interface SchemaCheck {
  kind: 'table' | 'column' | 'index' | 'constraint' | 'trigger' | 'function';
  name: string;
  table?: string;
  present: boolean;
}

export interface VerificationReport {
  applied: string[];
  pending: string[];
  checks: SchemaCheck[];
  /** SQL TypeORM would run to make the database match the entities (types, defaults, …). */
  drift: string[];
  ok: boolean;
}

/**
 * Compares a database with what the code expects: every migration applied, and every table,
 * column, index, constraint and trigger of the entities and migrations present — the seed's
 * "verify all tables created in RDS" step, runnable after `migration:run` in each stage.
 */
export async function verifySchema(dataSource: DataSource): Promise<VerificationReport> {
  const executor = new MigrationExecutor(dataSource);
  const applied = (await executor.getExecutedMigrations()).map((m) => m.name);
  const pending = (await executor.getPendingMigrations()).map((m) => m.name);

  // Each query names the objects of one kind present in the database, one row each.
  const names = async (sql: string) => new Set((await dataSource.query<{ name: string }[]>(sql)).map((r) => r.name));
  const [tables, columns, indexes, constraints, triggers, functions] = await Promise.all([
    names(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`),
    names(
      `SELECT table_name || '.' || column_name AS name FROM information_schema.columns WHERE table_schema = current_schema()`,
    ),
    names(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()`),
    names(
      `SELECT c.conname AS name FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema()`,
    ),
    names(`SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal`),
    names(
      `SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()`,
    ),
  ]);
  const found = {
    table: tables,
    column: columns,
    index: indexes,
    constraint: constraints,
    trigger: triggers,
    function: functions,
  };

  const checks: SchemaCheck[] = [];
  const expect = (kind: SchemaCheck['kind'], name: string | undefined, table?: string) => {
    if (name) checks.push({ kind, name, table, present: found[kind].has(name) });
  };
  for (const entity of dataSource.entityMetadatas) {
    const table = entity.tableName;
    expect('table', table);
    for (const column of entity.columns) expect('column', `${table}.${column.databaseName}`, table);
    for (const index of entity.indices) expect('index', index.name, table);
    for (const unique of entity.uniques) expect('constraint', unique.name, table);
    for (const check of entity.checks) expect('constraint', check.name, table);
    for (const fk of entity.foreignKeys) expect('constraint', fk.name, table);
    expect('constraint', entity.primaryColumns[0]?.primaryKeyConstraintName, table);
  }
  for (const object of OBJECTS_BEYOND_ENTITIES) expect(object.kind, object.name, object.table);

  const drift = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
  const ok = pending.length === 0 && drift.length === 0 && checks.every((c) => c.present);
  return { applied, pending, checks, drift, ok };
}

/** The report as a human reads it in a CI log. */
export function formatReport(report: VerificationReport): string {
  const lines = ['Migrations:'];
  for (const name of [...report.applied].reverse()) lines.push(`  [X] ${name}`);
  for (const name of report.pending) lines.push(`  [ ] ${name}   <- PENDING`);
  const missing = report.checks.filter((c) => !c.present);
  lines.push(`Schema objects: ${report.checks.length - missing.length} of ${report.checks.length} present`);
  for (const c of missing) lines.push(`  MISSING ${c.kind} ${c.name}${c.table ? ` (table ${c.table})` : ''}`);
  if (report.drift.length > 0) {
    lines.push('Differences from the entities (what TypeORM would change):');
    for (const sql of report.drift) lines.push(`  ${sql}`);
  }
  lines.push(report.ok ? 'OK: the database matches the code.' : 'FAILED: the database does not match the code.');
  return lines.join('\n');
}
