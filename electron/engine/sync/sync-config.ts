// How this terminal reaches central: written once by `pos sync configure` from what
// `pos central provision-terminal` printed, kept beside the database in sync.json (0600: it
// holds the terminal's password). No file: the terminal sells on its own (the demo store).
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const postgresUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'a PostgreSQL URL such as postgres://user:password@host:5432/database');

/** A database name as PgBouncer lists it in [databases]: what probeDatabase may be. */
export const PROBE_DATABASE = /^[A-Za-z0-9_.-]{1,63}$/;

export const syncConfigSchema = z
  .object({
    /** The terminal's own login on central (its role can only write this register's records). */
    url: postgresUrl,
    /** A read replica for the heavy reports; the primary when absent. */
    readUrl: postgresUrl.optional(),
    /** The most facts in one central transaction; the push adapts below it (25 at least) to about a second a batch. */
    batchSize: z.number().int().min(1).max(5000).default(1000),
    /** Seconds between full pulls of the catalog, staff and settings even when central's change count says nothing moved. */
    pullEverySeconds: z.number().int().min(1).max(86_400).default(30),
    /** Milliseconds between asking central whether anything this register pulls changed (one tiny query). */
    probeEveryMs: z.number().int().min(250).max(60_000).default(1000),
    /** The key this register proves itself with when it probes through the registers' shared entry. */
    probeKey: z.string().min(16).max(200).optional(),
    /**
     * PgBouncer's entry whose server connections all log in as pos_prober: the probe goes there,
     * with this register's own login and its probeKey, and the register's own server connection
     * is needed only when a pull is due. Without it the probe goes over the register's own login.
     */
    probeDatabase: z.string().regex(PROBE_DATABASE, 'a database name as PgBouncer lists it').optional(),
    /** Minutes offline or failing before managers get an in-app notification. */
    alertAfterMinutes: z.number().int().min(1).max(10_080).default(30),
  })
  .strict();

export type SyncConfig = z.output<typeof syncConfigSchema>;

/** What provision-terminal prints and configure reads: who the terminal is and how it logs in. */
export const provisioningSchema = z
  .object({
    terminal: z.object({ businessId: z.uuid(), branchId: z.uuid(), registerId: z.uuid() }).strict(),
    central: syncConfigSchema.partial({ batchSize: true, pullEverySeconds: true, probeEveryMs: true, alertAfterMinutes: true }),
  })
  .strict();

export type Provisioning = z.input<typeof provisioningSchema>;

const fileOf = (dataDir: string) => join(dataDir, 'sync.json');

export function readSyncConfig(dataDir: string): SyncConfig | null {
  const file = fileOf(dataDir);
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`${file} is not JSON`);
  }
  const parsed = syncConfigSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export function writeSyncConfig(dataDir: string, config: z.input<typeof syncConfigSchema>): SyncConfig {
  const value = syncConfigSchema.parse(config);
  const file = fileOf(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(`${file}.tmp`, 0o600);
  renameSync(`${file}.tmp`, file);
  return value;
}

/** host:port/database, never the password: for status lines and logs. */
export function describeCentral(url: string): string {
  try {
    const u = new URL(url);
    return `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'an invalid URL';
  }
}
