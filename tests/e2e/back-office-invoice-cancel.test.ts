// Cancelling a stamped invoice from the back office, in Debian's Chromium against serve mode at
// 1024×768, with a loopback Finkok. Three invoices were asked for at the counter: the older two are
// stamped, the newest waits. The manager opens "Facturas" (Alt+6), goes down the list with the
// keyboard (the waiting one offers no cancellation); on the second, whose cancellation someone else
// asked for meanwhile, the engine's refusal is said in words. On the oldest, Alt+C, the SAT's
// motive 02 and why, and the row reads "Cancelación solicitada"; the fiscal loop's pass against
// the PAC then cancels both, and the list read again says "Cancelada".
// Screenshots land in test-results/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explained, screenshotStep } from '../support/browser.ts';
import type { DemoEngine } from '../support/counter-page.ts';
import { ok, signIn } from '../support/demo-engine.ts';
import {
  ARROZ,
  CUSTOMERS,
  type FiscalPasses,
  focusedName,
  type InvoicingCounter,
  invoiceRows,
  openInvoicesTab,
  startInvoicingCounter,
  type Till,
} from '../support/invoicing-counter.ts';

const WHY = 'El RFC del cliente estaba mal escrito';

describe('cancelling an invoice from the back office', () => {
  let counter: InvoicingCounter;
  let demo: DemoEngine;
  let page: Page;
  let errors: string[];
  let stampedUuid: string;
  /** The second invoice, whose cancellation is asked for behind the manager's back. */
  let otherId: string;
  const name = 'a manager cancels a stamped invoice by keyboard and reads the SAT’s answer in the list';
  const shot = async (step: string) => {
    await screenshotStep(page, name, `${step} 1024x768`);
  };
  const rows = () => invoiceRows(page);
  const focused = () => focusedName(page);

  /** Three invoices asked for at the counter: the first two stamped, the third still waiting. */
  async function invoicedSales(d: DemoEngine, till: Till, fiscal: FiscalPasses) {
    for (const [i, receiver] of CUSTOMERS.entries()) {
      const sale = await till.sell([ARROZ]);
      const invoice = await till.invoice(sale.id, receiver);
      d.clock.advance(5 * 60_000);
      if (i === 1) {
        const stamped = await fiscal.stamp();
        expect(stamped.map((o) => o.status)).toEqual(['ISSUED', 'ISSUED']);
        stampedUuid = stamped[0]!.uuid!;
        otherId = invoice.id;
      }
    }
  }

  beforeAll(async () => {
    counter = await startInvoicingCounter('e2e-back-office-invoice-cancel', {
      start: new Date(Date.now() - 3600_000),
      prepare: invoicedSales,
    });
    ({ demo, page, errors } = counter);
  }, 180_000);
  afterAll(() => counter?.close());

  it(name, async () => {
    await openInvoicesTab(counter, 2);
    const action = page.getByRole('button', { name: /Cancelar factura/ });
    expect(await action.getAttribute('aria-keyshortcuts')).toBe('Alt+C');
    expect(await action.isDisabled()).toBe(true);

    // From the filter, Tab reaches the list (one page: the pager's buttons are off); ↓ goes down it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('bo-invoices-filter');
    await page.keyboard.press('Tab');
    await expect.poll(focused).toBe('Elegir A-CAJA-1 folio 3');
    // The waiting one offers no cancellation, and Alt+C there does nothing.
    await page.keyboard.press('Alt+c');
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await action.isDisabled()).toBe(true);

    // The second: someone else asks for its cancellation while the manager looks at the list.
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('Elegir A-CAJA-1 folio 2');
    const elsewhere = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
    ok(
      await demo.engine.call(
        'invoices.cancel',
        { invoiceId: otherId, motive: '03', reason: 'La venta no se hizo', idempotencyKey: 'e2e-invoice-cancel-elsewhere' },
        { token: elsewhere },
      ),
    );
    await page.keyboard.press('Alt+c');
    const otherDialog = page.getByRole('dialog', { name: 'Cancelar la factura A-CAJA-1 folio 2' });
    await explained(page, () => otherDialog.waitFor());
    await page.keyboard.press('Enter');
    await page.getByLabel('Por qué se cancela').fill('Datos equivocados');
    await page.keyboard.press('Enter');
    await explained(page, () => otherDialog.getByRole('alert').waitFor());
    expect(await otherDialog.getByRole('alert').textContent()).toBe(
      'Ya se pidió cancelar esta factura y el SAT no ha terminado de responder (solicitada, sin respuesta aún).',
    );
    await shot('refused: a request already waits');
    await page.keyboard.press('Escape');
    await otherDialog.waitFor({ state: 'detached' });
    // The list behind it was read again: the other request shows.
    await expect.poll(async () => (await rows())[1]![3]).toMatch(/^Timbrada Cancelación solicitada/);
    expect(await action.isDisabled()).toBe(true);

    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('Elegir A-CAJA-1 folio 1');
    await expect.poll(() => action.isDisabled()).toBe(false);
    await shot('the stamped invoice chosen');

    // Esc leaves the dialog and stays in the back office, on the same row.
    await page.keyboard.press('Alt+c');
    const dialog = page.getByRole('dialog', { name: 'Cancelar la factura A-CAJA-1 folio 1' });
    await explained(page, () => dialog.waitFor());
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('tab', { name: /Facturas/ }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(focused).toBe('Elegir A-CAJA-1 folio 1');

    await page.keyboard.press('Alt+c');
    await dialog.waitFor();
    expect(await dialog.locator('#bo-cancel-what').textContent()).toBe(`EMILIANO GOMEZ DIAZ, por $31.50. Folio fiscal ${stampedUuid}.`);
    // An invoice to a customer: the SAT's 02 and 03, not the global's 04.
    const motives = await dialog.getByRole('radio').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(motives).toEqual(['02', '03']);
    expect(await dialog.getByText('Comprobante emitido con errores sin relación').count()).toBe(1);
    expect(await dialog.getByText('No se llevó a cabo la operación').count()).toBe(1);
    const confirm = dialog.getByRole('button', { name: /Pedir la cancelación/ });
    expect(await confirm.isDisabled()).toBe(true);
    // Space checks the motive the keyboard is on (the scan guard lets a person's Space press a
    // control); ↓ ↑ move among the motives; Enter takes 02 and goes on to the reason, which is required.
    await page.keyboard.press('Space');
    await expect.poll(() => dialog.getByRole('radio', { name: /^02/ }).isChecked()).toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => dialog.getByRole('radio', { name: /^03/ }).isChecked()).toBe(true);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('bo-cancel-reason');
    expect(await dialog.getByRole('radio', { name: /^02/ }).isChecked()).toBe(true);
    expect(await confirm.isDisabled()).toBe(true);
    // Filled rather than typed: keys that fast would be a scanner's burst to the scan guard.
    await page.getByLabel('Por qué se cancela').fill(WHY);
    expect(await confirm.isDisabled()).toBe(false);
    await shot('the motive and the reason');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    await explained(page, () =>
      page.getByRole('status').filter({ hasText: 'Se pidió al SAT cancelar la factura A-CAJA-1 folio 1' }).waitFor(),
    );
    await expect.poll(async () => (await rows())[2]![3]).toBe(`Timbrada Cancelación solicitada Folio fiscal ${stampedUuid}`);
    // No second request while this one waits.
    await expect.poll(() => action.isDisabled()).toBe(true);
    const written = await demo.engine.services.sql.query<{ motive: string; reason: string }>(
      'SELECT motive, reason FROM billing.invoice_cancellations ORDER BY created_at',
    );
    expect(written).toEqual([
      { motive: '03', reason: 'La venta no se hizo' },
      { motive: '02', reason: WHY },
    ]);
    await shot('cancellation asked for');

    // The fiscal loop's pass: the SAT accepts. The list, read again (Alt+1 and back), says so.
    const cancelled = await counter.fiscal.cancel();
    expect(cancelled.map((o) => o.state)).toEqual(['ACCEPTED', 'ACCEPTED']);
    await page.keyboard.press('Alt+1');
    await page.keyboard.press('Alt+6');
    await expect
      .poll(async () => (await rows())[2]?.[3])
      .toBe(`Cancelada Motivo 02: Comprobante emitido con errores sin relación Folio fiscal ${stampedUuid}`);
    await shot('cancelled by the SAT');
    expect(errors).toEqual([]);
  }, 120_000);
});
