// A normalised description of the seven schemas, so PGlite and PostgreSQL can be compared line
// by line: columns, constraints, indexes, triggers and functions.
import type { SqlSession } from '#db/sql-session.ts';
import { DOMAIN_SCHEMAS } from './constitution.ts';

export async function describeCatalog(db: SqlSession): Promise<string[]> {
  const inSchemas = `IN (${DOMAIN_SCHEMAS.map((s) => `'${s}'`).join(',')})`;
  const rows = await db.query<{ line: string }>(`
    SELECT 'schema ' || nspname AS line FROM pg_namespace WHERE nspname ${inSchemas}
    UNION ALL
    SELECT format('column %s.%s.%s %s%s default %s', n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                  CASE WHEN a.attnotnull THEN ' not null' ELSE '' END, coalesce(pg_get_expr(d.adbin, d.adrelid), '-'))
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relkind = 'r' AND n.nspname ${inSchemas} AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT format('constraint %s.%s %s', n.nspname, co.conname, pg_get_constraintdef(co.oid))
    FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace WHERE n.nspname ${inSchemas} AND co.contype <> 'n'
    UNION ALL
    SELECT format('index %s.%s', schemaname, indexdef) FROM pg_indexes WHERE schemaname ${inSchemas}
    UNION ALL
    SELECT format('trigger %s', pg_get_triggerdef(t.oid)) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname ${inSchemas}
    UNION ALL
    SELECT format('function %s.%s', n.nspname, p.proname) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.proname LIKE 'pos\\_%'`);
  return rows.map((r) => r.line).sort();
}
