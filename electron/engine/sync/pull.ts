// Pull: each table comes down by its (updated_at, id) cursor, one local transaction per batch
// holding both the rows and the moved cursor. Soft deletes arrive as rows like any other change.
import type pg from 'pg';
import type { SqlDatabase } from '#db/sql-session.ts';
import type { ChangeMark } from './pull-schedule.ts';
import { PULL_TABLES, type PullTable } from './pull-tables.ts';

export type PullOptions = {
  batchSize?: number;
  /**
   * Rows younger than this stay on central until the next pull, and so does everything newer
   * than the start of a transaction still writing (sync.pull_horizon): its rows, committed
   * later, must not fall behind a cursor already moved. Central stamps a row when it is written
   * (c0033), so a transaction that has not written yet has nothing to hold back.
   */
  settleSeconds?: number;
  /** Runs each local write; the engine passes its write queue so a pull never splits a sale. */
  writes?: <T>(fn: () => Promise<T>) => Promise<T>;
};

/** Seconds a central row must be old before a pull takes it (sync.json cannot change it; tests can). */
export const DEFAULT_SETTLE_SECONDS = 2;

type Cursor = { updated_at: string; id: string };
const START: Cursor = { updated_at: '-infinity', id: '00000000-0000-0000-0000-000000000000' };

/**
 * horizonUs: every table came down to below this instant (microseconds of central's clock), the
 * one horizon the whole pass was read under.
 */
export type PullResult = { rows: number; tables: Record<string, number>; horizonUs: bigint };

/** A table as the terminal's database has it: its columns, and those naming another row of the same table. */
type LocalShape = { columns: string[]; parents: string[] };

const shapeCache = new WeakMap<SqlDatabase, Map<string, LocalShape>>();

async function localShape(local: SqlDatabase, table: string): Promise<LocalShape> {
  let byTable = shapeCache.get(local);
  if (!byTable) shapeCache.set(local, (byTable = new Map()));
  let shape = byTable.get(table);
  if (!shape) {
    const [schema, name] = table.split('.');
    const columns = (
      await local.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [schema, name],
      )
    ).map((r) => r.column_name);
    if (columns.length === 0) throw new Error(`no table ${table} in this terminal's database`);
    const parents = (
      await local.query<{ column: string }>(
        `SELECT a.attname AS column FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.conrelid = $1::regclass AND c.confrelid = c.conrelid AND cardinality(c.conkey) = 1`,
        [table],
      )
    ).map((r) => r.column);
    byTable.set(table, (shape = { columns, parents }));
  }
  return shape;
}

function upsertStatement(spec: PullTable, local: string[]): string {
  if (spec.insertOnly) {
    return `INSERT INTO ${spec.table} SELECT * FROM jsonb_populate_recordset(NULL::${spec.table}, $1::jsonb) ON CONFLICT (id) DO NOTHING`;
  }
  const columns = spec.columns ? local.filter((c) => spec.columns!.includes(c)) : local;
  const set = columns
    .filter((c) => c !== 'id' && c !== 'created_at')
    .map((c) => (spec.keepGreater?.includes(c) ? `${c} = GREATEST(t.${c}, EXCLUDED.${c})` : `${c} = EXCLUDED.${c}`));
  return `INSERT INTO ${spec.table} AS t SELECT * FROM jsonb_populate_recordset(NULL::${spec.table}, $1::jsonb)
    ON CONFLICT (id) DO UPDATE SET ${set.join(', ')}`;
}

/** Ends the local live rows that the batch's live rows take the place of (PullTable's liveKey). */
function supersedeStatement(spec: PullTable): string | null {
  if (!spec.liveKey) return null;
  const sameKey = spec.liveKey.map((c) => `t.${c} IS NOT DISTINCT FROM r.${c}`).join(' AND ');
  return `UPDATE ${spec.table} AS t SET deleted_at = now()
    FROM jsonb_populate_recordset(NULL::${spec.table}, $1::jsonb) AS r
    WHERE r.deleted_at IS NULL AND ${sameKey} AND t.id <> r.id AND t.deleted_at IS NULL`;
}

/** Where a pass stops: what central has committed before this instant, and nothing after it (sync.pull_horizon). */
type Horizon = { at: string; us: bigint };

async function readHorizon(central: pg.ClientBase, settleSeconds: number): Promise<Horizon> {
  const { rows } = await central.query<{ at: string; us: string }>(
    'SELECT h::text AS at, floor(extract(epoch FROM h) * 1000000)::bigint AS us FROM sync.pull_horizon($1) AS h',
    [settleSeconds],
  );
  return { at: rows[0]!.at, us: BigInt(rows[0]!.us) };
}

/** Brings one table up to the pass's horizon; answers how many rows came down. */
async function pullTable(
  central: pg.ClientBase,
  local: SqlDatabase,
  spec: PullTable,
  horizon: Horizon,
  opts: PullOptions,
): Promise<number> {
  const batchSize = opts.batchSize ?? 1000;
  const writes = opts.writes ?? ((fn) => fn());
  const { columns, parents } = await localShape(local, spec.table);
  const upsert = upsertStatement(spec, columns);
  const supersede = supersedeStatement(spec);
  let total = 0;
  for (;;) {
    const [saved] = await local.query<Cursor>('SELECT updated_at, id::text AS id FROM public.pos_sync_cursors WHERE table_name = $1', [
      spec.table,
    ]);
    const cursor = saved ?? START;
    const { rows } = await central.query<{ row: Record<string, unknown>; at: string; id: string }>(
      `
      SELECT to_jsonb(t) AS row, t.updated_at::text AS at, t.id::text AS id FROM ${spec.source ?? spec.table} t
      WHERE (t.updated_at, t.id) > ($1::timestamptz, $2::uuid) AND t.updated_at < $4::timestamptz
      ORDER BY t.updated_at, t.id LIMIT $3`,
      [cursor.updated_at, cursor.id, batchSize, horizon.at],
    );
    if (rows.length === 0) return total;
    const last = rows.at(-1)!;
    const batch = rows.map((r) => r.row);
    const ancestors = parents.length > 0 ? await missingAncestors(central, local, spec, parents, batch) : [];
    await writes(() =>
      local.transaction(async (tx) => {
        // One statement: its foreign keys are checked once all of its rows are in, whatever
        // their order (a missing parent may hang from a row of the batch).
        const written = JSON.stringify([...ancestors, ...batch]);
        if (supersede) await tx.query(supersede, [written]);
        await tx.query(upsert, [written]);
        await tx.query(
          `INSERT INTO public.pos_sync_cursors (table_name, updated_at, id, pulled_at) VALUES ($1, $2, $3, now())
        ON CONFLICT (table_name) DO UPDATE SET updated_at = EXCLUDED.updated_at, id = EXCLUDED.id, pulled_at = EXCLUDED.pulled_at`,
          [spec.table, last.at, last.id],
        );
      }),
    );
    total += rows.length;
    if (rows.length < batchSize) return total;
  }
}

/**
 * The rows above a batch's own in a table that refers to itself (a category's parent, the invoice
 * a credit note corrects) that the terminal lacks. Rows come down in the order they last changed:
 * a parent changed after its child was made (renamed, cancelled) comes after it, and where a batch
 * ended between the two, the child's batch was refused by the terminal's foreign key at every
 * pass, for good. Now the parents the terminal lacks come with it, level by level up to rows it
 * holds, as central has them now, newer than the horizon or not: they are central's committed
 * rows, and the pull takes them again in their turn. Rows the terminal holds are left to the
 * pull's own order (one edited here and not yet pushed is not put back to central's).
 */
async function missingAncestors(
  central: pg.ClientBase,
  local: SqlDatabase,
  spec: PullTable,
  parents: string[],
  batch: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const known = new Set(batch.map((r) => r.id));
  const ancestors: Record<string, unknown>[] = [];
  let above = batch;
  for (;;) {
    const named = [...new Set(above.flatMap((r) => parents.map((c) => r[c])))].filter(
      (id): id is string => typeof id === 'string' && !known.has(id),
    );
    if (named.length === 0) return ancestors;
    for (const id of named) known.add(id);
    const held = new Set(
      (await local.query<{ id: string }>(`SELECT id::text AS id FROM ${spec.table} WHERE id = ANY($1::uuid[])`, [named])).map((r) => r.id),
    );
    const missing = named.filter((id) => !held.has(id));
    if (missing.length === 0) return ancestors;
    const { rows } = await central.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM ${spec.source ?? spec.table} t WHERE t.id = ANY($1::uuid[])`,
      [missing],
    );
    above = rows.map((r) => r.row);
    ancestors.push(...above);
  }
}

/**
 * One pass: every table, parents before children, up to one horizon asked once. A horizon per
 * table moved on between them, so a product and its variant committed at central while the pass
 * was between the two tables came down as the variant alone, which the terminal's foreign key
 * refused, failing the pass. Under one horizon a child row written after its parent (central
 * stamps each row when it is written: c0033) comes in the parent's pass or a later one.
 */
export async function pullAll(central: pg.ClientBase, local: SqlDatabase, opts: PullOptions = {}): Promise<PullResult> {
  // Asked once, not in each query's WHERE clause: a function reading pg_stat_activity, evaluated
  // for each row of a first pull's sequential scan, cost central more than the pull itself.
  const horizon = await readHorizon(central, opts.settleSeconds ?? DEFAULT_SETTLE_SECONDS);
  const tables: Record<string, number> = {};
  let rows = 0;
  for (const spec of PULL_TABLES) {
    const pulled = await pullTable(central, local, spec, horizon, opts);
    if (pulled > 0) tables[spec.table] = pulled;
    rows += pulled;
  }
  return { rows, tables, horizonUs: horizon.us };
}

/** The probe: one row from central saying whether anything this register pulls has changed (see pull-schedule.ts). */
export async function readChangeMark(central: pg.ClientBase): Promise<ChangeMark> {
  return markOf(await central.query<MarkRow>('SELECT changes::text, changed_us::text, now_us::text FROM sync.pull_changes()'));
}

/**
 * The same probe over the registers' shared pooler entry (c0032_shared_probe), where central
 * knows the register by its probe key rather than by the login.
 */
export async function readSharedChangeMark(central: pg.ClientBase, registerId: string, probeKey: string): Promise<ChangeMark> {
  return markOf(
    await central.query<MarkRow>('SELECT changes::text, changed_us::text, now_us::text FROM sync.probe_changes($1, $2)', [
      registerId,
      probeKey,
    ]),
  );
}

type MarkRow = { changes: string; changed_us: string; now_us: string };

function markOf({ rows }: { rows: MarkRow[] }): ChangeMark {
  const row = rows[0]!;
  return { changes: row.changes, changedUs: BigInt(row.changed_us), nowUs: BigInt(row.now_us) };
}
