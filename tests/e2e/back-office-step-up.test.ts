// The back office opened the right way, in Debian's Chromium against serve mode at 1024×768: the
// owner signs in with the PIN and, with no shift open yet, opens the back office (its button is
// on the opening-float screen, Ctrl+B does the same); it asks for her password and the code from
// her authenticator app (a wrong password is refused in her words), then every tab fits the
// screen with its table scrolling inside, and the tables sort by a header reached with Tab. When
// the confirmation runs out the next list that needs it asks again and then loads; leaving ends
// the step-up. Screenshots land in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import type { RunningServer } from '#engine/server/serve.ts';
import { screenshotStep } from '../support/browser.ts';
import { signInAs, startCounter, type Counter, type DemoEngine } from '../support/counter-page.ts';

/** "$1,234.50" or "$10.00–$12.00" (a range: its lowest) as a number, only to compare the order on screen. */
const shown = (money: string) => Number(money.split('–')[0]!.replace(/[^0-9.]/g, ''));
const inOrder = (values: number[], direction: 1 | -1) => values.every((v, i) => i === 0 || direction * (v - values[i - 1]!) >= 0);

describe('the back office opened the right way', () => {
  let counter: Counter;
  let demo: DemoEngine;
  let server: RunningServer;
  let page: Page;
  let errors: string[];
  const name = 'an owner opens the back office before the shift with password and code and sorts its tables';
  const shot = (step: string) => screenshotStep(page, name, step);
  const code = () => totpCodeAt(demo.people.owner.totpSecret, demo.clock.now());
  /** Each row's cells' text, for a table of `columns` columns. */
  const cells = async (columns: number) => {
    const all = await page.getByRole('table').getByRole('cell').allTextContents();
    return Array.from({ length: all.length / columns }, (_, i) => all.slice(i * columns, (i + 1) * columns));
  };
  /** Nothing wider or taller than the window: lists scroll inside the back office, not the page. */
  const fits = () =>
    page.evaluate(() => {
      const doc = document.documentElement;
      const screen = document.querySelector('main')!;
      // Every column whole on screen, none pushed out to the right of its scrolling box.
      const columnsShown = Array.from(document.querySelectorAll('th')).every((th) => {
        const box = th.closest('.bo-table-wrap')!.getBoundingClientRect();
        return th.getBoundingClientRect().right <= box.right + 0.5;
      });
      return {
        wide: doc.scrollWidth <= window.innerWidth,
        tall: doc.scrollHeight <= window.innerHeight,
        screenScrolls: screen.scrollHeight > screen.clientHeight,
        columnsShown,
      };
    });

  beforeAll(async () => {
    counter = await startCounter('e2e-back-office-step-up', { viewport: { width: 1024, height: 768 } });
    ({ demo, server, page, errors } = counter);
  }, 120_000);
  afterAll(() => counter?.close());

  it(name, async () => {
    await page.goto(server.url);
    await signInAs(page, 'Rosa María Núñez', demo.people.owner.pin);
    await page.getByLabel('Fondo de caja').waitFor();
    await page
      .getByRole('button', { name: /Administración/ })
      .filter({ hasText: 'Ctrl+B' })
      .waitFor();
    await shot('the opening float screen offers the back office');

    // Ctrl+B with no shift open; the PIN is not enough.
    await page.keyboard.press('Control+b');
    const dialog = page.getByRole('dialog', { name: 'Confirme que es usted' });
    await dialog.waitFor();
    await shot('asked for the password and the code');
    await page.getByLabel('Contraseña de Rosa María Núñez').fill('Esperanza-Dueña-2025');
    await page.getByLabel('Código de la app de autenticación').fill(code());
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('Contraseña incorrecta. Inténtelo de nuevo.');
    // The password is the field to type again, and has the keyboard.
    await expect.poll(() => page.getByLabel('Contraseña de Rosa María Núñez').evaluate((e) => e === document.activeElement)).toBe(true);
    await shot('a wrong password refused in place');
    await page.getByLabel('Contraseña de Rosa María Núñez').fill(demo.people.owner.password);
    await page.getByLabel('Código de la app de autenticación').fill(code());
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Confirmado hasta' }).waitFor();

    // Products: sorted by price with the keyboard alone (Tab from the SKU header to the price's, Enter).
    await page.getByRole('table').getByRole('row').nth(25).waitFor();
    const price = page.getByRole('columnheader', { name: 'Precio' });
    expect(await price.getAttribute('aria-sort')).toBe('none');
    await page.getByRole('button', { name: 'SKU', exact: true }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => price.getAttribute('aria-sort')).toBe('ascending');
    expect(
      inOrder(
        (await cells(5)).map((row) => shown(row[3]!)),
        1,
      ),
    ).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => price.getAttribute('aria-sort')).toBe('descending');
    const descending = (await cells(5)).map((row) => shown(row[3]!));
    expect(inOrder(descending, -1)).toBe(true);
    expect(descending[0]).toBeGreaterThan(descending.at(-1)!);
    expect(await fits()).toEqual({ wide: true, tall: true, screenScrolls: false, columnsShown: true });
    await shot('products sorted by price, highest first');

    // Stock, sorted by what there is, lowest first.
    await page.keyboard.press('Alt+2');
    await page
      .getByRole('button', { name: /^Existencias de / })
      .nth(10)
      .waitFor();
    await page.getByRole('button', { name: 'Existencia', exact: true }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Existencia' }).getAttribute('aria-sort')).toBe('ascending');
    const stock = (await cells(4)).map((row) => Number(row[2]!.replace(/[^0-9.]/g, '')));
    expect(inOrder(stock, 1)).toBe(true);
    expect(await fits()).toEqual({ wide: true, tall: true, screenScrolls: false, columnsShown: true });
    await shot('stock sorted by quantity');

    // Staff by name, then the other way round.
    await page.keyboard.press('Alt+3');
    await page.getByRole('button', { name: 'Editar a Ángela Ibáñez' }).waitFor();
    const byName = page.getByRole('button', { name: 'Nombre', exact: true });
    await byName.click();
    await expect.poll(async () => (await cells(5)).map((row) => row[1])).toEqual(['Ángela Ibáñez', 'Joaquín Peña', 'Rosa María Núñez']);
    await byName.click();
    await expect.poll(async () => (await cells(5)).map((row) => row[1])).toEqual(['Rosa María Núñez', 'Joaquín Peña', 'Ángela Ibáñez']);
    expect(await page.getByRole('columnheader', { name: 'Nombre' }).getAttribute('aria-sort')).toBe('descending');
    expect(await fits()).toEqual({ wide: true, tall: true, screenScrolls: false, columnsShown: true });
    await shot('staff sorted by name, descending');

    // Roles by the largest discount.
    await page.keyboard.press('Alt+4');
    await page.getByRole('button', { name: 'Editar el rol Cajero' }).waitFor();
    await page.getByRole('button', { name: 'Descuento máximo (%)', exact: true }).click();
    await expect.poll(async () => (await cells(3)).map((row) => row[1])).toEqual(['5 %', '30 %', '100 %']);
    expect(await fits()).toEqual({ wide: true, tall: true, screenScrolls: false, columnsShown: true });
    await shot('roles sorted by largest discount');
    // A role's editor (its permissions) fits too, scrolling inside.
    await page.getByRole('button', { name: 'Editar el rol Gerente' }).click();
    await page.getByRole('group', { name: 'Permisos' }).waitFor();
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth <= window.innerWidth && document.documentElement.scrollHeight <= window.innerHeight,
      ),
    ).toBe(true);
    await shot('a role in its editor');
    await page.getByRole('button', { name: 'Volver a la lista' }).click();

    // Sixteen minutes later the confirmation has run out: the staff list asks again, then loads.
    demo.clock.advance(16 * 60_000);
    await page.keyboard.press('Alt+3');
    await dialog.waitFor();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toBe('Pasó el tiempo de la confirmación. Vuelva a escribir su contraseña y el código.');
    await shot('asked again once the confirmation ran out');
    await page.getByLabel('Contraseña de Rosa María Núñez').fill(demo.people.owner.password);
    await page.getByLabel('Código de la app de autenticación').fill(code());
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Editar a Ángela Ibáñez' }).waitFor();

    // Esc goes back to the opening float, and the step-up ends with the visit.
    await page.keyboard.press('Escape');
    await page.getByLabel('Fondo de caja').waitFor();
    await expect
      .poll(
        async () =>
          (
            await demo.engine.services.sql.query(
              `SELECT count(*)::int AS n FROM auth.audit_logs WHERE action = 'auth.step_up_ended' AND actor_employee_id = $1`,
              [demo.people.owner.id],
            )
          )[0],
      )
      .toEqual({ n: 1 });
    expect(errors).toEqual([]);
  }, 120_000);
});
