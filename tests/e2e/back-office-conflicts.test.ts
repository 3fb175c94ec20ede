// The back office's Conflictos tab in Debian's Chromium at 1024×768, on CAJA-2 of a store whose
// two registers sync with the real PostgreSQL server: CAJA-2 renamed a product and changed a
// variant's price while a proxy kept it off central, CAJA-1 changed both first, and central kept
// CAJA-2's edits as conflicts. The owner opens the back office (password and a recovery code:
// central sends no passwords, so she was given one on this register), Alt+9 shows both sides of
// each conflict field by field, and she keeps CAJA-2's name (central then has it) and central's
// price (nothing changes). Screenshots land in test-results/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import type { CallOutput } from '#engine/dispatch.ts';
import type { RunningServer } from '#engine/server/serve.ts';
import { readSyncConfig, writeSyncConfig } from '#engine/sync/sync-config.ts';
import { screenshotStep } from '../support/browser.ts';
import type { TestDatabase } from '../support/central.ts';
import { startChaosProxy, type ChaosProxy } from '../support/chaos-proxy.ts';
import { serveCounter, signInAs, type ServedCounter } from '../support/counter-page.ts';
import { ok } from '../support/demo-engine.ts';
import { type LocalBackOffice, stepUpOnThisTerminal } from '../support/synced-step-up.ts';
import { createCentral, demo, openTerminal, provisionMany, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

type Detail = CallOutput<'catalog.product'>;

describe('catalog conflicts in the back office', () => {
  let database: TestDatabase;
  let central: Central;
  let proxy: ChaosProxy;
  let first: TestTerminal;
  let second: TestTerminal;
  let counter: ServedCounter;
  let server: RunningServer;
  let page: Page;
  let errors: string[];
  let office: LocalBackOffice;
  let named: Detail;
  let priced: Detail;
  const owner = demo.store.employees[0]!;
  const name = 'an owner sees both sides of each catalog conflict and keeps one';
  const shot = (step: string) => screenshotStep(page, name, step);

  beforeAll(async () => {
    let registerIds: string[];
    ({ database, central, registerIds } = await createCentral('conflicts_e2e', 2));
    proxy = await startChaosProxy(Number(new URL(database.url).port || 5432));
    const [dirA, dirB] = await provisionMany(central, database.url, registerIds, 'conflicts-e2e');
    const config = readSyncConfig(dirB!)!;
    const viaProxy = new URL(config.url);
    viaProxy.port = String(proxy.port);
    writeSyncConfig(dirB!, { ...config, url: viaProxy.toString() });
    first = await openTerminal(dirA!, registerIds[0]!);
    second = await openTerminal(dirB!, registerIds[1]!);

    const [ownerRow] = await first.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '001'`);
    const signedIn = async (t: TestTerminal) => {
      const token = ok(await t.engine.call('auth.signInWithPin', { employeeId: ownerRow!.id, pin: owner.pin })).token;
      return { token, office: await stepUpOnThisTerminal(t.engine, ownerRow!.id, token) };
    };
    const atFirst = await signedIn(first);
    const atSecond = await signedIn(second);
    office = atSecond.office;
    const rows = await first.engine.services.sql.query<{ id: string }>(
      `SELECT p.id FROM inventory.products p
       WHERE p.sold_by = 'UNIT' AND p.deleted_at IS NULL
         AND (SELECT count(*) FROM inventory.product_variants v WHERE v.product_id = p.id AND v.deleted_at IS NULL) = 1
       ORDER BY p.id LIMIT 2`,
    );
    const picked = await Promise.all(
      rows.map(async (r) => ok(await first.engine.call('catalog.product', { productId: r.id }, { token: atFirst.token }))),
    );
    named = picked[0]!;
    priced = picked[1]!;
    const rename = (p: Detail, to: string) => ({
      id: p.id,
      version: p.version,
      name: to,
      ...(p.brand ? { brand: p.brand } : {}),
      ...(p.description ? { description: p.description } : {}),
      categoryId: p.categoryId,
      soldBy: p.soldBy,
      unit: p.unit,
      taxCode: p.taxCode,
      ...(p.fiscalProductCode ? { fiscalProductCode: p.fiscalProductCode } : {}),
      ...(p.fiscalUnitCode ? { fiscalUnitCode: p.fiscalUnitCode } : {}),
      isActive: p.isActive,
    });
    const variant = priced.variants[0]!;
    proxy.refuse(true);
    proxy.cutAll();
    ok(await second.engine.call('catalog.saveProduct', rename(named, 'Jabón de tocador (caja 2)'), { token: atSecond.token }));
    ok(
      await second.engine.call(
        'catalog.setPrice',
        { variantId: variant.id, version: variant.version, price: '41.50' },
        { token: atSecond.token },
      ),
    );
    ok(await first.engine.call('catalog.saveProduct', rename(named, 'Jabón de tocador 150 g'), { token: atFirst.token }));
    ok(
      await first.engine.call(
        'catalog.setPrice',
        { variantId: variant.id, version: variant.version, price: '39.90' },
        { token: atFirst.token },
      ),
    );
    await waitFor(() => first.status().pending === 0, 30_000, "CAJA-1's push");
    proxy.refuse(false);
    await waitFor(() => second.status().pending === 0, 30_000, "CAJA-2's push");
    await waitFor(
      async () => (await central.sql.query('SELECT 1 FROM sync.catalog_conflicts')).length === 2,
      10_000,
      'the two conflicts at central',
    );
    counter = await serveCounter(second.engine, { viewport: { width: 1024, height: 768 } });
    ({ server, page, errors } = counter);
  }, 240_000);

  afterAll(async () => {
    await counter?.close();
    await second?.dispose();
    await first?.dispose();
    await proxy?.close();
    await central?.close();
    await database?.drop();
  });

  it(name, async () => {
    await page.goto(server.url);
    await signInAs(page, owner.displayName, owner.pin);
    await page.getByLabel('Escanee o escriba un código').waitFor();
    await page.keyboard.press('Control+b');
    await page.getByRole('dialog', { name: 'Confirme que es usted' }).waitFor();
    await page.getByLabel(`Contraseña de ${owner.displayName}`).fill(office.password);
    await page.getByLabel('Código de la app de autenticación').fill(office.recoveryCodes[0]!);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.keyboard.press('Alt+9');
    expect(await page.getByRole('tab', { name: /Conflictos/ }).getAttribute('aria-selected')).toBe('true');
    const product = page.getByRole('article', { name: 'Producto Jabón de tocador 150 g' });
    await product.waitFor();
    const variantCard = page.getByRole('article', { name: `Variante ${priced.variants[0]!.sku} de ${priced.name}` });
    await variantCard.waitFor();
    // In the order CAJA-2 made the edits.
    expect(await page.locator('article h3').allTextContents()).toEqual([
      'Producto Jabón de tocador 150 g',
      `Variante ${priced.variants[0]!.sku} de ${priced.name}`,
    ]);
    // Side by side: the field, what CAJA-2 saved, what central has.
    expect(await product.getByRole('columnheader').allTextContents()).toEqual(['Dato', 'Lo guardado en CAJA-2', 'Lo que tiene la central']);
    expect(await product.getByRole('row').nth(1).textContent()).toBe('NombreJabón de tocador (caja 2)Jabón de tocador 150 g');
    expect(await variantCard.getByRole('row').nth(1).textContent()).toBe('Precio$41.50$39.90');
    expect(await product.textContent()).toContain(`Guardado en CAJA-2 por ${owner.displayName}, y la central ya tenía otro cambio.`);
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth <= window.innerWidth && document.documentElement.scrollHeight <= window.innerHeight,
      ),
    ).toBe(true);
    await shot('both sides of each conflict');

    await product.getByRole('button', { name: 'Conservar lo de CAJA-2: Jabón de tocador 150 g' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Se conserva lo de CAJA-2 en Jabón de tocador 150 g: se guardó de nuevo y llegará a todas las cajas.' })
      .waitFor();
    await product.waitFor({ state: 'detached' });
    await waitFor(
      async () =>
        (await central.sql.query<{ name: string }>('SELECT name FROM inventory.products WHERE id = $1', [named.id]))[0]!.name ===
        'Jabón de tocador (caja 2)',
      30_000,
      "CAJA-2's name at central",
    );
    await shot('the name CAJA-2 saved is kept');

    await variantCard.getByRole('button', { name: /^Conservar lo de la central: / }).click();
    await page.getByRole('status').filter({ hasText: 'No hay conflictos: la central tomó todos los cambios al catálogo.' }).waitFor();
    expect(
      (
        await central.sql.query<{ price: string }>('SELECT price::text AS price FROM inventory.product_variants WHERE id = $1', [
          priced.variants[0]!.id,
        ])
      )[0],
    ).toEqual({ price: '39.9000' });
    await shot('no conflicts left');
    expect(errors).toEqual([]);
  }, 120_000);
});
