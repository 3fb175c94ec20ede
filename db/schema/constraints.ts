// Index and check builders named from the table and columns, so every foreign key
// gets its index with one short line and names stay predictable across migrations.
import { sql, type SQL } from 'drizzle-orm';
import { check, index, uniqueIndex, type PgColumn } from 'drizzle-orm/pg-core';

const nameOf = (table: string, cols: PgColumn[], suffix: string) => `${table}_${cols.map((c) => c.name).join('_')}_${suffix}`;

/** A btree index on these columns (every foreign key gets one). */
export const indexOn = (table: string, first: PgColumn, ...rest: PgColumn[]) =>
  index(nameOf(table, [first, ...rest], 'idx')).on(first, ...rest);

/** A unique index on these columns, optionally partial. */
export const uniqueOn = (table: string, cols: [PgColumn, ...PgColumn[]], where?: SQL) => {
  const builder = uniqueIndex(nameOf(table, cols, 'key')).on(...cols);
  return where ? builder.where(where) : builder;
};

/** A CHECK that the column holds one of the listed words (text instead of enum types,
 *  because ALTER TYPE ... ADD VALUE cannot be used inside the migration transaction). */
export const oneOf = <T extends string>(table: string, col: PgColumn, values: readonly T[]) =>
  check(`${table}_${col.name}_check`, sql`${col} in (${sql.raw(values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', '))})`);

/** Rows that are not soft-deleted: the predicate of most partial unique indexes. */
export const live = (deletedAt: PgColumn) => sql`${deletedAt} is null`;

/** A partial index over a queue or a hot subset, named for the purpose it serves. */
export const partialIndex = (table: string, purpose: string, where: SQL, first: PgColumn, ...rest: PgColumn[]) =>
  index(`${table}_${purpose}_idx`)
    .on(first, ...rest)
    .where(where);
