// Gift cards across registers against one central: a card sold at one register is spent at
// another; two registers spending the last of a card at once, one is refused; a register cut off
// from central spends only a card it knows and only up to its offline limit per day; central
// keeps the card's balance from the movements and their holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { Central } from '#db/central.ts';
import type { TestDatabase } from '../support/central.ts';
import { ok } from '../support/demo-engine.ts';
import { createCentral, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

type Methods = { cash: string; gift: string };

async function methodsOf(register: TestTerminal): Promise<Methods> {
  const methods = ok(await register.engine.call('sales.paymentMethods', {}, { token: register.token }));
  return { cash: methods.find((m) => m.kind === 'CASH')!.id, gift: methods.find((m) => m.kind === 'GIFT_CARD')!.id };
}

/** A sale of one unit-priced item (about $50–80), open. */
async function openSaleWithItem(register: TestTerminal): Promise<{ saleId: string; total: string }> {
  const { engine, token } = register;
  const sale = ok(await engine.call('sales.open', { idempotencyKey: `sale-${uuidv7()}` }, { token }));
  const [item] = await engine.services.sql.query<{ barcode: string }>(
    `SELECT v.barcode FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id
     WHERE v.barcode IS NOT NULL AND p.sold_by = 'UNIT' AND v.price BETWEEN 50 AND 80 ORDER BY v.sku LIMIT 1`,
  );
  const cart = ok(await engine.call('sales.addItem', { saleId: sale.id, code: item!.barcode }, { token }));
  return { saleId: sale.id, total: cart.totals.total };
}

async function sellCard(register: TestTerminal, code: string, amount: string, methods: Methods): Promise<void> {
  const { engine, token } = register;
  const sale = ok(await engine.call('sales.open', { idempotencyKey: `sale-${uuidv7()}` }, { token }));
  const cart = ok(await engine.call('sales.addGiftCard', { saleId: sale.id, code, amount }, { token }));
  expect(cart.totals.total).toBe(`${amount}00`);
  ok(await engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: methods.cash, tendered: amount }] }, { token }));
}

async function pushed(register: TestTerminal): Promise<void> {
  register.engine.services.sync!.kick();
  await waitFor(() => register.status().pending === 0, 30_000, 'the push');
  expect(register.status().quarantined).toEqual([]);
}

async function centralCard(central: Central, code: string) {
  const [card] = await central.sql.query<{ amount: string; kind: string; expires_at: Date | null }>(
    `SELECT amount, kind, expires_at FROM payments.balances WHERE code = $1`,
    [code],
  );
  return card;
}

describe('gift cards against central', () => {
  let database: TestDatabase;
  let central: Central;
  let a: TestTerminal;
  let b: TestTerminal;
  let methodsA: Methods;
  let methodsB: Methods;

  beforeAll(async () => {
    let registerIds: string[];
    ({ database, central, registerIds } = await createCentral('gift_cards', 2));
    a = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'gift-a'), registerIds[0]!);
    b = await openTerminal(await provisionDir(central, database.url, registerIds[1]!, 'gift-b'), registerIds[1]!);
    methodsA = await methodsOf(a);
    methodsB = await methodsOf(b);
  }, 180_000);

  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
    await central?.close();
    await database?.drop();
  });

  it('loads a card sold at one register with the line total, and another register spends it', async () => {
    await sellCard(a, '7701-0000-1111', '100.00', methodsA);
    await pushed(a);
    const card = await centralCard(central, '770100001111');
    expect(card).toMatchObject({ amount: '100.0000', kind: 'GIFT_CARD' });
    // The demo store's rule: a card sold now expires in twelve months.
    expect(card!.expires_at!.getTime()).toBeGreaterThan(Date.now() + 360 * 86_400_000);

    const balance = ok(await b.engine.call('sales.giftCard', { code: '770100001111' }, { token: b.token }));
    expect(balance).toMatchObject({ amount: '100.0000', available: '100.0000', source: 'CENTRAL', status: 'ACTIVE' });

    const { saleId, total } = await openSaleWithItem(b);
    ok(
      await b.engine.call(
        'sales.complete',
        { saleId, tenders: [{ methodId: methodsB.gift, amount: total, balanceCode: '7701 0000 1111' }] },
        { token: b.token },
      ),
    );
    await pushed(b);
    expect((await centralCard(central, '770100001111'))!.amount).toBe(
      (100 - Number(total)).toFixed(4), // test arithmetic on a two-place price, not money handling
    );
    const [hold] = await central.sql.query<{ status: string }>(`SELECT status FROM payments.balance_holds WHERE sale_id = $1`, [saleId]);
    expect(hold!.status).toBe('SPENT');
  });

  it('tops up a card sold before, at another register', async () => {
    const before = (await centralCard(central, '770100001111'))!.amount;
    await sellCard(b, '770100001111', '50.00', methodsB);
    await pushed(b);
    expect(Number((await centralCard(central, '770100001111'))!.amount)).toBeCloseTo(Number(before) + 50, 4);
  });

  it('lets exactly one of two registers spend the last of a card at once, and tells the other why', async () => {
    await sellCard(a, '770100002222', '60.00', methodsA);
    await pushed(a);
    const one = await openSaleWithItem(a);
    const two = await openSaleWithItem(b);
    // Each spends 45 of the card's 60: both cannot.
    const pay = (register: TestTerminal, methods: Methods, sale: { saleId: string; total: string }) =>
      register.engine.call(
        'sales.complete',
        {
          saleId: sale.saleId,
          tenders: [
            { methodId: methods.gift, amount: '45.00', balanceCode: '770100002222' },
            { methodId: methods.cash, tendered: '100.00' },
          ],
        },
        { token: register.token },
      );
    const answers = await Promise.all([pay(a, methodsA, one), pay(b, methodsB, two)]);
    const won = answers.filter((r) => r.ok);
    const lost = answers.filter((r) => !r.ok);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', params: { reason: 'BALANCE_TOO_LOW', available: '15.00' } },
    });
    await pushed(a);
    await pushed(b);
    expect((await centralCard(central, '770100002222'))!.amount).toBe('15.0000');
    // The refused sale is still open and takes another tender.
    const refused = answers[0]!.ok ? two : one;
    const loser = answers[0]!.ok ? b : a;
    const loserMethods = answers[0]!.ok ? methodsB : methodsA;
    ok(
      await loser.engine.call(
        'sales.complete',
        { saleId: refused.saleId, tenders: [{ methodId: loserMethods.cash, tendered: '100.00' }] },
        { token: loser.token },
      ),
    );
  });

  it('refuses an unknown card, a card spent past its balance and a code that is no card, in words, writing nothing', async () => {
    const sale = await openSaleWithItem(b);
    const pay = (balanceCode: string, amount: string) =>
      b.engine.call(
        'sales.complete',
        { saleId: sale.saleId, tenders: [{ methodId: methodsB.gift, amount, balanceCode }] },
        { token: b.token },
      );
    expect(await pay('999999999999', sale.total)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no gift card ****9999 in this business' },
    });
    expect(await pay('AB-12', sale.total)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', params: { reason: 'GIFT_CARD_CODE' } },
    });
    await sellCard(a, '770100003333', '5.00', methodsA);
    await pushed(a);
    expect(await pay('770100003333', sale.total)).toMatchObject({
      ok: false,
      error: { params: { reason: 'BALANCE_TOO_LOW', available: '5.00' } },
    });
    const [open] = await b.engine.services.sql.query<{ status: string }>('SELECT status FROM sales.sales WHERE id = $1', [sale.saleId]);
    expect(open!.status).toBe('OPEN');
    expect((await centralCard(central, '770100003333'))!.amount).toBe('5.0000');
    const [held] = await central.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM payments.balance_holds h JOIN payments.balances c ON c.id = h.balance_id WHERE c.code = '770100003333' AND h.status = 'HELD'`,
    );
    expect(held!.n).toBe(0);
    ok(
      await b.engine.call(
        'sales.complete',
        { saleId: sale.saleId, tenders: [{ methodId: methodsB.cash, tendered: '100.00' }] },
        { token: b.token },
      ),
    );
  });

  it('spends offline only a card this register knows, only up to its offline limit per day', async () => {
    await sellCard(a, '770100004444', '900.00', methodsA);
    await pushed(a);
    // Register B comes to know the card by spending from it while central answers.
    const first = await openSaleWithItem(b);
    ok(
      await b.engine.call(
        'sales.complete',
        { saleId: first.saleId, tenders: [{ methodId: methodsB.gift, amount: first.total, balanceCode: '770100004444' }] },
        { token: b.token },
      ),
    );
    await pushed(b);
    // Central goes away for B: its gift-card ledger now points where nobody listens.
    const ledger = b.engine.services.giftCards;
    const { CentralGiftCards } = await import('#engine/sync/central-gift-cards.ts');
    b.engine.services.giftCards = new CentralGiftCards({ url: 'postgres://pos@127.0.0.1:1/none', registerId: 'offline', timeoutMs: 500 });
    try {
      const balance = ok(await b.engine.call('sales.giftCard', { code: '770100004444' }, { token: b.token }));
      expect(balance.source).toBe('REGISTER');
      const unknown = await openSaleWithItem(b);
      expect(
        await b.engine.call(
          'sales.complete',
          { saleId: unknown.saleId, tenders: [{ methodId: methodsB.gift, amount: unknown.total, balanceCode: '770100003333' }] },
          { token: b.token },
        ),
      ).toMatchObject({ ok: false, error: { params: { reason: 'GIFT_CARD_OFFLINE_UNKNOWN' } } });
      ok(
        await b.engine.call(
          'sales.complete',
          { saleId: unknown.saleId, tenders: [{ methodId: methodsB.cash, tendered: '100.00' }] },
          { token: b.token },
        ),
      );
      // The demo store lets a register alone take 500.00 of a card a day; it took `first.total` online already today.
      const big = await openSaleWithItem(b);
      ok(await b.engine.call('sales.addGiftCard', { saleId: big.saleId, code: '770100005555', amount: '480.00' }, { token: b.token }));
      const cart = ok(await b.engine.call('sales.get', { saleId: big.saleId }, { token: b.token }));
      const refused = await b.engine.call(
        'sales.complete',
        { saleId: big.saleId, tenders: [{ methodId: methodsB.gift, amount: cart.totals.total, balanceCode: '770100004444' }] },
        { token: b.token },
      );
      expect(refused).toMatchObject({ ok: false, error: { params: { reason: 'GIFT_CARD_OFFLINE_LIMIT' } } });
      expect(refused.ok ? '' : refused.error.message).toMatch(
        /^central cannot be reached: this register may take only \d+\.\d\d more of the gift card \*\*\*\*4444 today$/,
      );
      ok(
        await b.engine.call(
          'sales.complete',
          { saleId: big.saleId, tenders: [{ methodId: methodsB.cash, tendered: '1000.00' }] },
          { token: b.token },
        ),
      );
      const small = await openSaleWithItem(b);
      ok(
        await b.engine.call(
          'sales.complete',
          { saleId: small.saleId, tenders: [{ methodId: methodsB.gift, amount: small.total, balanceCode: '770100004444' }] },
          { token: b.token },
        ),
      );
    } finally {
      await b.engine.services.giftCards?.close();
      b.engine.services.giftCards = ledger;
    }
    await pushed(b);
    const spent = await central.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM payments.balance_movements m JOIN payments.balances c ON c.id = m.balance_id WHERE c.code = '770100004444' AND m.amount < 0`,
    );
    expect(spent[0]!.n).toBe(2);
  });
});
