// A credit note the SAT refused on its own, written again from the back office, in Debian's
// Chromium against serve mode at 1024×768, with a loopback Finkok, by keyboard alone. A customer's
// sale was invoiced and stamped; one agua de piña came back, and the PAC refused the credit note
// the return wrote (its invoice still stands), which left the return given back by nothing. The
// manager opens "Facturas" (Alt+6), goes to the refused note (its row says why) and presses Alt+N:
// another credit note for the same return heads the list, waiting for its stamp; the fiscal loop's
// next pass stamps it. Screenshots land in test-results/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotStep } from '../support/browser.ts';
import type { DemoEngine } from '../support/counter-page.ts';
import {
  AGUA_PINA,
  CUSTOMERS,
  type FiscalPasses,
  focusedName,
  type InvoicingCounter,
  invoiceRows,
  openInvoicesTab,
  startInvoicingCounter,
  type Till,
} from '../support/invoicing-counter.ts';

describe('a refused credit note written again from the back office', () => {
  let counter: InvoicingCounter;
  let page: Page;
  let errors: string[];
  let returnNumber: number;
  const name = 'a manager has a credit note the SAT refused written again for its return';

  async function refusedCreditNote(d: DemoEngine, till: Till, fiscal: FiscalPasses) {
    const sale = await till.sell([{ code: AGUA_PINA, quantity: '2' }]);
    await till.invoice(sale.id, CUSTOMERS[0]);
    d.clock.advance(5 * 60_000);
    expect((await fiscal.stamp()).map((o) => o.status)).toEqual(['ISSUED']);
    ({ returnNumber } = await till.giveBack(sale, [{ lineNo: 1, quantity: '1' }]));
    d.clock.advance(5 * 60_000);
    fiscal.pac.script({ reject: { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' } });
    expect((await fiscal.stamp()).map((o) => o.status)).toEqual(['REJECTED']);
  }

  beforeAll(async () => {
    counter = await startInvoicingCounter('e2e-back-office-credit-again', {
      start: new Date(Date.now() - 3600_000),
      prepare: refusedCreditNote,
    });
    ({ page, errors } = counter);
  }, 180_000);
  afterAll(() => counter?.close());

  it(name, async () => {
    await openInvoicesTab(counter, 2);
    const action = page.getByRole('button', { name: /Emitir otra nota de crédito/ });
    expect(await action.textContent()).toBe('Emitir otra nota de crédito Alt+N');
    expect(await action.isDisabled()).toBe(true);
    // The refused note heads the list, with the SAT's words.
    expect((await invoiceRows(page))[0]![3]).toContain('Rechazada');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('Elegir NC-A-CAJA-1 folio 1');
    await expect.poll(() => action.isDisabled()).toBe(false);
    await screenshotStep(page, name, 'the refused credit note chosen 1024x768');
    await page.keyboard.press('Alt+n');
    await expect
      .poll(() => page.getByRole('status').allInnerTexts())
      .toContainEqual(`Se emitió la nota de crédito NC-A-CAJA-1 folio 2 para la devolución ${returnNumber}, pendiente de timbrar.`);
    const listed = await invoiceRows(page);
    expect(listed.map((r) => [r[0], r[3]?.split(' ')[0]])).toEqual([
      [
        `Nota de crédito NC-A-CAJA-1 folio 2 Devolución ${returnNumber} del ticket ${listed[0]![0]!.split('ticket ')[1]!.split(';')[0]}; corrige A-CAJA-1 folio 1`,
        'Pendiente',
      ],
      [expect.stringContaining('Nota de crédito NC-A-CAJA-1 folio 1'), 'Rechazada'],
      ['Factura A-CAJA-1 folio 1', 'Timbrada'],
    ]);
    // The refused one offers nothing more: its return is accounted for again.
    await screenshotStep(page, name, 'the new credit note pending 1024x768');
    expect((await counter.fiscal.stamp()).map((o) => o.status)).toEqual(['ISSUED']);
    expect(errors).toEqual([]);
  }, 120_000);
});
