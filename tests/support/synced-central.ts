// One register syncing with a central database, beside what a central service needs (a private
// Redis, a real SMTP mailbox on loopback, a data directory): the setting of every test that
// follows a request from a register through central's workers. The service itself is started
// by the test, when and as its story needs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Central } from '#db/central.ts';
import { readCentralConfig } from '#engine/server/central/config.ts';
import { type RunningCentral, startCentralService } from '#engine/server/central/service.ts';
import { seedTemplates } from '#engine/server/central/notify/templates/template-store.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import { explained } from './browser.ts';
import type { TestDatabase } from './central.ts';
import { signInAs } from './counter-page.ts';
import { startPrivateRedis, type PrivateRedis } from './private-redis.ts';
import { startSmtpMailbox, type SmtpMailbox } from './smtp-mailbox.ts';
import { createCentral, demo, openTerminal, provisionDir, type TestTerminal } from './sync-fixture.ts';

export type SyncedCentral = {
  database: TestDatabase;
  central: Central;
  terminal: TestTerminal;
  redis: PrivateRedis;
  mailbox: SmtpMailbox;
  /** The service's data directory (where `pos central set-csd|set-pac` put a business's secrets). */
  dataDir: string;
  /** Starts the central service in this process on this database, Redis and data directory; `close` stops it. */
  startService(flags: Record<string, string>, env?: NodeJS.ProcessEnv): Promise<RunningCentral>;
  close(): Promise<void>;
};

/** A fresh database named `name`, its templates seeded, and one provisioned register signed in. */
export async function startSyncedCentral(name: string, options: { pullEverySeconds?: number } = {}): Promise<SyncedCentral> {
  const dataDir = mkdtempSync(join(tmpdir(), `pos-${name}-`));
  const [{ database, central, registerIds }, redis, mailbox] = await Promise.all([
    createCentral(name, 1),
    startPrivateRedis(),
    startSmtpMailbox(),
  ]);
  await seedTemplates(central.sql);
  const dir = await provisionDir(central, database.url, registerIds[0]!, name, options);
  const terminal = await openTerminal(dir, registerIds[0]!);
  const services: RunningCentral[] = [];
  return {
    database,
    central,
    terminal,
    redis,
    mailbox,
    dataDir,
    async startService(flags, env = {}) {
      const service = await startCentralService(
        readCentralConfig(
          { url: database.url, redis: redis.url, 'data-dir': dataDir, ...flags },
          { POS_CENTRAL_SMTP_URL: mailbox.url(), ...env },
        ),
      );
      services.push(service);
      return service;
    },
    async close() {
      for (const service of services) await service.stop();
      await terminal.dispose();
      await central.close();
      await mailbox.close();
      await redis.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The demo store's manager signs in at the counter and opens the back office with her password and code. */
export async function openBackOfficeAsManager(page: Page): Promise<void> {
  const manager = demo.store.employees[1]!;
  await signInAs(page, manager.displayName, manager.pin);
  await page.getByRole('button', { name: /Administración/ }).waitFor();
  await page.keyboard.press('Control+b');
  await page.getByRole('dialog', { name: 'Confirme que es usted' }).waitFor();
  await page.getByLabel(`Contraseña de ${manager.displayName}`).fill(manager.password!);
  await page.getByLabel('Código de la app de autenticación').fill(totpCodeAt(manager.totpSecret!, new Date()));
  await page.keyboard.press('Enter');
  await explained(page, () => page.getByRole('dialog').waitFor({ state: 'detached' }));
}
