// A credit note in the back office's list, in Debian's Chromium against serve mode at 1024×768,
// with a loopback Finkok. A customer's sale was invoiced and stamped; one of its two aguas de piña
// came back, and the credit note the return wrote was stamped after it. The manager opens
// "Facturas" (Alt+6) and reads it at the top as a "Nota de crédito" in its own series, with the
// return and the receipt it gave back on and the invoice it corrects, for what came back.
// Screenshots land in test-results/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotStep } from '../support/browser.ts';
import type { DemoEngine } from '../support/counter-page.ts';
import {
  AGUA_PINA,
  CUSTOMERS,
  type FiscalPasses,
  type InvoicingCounter,
  invoiceRows,
  openInvoicesTab,
  startInvoicingCounter,
  type Till,
} from '../support/invoicing-counter.ts';

describe('a credit note in the back office', () => {
  let counter: InvoicingCounter;
  let page: Page;
  let errors: string[];
  let receiptCode: string;
  let returnNumber: number;
  let uuids: string[];
  const name = 'a manager reads the credit note of a return beside the invoice it corrects';
  const rows = () => invoiceRows(page);

  /** An invoiced sale stamped, one of its lines given back, and the credit note stamped. */
  async function returnedInvoicedSale(d: DemoEngine, till: Till, fiscal: FiscalPasses) {
    const sale = await till.sell([{ code: AGUA_PINA, quantity: '2' }]);
    receiptCode = sale.receiptCode;
    await till.invoice(sale.id, CUSTOMERS[0]);
    d.clock.advance(5 * 60_000);
    const invoiceStamped = await fiscal.stamp();
    ({ returnNumber } = await till.giveBack(sale, [{ lineNo: 1, quantity: '1' }]));
    d.clock.advance(5 * 60_000);
    const noteStamped = await fiscal.stamp();
    uuids = [...invoiceStamped, ...noteStamped].map((o) => o.uuid!);
    expect(uuids).toHaveLength(2);
  }

  beforeAll(async () => {
    counter = await startInvoicingCounter('e2e-back-office-credit-note', {
      start: new Date(Date.now() - 3600_000),
      prepare: returnedInvoicedSale,
    });
    ({ page, errors } = counter);
  }, 180_000);
  afterAll(() => counter?.close());

  it(name, async () => {
    await openInvoicesTab(counter, 2);
    const listed = await rows();
    expect(listed.map((r) => r.slice(0, 3))).toEqual([
      [
        `Nota de crédito NC-A-CAJA-1 folio 1 Devolución ${returnNumber} del ticket ${receiptCode}; corrige A-CAJA-1 folio 1`,
        // A credit note is made out for uso G02, devoluciones.
        'EMILIANO GOMEZ DIAZ GODE561231GR8 Régimen 612 · C.P. 06000 · Uso G02',
        '$8.50',
      ],
      ['Factura A-CAJA-1 folio 1', 'EMILIANO GOMEZ DIAZ GODE561231GR8 Régimen 612 · C.P. 06000 · Uso G03', '$17.00'],
    ]);
    expect(listed.map((r) => r[3])).toEqual([`Timbrada Folio fiscal ${uuids[1]}`, `Timbrada Folio fiscal ${uuids[0]}`]);
    await screenshotStep(page, name, 'the credit note beside its invoice 1024x768');
    expect(errors).toEqual([]);
  }, 120_000);
});
