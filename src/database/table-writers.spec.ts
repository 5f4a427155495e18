import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * One writer per table: every INSERT, UPDATE and DELETE a repository sends is in its generated
 * `<name>.repository.sql` (`npm run sql`, kept current by CI), so those files tell which module
 * writes which table. The one exception is by design: a one-statement write embeds its audit event
 * through the audit module's `insertAuditEventFrom` (recognisable by its `jsonb_populate_record`).
 */
const SRC = join(__dirname, '..');
const WRITE = /\b(?:insert\s+into|update|delete\s+from)\s+"(\w+)"/gi;
const INLINE_AUDIT_EVENT = /jsonb_populate_record\(null::audit_events/i;

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sqlFiles(path);
    return entry.name.endsWith('.repository.sql') ? [path] : [];
  });
}

describe('table writers', () => {
  it('each table is written by the repositories of one module only', () => {
    const writers = new Map<string, Set<string>>();
    for (const file of sqlFiles(SRC)) {
      const module = relative(SRC, dirname(file));
      for (const statement of readFileSync(file, 'utf8').split(';')) {
        for (const [, table] of statement.matchAll(WRITE)) {
          if (table === 'audit_events' && INLINE_AUDIT_EVENT.test(statement)) continue;
          writers.set(table, (writers.get(table) ?? new Set()).add(module));
        }
      }
    }
    const shared = [...writers]
      .filter(([, modules]) => modules.size > 1)
      .map(([table, m]) => `${table}: ${[...m].join(', ')}`);
    expect(shared).toEqual([]);
    // The scan found the writes (a changed SQL layout would otherwise pass silently).
    expect(writers.get('trade_intents')).toEqual(new Set(['trading/trade-intents']));
    expect(writers.get('audit_events')).toEqual(new Set(['audit']));
    expect(writers.size).toBeGreaterThanOrEqual(12);
  });
});
