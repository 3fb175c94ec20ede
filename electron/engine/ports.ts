// What the engine's services may ask of this register's hardware, declared here and not in
// devices/: services/ and the fact reactions work with these shapes, devices/ implements them,
// and engine.ts plugs one into the other. So services never import devices, and devices, which
// only turn documents into bytes and talk to hardware, never import services.
import type { CardTerminalSetting, Codepage, RegisterDevices } from '#contract/device-settings.ts';
import type { BalanceStatus, CardProvider } from '#contract/payment-vocabulary.ts';
import type { CardTerminalProvider } from './payments/card-terminals/card-terminal.ts';
import type { ProviderSecrets } from './security/payment-secrets.ts';
import type { ServerEvents } from '#contract/events.ts';
import type { PrinterCondition, PrinterState } from '#contract/printer-state.ts';
import type { DeviceStatus } from '#contract/device-status.ts';
import type { SyncStatus } from '#contract/sync-status.ts';
import type { ReceiptDocument } from '#contract/receipt-document.ts';
import type { RECEIPT_KINDS } from '#db/schema/sales.ts';
import type { UncertainPrintChoice } from '#contract/sales-vocabulary.ts';
import type { SqlSession } from '#db/sql-session.ts';

export type { PrinterCondition, PrinterState } from '#contract/printer-state.ts';
export type { DeviceHealth, DeviceKind, DeviceState, DeviceStatus } from '#contract/device-status.ts';

/** What a printer said when a job or a drawer pulse reached it. */
export type JobOutcome = { statusSupported: boolean; conditions: PrinterCondition[] };

/** A register's printer as its settings describe it: where it is, the paper, how to encode for it. */
export type PrinterSetup = {
  uri: string;
  paperWidth: 58 | 80;
  /** A model the encoder knows (its code page table); the default model when unset. */
  model?: string | undefined;
  codepage?: Codepage | undefined;
  /** The store's logo (a PNG, base64) for documents with a logo block. */
  logo?: string | null;
  /** What to do with a job whose outcome is unknown: a copy marked as a reprint (the default), or ask the cashier. */
  uncertain?: UncertainPrintChoice;
};

export type UncertainJob = {
  receiptId: string;
  printerUri: string;
  kind: (typeof RECEIPT_KINDS)[number];
  saleId: string | null;
  createdAt: Date;
  reason: string | null;
};

export type NewPrintJob = {
  registerId: string;
  kind: (typeof RECEIPT_KINDS)[number];
  /** Null when the register has no printer: the document is kept (UNSENT) for the preview and a reprint. */
  printerUri: string | null;
  document: ReceiptDocument;
  saleId?: string | null;
  returnId?: string | null;
  shiftId?: string | null;
  employeeId?: string | null;
  /** The stamped invoice an INVOICE printout represents. */
  invoiceId?: string | null;
  /** The asking call's idempotency key: a second job with the same key is refused by the table's unique index. */
  requestKey?: string | null;
  copyNumber?: number;
  /**
   * At most one job of this kind and copy number for its sale (else its return, else its shift):
   * the original receipt of a fact, queued again after a crash, is not queued twice.
   */
  once?: boolean;
};

/** Receipts and reports kept (sales.receipts) until their printer has them, and what is sent at once. */
export type PrintQueue = {
  /**
   * Keeps the job and answers its id (null: `once` found it already kept). With `in`, the row is
   * written in the caller's transaction and the caller wakes the printer after it commits.
   */
  enqueue(job: NewPrintJob, opts?: { in?: SqlSession }): Promise<string | null>;
  /** Looks for waiting jobs on this printer now (after a job was kept, or the "retry" button). */
  wake(printerUri: string): void;
  retry(printerUri: string): void;
  /** How to encode for this printer (model, code page, logo), learnt before its jobs print. */
  usePrinter(printer: PrinterSetup): void;
  /** Opens the drawer now, ahead of any job (on its own connection), or fails: a drawer never opens later, in front of nobody. */
  openDrawer(printerUri: string): Promise<JobOutcome>;
  /** The cashier's word on a job whose outcome was unknown: it came out, or print a copy marked as a reprint. */
  settle(receiptId: string, outcome: 'PRINTED' | 'REPRINT', by: string): Promise<{ copyId: string | null }>;
  /** Jobs whose outcome is unknown, waiting for the cashier, oldest first. */
  uncertain(): Promise<UncertainJob[]>;
  /** The printer's own test page, sent at once; fails with the printer's error for whoever is setting it up. */
  printTestPage(printer: PrinterSetup, now: Date): Promise<JobOutcome & { document: ReceiptDocument }>;
  status(): Promise<PrinterState[]>;
  /** How a printer is, jobs or not (the register's own printer before its first job). */
  stateOf(printerUri: string): PrinterState;
};

export type HidPosDevice = {
  /** The address to configure the scanner with. */
  address: string;
  path: string | null;
  vendorId: number;
  productId: number;
  manufacturer: string | null;
  product: string | null;
  serialNumber: string | null;
};

/** What this machine has plugged in, for choosing a register's devices. */
export type PluggedIn = {
  serialPorts: { path: string; manufacturer: string | null; vendorId: string | null; productId: string | null }[];
  hidScanners: HidPosDevice[];
  usbPrinters: string[];
};

/** What the customer should see now, on the pole display and a customer-facing window (customer-facing.ts). */
export type { CustomerView } from '#contract/customer-view.ts';

/** This register's scanners, display and scale, kept in step with its settings. */
export type RegisterHardware = {
  status(): DeviceStatus[];
  apply(config: RegisterDevices): Promise<void>;
  scale(): { readWeight(): Promise<ServerEvents['scale.reading']> } | null;
  /** Never fails: a listing that cannot be made is empty. */
  discover(): Promise<PluggedIn>;
  close(): Promise<void>;
};

/** The push/pull loop to central as the handlers and the engine drive it (sync/sync-loop.ts implements it). */
export type SyncControl = {
  /** Push now (and pull too, with `pull`), rather than at the next tick. */
  kick(opts?: { pull?: boolean }): void;
  status(): SyncStatus;
  /** One push (and pull, with `pull`) now, answered when done: maintenance commands and tests wait on it. */
  syncOnce(opts?: { pull?: boolean }): Promise<{ pushed: number; pulled: number }>;
  start(): void;
  stop(): Promise<void>;
};

/**
 * The card providers' clients for this register's terminal, with the credentials installed here
 * (keys/payments/): opening one for a provider without credentials is an EngineError that says how
 * to install them (payments/card-terminals/providers.ts implements it).
 */
export type CardTerminals = {
  /** The provider's client with the credentials installed here, at the setting's base URL (the provider's own when unset). */
  open(setting: Pick<CardTerminalSetting, 'provider' | 'baseUrl'> & { terminalId?: string }): CardTerminalProvider;
  /** A client with these credentials rather than the installed ones: a token is tried before it is installed. */
  openWith(secrets: ProviderSecrets, at: Pick<CardTerminalSetting, 'baseUrl'>): CardTerminalProvider;
  /**
   * Installs (replaces) a provider's credentials on this register: the same files `pos payments
   * set-token` writes. keepWebhookSecret: credentials without one keep the webhook secret installed.
   */
  install(secrets: ProviderSecrets, opts?: { keepWebhookSecret?: boolean }): void;
  /** What is installed for a provider, nothing secret in it, or null when nothing is. */
  installed(provider: CardProvider): InstalledCredentials | null;
};

/** A provider's credentials as a screen may see them: the token's last four characters tell which one it is. */
export type InstalledCredentials = { tokenEnds: string; webhookSecret: boolean };

/** A gift card as central holds it: `held` is what other registers have set aside of it for sales they are completing. */
export type CentralGiftCard = {
  id: string;
  code: string;
  amount: string;
  held: string;
  currency: string;
  status: BalanceStatus;
  expiresAt: string | null;
};

export type GiftCardHold =
  | { ok: true; card: CentralGiftCard }
  | { ok: false; reason: 'UNKNOWN'; card: null }
  | { ok: false; reason: 'BLOCKED' | 'EXPIRED'; card: CentralGiftCard }
  | { ok: false; reason: 'BALANCE_TOO_LOW'; card: CentralGiftCard; available: string };

/**
 * Central's gift-card ledger, asked over this terminal's own login (sync/central-gift-cards.ts):
 * the authority on a card every register of the business may spend. A call that cannot reach
 * central in a few seconds throws CentralUnreachable, and the register decides on its own
 * within its offline limit; null on a terminal with no central (the register is then its own authority).
 */
export type GiftCardLedger = {
  card(code: string): Promise<CentralGiftCard | null>;
  /** Sets `amount` of the card aside for the sale; the same key answers the same hold. */
  hold(request: { code: string; amount: string; key: string; saleId: string }): Promise<GiftCardHold>;
  /** Gives a hold back (the sale did not complete with it); answered quietly when central cannot be reached (the hold lapses in a day). */
  release(key: string): Promise<void>;
  close(): Promise<void>;
};

/** A card provider's webhook as central kept it: the charge it named, and when a notice about it last arrived (central's clock). */
export type CardNotice = { reference: string; provider: CardProvider; at: string };

/**
 * The card providers' webhooks central received for this register's business, asked over the
 * terminal's own login (sync/central-card-notices.ts): a notice is only ever "ask the provider
 * about charge X". Throws CentralUnreachable when central does not answer in a few seconds.
 */
export type CardNoticeSource = {
  /** Of these references (at most 50), those a notice named, each with when one last arrived. */
  latest(references: string[]): Promise<CardNotice[]>;
  close(): Promise<void>;
};

/** The watch over this register's open card charges (services/payments/charge-watch.ts), as payments.charge uses it. */
export type ChargeWatchControl = {
  /** A charge was started or is on screen: look at once. */
  kick(): void;
  /** The stored row answers for the provider (and why it could not be asked last, if so), or null: ask it now. */
  storedAnswer(row: { id: string; provider: CardProvider; providerReference: string | null }): { unreachable: string | null } | null;
  /** The provider was just asked about the charge. */
  asked(chargeId: string, unreachable: string | null): void;
};

/** Central did not answer in time or could not be reached: nothing there is known to have changed. */
export class CentralUnreachable extends Error {
  override readonly name = 'CentralUnreachable';
}

/** Who or where, as central names them in a catalog conflict. */
export type CentralName = { id: string; name: string };

/**
 * A catalog edit central refused because its row had already moved past the edit's version
 * (db/central-migrations/c0029_catalog_conflicts.sql): the row as its register pushed it
 * (`ours`), central's row now (`theirs`) and when the conflict was recorded (`theirsThen`), every
 * number as text; the names of the categories either side names; how it was settled, if it was.
 */
export type CatalogConflictRecord = {
  id: string;
  table: 'inventory.products' | 'inventory.product_variants';
  rowId: string;
  ours: Record<string, unknown>;
  theirs: Record<string, unknown>;
  theirsThen: Record<string, unknown>;
  categories: Record<string, string>;
  product: CentralName | null;
  register: { id: string; code: string; name: string } | null;
  author: CentralName | null;
  createdAt: string;
  resolution: {
    choice: 'OURS' | 'THEIRS' | 'SUPERSEDED';
    resolvedAt: string;
    idempotencyKey: string | null;
    by: CentralName | null;
    register: { id: string; code: string; name: string } | null;
  } | null;
};

/**
 * Central's record of this business's catalog conflicts, asked over the terminal's own login
 * (sync/central-conflicts.ts). Throws CentralUnreachable when central does not answer in a few seconds.
 */
export type CatalogConflictSource = {
  /** The business's conflicts nobody has settled, oldest first. */
  open(): Promise<CatalogConflictRecord[]>;
  /** One conflict of the business, settled or not; null for one central does not know as the business's. */
  one(id: string): Promise<CatalogConflictRecord | null>;
  /**
   * Writes down the manager's choice (central checks they hold catalog.manage there). RESOLVED
   * again for the same key and choice; ALREADY_RESOLVED with the resolution that stands.
   */
  resolve(request: {
    conflictId: string;
    keep: 'OURS' | 'THEIRS';
    employeeId: string;
    key: string;
  }): Promise<{ outcome: 'RESOLVED' | 'ALREADY_RESOLVED'; conflict: CatalogConflictRecord } | { outcome: 'UNKNOWN' }>;
  close(): Promise<void>;
};
