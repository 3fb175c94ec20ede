// The engine's container: what every handler works with (the database, the journal, this
// terminal, the PII sealer, the clock), built once by engine.ts and passed to each call.
import type { AppDb } from '#db/app-db.ts';
import type { Journal } from '#db/journal.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import { EngineError } from './errors.ts';
import type { Sealer } from './security/sealed-json.ts';
import type { ThrottlePolicy } from './services/auth/throttle.ts';
import type { Terminal } from './terminal.ts';
import type { WriteQueue } from './write-queue.ts';
import type { CartCache } from './services/sales/cart.ts';
import type {
  CardTerminals,
  CatalogConflictSource,
  ChargeWatchControl,
  GiftCardLedger,
  PrintQueue,
  RegisterHardware,
  SyncControl,
} from './ports.ts';
import type { ServerEventBus } from './server-events.ts';

export type EngineContainer = {
  db: AppDb;
  sql: SqlDatabase;
  /** The durable record: facts are acknowledged only after they are appended here. */
  journal: Journal;
  /** Serialises changes to sales, shifts and cash (see write-queue.ts). */
  writes: WriteQueue;
  /** Carts as last written (see cart.ts). */
  carts: CartCache;
  /** Receipts and reports on their way to a printer (ports.ts; devices/printer/print-spool.ts). */
  spool: PrintQueue;
  /** This register's scanners, display and scale, kept in step with its settings (ports.ts; devices/register-devices.ts). */
  devices: RegisterHardware;
  /** What the engine tells the renderer unasked (device status, scans, printer queues). */
  events: ServerEventBus;
  terminal: Terminal | null;
  /** The push/pull loop to central; null for a terminal with no sync.json (the demo store) or a maintenance command. */
  sync: SyncControl | null;
  /** Central's gift-card ledger (ports.ts); null for a terminal with no central: the register is then its cards' only authority. */
  giftCards: GiftCardLedger | null;
  /** Learns of card charges' changes from the webhooks central received (charge-watch.ts); null for a terminal with no central. */
  chargeWatch: ChargeWatchControl | null;
  /** Central's record of the business's catalog conflicts (ports.ts); null for a terminal with no central. */
  catalogConflicts: CatalogConflictSource | null;
  sealer: Sealer;
  /** The provider clients of this register's integrated card terminal (ports.ts). */
  cardTerminals: CardTerminals;
  throttle: ThrottlePolicy;
  now(): Date;
  sleep(ms: number): Promise<void>;
};

export function requireTerminal(services: EngineContainer): Terminal {
  if (!services.terminal) throw new EngineError('TERMINAL_NOT_CONFIGURED', 'this terminal has no business, branch and register yet');
  return services.terminal;
}
