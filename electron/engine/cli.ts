// `pos`: the command line for set-up and maintenance, run by bin/pos.mjs through main(). Every
// failure is one line on stderr and a non-zero exit (2 for a usage mistake); a stack trace only
// with POS_DEBUG=1.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditLine } from '#contract/audit-line.ts';
import { APP_ROOT } from '#db/app-root.ts';
import type { JobOutcome } from './ports.ts';
import { describeCondition } from './devices/printer/printer-status.ts';
import { acceptPrinterUri, DEFAULT_PRINTER_PORTS, PrinterUriError } from '#contract/printer-uri.ts';
import { selfInvoicingPage } from '#contract/self-invoicing.ts';
import type { RunningServer } from './server/serve.ts';
import type { AppDb } from '#db/app-db.ts';
import type { Central } from '#db/central.ts';
import type { ReportKind } from './services/reports/central-reports.ts';
import { CentralConfigError, readCentralConfig, ROLES, SETTINGS, type SettingName } from './server/central/config.ts';
import { PROBE_DATABASE, postgresUrl as postgresUrlSchema } from './sync/sync-config.ts';
import type { NotificationLine } from './server/central/notify/notification-report.ts';

/** The commands' working parts, loaded when one runs (cli-runtime.ts). */
const runtime = () => import('./cli-runtime.ts');

/** Central as its owner for one command: connected, handed to `use`, closed however `use` ends. */
async function withCentral<T>(url: string, use: (central: Central) => Promise<T>): Promise<T> {
  const central = await (await runtime()).connectCentral(url);
  try {
    return await use(central);
  } finally {
    await central.close();
  }
}

class UsageError extends Error {
  /** A bad setting names itself in its one line; the pointer to "pos help" would be noise in a service's log. */
  constructor(
    message: string,
    readonly hint = true,
  ) {
    super(message);
  }
}

const DEFAULT_DEMO_DIR = join(APP_ROOT, '.pos-data', 'demo');

type Flags = Record<string, string | boolean | undefined>;
type Command = {
  /** The options after the command's name, as `pos help` and `--help` show them. */
  usage: string;
  summary: string;
  flags: Record<string, { type: 'string' | 'boolean' }>;
  run(flags: Flags): Promise<void>;
};

const dataDirFlag = { 'data-dir': { type: 'string' as const } };
/** Central as its owner (--url) and the business a command is about (--business). */
const centralFlags = { url: { type: 'string' }, business: { type: 'string' } } as const;
const csdFlags = { cer: { type: 'string' }, key: { type: 'string' }, 'password-file': { type: 'string' } } as const;
const pacFlags = { url: { type: 'string' }, user: { type: 'string' }, 'password-file': { type: 'string' } } as const;

// A one-shot command leaves central to the running terminal: a sync loop started for it would
// call central and hold the command up to a connection timeout when central does not answer.
const MAINTENANCE = { devices: false, sync: false, stamping: false } as const;

const commands: Record<string, Command> = {
  serve: {
    usage: '[--data-dir DIR] [--port N]',
    summary: 'the register in a browser at http://127.0.0.1:N (8317),\nthe API at /api/<call>',
    flags: { ...dataDirFlag, port: { type: 'string' } },
    async run(flags) {
      const { openEngine, readDemoStore, setUpDemoStore } = await runtime();
      const { startServer } = await import('./server/serve.ts');
      const dataDir = text(flags, 'data-dir') ?? process.env.POS_DATA_DIR ?? DEFAULT_DEMO_DIR;
      const port = Number(text(flags, 'port') ?? '8317');
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a whole number from 0 to 65535');
      const engine = await openEngine(dataDir, { purpose: 'pos serve' });
      let server: RunningServer | undefined;
      try {
        const r = await setUpDemoStore(engine, readDemoStore());
        const screens = join(APP_ROOT, 'dist', 'renderer');
        server = await startServer(engine, { port, staticDir: existsSync(join(screens, 'index.html')) ? screens : null });
        console.log(`${r.store.business.name} is open at ${server.url} (data in ${dataDir}); Ctrl+C to stop`);
        // The journal and the print spool finish before the process ends.
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      } finally {
        await server?.close();
        await engine.close();
      }
    },
  },
  start: {
    usage: '[--data-dir DIR]',
    summary: 'open the demo store, seeding it on the first run and saying what it loaded',
    flags: dataDirFlag,
    async run(flags) {
      const { openEngine, readDemoStore, setUpDemoStore } = await runtime();
      const dataDir = text(flags, 'data-dir') ?? process.env.POS_DATA_DIR ?? DEFAULT_DEMO_DIR;
      const demo = readDemoStore();
      const engine = await openEngine(dataDir, { purpose: 'pos start', sync: false });
      try {
        const r = await setUpDemoStore(engine, demo);
        console.log(
          r.seeded
            ? `${r.store.business.name}: ${r.products} products, ${r.employees} employees (seeded now) in ${dataDir}`
            : `${r.store.business.name} (already seeded) in ${dataDir}`,
        );
      } finally {
        await engine.close();
      }
    },
  },
  'db migrate': {
    usage: '--data-dir DIR',
    summary: "create or upgrade a terminal's database (a no-op when current)",
    flags: dataDirFlag,
    async run(flags) {
      const { openEngine } = await runtime();
      const engine = await openEngine(requiredDir(flags, 'data-dir'), { purpose: 'pos db migrate', ...MAINTENANCE });
      try {
        const { applied, alreadyApplied } = engine.local.migration;
        console.log(
          applied.length === 0
            ? `database is up to date (${alreadyApplied} migrations applied before)`
            : `applied ${applied.length} migration(s): ${applied.join(', ')}`,
        );
      } finally {
        await engine.close();
      }
    },
  },
  'demo seed': {
    usage: '--data-dir DIR',
    summary: "load the demo store into a terminal's database",
    flags: dataDirFlag,
    async run(flags) {
      const { openEngine, readDemoStore, setUpDemoStore } = await runtime();
      const demo = readDemoStore();
      const engine = await openEngine(requiredDir(flags, 'data-dir'), { purpose: 'pos demo seed', ...MAINTENANCE });
      try {
        const r = await setUpDemoStore(engine, demo);
        console.log(
          r.seeded
            ? `seeded ${r.store.business.name}: ${r.products} products, ${r.variants} variants, ${r.employees} employees`
            : `${r.store.business.name} is already in this database; nothing changed`,
        );
      } finally {
        await engine.close();
      }
    },
  },
  'central migrate': {
    usage: '--url URL',
    summary: 'create or upgrade the central PostgreSQL schema',
    flags: { url: { type: 'string' } },
    async run(flags) {
      const { migrateCentral, ensurePermissions } = await runtime();
      const { seedTemplates } = await import('./server/central/notify/templates/template-store.ts');
      await withCentral(required(flags, 'url'), async (central) => {
        const { applied, alreadyApplied } = await migrateCentral(central.sql);
        // The notification texts are data the schema ships with: a changed file is a new version.
        const templates = await seedTemplates(central.sql);
        await ensurePermissions(central.db as unknown as AppDb);
        console.log(
          applied.length === 0
            ? `central is up to date (${alreadyApplied} migrations applied before)`
            : `applied ${applied.length} migration(s) to central: ${applied.join(', ')}`,
        );
        console.log(`notification templates: ${templates.created} new, ${templates.updated} updated, ${templates.unchanged} unchanged`);
      });
    },
  },
  'central seed-demo': {
    usage: '--url URL',
    summary: 'load the demo store into central (to try sync)',
    flags: { url: { type: 'string' } },
    async run(flags) {
      const { readDemoStore, ensurePermissions, seedDemoStore } = await runtime();
      await withCentral(required(flags, 'url'), async (central) => {
        await ensurePermissions(central.db as unknown as AppDb);
        const r = await seedDemoStore(central.db as unknown as AppDb, readDemoStore());
        console.log(
          r.seeded
            ? `seeded the demo store on central: ${r.products} products, ${r.employees} employees`
            : 'the demo store is already on central',
        );
      });
    },
  },
  'central registers add': {
    usage: '--url URL --business ID --branch ID|CODE --code CODE [--name NAME]',
    summary: 'a register for a branch (CODE such as CAJA-3); then provision-terminal makes its login',
    flags: {
      ...centralFlags,
      branch: { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string' },
    },
    async run(flags) {
      const { addRegister } = await runtime();
      await withCentral(required(flags, 'url'), async (central) => {
        const added = await addRegister(central, {
          businessId: required(flags, 'business'),
          branch: required(flags, 'branch'),
          code: required(flags, 'code'),
          name: text(flags, 'name'),
          operator: `${userInfo().username}@${hostname()}`,
        });
        console.log(`added register ${added.code} (${added.name}) to branch ${added.branchCode}: ${added.id}`);
      });
    },
  },
  'central registers list': {
    usage: '--url URL --business ID [--json]',
    summary: "the business's registers by branch and code: id, login, last seen by central",
    flags: { ...centralFlags, json: { type: 'boolean' } },
    async run(flags) {
      const { formatRegisters, listRegisters } = await runtime();
      await withCentral(required(flags, 'url'), async (central) => {
        const rows = await listRegisters(central, required(flags, 'business'));
        process.stdout.write(flags.json ? `${JSON.stringify(rows, null, 2)}\n` : formatRegisters(rows));
      });
    },
  },
  'central price set': {
    usage: '--url URL --business ID --sku SKU|--barcode CODE --price AMOUNT',
    summary: "an item's price for every register of the business, audited at central (registers have it in seconds)",
    flags: {
      ...centralFlags,
      sku: { type: 'string' },
      barcode: { type: 'string' },
      price: { type: 'string' },
    },
    async run(flags) {
      const { setCentralPrice } = await runtime();
      await withCentral(required(flags, 'url'), async (central) => {
        const change = await setCentralPrice(central, {
          businessId: required(flags, 'business'),
          sku: text(flags, 'sku'),
          barcode: text(flags, 'barcode'),
          price: required(flags, 'price'),
          operator: `${userInfo().username}@${hostname()}`,
        });
        console.log(
          change.changed
            ? `${change.sku} (${change.name}): price ${change.from} -> ${change.to} at central`
            : `${change.sku} (${change.name}) already costs ${change.to} at central; nothing changed`,
        );
      });
    },
  },
  'central provision-terminal': {
    usage: '--url URL --business ID --branch ID|CODE --register ID|CODE [--out FILE [--force]] [--connect-url URL [--probe-database NAME]]',
    summary:
      'a login for one register: its configuration, password included, goes to FILE\n(created 0600; --force replaces it) or to stdout for "pos sync configure --config -";\n--connect-url: where the register connects (a PgBouncer before central), if not --url;\n--probe-database: that PgBouncer\'s entry for the registers\' shared probe (user=pos_prober)',
    flags: {
      ...centralFlags,
      branch: { type: 'string' },
      register: { type: 'string' },
      'connect-url': { type: 'string' },
      'probe-database': { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    },
    async run(flags) {
      const { connectCentral, provisionTerminal, registerOf } = await runtime();
      const url = required(flags, 'url');
      // The owner's URL reaches PostgreSQL itself; a chain's registers reach it through a pooler.
      const connectUrl = flags['connect-url'] === undefined ? url : postgresUrl(required(flags, 'connect-url'), '--connect-url');
      const probeDatabase = flags['probe-database'] === undefined ? undefined : required(flags, 'probe-database');
      if (probeDatabase !== undefined) {
        if (flags['connect-url'] === undefined)
          throw new UsageError('--probe-database names an entry of the PgBouncer given by --connect-url');
        if (!PROBE_DATABASE.test(probeDatabase)) throw new UsageError('--probe-database must be a database name as PgBouncer lists it');
      }
      const businessId = required(flags, 'business');
      if (!UUID.test(businessId)) throw new UsageError('--business must be a UUID');
      const branch = required(flags, 'branch');
      const register = required(flags, 'register');
      const out = flags.out === undefined ? undefined : required(flags, 'out');
      if (flags.force && out === undefined) throw new UsageError('--force goes with --out FILE');
      // The file is made before central changes the password: a path that cannot be written must
      // not cost the register the login it has.
      const file = out === undefined ? null : createPrivateFile(resolve(out), flags.force === true);
      try {
        const central = await connectCentral(url);
        let provisioning;
        let ids;
        try {
          // The branch and the register by their codes (CAJA-3) as well as their ids.
          ids = await registerOf(central, businessId, branch, register);
          provisioning = await provisionTerminal(central, connectUrl, { ...ids, ...(probeDatabase ? { probeDatabase } : {}) });
        } finally {
          await central.close();
        }
        const json = `${JSON.stringify(provisioning, null, 2)}\n`;
        if (!file) {
          process.stdout.write(json);
          return;
        }
        file.commit(json);
        console.log(`wrote the configuration of register ${ids.registerId} to ${file.path} (mode 0600: it holds the password)`);
      } catch (err) {
        file?.abandon();
        throw err;
      }
    },
  },
  'central report': {
    usage: '--kind by-day|by-cashier|by-product --url URL [--read-url URL] --business ID --from DATE --to DATE [--json]',
    summary: 'sales reports, run on the read replica when --read-url is given',
    flags: {
      kind: { type: 'string' },
      url: { type: 'string' },
      'read-url': { type: 'string' },
      business: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
    },
    async run(flags) {
      const { formatReport, REPORT_KINDS, runCentralReport } = await runtime();
      const kind = required(flags, 'kind');
      if (!(REPORT_KINDS as string[]).includes(kind)) throw new UsageError(`--kind must be one of ${REPORT_KINDS.join(', ')}`);
      const businessId = required(flags, 'business');
      if (!UUID.test(businessId)) throw new UsageError('--business must be a UUID');
      const [from, to] = [required(flags, 'from'), required(flags, 'to')];
      for (const d of [from, to])
        if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) throw new UsageError(`not a date: ${d} (use YYYY-MM-DD)`);
      const result = await runCentralReport(
        kind as ReportKind,
        { businessId, from, to },
        { url: required(flags, 'url'), readUrl: text(flags, 'read-url') },
      );
      if (flags.json) console.log(JSON.stringify(result, null, 2));
      else {
        console.log(
          `ran on ${result.ranOn.database}${result.ranOn.readUrl ? ' (the read URL)' : ''}${result.ranOn.replica ? ', a replica' : ''}`,
        );
        console.log(formatReport(result.rows));
      }
    },
  },
  'central serve': {
    usage:
      '[--url URL] [--read-url URL] [--redis URL] [--port N] [--role web|worker|all] [--data-dir DIR] ' +
      '[--host ADDR] [--archive-dir DIR] [--log-dir DIR] [--hot-days N] [--log-ttl-days N] [--archive-schedule CRON] [--ttl-schedule CRON]',
    summary:
      `central's HTTP side and job workers (--role ${ROLES.join('|')}, default all);\n` +
      'every option can be set as POS_CENTRAL_<OPTION> instead, e.g. POS_CENTRAL_URL;\n' +
      'defaults: PostgreSQL and Redis on 127.0.0.1, port 8480',
    flags: Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, { type: 'string' as const }])),
    async run(flags) {
      let config;
      try {
        config = readCentralConfig(
          Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, text(flags, name)])) as Partial<Record<SettingName, string>>,
        );
      } catch (err) {
        if (err instanceof CentralConfigError) throw new UsageError(err.message, false);
        throw err;
      }
      const signalled = new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      // Loaded here: BullMQ, Fastify and MJML cost a second at every other command's start.
      const { startCentralService } = await import('./server/central/service.ts');
      const running = await startCentralService(config);
      await signalled;
      await running.stop();
      // Everything is closed; a reconnect timer left inside a driver must not keep the process
      // (and a systemd stop) waiting. Unref'd: it only fires when something else is still alive.
      setTimeout(() => process.exit(), 1000).unref();
    },
  },
  'central audit': {
    usage: '--business ID [--url URL] [--since TIME] [--limit N] [--json]',
    summary:
      "every register's audit entries for a business as they reached central, oldest first\n(--since: an ISO time such as 2026-12-01 or 2026-12-01T08:00Z; --limit: 100, at most 10000)",
    flags: {
      ...centralFlags,
      since: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
    async run(flags) {
      const { tailAudit } = await runtime();
      const url = text(flags, 'url') ?? (process.env[SETTINGS.url.env] || SETTINGS.url.fallback);
      const businessId = required(flags, 'business');
      if (!UUID.test(businessId)) throw new UsageError('--business must be a UUID');
      const sinceText = text(flags, 'since');
      const since = sinceText === undefined ? undefined : new Date(sinceText);
      if (since && (!/^\d{4}-\d{2}-\d{2}/.test(sinceText!) || Number.isNaN(since.getTime())))
        throw new UsageError('--since must be an ISO date or time, such as 2026-12-01 or 2026-12-01T08:00Z');
      const limit = flags.limit === undefined ? 100 : Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be a whole number from 1 to 10000');
      await withCentral(url, async (central) => {
        const lines = (await tailAudit(central.sql, { businessId, ...(since ? { since } : {}), limit })).reverse();
        if (flags.json) console.log(JSON.stringify(lines, null, 2));
        else if (lines.length === 0) console.log('no audit entries for that business at central');
        else for (const line of lines) console.log(formatAuditLine(line));
      });
    },
  },
  'central jobs': {
    usage: '[--url URL] [--redis URL] [--failed] [--retry ID] [--limit N] [--json]',
    summary:
      "the notifications (from PostgreSQL) and the other queues' jobs (from Redis): state, attempts,\nwhy one failed (--failed: only those); --retry sends a failed one again",
    flags: {
      url: { type: 'string' },
      redis: { type: 'string' },
      failed: { type: 'boolean' },
      retry: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
    async run(flags) {
      const { connectCentral } = await runtime();
      const { formatNotifications, listNotifications } = await import('./server/central/notify/notification-report.ts');
      const { reopenFailed } = await import('./server/central/notify/job-rows.ts');
      const url = text(flags, 'url') ?? (process.env[SETTINGS.url.env] || SETTINGS.url.fallback);
      const redis = text(flags, 'redis') ?? (process.env[SETTINGS.redis.env] || SETTINGS.redis.fallback);
      const retry = text(flags, 'retry');
      if (retry !== undefined) {
        if (flags.failed || flags.limit !== undefined || flags.json) throw new UsageError('--retry goes alone (with --url and --redis)');
        // A notification is named by its row's id; any other job by QUEUE/ID as listed.
        if (UUID.test(retry)) {
          await withCentral(url, async (central) => {
            if (!(await reopenFailed(central.sql, retry)))
              throw new Error(`no failed notification ${retry}: only a failed one is sent again`);
          });
          console.log(`notification ${retry} will be sent again`);
          return;
        }
        const { retryJob } = await import('./server/central/jobs-report.ts');
        const queue = await retryJob(redis, retry);
        console.log(`job ${retry.includes('/') ? retry : `${queue}/${retry}`} is queued again`);
        return;
      }
      const limit = flags.limit === undefined ? 50 : Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be a whole number from 1 to 10000');
      const central = await connectCentral(url);
      let notifications: NotificationLine[];
      try {
        notifications = await listNotifications(central.sql, { failedOnly: flags.failed === true, limit });
      } finally {
        await central.close();
      }
      const { formatJobs, listJobs } = await import('./server/central/jobs-report.ts');
      const jobs = await listJobs(redis, { failedOnly: flags.failed === true, limit, queues: ['maintenance', 'fiscal'] });
      if (flags.json) console.log(JSON.stringify({ notifications, jobs }, null, 2));
      else console.log(`notifications\n${formatNotifications(notifications)}\n\nother jobs\n${formatJobs(jobs)}`);
    },
  },
  'sync configure': {
    usage: '--data-dir DIR --config FILE',
    summary: "make DIR that register's terminal\n(FILE: what provision-terminal wrote, or - for stdin)",
    flags: { ...dataDirFlag, config: { type: 'string' } },
    async run(flags) {
      const { acquireOwnerLock, provisioningSchema, writeSyncConfig, readTerminal, writeTerminal } = await runtime();
      const dataDir = requiredDir(flags, 'data-dir');
      const source = required(flags, 'config');
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(source === '-' ? 0 : source, 'utf8'));
      } catch (err) {
        throw new Error(`cannot read the configuration from ${source === '-' ? 'stdin' : source}: ${(err as Error).message}`);
      }
      const parsed = provisioningSchema.safeParse(json);
      if (!parsed.success)
        throw new Error(`not a terminal configuration: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`);
      const lock = acquireOwnerLock(dataDir, 'pos sync configure');
      try {
        const existing = readTerminal(dataDir);
        if (existing && existing.registerId !== parsed.data.terminal.registerId) {
          throw new Error(`${dataDir} is already register ${existing.registerId}; a data directory belongs to one register`);
        }
        if (!existing) writeTerminal(dataDir, parsed.data.terminal);
        writeSyncConfig(dataDir, parsed.data.central);
      } finally {
        lock.release();
      }
      console.log(`${dataDir} is register ${parsed.data.terminal.registerId}; it syncs with central when it starts`);
    },
  },
  'sync status': {
    usage: '--data-dir DIR [--json]',
    summary:
      'online, facts pending, oldest pending, last error, refused facts;\nopen catalog conflicts, asked of central (a few seconds at most)',
    flags: { ...dataDirFlag, json: { type: 'boolean' } },
    async run(flags) {
      const { askOpenConflicts, formatConflicts, readSyncStatus, formatSyncStatus } = await runtime();
      const dataDir = existingDir(flags, 'data-dir');
      const status = readSyncStatus(dataDir);
      if (!status.configured) {
        console.log(flags.json ? JSON.stringify(status, null, 2) : formatSyncStatus(status, new Date()));
        return;
      }
      if (flags.json) {
        console.log(JSON.stringify({ ...status, conflicts: await askOpenConflicts(dataDir) }, null, 2));
        return;
      }
      // What the terminal's files say first: it stands whether central answers or not.
      console.log(formatSyncStatus(status, new Date()));
      console.log(formatConflicts(await askOpenConflicts(dataDir)));
    },
  },
  'sync now': {
    usage: '--data-dir DIR',
    summary: 'push and pull once (with the terminal closed)',
    flags: dataDirFlag,
    async run(flags) {
      const { buildSyncLoop, openEngine, readSyncConfig } = await runtime();
      const dataDir = existingDir(flags, 'data-dir');
      if (!readSyncConfig(dataDir)) throw new Error(`${dataDir} is not configured to sync (run "pos sync configure" first)`);
      const engine = await openEngine(dataDir, { purpose: 'pos sync now', ...MAINTENANCE });
      const loop = buildSyncLoop(engine.services, dataDir);
      try {
        if (!loop) throw new Error(`${dataDir} has no terminal identity (terminal.json)`);
        const { pushed, pulled } = await loop.syncOnce();
        console.log(`pushed ${pushed} fact(s), pulled ${pulled} row(s)`);
      } finally {
        await loop?.stop();
        await engine.close();
      }
    },
  },
  'audit tail': {
    usage: '--data-dir DIR [--limit N]',
    summary: 'the latest audit entries, oldest first (--limit: 20, at most 1000)',
    flags: { ...dataDirFlag, limit: { type: 'string' } },
    async run(flags) {
      const { openEngine, tailAudit } = await runtime();
      const limit = flags.limit === undefined ? 20 : Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000');
      const dataDir = existingDir(flags, 'data-dir');
      // Opening the engine on a directory without a database would create one to read nothing from.
      if (!existsSync(join(dataDir, 'pglite'))) throw new Error(`no terminal database in ${dataDir}`);
      const engine = await openEngine(dataDir, { purpose: 'pos audit tail', ...MAINTENANCE });
      try {
        const lines = await tailAudit(engine.services.sql, { limit });
        if (lines.length === 0) console.log('the audit trail is empty');
        for (const line of lines.reverse()) console.log(formatAuditLine(line));
      } finally {
        await engine.close();
      }
    },
  },
  'fiscal set-csd': {
    usage: '--data-dir DIR --cer FILE --key FILE --password-file FILE',
    summary:
      "install the issuer's CSD (.cer, .key and the key's password) to seal invoices\n(kept in DIR/keys/fiscal, mode 0600; a wrong password installs nothing)",
    flags: { ...dataDirFlag, ...csdFlags },
    run: (flags) => installCsdFrom(flags, existingDir(flags, 'data-dir')),
  },
  'fiscal set-pac': {
    usage: '--data-dir DIR --url URL --user USER --password-file FILE',
    summary: "install the PAC account that stamps this register's invoices (Finkok)\n(kept in DIR/keys/fiscal/pac.json, mode 0600)",
    flags: { ...dataDirFlag, ...pacFlags },
    run: (flags) => installPacFrom(flags, existingDir(flags, 'data-dir')),
  },
  'payments set-token': {
    usage: '--data-dir DIR --provider mercadopago|clip --token-file FILE [--webhook-secret-file FILE]',
    summary:
      "install the card provider's access token this register charges its terminal with\n(kept in DIR/keys/payments/PROVIDER.json, mode 0600; never in the database or a log)",
    flags: { ...dataDirFlag, provider: { type: 'string' }, 'token-file': { type: 'string' }, 'webhook-secret-file': { type: 'string' } },
    async run(flags) {
      const { installProviderSecrets, paymentKeysDir, providerSecretsSchema } = await runtime();
      const dataDir = existingDir(flags, 'data-dir');
      const secretOf = (name: string) => readFileSync(required(flags, name), 'utf8').replace(/\r?\n$/, '');
      const parsed = providerSecretsSchema.safeParse({
        provider: required(flags, 'provider'),
        accessToken: secretOf('token-file'),
        ...(text(flags, 'webhook-secret-file') !== undefined ? { webhookSecret: secretOf('webhook-secret-file') } : {}),
      });
      if (!parsed.success) {
        throw new UsageError('--provider is mercadopago or clip, and the token (and webhook secret) files hold 8 to 500 characters');
      }
      installProviderSecrets(dataDir, parsed.data);
      console.log(`${parsed.data.provider} token installed in ${paymentKeysDir(dataDir)}`);
    },
  },
  'central set-csd': {
    usage: '--business ID --cer FILE --key FILE --password-file FILE [--data-dir DIR]',
    summary:
      "install a business's CSD at central, to seal the invoices of its registers that sync\n" +
      "(kept in DIR/businesses/ID/keys/fiscal, mode 0600; DIR is the service's, POS_CENTRAL_DATA_DIR)",
    flags: { ...dataDirFlag, business: { type: 'string' }, ...csdFlags },
    run: async (flags) => installCsdFrom(flags, await centralFiscalRoot(flags)),
  },
  'central set-pac': {
    usage: '--business ID --url URL --user USER --password-file FILE [--data-dir DIR]',
    summary:
      "install the PAC account (Finkok) that stamps a business's invoices at central\n(kept in DIR/businesses/ID/keys/fiscal/pac.json, mode 0600)",
    flags: { ...dataDirFlag, business: { type: 'string' }, ...pacFlags },
    run: async (flags) => installPacFrom(flags, await centralFiscalRoot(flags)),
  },
  'central set-card-webhook-secret': {
    usage: '--business ID --provider mercadopago|clip --secret-file FILE [--public-url URL] [--data-dir DIR]',
    summary:
      "install the secret a business's card provider signs its webhooks with, for central to check them\n" +
      '(kept in DIR/businesses/ID/keys/card-webhooks, mode 0600); prints the address to give the provider\n' +
      "(URL: this service's public address, POS_CENTRAL_PUBLIC_URL)",
    flags: {
      ...dataDirFlag,
      business: { type: 'string' },
      provider: { type: 'string' },
      'secret-file': { type: 'string' },
      'public-url': { type: 'string' },
    },
    async run(flags) {
      const { installCardWebhookSecret, isCardProvider } = await import('./server/central/card-webhooks/webhook-secrets.ts');
      const { cardWebhookUrl } = await import('./server/central/card-webhooks/card-webhook-routes.ts');
      const businessId = required(flags, 'business').toLowerCase();
      if (!UUID.test(businessId)) throw new UsageError('--business must be a UUID');
      const provider = required(flags, 'provider');
      if (!isCardProvider(provider)) throw new UsageError('--provider is mercadopago or clip');
      const secret = readFileSync(required(flags, 'secret-file'), 'utf8').replace(/\r?\n$/, '');
      let dataDir: string;
      try {
        dataDir = readCentralConfig({ 'data-dir': text(flags, 'data-dir') }).dataDir;
      } catch (err) {
        if (err instanceof CentralConfigError) throw new UsageError(err.message, false);
        throw err;
      }
      let path: string;
      try {
        path = installCardWebhookSecret(dataDir, businessId, provider, secret);
      } catch (err) {
        throw new UsageError(`--secret-file: ${(err as Error).message}`);
      }
      console.log(`${provider} webhook secret of business ${businessId} installed in ${path}`);
      const publicUrl = text(flags, 'public-url') ?? (process.env[SETTINGS['public-url'].env] || undefined);
      const url = cardWebhookUrl(publicUrl ?? 'https://CENTRAL', provider, businessId, secret);
      console.log(
        provider === 'clip'
          ? `give Clip this webhook URL (in its developer dashboard; it carries a token: keep it private): ${url}`
          : `give Mercado Pago this webhook URL (Your integrations > Webhooks, topic "Order"): ${url}`,
      );
      if (!publicUrl) console.log("note: replace https://CENTRAL with this service's public address (--public-url)");
    },
  },
  'central set-self-invoicing': {
    usage: '--business ID [--address URL] [--remove] [--url URL] [--data-dir DIR]',
    summary:
      "the business's self-invoicing page (invoicing.selfServiceUrl), --address or --remove:\n" +
      "its receipts' QR opens URL/factura, or nothing; its registers get it with their next pull\n" +
      "(--url: central's PostgreSQL, POS_CENTRAL_URL; DIR: the service's, to check its CSD)",
    flags: {
      ...dataDirFlag,
      ...centralFlags,
      address: { type: 'string' },
      remove: { type: 'boolean' },
    },
    async run(flags) {
      const { connectCentral, fiscalSecretsConfigured, SELF_INVOICING_PROBLEMS } = await runtime();
      const { setSelfInvoicingAtCentral } = await import('./server/central/self-invoice/self-invoicing-address.ts');
      const url = text(flags, 'url') ?? (process.env[SETTINGS.url.env] || SETTINGS.url.fallback);
      const businessId = required(flags, 'business');
      if (!UUID.test(businessId)) throw new UsageError('--business must be a UUID');
      const address = text(flags, 'address');
      if ((address === undefined) === (flags.remove !== true)) throw new UsageError('give --address URL, or --remove to take it away');
      if (address !== undefined && address.trim() === '') throw new UsageError('--address needs the page’s address (or use --remove)');
      const fiscalRoot = await centralFiscalRoot(flags);
      const central = await connectCentral(url);
      let done: Awaited<ReturnType<typeof setSelfInvoicingAtCentral>>;
      try {
        done = await setSelfInvoicingAtCentral(central.sql, {
          businessId,
          address: address ?? null,
          operator: `${userInfo().username}@${hostname()}`,
          now: new Date(),
        });
      } catch (err) {
        const { code, params } = err as { code?: string; params?: { reason?: keyof typeof SELF_INVOICING_PROBLEMS } };
        // A mistyped address is the person's mistake: answered as usage, in the register's words.
        if (code === 'INVALID_INPUT' && params?.reason) throw new UsageError(`--address: ${SELF_INVOICING_PROBLEMS[params.reason]}`);
        throw err;
      } finally {
        await central.close();
      }
      const was = typeof done.from === 'string' ? done.from : 'none';
      console.log(
        done.to === null
          ? `${done.business}: receipts no longer invite to self-invoice (it was ${was}); its registers stop with their next pull`
          : `${done.business}: receipts' QR opens ${selfInvoicingPage(done.to)} (it was ${was}); its registers get it with their next pull`,
      );
      if (done.to === null) return;
      if (done.country !== 'MX')
        console.log(`note: the business is in ${done.country}: only a Mexican business's receipts invite to self-invoice`);
      if (!fiscalSecretsConfigured(fiscalRoot)) {
        console.log(
          "note: central does not hold this business's CSD and PAC account (pos central set-csd, set-pac): until it does, the page answers that the store does not offer it",
        );
      }
    },
  },
  'fiscal stamp-pending': {
    usage: '--data-dir DIR',
    summary: "stamp this register's PENDING invoices once (with the terminal closed)",
    flags: dataDirFlag,
    async run(flags) {
      const { openEngine, readSyncConfig, loadCsd, loadPacConfig, pacClientFor, stampPending } = await runtime();
      const dataDir = existingDir(flags, 'data-dir');
      if (readSyncConfig(dataDir)) throw new Error(`${dataDir} syncs with central: central's fiscal worker stamps its invoices`);
      const secrets = { csd: loadCsd(dataDir), pac: pacClientFor(loadPacConfig(dataDir)) };
      const engine = await openEngine(dataDir, { purpose: 'pos fiscal stamp-pending', ...MAINTENANCE });
      try {
        const pass = await stampPending(engine.services, secrets);
        for (const o of pass.outcomes) {
          const said = o.status === 'ISSUED' ? o.uuid : o.status === 'REJECTED' ? `${o.code}: ${o.message}` : (o.message ?? '');
          console.log(`${o.series}-${o.folio}  ${o.status.padEnd(8)} ${said}`);
        }
        if (pass.halted) throw new Error(`stopped: ${pass.halted.message}`);
        if (pass.outcomes.length === 0) console.log('no invoice is pending');
      } finally {
        await engine.close();
      }
    },
  },
  'journal verify': {
    usage: '--data-dir DIR',
    summary: "walk the journal's hash chain; report the first break",
    flags: dataDirFlag,
    async run(flags) {
      const { openJournal, acquireOwnerLock } = await runtime();
      const dataDir = existingDir(flags, 'data-dir');
      // Checked before the owner lock too, which would leave its files in a directory with no journal.
      if (!existsSync(join(dataDir, 'journal.sqlite'))) throw new Error(`no journal in ${dataDir}`);
      // Reading the journal does not need PGlite, but the owner lock keeps a running terminal out.
      const lock = acquireOwnerLock(dataDir, 'pos journal verify');
      try {
        const journal = openJournal(dataDir);
        try {
          const result = journal.verify();
          if (!result.ok)
            throw new Error(`journal broken at fact ${result.brokenAt}: ${result.reason} (${result.facts} facts before it verify)`);
          console.log(`journal verifies: ${result.facts} facts, head ${result.head.slice(0, 16)}`);
        } finally {
          journal.close();
        }
      } finally {
        lock.release();
      }
    },
  },
  logs: {
    usage: '[--data-dir DIR] [--follow] [--json]',
    summary:
      "the terminal's log, oldest first (the engine's and the shell's);\n--follow keeps reading, --json prints the entries as written",
    flags: { ...dataDirFlag, follow: { type: 'boolean' }, json: { type: 'boolean' } },
    async run(flags) {
      const { showLogs } = await runtime();
      const dataDir = resolve(text(flags, 'data-dir') ?? process.env.POS_DATA_DIR ?? DEFAULT_DEMO_DIR);
      await showLogs({ dataDir, follow: flags.follow === true, json: flags.json === true, write: (t) => void process.stdout.write(t) });
    },
  },
  // The device commands open no database: they must work while the app runs and owns the data
  // directory, which is exactly when someone is plugging in and trying a printer.
  'devices list': {
    usage: '[--json]',
    summary: 'serial ports, HID POS scanners and USB printers on this machine',
    flags: { json: { type: 'boolean' } },
    async run(flags) {
      const { discoverDevices } = await runtime();
      const { serialPorts, hidScanners, usbPrinters } = await discoverDevices();
      if (flags.json === true) {
        console.log(JSON.stringify({ serialPorts, hidScanners, usbPrinters }, null, 2));
        return;
      }
      const section = (heading: string, lines: string[]) =>
        console.log([heading, ...(lines.length > 0 ? lines : ['none found'])].join('\n  '));
      section(
        'serial ports (address serial:PATH)',
        serialPorts.map((p) => `${p.path}  ${p.manufacturer ?? '-'}  ${p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : '-'}`),
      );
      section(
        'HID POS scanners',
        hidScanners.map((d) => `${d.address}  ${[d.manufacturer, d.product].filter(Boolean).join(' ') || '-'}`),
      );
      section('USB printers', usbPrinters);
    },
  },
  'print test': {
    usage: '--printer URI [--paper 58|80] [--model MODEL] [--timeout MS] [--any-port]',
    summary:
      'print the test page now\n(URI: tcp://HOST:9100, serial:/dev/ttyUSB0?baud=19200 or usb:/dev/usb/lp0;\n--any-port takes a TCP port outside 9100–9109)',
    flags: {
      printer: { type: 'string' },
      paper: { type: 'string' },
      model: { type: 'string' },
      timeout: { type: 'string' },
      'any-port': { type: 'boolean' },
    },
    async run(flags) {
      const { DEFAULT_MODEL, isKnownModel, printNow, sendTestPage } = await runtime();
      const uri = required(flags, 'printer');
      try {
        acceptPrinterUri(uri, flags['any-port'] === true ? 'any' : DEFAULT_PRINTER_PORTS);
      } catch (err) {
        // A mistyped address is the person's mistake, not the printer's: answered as usage.
        if (err instanceof PrinterUriError) throw new UsageError(err.message);
        throw err;
      }
      const paper = text(flags, 'paper') ?? '80';
      if (paper !== '58' && paper !== '80') throw new UsageError('--paper must be 58 or 80');
      const model = text(flags, 'model');
      // The encoder only finds out at print time, with a bare "Unknown printer model".
      if (model !== undefined && !isKnownModel(model)) {
        throw new UsageError(`--model ${model} is not a printer model the encoder knows (the default is ${DEFAULT_MODEL})`);
      }
      const timeout = text(flags, 'timeout') === undefined ? 5000 : Number(flags.timeout);
      if (!Number.isInteger(timeout) || timeout < 100 || timeout > 120_000)
        throw new UsageError('--timeout must be a whole number of milliseconds from 100 to 120000');
      const outcome = await sendTestPage(
        (u, bytes) => printNow(u, bytes, timeout),
        { uri, model, paperWidth: paper === '58' ? 58 : 80 },
        new Date(),
      );
      console.log(`printed the test page on ${uri} (${statusWords(outcome)})`);
    },
  },
};

/** What the printer reported about itself after the test page. */
function statusWords(outcome: JobOutcome): string {
  if (!outcome.statusSupported) return 'the printer does not report status';
  if (outcome.conditions.length === 0) return 'status: ready';
  return `status: ${outcome.conditions.map((c) => describeCondition[c]).join(', ')}`;
}

function formatAuditLine(a: AuditLine): string {
  const who = a.approver ? `${a.actor ?? '?'} (authorised by ${a.approver})` : (a.actor ?? '-');
  const details = Object.keys(a.details).length > 0 ? ` ${JSON.stringify(a.details)}` : '';
  return `${a.at}  ${a.action.padEnd(28)} ${a.outcome.padEnd(7)} ${who}${details}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function text(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** Where central keeps one business's CSD and PAC account: under the service's data directory. */
async function centralFiscalRoot(flags: Flags): Promise<string> {
  const { businessFiscalRoot } = await import('./server/central/fiscal/business-secrets.ts');
  let dataDir: string;
  try {
    dataDir = readCentralConfig({ 'data-dir': text(flags, 'data-dir') }).dataDir;
  } catch (err) {
    if (err instanceof CentralConfigError) throw new UsageError(err.message, false);
    throw err;
  }
  try {
    return businessFiscalRoot(dataDir, required(flags, 'business'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

async function installCsdFrom(flags: Flags, root: string): Promise<void> {
  const { fiscalKeysDir, installCsd } = await runtime();
  const csd = installCsd(root, {
    cer: readFileSync(required(flags, 'cer')),
    key: readFileSync(required(flags, 'key')),
    password: readFileSync(required(flags, 'password-file'), 'utf8').replace(/\r?\n$/, ''),
  });
  console.log(
    `CSD ${csd.noCertificado} of ${csd.rfc} (${csd.name}), valid until ${csd.validTo.toISOString().slice(0, 10)}, installed in ${fiscalKeysDir(root)}`,
  );
}

async function installPacFrom(flags: Flags, root: string): Promise<void> {
  const { fiscalKeysDir, installPacConfig, pacConfigSchema } = await runtime();
  const config = pacConfigSchema.safeParse({
    provider: 'finkok',
    baseUrl: required(flags, 'url'),
    username: required(flags, 'user'),
    password: readFileSync(required(flags, 'password-file'), 'utf8').replace(/\r?\n$/, ''),
  });
  if (!config.success) throw new UsageError(`--url must be the PAC's http(s) address, and the password file must not be empty`);
  installPacConfig(root, config.data);
  console.log(`PAC account ${config.data.username} at ${config.data.baseUrl} installed in ${fiscalKeysDir(root)}`);
}

function required(flags: Flags, name: string): string {
  const value = text(flags, name);
  if (value === undefined || value.trim() === '') throw new UsageError(`missing --${name}`);
  return value;
}

function postgresUrl(value: string, flag: string): string {
  const parsed = postgresUrlSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${flag} must be ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

const requiredDir = (flags: Flags, name: string) => resolve(required(flags, name));

/** For the commands that only read a terminal's files: they never create the directory. */
function existingDir(flags: Flags, name: string): string {
  const dir = requiredDir(flags, name);
  if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  return dir;
}

type PrivateFile = { path: string; commit(content: string): void; abandon(): void };

/**
 * A file only its owner can read, created with mode 0600 (never written wider and narrowed
 * after). An existing file is kept unless `replace`: then the content goes to a new file
 * beside it that is renamed over it once complete.
 */
function createPrivateFile(path: string, replace: boolean): PrivateFile {
  const written = replace ? `${path}.${process.pid}.tmp` : path;
  let fd: number;
  try {
    fd = openSync(written, 'wx', 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && !replace) throw new Error(`${path} already exists (--force replaces it)`);
    throw new Error(`cannot create ${written}: ${code === 'ENOENT' ? 'its directory does not exist' : (err as Error).message}`);
  }
  let open = true;
  return {
    path,
    commit(content) {
      writeSync(fd, content);
      fsyncSync(fd);
      closeSync(fd);
      open = false;
      if (replace) renameSync(written, path);
    },
    abandon() {
      if (!open) return;
      closeSync(fd);
      open = false;
      // Only the empty file made above goes; the command failed before anything was in it.
      unlinkSync(written);
    },
  };
}

const HELP_FLAGS = new Set(['--help', '-h']);

function synopsis(name: string): string {
  return `pos ${name} ${commands[name]!.usage}`.trimEnd();
}

function listing(names: string[]): string {
  const column = 44;
  return names
    .map((name) => {
      const head = `  ${synopsis(name)}`;
      const [first, ...more] = commands[name]!.summary.split('\n');
      const pad = ' '.repeat(column);
      const start = head.length < column - 1 ? `${head.padEnd(column)}${first}` : `${head}\n${pad}${first}`;
      return [start, ...more.map((line) => `${pad}${line}`)].join('\n');
    })
    .join('\n');
}

function usage(): string {
  return (
    `usage: pos <command> [options]    ("pos <command> --help" for one command)\n\n` +
    `${listing(Object.keys(commands))}\n  pos help [COMMAND]                        this text, or one command's`
  );
}

const commandHelp = (name: string) => `usage: ${synopsis(name)}\n\n${commands[name]!.summary}`;

type Found = { command: string; rest: string[] } | { group: string; names: string[]; rest: string[] };

/** The command is the first word, two or three; everything after it is options. */
function findCommand(argv: string[]): Found {
  const [first, second, third] = argv;
  if (first === undefined) throw new UsageError('no command given');
  if (third !== undefined && commands[`${first} ${second} ${third}`])
    return { command: `${first} ${second} ${third}`, rest: argv.slice(3) };
  if (second !== undefined && commands[`${first} ${second}`]) return { command: `${first} ${second}`, rest: argv.slice(2) };
  if (commands[first]) return { command: first, rest: argv.slice(1) };
  if (first.startsWith('-')) throw new UsageError(`the command comes first, before ${first}`);
  // A group of three-word commands (pos central registers …): its own listing.
  const group = second === undefined ? [] : Object.keys(commands).filter((n) => n.startsWith(`${first} ${second} `));
  if (group.length > 0) {
    if (third === undefined || third.startsWith('-')) return { group: `${first} ${second}`, names: group, rest: argv.slice(2) };
    throw new UsageError(
      `unknown command "${first} ${second} ${third}" (pos ${first} ${second} has: ${group.map((n) => n.split(' ')[2]).join(', ')})`,
    );
  }
  const names = Object.keys(commands).filter((n) => n.startsWith(`${first} `));
  if (names.length === 0) throw new UsageError(`unknown command "${first}"`);
  const sub = second !== undefined && !second.startsWith('-') ? second : undefined;
  if (sub === undefined) return { group: first, names, rest: argv.slice(1) };
  throw new UsageError(`unknown command "${first} ${sub}" (pos ${first} has: ${names.map((n) => n.split(' ')[1]).join(', ')})`);
}

/** parseArgs' messages, said once, in the words of this command line. */
function describeParseError(err: unknown, name: string): string {
  const { code, message } = err as { code?: string; message: string };
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const option = quoted.split(' ')[0];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `"pos ${name}" has no option ${option}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected "${quoted}" (options are written --name value)`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take an argument/.test(message) ? `${option} takes no value` : `${option} needs a value`;
  }
  return message.split('\n')[0]!;
}

/**
 * Runs one command line and answers its exit code: 0 done, 1 failed, 2 a usage mistake.
 * bin/pos.mjs calls it, so the command runs under whatever name or link it was started by.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    const [first] = argv;
    if (first === 'help' || (first !== undefined && HELP_FLAGS.has(first))) {
      const topic = argv.slice(1).filter((a) => !HELP_FLAGS.has(a));
      if (topic.length === 0) {
        console.log(usage());
        return 0;
      }
      const found = findCommand(topic);
      console.log('command' in found ? commandHelp(found.command) : `usage:\n${listing(found.names)}`);
      return 0;
    }
    const found = findCommand(argv);
    // Help does nothing else: no directory made, no database opened, whatever else was typed.
    const end = found.rest.indexOf('--');
    const wantsHelp = (end === -1 ? found.rest : found.rest.slice(0, end)).some((a) => HELP_FLAGS.has(a));
    if (!('command' in found)) {
      if (wantsHelp) {
        console.log(`usage:\n${listing(found.names)}`);
        return 0;
      }
      const depth = found.group.split(' ').length;
      const next = [...new Set(found.names.map((n) => n.split(' ')[depth]))];
      throw new UsageError(`"pos ${found.group}" needs one of: ${next.join(', ')}`);
    }
    if (wantsHelp) {
      console.log(commandHelp(found.command));
      return 0;
    }
    const command = commands[found.command]!;
    let values: Flags;
    try {
      ({ values } = parseArgs({ args: found.rest, options: command.flags, strict: true, allowPositionals: false }) as { values: Flags });
    } catch (err) {
      throw new UsageError(describeParseError(err, found.command));
    }
    await command.run(values);
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`pos: ${message.split('\n')[0]}`);
    if (err instanceof UsageError && err.hint) console.error(`run "pos help" for usage`);
    if (process.env.POS_DEBUG) console.error(err);
    return err instanceof UsageError ? 2 : 1;
  }
}
