// PGlite's query() crosses into its PostgreSQL six times a statement (parse, describe, bind,
// describe, execute, sync), and PostgreSQL parses and plans the statement afresh each time. A
// terminal sends the same few dozen statements all day, so each is prepared once under a name
// (its parameter types learned then) and every later run is one crossing: bind, describe,
// execute and sync in a single message. A bare primary-key lookup here: 258 µs through query(),
// 72 µs prepared. PostgreSQL keeps prepared statements valid across schema changes by planning
// them again; what it cannot keep is a result shape that changed under `SELECT *`, so every
// exec() (the migrations' and DDL's way in) forgets the prepared statements.
import { type PGlite, type QueryOptions, type Results, type Transaction, parse, protocol } from '@electric-sql/pglite';

const { serialize } = protocol;

/** Enough for every statement the engine sends; a statement built per call (an IN list of n ids) ages out. */
const MOST = 500;

type Statement = { name: string; types: number[] };

// Only statements whose result is rows or a row count: SET, SAVEPOINT, BEGIN and DDL keep
// PGlite's own path (they are not repeated, and DDL must not be cached past).
const PREPARABLE = /^\s*(select|insert|update|delete|with|values)\b/i;

// PostgreSQL's answer when a prepared statement's result columns changed under it (a column added to a `SELECT *` table).
const RESULT_CHANGED = '0A000';

/**
 * Makes `pg.query` and the query of every transaction it opens run prepared statements (the
 * same results, rows parsed by the same parsers, the same errors). Call once, on a new PGlite.
 */
export function preparingStatements(pg: PGlite): PGlite {
  const statements = new Map<string, Statement>();
  // Dropped from the map, still held by PostgreSQL until a message closes them.
  let closing: string[] = [];
  let next = 0;

  const forgetAll = () => {
    for (const s of statements.values()) closing.push(s.name);
    statements.clear();
  };

  const send = async (parts: Uint8Array[], options?: QueryOptions) => {
    const closes = closing.map((name) => serialize.close({ type: 'S', name }));
    closing = [];
    return (await pg.execProtocol(Buffer.concat([...closes, ...parts]), { syncToFs: false, onNotice: options?.onNotice })).messages;
  };

  const prepare = async (text: string): Promise<Statement> => {
    const name = `pos_s${++next}`;
    const messages = await send([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]);
    const statement = { name, types: parse.parseDescribeStatementResults(messages) };
    statements.set(text, statement);
    if (statements.size > MOST) {
      const oldest = statements.keys().next().value as string;
      closing.push(statements.get(oldest)!.name);
      statements.delete(oldest);
    }
    return statement;
  };

  const run = async <T>(text: string, params: unknown[], options: QueryOptions | undefined): Promise<Results<T>> => {
    let statement = statements.get(text);
    if (statement) {
      // Most recently used last: the map's first entry is the one to drop.
      statements.delete(text);
      statements.set(text, statement);
    } else statement = await prepare(text);
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const oid = statement.types[i]!;
      const serializer = options?.serializers?.[oid] ?? pg.serializers[oid];
      return serializer ? serializer(param) : String(param);
    });
    const messages = await send(
      [serialize.bind({ statement: statement.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()],
      options,
    );
    if (!options?.parsers) return parse.parseResults(messages, pg.parsers, options)[0] as Results<T>;
    // parseResults would copy every parser PGlite has (a couple of hundred) to lay a caller's few
    // over them, at every statement: drizzle passes its own for times, so that was nearly every
    // statement of the engine (633 ms of a 28.7 s profile of 700 sales). The caller's few are
    // laid over PGlite's by prototype instead.
    const parsers = Object.assign(Object.create(pg.parsers), options.parsers);
    return parse.parseResults(messages, parsers, { ...options, parsers: undefined })[0] as Results<T>;
  };

  const preparable = (text: string, options: QueryOptions | undefined) => PREPARABLE.test(text) && !options?.blob && !options?.paramTypes;

  const query = pg.query.bind(pg);
  const exec = pg.exec.bind(pg);
  const transaction = pg.transaction.bind(pg);

  // As PGlite's own query: no other query, and no transaction, in between.
  pg.query = async <T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> => {
    if (!preparable(text, options)) return query<T>(text, params, options);
    await pg._checkReady();
    return pg._runExclusiveTransaction(() =>
      pg.runExclusive(async () => {
        try {
          return await run<T>(text, params, options);
        } catch (err) {
          if ((err as { code?: string }).code !== RESULT_CHANGED || !statements.has(text)) throw err;
          closing.push(statements.get(text)!.name);
          statements.delete(text);
          return run<T>(text, params, options);
        } finally {
          await pg.syncToFs();
        }
      }),
    );
  };

  pg.exec = async (text, options) => {
    forgetAll();
    return exec(text, options);
  };

  pg.transaction = <T>(fn: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      const prepared: Transaction = Object.create(tx, {
        query: {
          value: async <R>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<R>> => {
            if (tx.closed) throw new Error('Transaction is closed');
            if (!preparable(text, options)) return tx.query<R>(text, params, options);
            return pg.runExclusive(() => run<R>(text, params, options));
          },
        },
        exec: {
          value: (text: string, options?: QueryOptions) => {
            forgetAll();
            return tx.exec(text, options);
          },
        },
      });
      return fn(prepared);
    });

  return pg;
}
