// A register's invoices and its factura global in the back office, in Debian's Chromium against
// serve mode at 1024×768. Yesterday the cashier sold six times: three customers asked for an
// invoice at the counter, and a loopback Finkok stamped one and refused another (the third still
// waits); one sale came back in part and one whole. Today the manager opens the back office, goes
// to "Facturas" (Alt+6), reads each invoice's state in words (the SAT's reason beside the refused
// one), narrows the list by keyboard, is told today's period is not over, then issues yesterday's
// global (the day offered) and reads what it covers; asked again, it says nothing is left.
// Screenshots land in test-results/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import { openCsd } from '#engine/fiscal/mx/seal.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import { stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { businessDate } from '#engine/services/shifts/business-day.ts';
import { explained, screenshotStep } from '../support/browser.ts';
import { signInAs, startCounter, type Counter, type DemoEngine } from '../support/counter-page.ts';
import { ok, signIn } from '../support/demo-engine.ts';
import { type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { makeTestCsd } from '../support/test-csd.ts';

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50, IVA 0
const AGUA_PINA = '7505641000219'; // Polvo agua sabor piña, 8.50, IVA 16
const CUSTOMERS = [
  { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' },
  { rfc: 'EKU9003173C9', name: 'ESCUELA KEMPER URGATE', taxRegime: '601', postalCode: '26015', cfdiUse: 'G03' },
  { rfc: 'XIA190128J61', name: 'XENON INDUSTRIAL ARTICLES', taxRegime: '601', postalCode: '76343', cfdiUse: 'G03' },
];
const USER = 'cajas@abarrotes-esperanza.mx';
const PASSWORD = 'Finkok-secreto-9!';
const REFUSAL = { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' };
const ZONE = 'America/Mexico_City';
const DAY_MS = 24 * 3600 * 1000;

type Sold = { id: string; receiptCode: string };

describe('the invoices tab of the back office', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-e2e-invoices-'));
  let pac: LoopbackPac;
  let counter: Counter;
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
  /** Each row of the list as its cells read. */
  const rows = async () => {
    const all = await page.getByRole('table', { name: 'Facturas' }).getByRole('row').all();
    return Promise.all(
      all.slice(1).map(async (r) => (await r.getByRole('cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())),
    );
  };

  /** Yesterday's business: invoices asked for at the counter, one stamped and one refused, returns. */
  async function yesterdaysSales(d: DemoEngine) {
    let seq = 0;
    const key = () => `e2e-invoices-${++seq}`;
    const cashier = await signIn(d.engine, d.people.cashier.id, d.people.cashier.pin);
    ok(await d.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token: cashier }));
    const cash = ok(await d.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.kind === 'CASH')!.id;
    const sell = async (codes: string[]): Promise<Sold> => {
      const sale = ok(await d.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
      for (const code of codes) ok(await d.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier }));
      const paid = ok(
        await d.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '200' }] }, { token: cashier }),
      );
      d.clock.advance(5 * 60_000);
      return { id: sale.id, receiptCode: paid.receiptCode };
    };
    const invoice = async (sale: Sold, receiver: (typeof CUSTOMERS)[number]) => {
      ok(await d.engine.call('invoices.request', { saleId: sale.id, receiver, idempotencyKey: key() }, { token: cashier }));
      d.clock.advance(60_000);
    };
    const giveBack = async (sale: Sold, lineNos: number[] | 'all') => {
      const found = ok(await d.engine.call('returns.lookup', { code: sale.receiptCode }, { token: cashier }));
      const lines = found.lines
        .filter((l) => lineNos === 'all' || lineNos.includes(l.lineNo))
        // All of each line; the contract takes a quantity with at most 3 decimals.
        .map((l) => ({ saleItemId: l.saleItemId, quantity: l.quantity.replace(/\.?0+$/, '') }));
      ok(
        await d.engine.call(
          'returns.create',
          { saleId: sale.id, lines, refundMethodId: cash, reason: 'Producto en mal estado', idempotencyKey: key() },
          { token: cashier, override: { employeeId: d.people.manager.id, pin: d.people.manager.pin } },
        ),
      );
    };

    await invoice(await sell([ARROZ]), CUSTOMERS[0]!);
    await invoice(await sell([ARROZ, AGUA_PINA]), CUSTOMERS[1]!);
    // The stamping loop's pass over the oldest two: the PAC refuses the first and stamps the second.
    const [{ tax_id: rfc }] = (await d.engine.services.sql.query<{ tax_id: string }>('SELECT tax_id FROM billing.fiscal_profiles')) as [
      { tax_id: string },
    ];
    pac.script({ reject: REFUSAL });
    const pass = await stampPending(d.engine.services, {
      pac: finkokClient({ username: USER, password: PASSWORD, baseUrl: pac.baseUrl, timeoutMs: 2_000 }),
      csd: openCsd(makeTestCsd(dir, { rfc })),
      // Sealed now: the test CSD is valid from the moment it was made, and the PAC checks Fecha against the real clock.
      now: new Date(),
      limit: 2,
    });
    expect(pass.outcomes.map((o) => o.status)).toEqual(['REJECTED', 'ISSUED']);
    stampedUuid = pass.outcomes[1]!.uuid!;
    // Asked for at the counter and not stamped yet.
    await invoice(await sell([AGUA_PINA]), CUSTOMERS[2]!);
    // The global's own: a sale returned in part (its agua de piña), one returned whole, one kept.
    await giveBack(await sell([ARROZ, AGUA_PINA]), [2]);
    returnedWhole = await sell([ARROZ]);
    await giveBack(returnedWhole, 'all');
    await sell([AGUA_PINA, AGUA_PINA]);
    yesterday = businessDate(d.clock.now(), ZONE);
    d.clock.advance(DAY_MS);
    today = businessDate(d.clock.now(), ZONE);
  }

  beforeAll(async () => {
    pac = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
    // The sales are yesterday's (UTC) at 11:00 in Mexico City, so they and the next day fall on
    // the days meant, and are stamped within the SAT's 72 hours by the real clock.
    const start = new Date(Date.now() - DAY_MS);
    start.setUTCHours(17, 0, 0, 0);
    counter = await startCounter('e2e-back-office-invoices', { viewport: { width: 1024, height: 768 }, start, prepare: yesterdaysSales });
    ({ demo, page, errors } = counter);
  }, 180_000);
  afterAll(async () => {
    await counter?.close();
    await pac?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(name, async () => {
    // The screen's clock is the register's, as on one machine: "yesterday" is the engine's yesterday.
    await page.clock.setFixedTime(demo.clock.now());
    await page.goto(counter.server.url);
    await signInAs(page, 'Joaquín Peña', demo.people.manager.pin);
    await page
      .getByRole('button', { name: /Administración/ })
      .filter({ hasText: 'Ctrl+B' })
      .waitFor();
    await page.keyboard.press('Control+b');
    await page.getByRole('dialog', { name: 'Confirme que es usted' }).waitFor();
    await page.getByLabel('Contraseña de Joaquín Peña').fill(demo.people.manager.password);
    await page.getByLabel('Código de la app de autenticación').fill(totpCodeAt(demo.people.manager.totpSecret, demo.clock.now()));
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // The tab, by its key.
    const tab = page.getByRole('tab', { name: /Facturas/ });
    expect(await tab.getAttribute('aria-keyshortcuts')).toBe('Alt+6');
    await page.keyboard.press('Alt+6');
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    await explained(page, () => page.getByRole('table', { name: 'Facturas' }).getByRole('row').nth(3).waitFor());
    const listed = await rows();
    expect(listed).toHaveLength(3);
    expect(listed.map((r) => [r[0], r[1]])).toEqual([
      ['Factura A-CAJA-1 folio 3', 'XENON INDUSTRIAL ARTICLES XIA190128J61'],
      ['Factura A-CAJA-1 folio 2', 'ESCUELA KEMPER URGATE EKU9003173C9'],
      ['Factura A-CAJA-1 folio 1', 'EMILIANO GOMEZ DIAZ GODE561231GR8'],
    ]);
    expect(listed[0]![3]).toBe('Pendiente de timbrar');
    expect(listed[1]![3]).toBe(`Timbrada Folio fiscal ${stampedUuid}`);
    expect(listed[2]![3]).toBe(`Rechazada Motivo del SAT: ${REFUSAL.message} (código ${REFUSAL.code})`);
    expect(listed.map((r) => r[2])).toEqual(['$8.50', '$40.00', '$31.50']);
    await shot('the register’s invoices in words');

    // The filter has the keyboard: ↓ steps to the pending ones, then the stamped, then the refused.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('bo-invoices-filter');
    for (const [times, shown] of [
      [1, 'XENON INDUSTRIAL ARTICLES'],
      [2, 'EMILIANO GOMEZ DIAZ'],
    ] as const) {
      for (let i = 0; i < times; i++) await page.keyboard.press('ArrowDown');
      await expect.poll(async () => (await rows()).map((r) => r[1]!.split(' ').slice(0, -1).join(' '))).toEqual([shown]);
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
    expect(first!.slice(0, 2)).toEqual([`Factura global A-CAJA-1 folio 4 ${yesterdayShown}`, 'PUBLICO EN GENERAL XAXX010101000']);
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
