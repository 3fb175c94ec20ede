// A register's invoices and its factura global in the back office, in Debian's Chromium against
// serve mode at 1024×768. Yesterday the cashier sold six times: three customers asked for an
// invoice at the counter, and a loopback Finkok stamped one and refused another (the third still
// waits); one sale came back in part and one whole. Today the manager opens the back office, goes
// to "Facturas" (Alt+6), reads each invoice's state in words (the SAT's reason beside the refused
// one), narrows the list by keyboard, is told today's period is not over, then issues yesterday's
// global (the day offered) and reads what it covers; asked again, it says nothing is left.
// Screenshots land in test-results/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '#engine/services/shifts/business-day.ts';
import { explained, screenshotStep } from '../support/browser.ts';
import type { DemoEngine } from '../support/counter-page.ts';
import {
  AGUA_PINA,
  ARROZ,
  CUSTOMERS,
  type FiscalPasses,
  type InvoicingCounter,
  invoiceRows,
  openInvoicesTab,
  type Sold,
  startInvoicingCounter,
  type Till,
} from '../support/invoicing-counter.ts';

const REFUSAL = { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' };
const ZONE = 'America/Mexico_City';
const DAY_MS = 24 * 3600 * 1000;

describe('the invoices tab of the back office', () => {
  let counter: InvoicingCounter;
  let demo: DemoEngine;
  let page: Page;
  let errors: string[];
  /** The day of the sales, and the day the manager works on. */
  let yesterday: string;
  let today: string;
  let returnedWhole: Sold;
  let stampedUuid: string;
  const name = 'a manager reads the invoices in words and issues yesterday’s factura global';
  const shot = async (step: string) => {
    await screenshotStep(page, name, `${step} 1024x768`);
  };
  const wide = async (step: string) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshotStep(page, name, `${step} 1920x1080`);
    await page.setViewportSize({ width: 1024, height: 768 });
  };
  const rows = () => invoiceRows(page);

  /** Yesterday's business: invoices asked for at the counter, one stamped and one refused, returns. */
  async function yesterdaysSales(d: DemoEngine, till: Till, fiscal: FiscalPasses) {
    const sell = async (codes: string[]): Promise<Sold> => {
      const sold = await till.sell(codes);
      d.clock.advance(5 * 60_000);
      return sold;
    };
    const invoice = async (sale: Sold, receiver: (typeof CUSTOMERS)[number]) => {
      await till.invoice(sale.id, receiver);
      d.clock.advance(60_000);
    };

    await invoice(await sell([ARROZ]), CUSTOMERS[0]);
    await invoice(await sell([ARROZ, AGUA_PINA]), CUSTOMERS[1]);
    // The stamping loop's pass over the oldest two: the PAC refuses the first and stamps the second.
    fiscal.pac.script({ reject: REFUSAL });
    const stamped = await fiscal.stamp({ limit: 2 });
    expect(stamped.map((o) => o.status)).toEqual(['REJECTED', 'ISSUED']);
    stampedUuid = stamped[1]!.uuid!;
    // Asked for at the counter and not stamped yet.
    await invoice(await sell([AGUA_PINA]), CUSTOMERS[2]);
    // The global's own: a sale returned in part (its agua de piña), one returned whole, one kept.
    await till.giveBack(await sell([ARROZ, AGUA_PINA]), [{ lineNo: 2 }]);
    returnedWhole = await sell([ARROZ]);
    await till.giveBack(returnedWhole, 'all');
    await sell([AGUA_PINA, AGUA_PINA]);
    yesterday = businessDate(d.clock.now(), ZONE);
    d.clock.advance(DAY_MS);
    today = businessDate(d.clock.now(), ZONE);
  }

  beforeAll(async () => {
    // The sales are yesterday's (UTC) at 11:00 in Mexico City, so they and the next day fall on
    // the days meant, and are stamped within the SAT's 72 hours by the real clock.
    const start = new Date(Date.now() - DAY_MS);
    start.setUTCHours(17, 0, 0, 0);
    counter = await startInvoicingCounter('e2e-back-office-invoices', { start, prepare: yesterdaysSales });
    ({ demo, page, errors } = counter);
  }, 180_000);
  afterAll(() => counter?.close());

  it(name, async () => {
    await openInvoicesTab(counter, 3);
    // The tab, by its key.
    const tab = page.getByRole('tab', { name: /Facturas/ });
    expect(await tab.getAttribute('aria-keyshortcuts')).toBe('Alt+6');
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    const listed = await rows();
    expect(listed).toHaveLength(3);
    // Each receiver with the régimen, código postal and uso del CFDI the invoice was made out with.
    expect(listed.map((r) => [r[0], r[1]])).toEqual([
      ['Factura A-CAJA-1 folio 3', 'XENON INDUSTRIAL ARTICLES XIA190128J61 Régimen 601 · C.P. 76343 · Uso G03'],
      ['Factura A-CAJA-1 folio 2', 'ESCUELA KEMPER URGATE EKU9003173C9 Régimen 601 · C.P. 26015 · Uso G03'],
      ['Factura A-CAJA-1 folio 1', 'EMILIANO GOMEZ DIAZ GODE561231GR8 Régimen 612 · C.P. 06000 · Uso G03'],
    ]);
    expect(listed[0]![3]).toBe('Pendiente de timbrar');
    expect(listed[1]![3]).toBe(`Timbrada Folio fiscal ${stampedUuid}`);
    expect(listed[2]![3]).toBe(`Rechazada Motivo del SAT: ${REFUSAL.message} (código ${REFUSAL.code})`);
    expect(listed.map((r) => r[2])).toEqual(['$8.50', '$40.00', '$31.50']);
    await shot('the register’s invoices in words');

    // The filter has the keyboard: ↓ steps to the pending ones, then the stamped, then the refused.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('bo-invoices-filter');
    for (const [times, shown] of [
      [1, 'XENON INDUSTRIAL ARTICLES XIA190128J61 Régimen 601 · C.P. 76343 · Uso G03'],
      [2, 'EMILIANO GOMEZ DIAZ GODE561231GR8 Régimen 612 · C.P. 06000 · Uso G03'],
    ] as const) {
      for (let i = 0; i < times; i++) await page.keyboard.press('ArrowDown');
      await expect.poll(async () => (await rows()).map((r) => r[1])).toEqual([shown]);
    }
    expect(await page.getByLabel('Mostrar').inputValue()).toBe('REJECTED');
    await shot('only the refused ones');
    await page.getByLabel('Mostrar').selectOption('');
    await expect.poll(async () => (await rows()).length).toBe(3);

    // The factura global: Alt+G goes to the day, which offers yesterday.
    await page.keyboard.press('Alt+g');
    const day = page.getByLabel(/Día del periodo/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('bo-global-day');
    expect(await day.inputValue()).toBe(yesterday);
    // Today is not over: said beside the button, in the manager's words.
    await day.fill(today);
    await page.keyboard.press('Enter');
    const global = page.locator('form.bo-global');
    const todayShown = new Intl.DateTimeFormat('es-MX', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${today}T00:00:00Z`));
    await explained(page, () => global.getByRole('alert').filter({ hasText: 'El periodo aún no termina' }).waitFor());
    expect(await global.getByRole('alert').textContent()).toBe(`El periodo aún no termina (del ${todayShown} al ${todayShown}).`);
    await shot('today’s period is not over');

    await day.fill(yesterday);
    await page.keyboard.press('Enter');
    const issued = global.getByRole('status');
    // The refused invoice's sale (31.50), the one returned in part less its agua de piña (40.00 - 8.50), and the one kept (17.00).
    await explained(page, () => issued.getByText('Factura global A-CAJA-1 folio 4 por $80.00: Pendiente de timbrar').waitFor());
    const yesterdayShown = new Intl.DateTimeFormat('es-MX', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${yesterday}T00:00:00Z`),
    );
    const figures = Object.fromEntries(
      await issued.evaluate((el) => Array.from(el.querySelectorAll('dt'), (dt) => [dt.textContent, dt.nextElementSibling?.textContent])),
    );
    // The whole return left out.
    expect(figures).toEqual({
      Periodo: yesterdayShown,
      'Ventas incluidas': '3',
      'Devoluciones descontadas': '1',
      'Fuera por devolución total': returnedWhole.receiptCode,
    });
    expect(await global.getByRole('alert').count()).toBe(0);
    // It heads the list, with its days.
    await expect.poll(async () => (await rows()).length).toBe(4);
    const [first] = await rows();
    expect(first!.slice(0, 2)).toEqual([
      `Factura global A-CAJA-1 folio 4 ${yesterdayShown}`,
      'PUBLICO EN GENERAL XAXX010101000 Régimen 616 · C.P. 04310 · Uso S01',
    ]);
    expect(first![3]).toBe('Pendiente de timbrar');
    await shot('yesterday’s global issued');
    await wide('yesterday’s global issued');

    // Asked again for the same day: nothing is left to put in it.
    await page.keyboard.press('Alt+g');
    await page.keyboard.press('Enter');
    await explained(page, () => global.getByRole('alert').filter({ hasText: 'No queda ninguna venta' }).waitFor());
    expect(await global.getByRole('alert').textContent()).toBe(
      `No queda ninguna venta del ${yesterdayShown} al ${yesterdayShown} para la factura global: todas tienen ya su factura, se devolvieron completas o no hubo ventas.`,
    );
    const globals = await demo.engine.services.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM billing.invoices WHERE kind = 'GLOBAL'`,
    );
    expect(globals).toEqual([{ n: 1 }]);
    await shot('nothing left for a second global');
    expect(errors).toEqual([]);
  }, 120_000);
});
