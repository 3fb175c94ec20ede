// Walks the migrated catalog and lists every breach of the database constitution. Run against
// PGlite and real PostgreSQL; an empty list is a pass.
import type { SqlSession } from '#db/sql-session.ts';

export const DOMAIN_SCHEMAS = ['auth', 'business', 'communication', 'inventory', 'sales', 'payments', 'billing'];

/** Financial and audit records: never edited in place (fully, or all but the allowed columns). */
export const IMMUTABLE_TABLES = [
  'auth.audit_logs',
  'payments.transactions',
  'payments.refunds',
  'payments.balance_movements',
  'inventory.stock_movements',
  'sales.cash_movements',
  'sales.returns',
  'sales.return_items',
  'billing.invoices',
  'billing.invoice_items',
  'billing.credit_notes',
  'billing.stamp_attempts',
];
export const IDEMPOTENT_TABLES = [
  'payments.transactions',
  'payments.refunds',
  'payments.balance_movements',
  'inventory.stock_movements',
  'sales.sales',
  'sales.returns',
  'sales.cash_movements',
  'communication.notification_jobs',
  'billing.invoices',
  'billing.credit_notes',
];
export const VERSIONED_TABLES = ['inventory.stock_levels', 'payments.balances'];
export const QUEUE_TABLES = ['communication.notification_jobs', 'sales.receipts'];

const FORBIDDEN_TYPES = [
  'real',
  'double precision',
  'money',
  'json',
  'timestamp without time zone',
  'time without time zone',
  'time with time zone',
];

type Column = { table: string; column: string; type: string; not_null: boolean; has_default: boolean; default_expr: string | null };

export async function constitutionViolations(db: SqlSession): Promise<string[]> {
  const v: string[] = [];
  const schemas = `ARRAY[${DOMAIN_SCHEMAS.map((s) => `'${s}'`).join(',')}]`;

  const tables = (
    await db.query<{ table: string }>(`
    SELECT n.nspname || '.' || c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r','p') AND n.nspname = ANY(${schemas}) ORDER BY 1`)
  ).map((r) => r.table);
  if (tables.length === 0) return ['no tables in the seven schemas'];

  const columns = await db.query<Column>(`
    SELECT n.nspname || '.' || c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS not_null, a.atthasdef AS has_default, pg_get_expr(d.adbin, d.adrelid) AS default_expr
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relkind IN ('r','p') AND n.nspname = ANY(${schemas}) AND a.attnum > 0 AND NOT a.attisdropped`);
  const byTable = new Map<string, Map<string, Column>>();
  for (const c of columns) {
    if (!byTable.has(c.table)) byTable.set(c.table, new Map());
    byTable.get(c.table)!.set(c.column, c);
  }

  for (const c of columns) {
    const where = `${c.table}.${c.column}`;
    const base = c.type.replace(/\(.*\)/, '').replace(/\[\]$/, '');
    if (FORBIDDEN_TYPES.includes(base)) v.push(`${where} is ${c.type}`);
    if (base === 'numeric') {
      if (c.column.endsWith('_rate')) {
        const m = /^numeric\((\d+),(\d+)\)$/.exec(c.type);
        if (!m || Number(m[2]) < 4) v.push(`${where} is a rate of type ${c.type}; use numeric(p,s) with s >= 4`);
      } else if (c.type !== 'numeric(19,4)') {
        v.push(`${where} is ${c.type}; money and quantities are numeric(19,4)`);
      }
    }
    if (c.default_expr?.includes('nextval(')) v.push(`${where} uses a sequence; ids are UUIDv7 made by the app`);
  }

  for (const table of tables) {
    const cols = byTable.get(table)!;
    const id = cols.get('id');
    if (id?.type !== 'uuid') v.push(`${table} has no uuid id column`);
    else if (id.has_default) v.push(`${table}.id has a database default (${id.default_expr}); UUIDv7 comes from the app`);
    for (const name of ['created_at', 'updated_at']) {
      const c = cols.get(name);
      if (c?.type !== 'timestamp with time zone' || !c.not_null) v.push(`${table}.${name} must be timestamptz not null`);
    }
    const deleted = cols.get('deleted_at');
    if (deleted?.type !== 'timestamp with time zone' || deleted.not_null) v.push(`${table}.deleted_at must be nullable timestamptz`);
  }

  const pks = await db.query<{ table: string; cols: string }>(`
    SELECT conrelid::regclass::text AS table, array_to_string(ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = conrelid AND attnum = ANY(conkey)), ',') AS cols
    FROM pg_constraint WHERE contype = 'p' AND connamespace::regnamespace::text = ANY(${schemas})`);
  const pkOf = new Map(pks.map((p) => [p.table, p.cols]));
  for (const table of tables) if (pkOf.get(table) !== 'id') v.push(`${table} primary key is (${pkOf.get(table) ?? 'none'}), expected (id)`);

  // Every foreign key needs a plain (non-partial) index whose leading columns are the key's.
  const fks = await db.query<{ table: string; name: string; cols: number[]; on_delete: string; indexed: boolean }>(`
    SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.conkey AS cols, c.confdeltype::text AS on_delete,
      EXISTS (
        SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indpred IS NULL
          AND (string_to_array(i.indkey::text, ' ')::int2[])[1:array_length(c.conkey, 1)] @> c.conkey
          AND (string_to_array(i.indkey::text, ' ')::int2[])[1:array_length(c.conkey, 1)] <@ c.conkey
      ) AS indexed
    FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace::regnamespace::text = ANY(${schemas})`);
  for (const fk of fks) {
    if (!fk.indexed) v.push(`foreign key ${fk.table}.${fk.name} has no index`);
    if (!['a', 'r'].includes(fk.on_delete)) v.push(`foreign key ${fk.table}.${fk.name} cascades deletes (${fk.on_delete})`);
  }

  const triggers = await db.query<{ table: string; name: string; fn: string; def: string }>(`
    SELECT t.tgrelid::regclass::text AS table, t.tgname AS name, p.proname AS fn, pg_get_triggerdef(t.oid) AS def
    FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE NOT t.tgisinternal AND t.tgrelid::regclass::text ~ ('^(' || array_to_string(${schemas}, '|') || ')\\.')`);
  const has = (table: string, fn: string, pattern?: RegExp) =>
    triggers.some((t) => t.table === table && t.fn === fn && (!pattern || pattern.test(t.def)));
  for (const table of tables) {
    if (!has(table, 'pos_refuse_delete', /BEFORE DELETE OR TRUNCATE .* FOR EACH STATEMENT/))
      v.push(`${table} does not refuse DELETE and TRUNCATE`);
    if (!has(table, 'pos_touch_updated_at', /BEFORE UPDATE .* FOR EACH ROW/)) v.push(`${table} does not maintain updated_at`);
  }
  for (const table of IMMUTABLE_TABLES) {
    if (!has(table, 'pos_refuse_update') && !has(table, 'pos_guard_update'))
      v.push(`${table} is a financial or audit record but accepts UPDATE`);
  }

  const uniques = await db.query<{ table: string; cols: string; partial: boolean }>(`
    SELECT i.indrelid::regclass::text AS table, i.indpred IS NOT NULL AS partial,
      array_to_string(ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = i.indrelid AND attnum = ANY(i.indkey) ORDER BY array_position(i.indkey::int2[], attnum)), ',') AS cols
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.indisunique AND n.nspname = ANY(${schemas})`);
  const uniqueOn = (table: string, cols: string) => uniques.some((u) => u.table === table && u.cols === cols && !u.partial);
  for (const table of IDEMPOTENT_TABLES) {
    if (!byTable.get(table)?.get('idempotency_key')?.not_null) v.push(`${table} has no required idempotency_key`);
    else if (!uniqueOn(table, 'idempotency_key')) v.push(`${table}.idempotency_key is not unique`);
  }
  for (const [table, cols] of byTable) {
    if (cols.has('idempotency_key') && !uniqueOn(table, 'idempotency_key')) v.push(`${table}.idempotency_key is not unique`);
  }
  for (const col of ['email', 'phone']) if (!uniqueOn('auth.users', col)) v.push(`auth.users.${col} is not unique`);
  for (const table of VERSIONED_TABLES) {
    const c = byTable.get(table)?.get('version');
    if (c?.type !== 'integer' || !c.not_null) v.push(`${table} has no integer version column for optimistic locking`);
  }

  const partials = await db.query<{ table: string }>(`
    SELECT i.indrelid::regclass::text AS table FROM pg_index i WHERE i.indpred IS NOT NULL AND NOT i.indisunique`);
  for (const table of QUEUE_TABLES) if (!partials.some((p) => p.table === table)) v.push(`${table} is a queue without a partial index`);

  return v;
}
