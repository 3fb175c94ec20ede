// Rows as JSON keyed by column name: how facts carry whole records into the journal and how a
// single statement writes them back (jsonb_populate_recordset maps keys to columns by name).
// Money stays a decimal string, times become ISO strings in UTC.
import type { SqlSession } from './sql-session.ts';
import { getTableColumns, type Table } from 'drizzle-orm';

export type JsonRow = Record<string, string | number | boolean | null | object>;

const columnNames = new WeakMap<Table, [string, string][]>();

function namesOf(table: Table): [string, string][] {
  let names = columnNames.get(table);
  if (!names) {
    names = Object.entries(getTableColumns(table)).map(([prop, column]) => [prop, column.name]);
    columnNames.set(table, names);
  }
  return names;
}

/** Every column of `table` from a camelCase record; a missing property becomes null. */
export function toRow<T extends Table>(table: T, record: Partial<T['$inferSelect']>): JsonRow {
  const row: JsonRow = {};
  for (const [prop, name] of namesOf(table)) {
    const value = (record as Record<string, unknown>)[prop];
    row[name] = value instanceof Date ? value.toISOString() : value === undefined ? null : (value as JsonRow[string]);
  }
  return row;
}

/** The column names of a table, for SET lists generated from the schema. */
export const columnsOf = (table: Table): string[] => namesOf(table).map(([, name]) => name);

/**
 * Puts a whole row back unless the table holds that version of it or a newer one: the version
 * column decides, so a replayed or late fact never overwrites a later change. True when written.
 */
export function newerVersionUpsert(table: Table, qualifiedName: string): (sql: SqlSession, row: JsonRow) => Promise<boolean> {
  const set = columnsOf(table)
    .filter((c) => c !== 'id' && c !== 'created_at')
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
  const text = `INSERT INTO ${qualifiedName} SELECT * FROM jsonb_populate_record(NULL::${qualifiedName}, $1::jsonb)
    ON CONFLICT (id) DO UPDATE SET ${set} WHERE ${qualifiedName}.version < EXCLUDED.version RETURNING id`;
  return async (sql, row) => (await sql.query(text, [JSON.stringify(row)])).length > 0;
}
