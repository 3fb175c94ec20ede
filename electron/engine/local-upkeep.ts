// PGlite runs no autovacuum: nothing refreshes the planner's statistics or clears the dead rows
// of a terminal's database, and the engine's one long session keeps the plans its functions made
// when the tables were small. A register that had sold 4,000 times in one session completed a
// sale in 10.1 ms at p50 and scanned sales.sales twice per sale; reopened (new plans) it took
// 6.2 ms and scanned nothing; 13,000 sales in, the bench's sales took 20 ms. This applies
// autovacuum's own rules to the tables the register writes, at a quiet moment (no fact for a few
// seconds) or, on a register that never pauses, after enough facts regardless. ANALYZE also
// makes PostgreSQL plan the functions' statements afresh. Each table is its own turn in the
// write queue, so a sale waits for one table's upkeep at most (tens of milliseconds).
import type { SqlSession } from '#db/sql-session.ts';
import { log } from './log/logger.ts';

export type TableActivity = { table: string; live: number; dead: number; modifiedSinceAnalyze: number };
export type TableUpkeep = { table: string; vacuum: boolean; analyze: boolean };

/** autovacuum's defaults: analyze past 50 + 10 % of the rows changed, vacuum past 50 + 20 % dead. */
export function upkeepDue(tables: TableActivity[]): TableUpkeep[] {
  return tables
    .map((t) => ({
      table: t.table,
      analyze: t.modifiedSinceAnalyze > 50 + 0.1 * t.live,
      vacuum: t.dead > 50 + 0.2 * t.live,
    }))
    .filter((u) => u.analyze || u.vacuum);
}

async function readActivity(sql: SqlSession): Promise<TableActivity[]> {
  const rows = await sql.query<{ table: string; live: string; dead: string; modified: string }>(
    `SELECT format('%I.%I', schemaname, relname) AS table, n_live_tup::text AS live, n_dead_tup::text AS dead,
            n_mod_since_analyze::text AS modified
     FROM pg_stat_user_tables`,
  );
  return rows.map((r) => ({ table: r.table, live: Number(r.live), dead: Number(r.dead), modifiedSinceAnalyze: Number(r.modified) }));
}

function upkeepStatement(u: TableUpkeep): string {
  if (u.vacuum && u.analyze) return `VACUUM (ANALYZE) ${u.table}`;
  return u.vacuum ? `VACUUM ${u.table}` : `ANALYZE ${u.table}`;
}

/** Facts since the last upkeep before one is due at the next quiet moment, and before one runs anyway. */
const DUE_AFTER = 500;
const FORCED_AFTER = 2_000;
const QUIET_MS = 3_000;

export type LocalUpkeep = { factAppended(): void; stop(): void };

export function startLocalUpkeep(deps: { sql: SqlSession; writes: <T>(fn: () => Promise<T>) => Promise<T> }): LocalUpkeep {
  let facts = 0;
  let quiet: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = false;

  const run = async () => {
    if (running || stopped) return;
    running = true;
    facts = 0;
    try {
      const due = upkeepDue(await deps.writes(() => readActivity(deps.sql)));
      for (const u of due) {
        if (stopped) break;
        await deps.writes(() => deps.sql.exec(upkeepStatement(u)));
      }
    } catch (err) {
      if (!stopped) log.warn({ err }, 'upkeep of the local database failed; trying again later');
    } finally {
      running = false;
    }
  };

  return {
    factAppended() {
      facts++;
      if (facts < DUE_AFTER || stopped) return;
      clearTimeout(quiet);
      if (facts >= FORCED_AFTER) {
        void run();
        return;
      }
      quiet = setTimeout(() => void run(), QUIET_MS);
      quiet.unref();
    },
    stop() {
      stopped = true;
      clearTimeout(quiet);
    },
  };
}
