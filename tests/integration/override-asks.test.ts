// When a call needs someone else's permission, the refusal says what is being approved and for
// how much, and who at this branch may approve it: never the employee asking, only holders of
// that permission who can sign an override in, and for a discount only those whose own limit
// covers it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';
import { ok, openDemoEngine, signIn, signInToBackOffice } from '../support/demo-engine.ts';

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50
const AGUA_PINA = '7505641000219'; // 8.50

let demo: Awaited<ReturnType<typeof openDemoEngine>>;
let cashier: string;
let manager: string;
let owner: string;
let seq = 0;
const key = () => `override-asks-${++seq}`;
const call = async <T>(p: Promise<CallResult<T>>) => ok(await p);
const names = (r: CallResult<unknown>) =>
  ((r.ok ? [] : (r.error.params?.approvers ?? [])) as { displayName: string }[]).map((a) => a.displayName);
const ask = (r: CallResult<unknown>) => {
  if (r.ok || r.error.code !== 'OVERRIDE_REQUIRED') throw new Error(`expected OVERRIDE_REQUIRED, got ${JSON.stringify(r)}`);
  const { approvers: _, ...rest } = r.error.params!;
  return rest;
};

beforeAll(async () => {
  demo = await openDemoEngine('override-asks');
  cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
  manager = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
  owner = await signInToBackOffice(demo, demo.people.owner);
  await call(demo.engine.call('shifts.open', { idempotencyKey: key(), openingFloat: '500' }, { token: cashier }));
}, 60_000);
afterAll(() => demo?.dispose());

async function saleWith(...codes: string[]) {
  const sale = await call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
  let cart = sale;
  for (const code of codes) cart = await call(demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier }));
  return cart;
}

describe('an override asked for', () => {
  it('names the product and both prices of a price override, and the two who may approve it, not the cashier', async () => {
    const sale = await saleWith(ARROZ);
    const line = sale.lines[0]!;
    const refused = await demo.engine.call(
      'sales.overridePrice',
      { saleId: sale.id, lineId: line.id, unitPrice: '20.00', reason: 'Precio de oferta' },
      { token: cashier },
    );
    expect(ask(refused)).toEqual({ permission: 'sales.price_override', subject: 'Arroz súper extra 900 g', from: '31.5000', to: '20.00' });
    expect(names(refused)).toEqual(['Joaquín Peña', 'Rosa María Núñez']);
    // The first name on the list approves it with their PIN, as the dialog sends it.
    const approver = (refused.ok ? [] : (refused.error.params!.approvers as { employeeId: string }[]))[0]!;
    expect(approver.employeeId).toBe(demo.people.manager.id);
    const changed = await call(
      demo.engine.call(
        'sales.overridePrice',
        { saleId: sale.id, lineId: line.id, unitPrice: '20.00', reason: 'Precio de oferta' },
        { token: cashier, override: { employeeId: approver.employeeId, pin: demo.people.manager.pin } },
      ),
    );
    expect(changed.totals.total).toBe('20.0000');
    await call(
      demo.engine.call(
        'sales.void',
        { saleId: sale.id, reason: 'prueba' },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
  });

  it("gives a discount's rate and line, and lists only those whose own limit covers it, never the one asking", async () => {
    const sale = await saleWith(ARROZ);
    const line = sale.lines[0]!;
    const fifteen = await demo.engine.call(
      'sales.setLineDiscount',
      { saleId: sale.id, lineId: line.id, discount: { kind: 'rate', value: '0.15' } },
      { token: cashier },
    );
    expect(ask(fifteen)).toMatchObject({ permission: 'sales.discount', subject: 'Arroz súper extra 900 g' });
    expect(Number((ask(fifteen) as { rate: string }).rate)).toBe(0.15);
    expect(names(fifteen)).toEqual(['Joaquín Peña', 'Rosa María Núñez']);
    // 40 % is over the manager's 30 %: only the owner may approve it.
    const forty = await demo.engine.call(
      'sales.setLineDiscount',
      { saleId: sale.id, lineId: line.id, discount: { kind: 'rate', value: '0.40' } },
      { token: cashier },
    );
    expect(names(forty)).toEqual(['Rosa María Núñez']);
    const fixed = await demo.engine.call(
      'sales.setLineDiscount',
      { saleId: sale.id, lineId: line.id, discount: { kind: 'amount', value: '10.00' } },
      { token: cashier },
    );
    expect(ask(fixed)).toMatchObject({ subject: 'Arroz súper extra 900 g', amount: '10.00' });
    await call(
      demo.engine.call(
        'sales.void',
        { saleId: sale.id, reason: 'prueba' },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
  });

  it("never offers the manager as approver of the manager's own discount", async () => {
    const sale = await saleWith(ARROZ);
    const forty = await demo.engine.call(
      'sales.setSaleDiscount',
      { saleId: sale.id, discount: { kind: 'rate', value: '0.40' } },
      { token: manager },
    );
    expect(ask(forty)).toMatchObject({ permission: 'sales.discount' });
    expect(names(forty)).toEqual(['Rosa María Núñez']);
    await call(demo.engine.call('sales.void', { saleId: sale.id, reason: 'prueba' }, { token: manager }));
  });

  it('gives the total of a sale to cancel, the receipt and refund of a return, and whom an unlock is for', async () => {
    const open = await saleWith(ARROZ, AGUA_PINA);
    const cancel = await demo.engine.call('sales.void', { saleId: open.id, reason: 'Cliente se fue' }, { token: cashier });
    expect(ask(cancel)).toEqual({ permission: 'sales.void', amount: '40.0000' });
    await call(
      demo.engine.call(
        'sales.void',
        { saleId: open.id, reason: 'Cliente se fue' },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );

    const sold = await saleWith(ARROZ, AGUA_PINA);
    const methods = await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
    const card = methods.find((m) => m.kind === 'CARD')!.id;
    const paid = await call(
      demo.engine.call(
        'sales.complete',
        { saleId: sold.id, tenders: [{ methodId: card, amount: '40.00', cardLast4: '4242', approvalCode: 'A1' }] },
        { token: cashier },
      ),
    );
    const receipt = await call(demo.engine.call('returns.lookup', { code: paid.receiptCode }, { token: cashier }));
    const arroz = receipt.lines.find((l) => l.name.startsWith('Arroz'))!;
    const back = await demo.engine.call(
      'returns.create',
      {
        saleId: paid.saleId,
        lines: [{ saleItemId: arroz.saleItemId, quantity: '1' }],
        refundMethodId: card,
        reason: 'Bolsa rota',
        reference: 'R1',
        idempotencyKey: key(),
      },
      { token: cashier },
    );
    expect(ask(back)).toEqual({ permission: 'sales.return', subject: paid.receiptCode, amount: '31.5000' });
    expect(names(back)).toEqual(['Joaquín Peña', 'Rosa María Núñez']);

    const drawer = await demo.engine.call('drawer.noSale', { reason: 'Cambio', idempotencyKey: key() }, { token: cashier });
    expect(ask(drawer)).toEqual({ permission: 'drawer.no_sale' });
    const unlock = await demo.engine.call('staff.unlock', { employeeId: demo.people.cashier.id }, { token: cashier });
    expect(ask(unlock)).toEqual({ permission: 'staff.unlock', subject: 'Ángela Ibáñez' });
  });

  it('lists a new manager only once they have a PIN to sign the override with', async () => {
    const [role] = await demo.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.roles WHERE name = 'Gerente'`);
    const beto = await call(
      demo.engine.call(
        'staff.save',
        {
          code: '004',
          displayName: 'Beto Cañas',
          roleId: role!.id,
          branchIds: [demo.engine.services.terminal!.branchId],
        },
        { token: owner },
      ),
    );
    const drawer = () => demo.engine.call('drawer.noSale', { reason: 'Cambio', idempotencyKey: key() }, { token: cashier });
    expect(names(await drawer())).toEqual(['Joaquín Peña', 'Rosa María Núñez']);
    await call(demo.engine.call('staff.setPin', { employeeId: beto.employeeId, pin: '8642' }, { token: owner }));
    expect(names(await drawer())).toEqual(['Beto Cañas', 'Joaquín Peña', 'Rosa María Núñez']);
  });

  it('gives a cash variance when the close is not blind, and hides it when it is', async () => {
    // Expected: the 500 float (the sales above went on a card). Counted 380: 120 short.
    const blind = await demo.engine.call('shifts.close', { idempotencyKey: key(), countedCash: '380.00' }, { token: cashier });
    expect(ask(blind)).toEqual({ permission: 'shifts.approve_variance', reason: 'a count outside the tolerance' });
    expect(JSON.stringify(blind)).not.toMatch(/120/);
    await demo.engine.services.sql.query(
      `UPDATE business.settings SET value = 'false'::jsonb WHERE business_id = $1 AND branch_id IS NULL AND key = 'shift.blindClose'`,
      [demo.engine.services.terminal!.businessId],
    );
    forgetStoreSettings(demo.engine.services.sql);
    const open = await demo.engine.call('shifts.close', { idempotencyKey: key(), countedCash: '380.00' }, { token: cashier });
    expect(ask(open)).toEqual({ permission: 'shifts.approve_variance', reason: 'a variance of -120.0000', amount: '-120.0000' });
    expect(names(open)).toEqual(['Beto Cañas', 'Joaquín Peña', 'Rosa María Núñez']);
  });
});
