// Cold storage for the bell: in-app notifications older than the hot window (30 days unless
// configured) are written to gzip NDJSON files, one JSON row a line, then soft-deleted.
//
// Crash safety: a batch is first claimed in communication.notification_archives (its row ids
// and its file name), then the file is written (aside, fsynced, renamed into place), then the
// rows are marked deleted and the claim finished in one transaction. A run that dies anywhere in
// between leaves an unfinished claim; the next run finishes it first, rewriting the same file
// from the same rows. Rows already claimed are never claimed again, so no row lands in two files.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { v7 as uuidv7 } from 'uuid';
import type { SqlDatabase } from '#db/sql-session.ts';

export type ArchiveOptions = {
  archiveDir: string;
  hotDays: number;
  now: () => Date;
  /** The job that runs this (its BullMQ id): part of each batch's idempotency key. */
  runKey: string;
  batchSize?: number;
};

export type ArchiveResult = { files: string[]; rows: number };

type Claim = { id: string; file: string; row_ids: string[] };

const DAY_MS = 24 * 3600 * 1000;

export async function archiveInAppNotifications(sql: SqlDatabase, opts: ArchiveOptions): Promise<ArchiveResult> {
  const now = opts.now();
  const cutoff = new Date(now.getTime() - opts.hotDays * DAY_MS);
  const result: ArchiveResult = { files: [], rows: 0 };
  const finish = async (claim: Claim) => {
    await writeArchiveFile(sql, opts.archiveDir, claim);
    await sql.transaction(async (tx) => {
      await tx.query(`UPDATE communication.in_app_notifications SET deleted_at = now() WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`, [
        claim.row_ids,
      ]);
      await tx.query(`UPDATE communication.notification_archives SET archived_at = now() WHERE id = $1 AND archived_at IS NULL`, [
        claim.id,
      ]);
    });
    result.files.push(join(opts.archiveDir, claim.file));
    result.rows += claim.row_ids.length;
  };

  const unfinished = await sql.query<Claim>(
    `SELECT id, file, row_ids FROM communication.notification_archives
     WHERE archived_at IS NULL AND deleted_at IS NULL ORDER BY created_at, id`,
  );
  for (const claim of unfinished) await finish(claim);

  for (;;) {
    const claim = await claimBatch(sql, cutoff, now, opts);
    if (!claim) break;
    await finish(claim);
  }
  return result;
}

async function claimBatch(sql: SqlDatabase, cutoff: Date, now: Date, opts: ArchiveOptions): Promise<Claim | null> {
  return sql.transaction(async (tx) => {
    // Two runs at once (a scheduled one and one started by hand) take turns claiming.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('communication.notification_archives'))`);
    const rows = await tx.query<{ id: string }>(
      `SELECT n.id FROM communication.in_app_notifications n
       WHERE n.created_at < $1::timestamptz AND n.deleted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM communication.notification_archives a
                         WHERE a.archived_at IS NULL AND a.deleted_at IS NULL AND n.id = ANY (a.row_ids))
       ORDER BY n.created_at, n.id LIMIT $2`,
      [cutoff.toISOString(), opts.batchSize ?? 5000],
    );
    if (rows.length === 0) return null;
    const id = uuidv7();
    const file = `in-app-notifications-${now.toISOString().slice(0, 10)}-${id}.ndjson.gz`;
    const rowIds = rows.map((r) => r.id);
    await tx.query(
      `INSERT INTO communication.notification_archives (id, idempotency_key, file, cutoff, row_ids, row_count)
       VALUES ($1, $2, $3, $4::timestamptz, $5::uuid[], $6)`,
      [id, `${opts.runKey}#${rowIds[0]}`, file, cutoff.toISOString(), rowIds, rowIds.length],
    );
    return { id, file, row_ids: rowIds };
  });
}

async function writeArchiveFile(sql: SqlDatabase, dir: string, claim: Claim): Promise<void> {
  const rows = await sql.query<{ line: string }>(
    `SELECT to_jsonb(n)::text AS line FROM communication.in_app_notifications n
     WHERE n.id = ANY($1::uuid[]) ORDER BY n.created_at, n.id`,
    [claim.row_ids],
  );
  const gz = gzipSync(rows.map((r) => `${r.line}\n`).join(''));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, claim.file);
  const aside = `${path}.${process.pid}.tmp`;
  const fd = openSync(aside, 'w', 0o600);
  try {
    writeSync(fd, gz);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(aside, path);
}
