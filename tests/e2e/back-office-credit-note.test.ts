// A credit note in the back office's list, in Debian's Chromium against serve mode at 1024×768,
// with a loopback Finkok. A customer's sale was invoiced and stamped; one of its two aguas de piña
// came back, and the credit note the return wrote was stamped after it. The manager opens
// "Facturas" (Alt+6) and reads it at the top as a "Nota de crédito" in its own series, with the
// return and the receipt it gave back on and the invoice it corrects, for what came back.
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
import { explained, screenshotStep } from '../support/browser.ts';
import { signInAs, startCounter, type Counter, type DemoEngine } from '../support/counter-page.ts';
import { ok, signIn } from '../support/demo-engine.ts';
import { type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { makeTestCsd } from '../support/test-csd.ts';

const AGUA_PINA = '7505641000219'; // Polvo agua sabor piña, 8.50, IVA 16
const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };
const USER = 'cajas@abarrotes-esperanza.mx';
const PASSWORD = 'Finkok-secreto-9!';

describe('a credit note in the back office', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-e2e-credit-note-'));
  let pac: LoopbackPac;
  let counter: Counter;
  let demo: DemoEngine;
  let page: Page;
  let errors: string[];
  let receiptCode: string;
  let returnNumber: number;
  let uuids: string[];
  const name = 'a manager reads the credit note of a return beside the invoice it corrects';
  /** Each row of the list as its cells read. */
  const rows = async () => {
    const all = await page.getByRole('table', { name: 'Facturas' }).getByRole('row').all();
    return Promise.all(
      all.slice(1).map(async (r) => (await r.getByRole('cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())),
    );
  };

  /** An invoiced sale stamped, one of its lines given back, and the credit note stamped. */
  async function returnedInvoicedSale(d: DemoEngine) {
    let seq = 0;
    const key = () => `e2e-credit-note-${++seq}`;
    const cashier = await signIn(d.engine, d.people.cashier.id, d.people.cashier.pin);
    ok(await d.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token: cashier }));
    const cash = ok(await d.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.kind === 'CASH')!.id;
    const [{ tax_id: rfc }] = (await d.engine.services.sql.query<{ tax_id: string }>('SELECT tax_id FROM billing.fiscal_profiles')) as [
      { tax_id: string },
    ];
    const pacClient = finkokClient({ username: USER, password: PASSWORD, baseUrl: pac.baseUrl, timeoutMs: 2_000 });
    const csd = openCsd(makeTestCsd(dir, { rfc }));
    // Sealed by the real clock: the test CSD is valid from the moment it was made, and the PAC checks Fecha against it.
    const pass = async () => (await stampPending(d.engine.services, { pac: pacClient, csd, now: new Date() })).outcomes;

    const sale = ok(await d.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    ok(await d.engine.call('sales.addItem', { saleId: sale.id, code: AGUA_PINA, quantity: '2' }, { token: cashier }));
    const paid = ok(
      await d.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '50' }] }, { token: cashier }),
    );
    receiptCode = paid.receiptCode;
    ok(await d.engine.call('invoices.request', { saleId: sale.id, receiver: CUSTOMER, idempotencyKey: key() }, { token: cashier }));
    d.clock.advance(5 * 60_000);
    const invoiceStamped = await pass();
    const found = ok(await d.engine.call('returns.lookup', { code: receiptCode }, { token: cashier }));
    const returned = ok(
      await d.engine.call(
        'returns.create',
        {
          saleId: sale.id,
          lines: [{ saleItemId: found.lines[0]!.saleItemId, quantity: '1' }],
          refundMethodId: cash,
          reason: 'Producto en mal estado',
          idempotencyKey: key(),
        },
        { token: cashier, override: { employeeId: d.people.manager.id, pin: d.people.manager.pin } },
      ),
    );
    returnNumber = returned.returnNumber;
    d.clock.advance(5 * 60_000);
    const noteStamped = await pass();
    uuids = [...invoiceStamped, ...noteStamped].map((o) => o.uuid!);
    expect(uuids).toHaveLength(2);
  }

  beforeAll(async () => {
    pac = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
    counter = await startCounter('e2e-back-office-credit-note', {
      viewport: { width: 1024, height: 768 },
      start: new Date(Date.now() - 3600_000),
      prepare: returnedInvoicedSale,
    });
    ({ demo, page, errors } = counter);
  }, 180_000);
  afterAll(async () => {
    await counter?.close();
    await pac?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(name, async () => {
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

    await page.keyboard.press('Alt+6');
    await explained(page, () => page.getByRole('table', { name: 'Facturas' }).getByRole('row').nth(2).waitFor());
    const listed = await rows();
    expect(listed.map((r) => r.slice(0, 3))).toEqual([
      [
        `Nota de crédito NC-A-CAJA-1 folio 1 Devolución ${returnNumber} del ticket ${receiptCode}; corrige A-CAJA-1 folio 1`,
        'EMILIANO GOMEZ DIAZ GODE561231GR8',
        '$8.50',
      ],
      ['Factura A-CAJA-1 folio 1', 'EMILIANO GOMEZ DIAZ GODE561231GR8', '$17.00'],
    ]);
    expect(listed.map((r) => r[3])).toEqual([`Timbrada Folio fiscal ${uuids[1]}`, `Timbrada Folio fiscal ${uuids[0]}`]);
    await screenshotStep(page, name, 'the credit note beside its invoice 1024x768');
    expect(errors).toEqual([]);
  }, 120_000);
});
