// What most of the CLI's commands run on: the engine, central's database, devices and the fiscal
// keys. Imported when a command runs, never for help or a usage mistake, so those answer without
// loading PGlite, PostgreSQL's driver, SQLite or the serial ports. The UI's server and central's
// notifications, webhooks and self-invoicing are imported by the few commands that use them.
export { connectCentral, migrateCentral } from '#db/central.ts';
export { openJournal } from '#db/journal.ts';
export { acquireOwnerLock } from '#db/owner-lock.ts';
export { buildSyncLoop, openEngine } from './engine.ts';
export { readDemoStore } from './demo/demo-store.ts';
export { setUpDemoStore } from './demo/demo-terminal.ts';
export { tailAudit } from './services/audit/audit-tail.ts';
export { showLogs } from './log/log-reader.ts';
export { DEFAULT_MODEL, isKnownModel } from './devices/printer/escpos.ts';
export { printNow } from './devices/printer/print-spool.ts';
export { sendTestPage } from './devices/printer/test-page.ts';
export { discoverDevices } from './devices/discover.ts';
export { ensurePermissions } from './services/auth/grants.ts';
export { seedDemoStore } from './demo/seed.ts';
export { provisionTerminal } from './sync/provision.ts';
export { addRegister, formatRegisters, listRegisters, registerOf } from './sync/central-registers.ts';
export { setCentralPrice } from './sync/central-prices.ts';
export { provisioningSchema, readSyncConfig, writeSyncConfig } from './sync/sync-config.ts';
export { readTerminal, writeTerminal } from './terminal.ts';
export {
  fiscalKeysDir,
  installCsd,
  installPacConfig,
  loadCsd,
  loadPacConfig,
  pacClientFor,
  fiscalSecretsConfigured,
  pacConfigSchema,
} from './security/fiscal-secrets.ts';
export { SELF_INVOICING_PROBLEMS } from './services/settings/business-setting.ts';
export { stampPending } from './services/invoicing/stamp-pending.ts';
export { readSyncStatus, formatSyncStatus } from './sync/sync-status.ts';
export { askOpenConflicts, formatConflicts } from './sync/conflicts-status.ts';
export { formatReport, REPORT_KINDS, runCentralReport } from './services/reports/central-reports.ts';
export { installProviderSecrets, paymentKeysDir, providerSecretsSchema } from './security/payment-secrets.ts';
