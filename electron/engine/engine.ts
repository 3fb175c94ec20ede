// The engine: owns one data directory and everything opened on it. Runs under plain Node
// (tests, serve mode, the CLI) and inside Electron's utilityProcess; never imports electron.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppDb } from '#db/app-db.ts';
import { openJournal, type Journal } from '#db/journal.ts';
import { openLocalDatabase, type LocalDatabase } from '#db/local.ts';
import { acquireOwnerLock } from '#db/owner-lock.ts';
import { startLocalUpkeep } from './local-upkeep.ts';
import { log, logWhileOwned } from './log/logger.ts';
import { logEngineEvents } from './log/engine-events-log.ts';
import type { CallName } from '#contract/calls.ts';
import { call, dispatch, type CallArgs, type CallOptions, type CallOutput, type CallResult } from './dispatch.ts';
import { checkPiiKey, piiSealerFor } from './security/key-file.ts';
import type { EngineContainer } from './container.ts';
import { ensurePermissions } from './services/auth/grants.ts';
import { DEFAULT_THROTTLE, type ThrottlePolicy } from './services/auth/throttle.ts';
import { readTerminal } from './terminal.ts';
import { MigrationError } from '#db/migrator.ts';
import { reconcile, writeCheckpoint, type Reconciliation } from './recovery/reconcile.ts';
import { CatalogUnavailable, reseedReferenceData, setAsideDamagedDatabase } from './recovery/rebuild.ts';

const CHECKPOINT_DELAY_MS = 1_000;
import { createWriteQueue } from './write-queue.ts';
import { CartCache } from './services/sales/cart.ts';
import { createPrintSpool } from './devices/printer/print-spool.ts';
import { feedCustomerDisplay } from './devices/display-feed.ts';
import { RegisterDeviceManager } from './devices/register-devices.ts';
import { startRegisterDevices } from './services/devices/start-devices.ts';
import { startFactReactions, type FactReactions } from './reactions/fact-reactions.ts';
import { cashDrawerReaction } from './reactions/cash-drawer.ts';
import { customerDisplayReaction } from './reactions/customer-display.ts';
import { receiptsReaction } from './reactions/receipts.ts';
import { reportStuckReactions } from './reactions/stuck-alert.ts';
import { ServerEventBus } from './server-events.ts';
import { readSyncConfig } from './sync/sync-config.ts';
import { SyncLoop, type SyncLoopDeps } from './sync/sync-loop.ts';
import { CentralGiftCards } from './sync/central-gift-cards.ts';
import { announceUnrecordedRefundsAtStart } from './services/payments/unrecorded-refunds.ts';
import { CentralCardNotices } from './sync/central-card-notices.ts';
import { CentralConflicts } from './sync/central-conflicts.ts';
import { ChargeWatch, type ChargeWatchTuning } from './services/payments/charge-watch.ts';
import { loadCsd, loadPacConfig, missingFiscalSecrets, pacClientFor } from './security/fiscal-secrets.ts';
import { cardTerminalsIn } from './payments/card-terminals/providers.ts';
import { settleOpenCharges } from './services/payments/card-charges.ts';
import { type StampingLoop, type StampingTuning, startStampingLoop } from './services/invoicing/stamping-loop.ts';
import { notifyEmployeesWith } from './services/notifications/in-app.ts';
import { quarantineAlerts } from './services/notifications/quarantine-alert.ts';

export type EngineOptions = {
  purpose?: string;
  throttle?: ThrottlePolicy;
  /** A clock of the test's own; production uses the system clock. */
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Open this register's scanners, display and scale, watch its printer, and react to facts
   * (receipts, the drawer, the customer display: reactions/) (default). A maintenance command
   * (migrate, seed, audit) has no business holding the hardware or printing: the register's
   * next start takes up the facts from each reaction's cursor.
   */
  devices?: boolean;
  /**
   * Push to and pull from central when the data directory has a sync.json (default). A
   * maintenance command leaves that to the running terminal.
   */
  sync?: boolean;
  /** Test knobs for the sync loop: its idle rest, backoff and the backoff's jitter, and how old a central row must be to be pulled. */
  syncTuning?: Pick<SyncLoopDeps, 'idleMs' | 'backoff' | 'random' | 'settleSeconds'>;
  /** The PII key the desktop shell keeps in the OS keychain; without it, keys/pii.key (security/key-file.ts). */
  piiKey?: Uint8Array;
  /**
   * Stamp PENDING invoices in the background when this register has no central and its fiscal
   * secrets are installed (keys/fiscal/). Default: as `sync` (a maintenance command does not).
   */
  stamping?: boolean;
  /** Test knobs for the stamping loop: its idle rest and backoff, and the PAC's timeout. */
  stampingTuning?: StampingTuning & { pacTimeoutMs?: number };
  /** How long a card provider's answer is waited for (15 s by default). */
  cardProviderTimeoutMs?: number;
  /** With a central: how often it is asked for card webhooks, and the provider polled without one (charge-watch.ts). */
  cardChargeWatch?: ChargeWatchTuning;
};

export type Engine = {
  dataDir: string;
  local: LocalDatabase;
  services: EngineContainer;
  /** What the start-up reconciliation between journal and PGlite did. */
  reconciliation: Reconciliation;
  /** Set when this start had to rebuild PGlite: where the damaged directory was set aside, or "deleted". */
  rebuilt: string | null;
  dispatch(envelope: unknown): ReturnType<typeof dispatch>;
  call<K extends CallName>(name: K, input: CallArgs<K>, opts?: CallOptions): Promise<CallResult<CallOutput<K>>>;
  /** What the engine tells the renderer unasked; the IPC relay and the WebSocket forward it. */
  events: ServerEventBus;
  /** Re-reads terminal.json after the terminal was (re)configured. */
  reloadTerminal(): void;
  close(): Promise<void>;
};

export async function openEngine(dataDir: string, options: EngineOptions = {}): Promise<Engine> {
  // A wrong key is refused before anything is opened, so nothing is sealed under it.
  if (options.piiKey !== undefined) checkPiiKey(options.piiKey, 'the PII key the desktop shell handed over');
  const lock = logWhileOwned(acquireOwnerLock(dataDir, options.purpose ?? 'engine'), options.purpose ?? 'engine');
  let local: LocalDatabase;
  let rebuilt: string | null = null;
  try {
    local = await openLocalDatabase(dataDir).catch(async (err: unknown) => {
      // A refusal (a newer app's database, an edited migration) is a person's decision, not damage.
      if (err instanceof MigrationError) throw err;
      rebuilt = setAsideDamagedDatabase(dataDir, err);
      return openLocalDatabase(dataDir);
    });
  } catch (err) {
    lock.release();
    throw err;
  }
  const db = local.db as unknown as AppDb;
  let journal: Journal | undefined;
  let reconciliation: Reconciliation;
  try {
    journal = openJournal(dataDir, {
      ...(options.now ? { now: options.now } : {}),
      onListenerError: (err, fact) => log.warn({ err, seq: fact.seq, kind: fact.kind }, `journal: a listener failed on fact ${fact.seq}`),
    });
    // The permission vocabulary ships with the code; a new build's permissions appear at start.
    await ensurePermissions(db);
    // A database created just now beside a journal that has facts lost its directory: rebuild.
    if (!rebuilt && local.migration.alreadyApplied === 0 && journal.head().seq > 0) rebuilt = 'deleted';
    if (rebuilt) await reseedReferenceData(dataDir, db, local.sql);
    reconciliation = await reconcile({ db, sql: local.sql, journal });
    if (rebuilt || reconciliation.replayed > 0 || reconciliation.journaled > 0) {
      log.warn(
        { rebuilt, replayed: reconciliation.replayed, journaled: reconciliation.journaled },
        `recovery: ${rebuilt ? `rebuilt the database (the damaged one: ${rebuilt}); ` : ''}` +
          `replayed ${reconciliation.replayed} journal facts into PGlite, journaled ${reconciliation.journaled} PGlite records`,
      );
    }
  } catch (err) {
    journal?.close();
    await local.close();
    // A rebuild that could not get its catalog back leaves no half-built database behind (it
    // holds nothing but the schema): the next start sees the loss again and tries again.
    if (rebuilt && err instanceof CatalogUnavailable) rmSync(join(dataDir, 'pglite'), { recursive: true, force: true });
    lock.release();
    throw err;
  }
  const events = new ServerEventBus();
  logEngineEvents(events);
  const spool = createPrintSpool(local.sql, { onChange: (state) => events.emit('printer.queue', state) });
  const hardware = new RegisterDeviceManager(events, { watchPrinter: (uri) => spool.watch(uri) });
  const services: EngineContainer = {
    db,
    sql: local.sql,
    journal,
    writes: createWriteQueue(),
    carts: new CartCache(),
    spool,
    devices: hardware,
    events,
    terminal: readTerminal(dataDir),
    sync: null,
    giftCards: null,
    chargeWatch: null,
    catalogConflicts: null,
    sealer: piiSealerFor(dataDir, options.piiKey),
    cardTerminals: cardTerminalsIn(dataDir, { ...(options.cardProviderTimeoutMs ? { timeoutMs: options.cardProviderTimeoutMs } : {}) }),
    throttle: options.throttle ?? DEFAULT_THROTTLE,
    now: options.now ?? (() => new Date()),
    sleep: options.sleep ?? ((ms) => (ms > 0 ? sleep(ms).then(() => undefined) : Promise.resolve())),
  };
  let chargeWatch: ChargeWatch | null = null;
  // A new fact is worth pushing at once; the sync loop keeps its own durable cursor (what
  // central has acknowledged), so a wake-up lost to a crash costs nothing: it starts from there.
  const stopSyncKick = journal.onAppend(() => services.sync?.kick());
  // PGlite learns, a moment after each append, that it holds every fact up to the head: the
  // next start then replays only what came after.
  let checkpointTimer: NodeJS.Timeout | undefined;
  const stopCheckpoints = journal.onAppend(() => {
    if (checkpointTimer) return;
    checkpointTimer = setTimeout(() => {
      checkpointTimer = undefined;
      void services
        .writes(() => writeCheckpoint(local.sql, services.journal))
        .catch((err: unknown) => log.warn({ err }, 'checkpoint failed'));
    }, CHECKPOINT_DELAY_MS);
    checkpointTimer.unref();
  });
  // PGlite has no autovacuum: statistics, dead rows and stale plans are seen to here.
  const upkeep = startLocalUpkeep({ sql: local.sql, writes: services.writes });
  const stopUpkeep = journal.onAppend(() => upkeep.factAppended());
  const withDevices = options.devices ?? true;
  // What facts set off (the drawer, then the receipt; the customer display) follows the journal
  // from each reaction's cursor: started before the first call, so no fact is missed, and
  // catching up at once on what a crash left undone.
  let reactions: FactReactions | null = null;
  if (withDevices) {
    try {
      reactions = await startFactReactions({
        journal,
        sql: local.sql,
        onStuck: reportStuckReactions(services),
        reactions: [cashDrawerReaction(services), receiptsReaction(services), customerDisplayReaction(services)],
      });
    } catch (err) {
      journal.close();
      await local.close();
      lock.release();
      throw err;
    }
  }
  const stopReacting = journal.onAppend(() => reactions?.wake());
  // Devices come up behind the ready-to-sell screen: a scanner that is slow to open, or missing,
  // never delays the first sale.
  const stopDisplayFeed = withDevices
    ? feedCustomerDisplay({
        events,
        display: () => hardware.display(),
        storeName: async () => {
          if (!services.terminal) return null;
          const [row] = await local.sql.query<{ name: string }>(`SELECT name FROM business.businesses WHERE id = $1`, [
            services.terminal.businessId,
          ]);
          return row?.name ?? '';
        },
      })
    : () => undefined;
  let devicesStarted = Promise.resolve();
  const startDevices = () => {
    if (!withDevices) return;
    devicesStarted = devicesStarted
      .then(() => startRegisterDevices(services))
      .catch((err: unknown) => log.warn({ err }, 'devices: the register devices could not start'));
  };
  // Jobs left from before print once the printers' profiles (code page, logo) are known; a
  // maintenance command prints nothing.
  const resumeSpool = () => {
    if (withDevices)
      void devicesStarted.then(() => spool.resume()).catch((err: unknown) => log.warn({ err }, 'print spool: could not resume'));
  };
  startDevices();
  resumeSpool();
  if (options.sync ?? true) {
    services.sync = buildSyncLoop(services, dataDir, options.syncTuning);
    services.sync?.start();
    services.giftCards = centralClientFor(services, dataDir, (at) => new CentralGiftCards(at));
    services.catalogConflicts = centralClientFor(services, dataDir, (at) => new CentralConflicts(at));
    // The watch over open card charges learns of their changes from central's webhooks.
    chargeWatch = centralClientFor(
      services,
      dataDir,
      (at) => new ChargeWatch(services, new CentralCardNotices(at), options.cardChargeWatch),
    );
    services.chargeWatch = chargeWatch;
    chargeWatch?.start();
  }
  const stamping =
    (options.stamping ?? options.sync ?? true) && !services.sync ? startStamping(services, dataDir, options.stampingTuning) : null;
  // Charges a crash, a kill or a cut left between "sent" and "answer stored": each asked about
  // again with its own key, in the background (a provider that is down must not hold the start).
  const chargesSettled =
    (options.sync ?? true)
      ? settleOpenCharges(services)
          .catch((err: unknown) => log.warn({ err }, 'card charges: the open ones could not be settled at start'))
          // Then card refunds given at the provider whose return or void was never recorded: the managers are told.
          .then(() => announceUnrecordedRefundsAtStart(services))
      : Promise.resolve();
  let closing: Promise<void> | undefined;
  return {
    dataDir,
    local,
    services,
    reconciliation,
    rebuilt,
    events,
    dispatch: (envelope) => dispatch(services, envelope),
    call: (name, input, opts) => call(services, name, input, opts),
    reloadTerminal() {
      services.terminal = readTerminal(dataDir);
      startDevices();
      resumeSpool();
    },
    close() {
      stopSyncKick();
      stopCheckpoints();
      stopUpkeep();
      upkeep.stop();
      stopReacting();
      clearTimeout(checkpointTimer);
      stopDisplayFeed();
      const sync = services.sync;
      services.sync = null;
      const giftCards = services.giftCards;
      services.giftCards = null;
      const conflicts = services.catalogConflicts;
      services.catalogConflicts = null;
      const watch = chargeWatch;
      services.chargeWatch = null;
      // Reactions first: the receipt in hand is kept before the spool and PGlite close under it.
      closing ??= (reactions ? reactions.stop() : Promise.resolve())
        .then(() => chargesSettled)
        .then(() => watch?.stop())
        .then(() => stamping?.stop())
        .then(() => (sync ? sync.stop().catch(() => undefined) : undefined))
        .then(() => giftCards?.close().catch(() => undefined))
        .then(() => conflicts?.close().catch(() => undefined))
        .then(() => devicesStarted)
        .then(() => Promise.all([spool.stop(), hardware.close()]))
        .then(() => services.writes(() => writeCheckpoint(local.sql, services.journal)))
        .catch(() => undefined)
        .then(() => local.close())
        .finally(() => {
          services.journal.close();
          lock.release();
        });
      return closing;
    },
  };
}

/**
 * Background stamping for a register without central, once keys/fiscal/ holds the CSD and the PAC
 * account. A CSD that does not open (a wrong password) is said in the log and selling goes on.
 */
function startStamping(services: EngineContainer, dataDir: string, tuning: EngineOptions['stampingTuning'] = {}): StampingLoop | null {
  if (!services.terminal) return null;
  const missing = missingFiscalSecrets(dataDir);
  if (missing.length > 0) {
    // Nothing to say when none is installed (a shop that does not invoice); half of them is a mistake.
    if (missing.length === 1) log.warn(`stamping: invoices are not stamped here until ${missing[0]} is installed`);
    return null;
  }
  try {
    const { pacTimeoutMs, ...loopTuning } = tuning;
    const secrets = { csd: loadCsd(dataDir), pac: pacClientFor(loadPacConfig(dataDir), pacTimeoutMs) };
    const terminal = services.terminal;
    return startStampingLoop(services, secrets, loopTuning, async (halt) => {
      const written = await services.writes(() =>
        notifyEmployeesWith(
          services.sql,
          terminal,
          'settings.manage',
          {
            severity: 'CRITICAL',
            title: 'Las facturas no se están timbrando',
            body: `${halt.message} Las facturas pedidas esperan pendientes; se timbrarán cuando se corrija.`,
            data: { code: `fiscal.${halt.reason.toLowerCase()}`, reason: halt.code },
          },
          services.now(),
        ),
      );
      if (written > 0) services.events.emit('notification', { severity: 'CRITICAL', code: `fiscal.${halt.reason.toLowerCase()}` });
    });
  } catch (err) {
    log.error({ alarm: 'fiscal.secrets' }, `stamping: invoices are not stamped here: ${(err as Error).message}`);
    return null;
  }
}

/**
 * What the register asks central directly (gift-card balances, catalog conflicts, card notices),
 * over the same login as the loop, when this terminal has a central: `make` builds it from
 * central's address and this register. Without a central, or with a sync.json buildSyncLoop
 * has already warned about, there is none.
 */
function centralClientFor<T>(services: EngineContainer, dataDir: string, make: (at: { url: string; registerId: string }) => T): T | null {
  let config;
  try {
    config = readSyncConfig(dataDir);
  } catch {
    return null; // buildSyncLoop has said why
  }
  if (!config || !services.terminal) return null;
  return make({ url: config.url, registerId: services.terminal.registerId });
}

/** The loop to central when this terminal has been configured for it; a bad sync.json is a warning, not a refusal to sell. */
export function buildSyncLoop(services: EngineContainer, dataDir: string, tuning: EngineOptions['syncTuning'] = {}): SyncLoop | null {
  let config;
  try {
    config = readSyncConfig(dataDir);
  } catch (err) {
    log.warn({ err }, `sync: not syncing with central: ${(err as Error).message}`);
    return null;
  }
  const terminal = services.terminal;
  if (!config || !terminal) return null;
  const alertQuarantine = quarantineAlerts({
    sql: services.sql,
    terminal,
    writes: services.writes,
    now: services.now,
    notified: () => services.events.emit('notification', { severity: 'WARNING', code: 'sync.quarantine' }),
  });
  return new SyncLoop({
    dataDir,
    journal: services.journal,
    local: services.sql,
    terminal,
    config,
    writes: services.writes,
    now: services.now,
    ...tuning,
    onStatus: (status) => {
      services.events.emit('sync.status', status);
      alertQuarantine(status);
    },
    onLongOutage: async (status) => {
      const minutes = Math.round((services.now().getTime() - Date.parse(status.failingSince!)) / 60_000);
      const written = await services.writes(() =>
        notifyEmployeesWith(
          services.sql,
          terminal,
          'sync.manage',
          {
            severity: 'WARNING',
            title: 'Sin conexión con la central',
            body: `Esta caja no ha podido enviar ventas a la central durante ${minutes} minutos. Las ventas siguen guardadas aquí. Último error: ${status.lastError ?? 'desconocido'}`,
            data: { code: 'sync.outage', minutes, pending: status.pending, lastError: status.lastError, since: status.failingSince },
          },
          services.now(),
        ),
      );
      if (written > 0) services.events.emit('notification', { severity: 'WARNING', code: 'sync.outage' });
    },
  });
}
