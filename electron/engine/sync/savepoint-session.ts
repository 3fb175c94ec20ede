// A SqlDatabase over one node-postgres client already inside a transaction, whose own
// transaction() is a savepoint: the journal's replay functions, written for a database of their
// own, then run unchanged inside central's one-transaction-per-batch.
import type pg from 'pg';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';

export function savepointSession(client: pg.ClientBase): SqlDatabase {
  let depth = 0;
  const session: SqlSession = {
    exec: async (text) => void (await client.query(text)),
    query: async <Row>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[],
  };
  return {
    ...session,
    async transaction(fn) {
      const name = `pos_sp_${++depth}`;
      await client.query(`SAVEPOINT ${name}`);
      try {
        const result = await fn(session);
        await client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        await client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => {});
        throw err;
      } finally {
        depth--;
      }
    },
  };
}
