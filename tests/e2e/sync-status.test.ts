// The status bar's central badge and the bell, in Chromium, on a terminal that syncs with the
// real PostgreSQL server through a proxy the test can cut: a manager sees "online, all sent",
// then records waiting while central is out of reach, the outage notification under the bell
// once it lasts, and everything sent again when central is back.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import type { RunningServer } from '#engine/server/serve.ts';
import { screenshotStep } from '../support/browser.ts';
import type { TestDatabase } from '../support/central.ts';
import { startChaosProxy, type ChaosProxy } from '../support/chaos-proxy.ts';
import { serveCounter, type ServedCounter } from '../support/counter-page.ts';
import { testClock } from '../support/demo-engine.ts';
import { createCentral, demo, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

describe('central status and notifications on screen', () => {
  let database: TestDatabase;
  let central: Central;
  let proxy: ChaosProxy;
  let terminal: TestTerminal;
  let counter: ServedCounter;
  let server: RunningServer;
  let page: Page;
  let errors: string[];
  const clock = testClock(new Date());
  const name = 'a manager sees central go away and come back, and the bell tells why';
  const shot = (step: string) => screenshotStep(page, name, step);

  beforeAll(async () => {
    let registerIds: string[];
    ({ database, central, registerIds } = await createCentral('sync_e2e', 1));
    proxy = await startChaosProxy(Number(new URL(database.url).port || 5432));
    const dir = await provisionDir(central, database.url, registerIds[0]!, 'sync-e2e', { alertAfterMinutes: 30 }, (url) => {
      const u = new URL(url);
      u.port = String(proxy.port);
      return u.toString();
    });
    terminal = await openTerminal(dir, registerIds[0]!, {
      now: clock.now,
      syncTuning: { idleMs: 200, settleSeconds: 0, backoff: { baseMs: 100, maxMs: 500 } },
    });
    counter = await serveCounter(terminal.engine);
    ({ server, page, errors } = counter);
  }, 180_000);

  afterAll(async () => {
    await counter?.close();
    await terminal?.dispose();
    await proxy?.close();
    await central?.close();
    await database?.drop();
  });

  it(name, async () => {
    const manager = demo.store.employees[1]!;
    await page.goto(server.url);
    await page.getByRole('button', { name: manager.displayName }).click();
    // Before anyone signs in the bar says nothing about connections (it used to say "Sin conexión").
    expect(await page.getByRole('status').allTextContents()).toEqual([]);
    await page.getByLabel(`PIN de ${manager.displayName}`).fill(manager.pin);
    await page.keyboard.press('Enter');
    const badge = page.getByRole('status').filter({ hasText: 'Central:' });
    await expect.poll(() => badge.textContent(), { timeout: 20_000 }).toBe('Central: en línea · todo enviado');
    // One state for where the register stands: no second "En línea" badge beside central's.
    expect(await page.getByRole('status').allTextContents()).not.toContain('En línea');
    await expect.poll(() => page.getByRole('button', { name: 'Notificaciones: 0 sin leer' }).count()).toBe(1);
    await shot('online, all sent');

    proxy.refuse(true);
    proxy.cutAll();
    await terminal.sell(2);
    await terminal.sell(1);
    await expect
      .poll(() => badge.textContent(), { timeout: 20_000 })
      .toMatch(/^Central: sin conexión desde \d{2}\/\d{2}\/\d{2}, .+ · \d+ por enviar$/);
    await shot('offline, sales waiting');

    // Half an hour later the managers hear about it.
    clock.advance(31 * 60_000);
    const bell = page.getByRole('button', { name: 'Notificaciones: 1 sin leer' });
    await bell.waitFor({ timeout: 20_000 });
    await bell.click();
    const panel = page.getByRole('dialog', { name: 'Notificaciones' });
    await expect.poll(() => panel.textContent()).toContain('Sin conexión con la central');
    await expect.poll(() => panel.textContent()).toMatch(/lleva 31 minutos sin poder enviar a la central; \d+ registros esperan/);
    await shot('the outage under the bell');
    await panel.getByRole('button', { name: 'Marcar todas como leídas' }).click();
    await page.getByRole('button', { name: 'Notificaciones: 0 sin leer' }).waitFor();

    proxy.refuse(false);
    await expect.poll(() => badge.textContent(), { timeout: 30_000 }).toBe('Central: en línea · todo enviado');
    await waitFor(() => terminal.status().pending === 0, 10_000, 'the push');
    await shot('back online, all sent');
    expect(errors).toEqual([]);
  }, 180_000);
});
