// Replacing a stamped invoice by a corrected one (the SAT's motive 01) from the back office, in
// Debian's Chromium against serve mode at 1024×768, with a loopback Finkok, by keyboard alone. Two
// invoices were asked for at the counter: the older, to Emiliano Gómez with the wrong código postal
// and uso, is stamped; the newer waits (and offers no substitution). The manager opens "Facturas"
// (Alt+6), goes down to the stamped one, Alt+S: the dialog shows its receiver and the same data in
// the counter's fields to correct. A mistyped RFC is refused beside the RFC with all else kept;
// fixed, the substitute is written and heads the list, waiting for its stamp, above the invoice it
// replaces, whose cancellation (motive 01) is asked for. The fiscal loop's passes then stamp the
// substitute and cancel the replaced one with it, as the list read again says.
// Screenshots land in test-results/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explained, screenshotStep, typeLikeAPerson } from '../support/browser.ts';
import type { DemoEngine } from '../support/counter-page.ts';
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

const EMILIANO = CUSTOMERS[0];
const WHY = 'Su constancia dice C.P. 06700 y pidió uso G01';

describe('replacing a stamped invoice from the back office', () => {
  let counter: InvoicingCounter;
  let demo: DemoEngine;
  let page: Page;
  let errors: string[];
  let stampedUuid: string;
  const name = 'a manager replaces a stamped invoice by one to the corrected receiver, by keyboard';
  const shot = async (step: string) => {
    await screenshotStep(page, name, `${step} 1024x768`);
  };
  const rows = () => invoiceRows(page);
  const focused = () => focusedName(page);
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');

  /** Two invoices asked for at the counter: the first stamped, the second still waiting. */
  async function invoicedSales(d: DemoEngine, till: Till, fiscal: FiscalPasses) {
    await till.invoice((await till.sell([ARROZ])).id, EMILIANO);
    d.clock.advance(5 * 60_000);
    const stamped = await fiscal.stamp();
    expect(stamped.map((o) => o.status)).toEqual(['ISSUED']);
    stampedUuid = stamped[0]!.uuid!;
    await till.invoice((await till.sell([ARROZ])).id, CUSTOMERS[1]);
    d.clock.advance(5 * 60_000);
  }

  beforeAll(async () => {
    counter = await startInvoicingCounter('e2e-back-office-invoice-substitute', {
      start: new Date(Date.now() - 3600_000),
      prepare: invoicedSales,
    });
    ({ demo, page, errors } = counter);
  }, 180_000);
  afterAll(() => counter?.close());

  it(name, async () => {
    await openInvoicesTab(counter, 2);
    const action = page.getByRole('button', { name: /Sustituir \(motivo 01\)/ });
    expect(await action.textContent()).toBe('Sustituir (motivo 01) Alt+S');
    expect(await action.getAttribute('aria-keyshortcuts')).toBe('Alt+S');
    expect(await action.isDisabled()).toBe(true);

    // The waiting one offers no substitution, and Alt+S there does nothing.
    await page.keyboard.press('Tab');
    await expect.poll(focused).toBe('Elegir A-CAJA-1 folio 2');
    await page.keyboard.press('Alt+s');
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await action.isDisabled()).toBe(true);

    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('Elegir A-CAJA-1 folio 1');
    await expect.poll(() => action.isDisabled()).toBe(false);

    // Esc leaves the dialog and stays in the back office, on the same row.
    await page.keyboard.press('Alt+s');
    const dialog = page.getByRole('dialog', { name: 'Sustituir la factura A-CAJA-1 folio 1' });
    await explained(page, () => dialog.waitFor());
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('tab', { name: /Facturas/ }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(focused).toBe('Elegir A-CAJA-1 folio 1');

    await page.keyboard.press('Alt+s');
    await dialog.waitFor();
    // The receiver it has now, and the same data in the fields to correct, the keyboard on the RFC.
    const now = await dialog
      .getByRole('definition')
      .evaluateAll((dds) => dds.map((dd) => [dd.previousElementSibling?.textContent, dd.textContent]));
    expect(Object.fromEntries(now)).toEqual({
      RFC: EMILIANO.rfc,
      'Razón social': EMILIANO.name,
      'Régimen fiscal': EMILIANO.taxRegime,
      'Código postal': EMILIANO.postalCode,
      'Uso del CFDI': EMILIANO.cfdiUse,
    });
    expect(await dialog.locator('#bo-substitute-what p').textContent()).toBe(`Por $31.50. Folio fiscal ${stampedUuid}.`);
    const field = (label: string) => dialog.getByRole('group', { name: 'Receptor corregido' }).getByLabel(label, { exact: true });
    const values = async () =>
      Promise.all(['RFC', 'Razón social', 'Régimen fiscal', 'Código postal', 'Uso del CFDI'].map((l) => field(l).inputValue()));
    expect(await values()).toEqual([EMILIANO.rfc, EMILIANO.name, EMILIANO.taxRegime, EMILIANO.postalCode, EMILIANO.cfdiUse]);
    await expect.poll(focusedId).toBe('bo-substitute-taxId');
    // The régimen's name, from the SAT's catalog, as at the counter.
    await expect
      .poll(() => dialog.locator('#bo-substitute-taxRegime-hint').textContent())
      .toBe('Personas Físicas con Actividades Empresariales y Profesionales');
    const confirm = dialog.getByRole('button', { name: /Sustituir la factura/ });
    expect(await confirm.isDisabled()).toBe(true);
    await shot('the receiver now and the form to correct it');

    // The RFC retyped with a wrong check digit, the código postal and the uso corrected (↑ ↑ from
    // G03 steps through the usos of régimen 612 to G01), and why.
    await page.keyboard.press('Control+a');
    await typeLikeAPerson(page, 'gode561231gr9');
    await expect.poll(() => field('RFC').inputValue()).toBe('GODE561231GR9');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect.poll(focusedId).toBe('bo-substitute-postalCode');
    await page.keyboard.press('Control+a');
    await typeLikeAPerson(page, '06700');
    await page.keyboard.press('Tab');
    await expect.poll(focusedId).toBe('bo-substitute-fiscalUse');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => field('Uso del CFDI').inputValue()).toBe('G02');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => field('Uso del CFDI').inputValue()).toBe('G01');
    expect(await dialog.locator('#bo-substitute-fiscalUse-hint').textContent()).toBe('Adquisición de mercancías.');
    await page.keyboard.press('Tab');
    await expect.poll(focusedId).toBe('bo-substitute-reason');
    await typeLikeAPerson(page, WHY);
    await expect.poll(() => confirm.isDisabled()).toBe(false);

    // Enter asks; the engine's refusal is said beside the RFC, which has the keyboard, with all else kept.
    await page.keyboard.press('Enter');
    const problem = dialog.locator('#bo-substitute-taxId-error');
    await explained(page, () =>
      expect
        .poll(() => problem.textContent())
        .toBe('El último carácter del RFC (dígito verificador) no corresponde. Revíselo en la Constancia de Situación Fiscal.'),
    );
    expect(await field('RFC').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(focusedId).toBe('bo-substitute-taxId');
    expect(await values()).toEqual(['GODE561231GR9', EMILIANO.name, '612', '06700', 'G01']);
    expect(await dialog.getByLabel('Por qué se sustituye').inputValue()).toBe(WHY);
    expect(await demo.engine.services.sql.query('SELECT id FROM billing.invoice_cancellations')).toEqual([]);
    await shot('the wrong RFC marked in the dialog');

    // Fixed, Enter from the RFC replaces the invoice: the dialog closes on its row.
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await typeLikeAPerson(page, '8');
    await expect.poll(() => problem.count()).toBe(0);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await explained(page, () =>
      page
        .getByRole('status')
        .filter({ hasText: 'La factura A-CAJA-1 folio 1 se sustituye por la A-CAJA-1 folio 3, pendiente de timbrar' })
        .waitFor(),
    );
    await expect.poll(focused).toBe('Elegir A-CAJA-1 folio 1');

    // The substitute heads the list, to the corrected receiver and waiting for its stamp; the
    // replaced one, still stamped, has its cancellation asked for; neither may be replaced now.
    await expect.poll(async () => (await rows()).length).toBe(3);
    const listed = await rows();
    expect(listed.map((r) => r.slice(0, 2))).toEqual([
      ['Factura A-CAJA-1 folio 3 Sustituye a A-CAJA-1 folio 1', 'EMILIANO GOMEZ DIAZ GODE561231GR8 Régimen 612 · C.P. 06700 · Uso G01'],
      ['Factura A-CAJA-1 folio 2', 'ESCUELA KEMPER URGATE EKU9003173C9 Régimen 601 · C.P. 26015 · Uso G03'],
      ['Factura A-CAJA-1 folio 1', 'EMILIANO GOMEZ DIAZ GODE561231GR8 Régimen 612 · C.P. 06000 · Uso G03'],
    ]);
    expect(listed.map((r) => r[3])).toEqual([
      'Pendiente de timbrar',
      'Pendiente de timbrar',
      `Timbrada Sustituida: cancelación solicitada (motivo 01) Folio fiscal ${stampedUuid}`,
    ]);
    expect(await action.isDisabled()).toBe(true);
    const written = await demo.engine.services.sql.query<{ motive: string; reason: string; folio: string; use: string }>(
      `SELECT c.motive, c.reason, s.folio::text AS folio, s.receiver->>'fiscalUse' AS use
       FROM billing.invoice_cancellations c JOIN billing.invoices s ON s.id = c.substitute_invoice_id`,
    );
    expect(written).toEqual([{ motive: '01', reason: WHY, folio: '3', use: 'G01' }]);
    await shot('the substitute and the cancellation asked for');

    // The fiscal loop: the substitute is stamped, then the replaced one cancelled with it. The list,
    // read again (Alt+1 and back), says so.
    const stamped = await counter.fiscal.stamp();
    expect(stamped.map((o) => o.status)).toEqual(['ISSUED', 'ISSUED']);
    expect((await counter.fiscal.cancel()).map((o) => o.state)).toEqual(['ACCEPTED']);
    await page.keyboard.press('Alt+1');
    await page.keyboard.press('Alt+6');
    await expect
      .poll(async () => (await rows())[2]?.[3])
      .toBe(`Cancelada Motivo 01: Comprobante emitido con errores con relación Folio fiscal ${stampedUuid}`);
    expect((await rows())[0]![3]).toMatch(/^Timbrada Folio fiscal [0-9A-F-]{36}$/);
    await shot('replaced, and cancelled by the SAT');
    expect(errors).toEqual([]);
  }, 120_000);
});
