// A statement planned once per session, for a statement central runs too: node-postgres plans
// every statement it is sent afresh, and planning the sale-completion statement costs more than
// running it (5.3 ms of 8, measured with EXPLAIN ANALYZE). PL/pgSQL caches the plans of the
// queries in a function for the life of the session, so the statement becomes a function in
// pg_temp: created on first use on a session object, gone when the connection closes, never in a
// migration. On the terminal, PGlite prepares every statement anyway (pglite-statements.ts), and
// a plain statement runs faster there than this function around it.
import type { SqlSession } from './sql-session.ts';

const createdOn = new WeakMap<SqlSession, Set<string>>();

export type Prepared<Row> = (sql: SqlSession, params: unknown[]) => Promise<Row[]>;

/**
 * `params` are the parameters' SQL types in order ($1, $2, … in `text`); `returns` is the
 * statement's result as a RETURNS TABLE column list, e.g. 'n bigint'.
 */
export function prepared<Row = Record<string, unknown>>(
  name: string,
  params: readonly string[],
  returns: string,
  text: string,
): Prepared<Row> {
  if (!/^pos_[a-z_]+$/.test(name)) throw new Error(`prepared statement names look like pos_something: ${name}`);
  const create = `CREATE OR REPLACE FUNCTION pg_temp.${name}(${params.join(', ')}) RETURNS TABLE(${returns})
    LANGUAGE plpgsql AS $pos$
    #variable_conflict use_column
    BEGIN
      RETURN QUERY ${text};
    END $pos$`;
  const call = `SELECT * FROM pg_temp.${name}(${params.map((type, i) => `$${i + 1}::${type}`).join(', ')})`;
  return async (sql, values) => {
    let created = createdOn.get(sql);
    if (!created) createdOn.set(sql, (created = new Set()));
    if (!created.has(name)) {
      await sql.exec(create);
      created.add(name);
    }
    return sql.query<Row>(call, values);
  };
}
