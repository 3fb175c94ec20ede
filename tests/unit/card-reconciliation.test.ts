import { describe, expect, it } from 'vitest';
import type { ProviderPayment } from '#engine/payments/card-terminals/card-terminal.ts';
import { type OurCardTender, type ReconcileInput, reconcileCards } from '#engine/services/shifts/card-reconciliation.ts';

const MP = 'PAX_A910__SMARTPOS1423';
const OTHER_REGISTER = 'NEWLAND_N950__N950NCB801293324';
const span = { from: new Date('2026-11-25T15:00:00Z'), to: new Date('2026-11-25T23:00:00Z') };
const SALE = '0190f0a0-0000-7000-8000-0000000000a1';
const SALE2 = '0190f0a0-0000-7000-8000-0000000000a2';
const CHARGE = '0190f0a0-0000-7000-8000-0000000000c1';

const tender = (over: Partial<OurCardTender> = {}): OurCardTender => ({
  provider: 'mercadopago',
  terminalId: MP,
  saleId: SALE,
  paymentId: 'PAY1',
  reference: 'ORD1',
  amount: '100.0000',
  refunded: '0',
  ...over,
});
const paid = (over: Partial<ProviderPayment> = {}): ProviderPayment => ({
  id: 'PAY1',
  reference: 'ORD1',
  externalReference: null,
  terminalId: MP,
  amount: '100.00',
  refunded: '0.00',
  createdAt: '2026-11-25T16:00:00.000Z',
  ...over,
});
const input = (over: Partial<ReconcileInput> = {}): ReconcileInput => ({
  ours: [tender()],
  lists: [{ provider: 'mercadopago', payments: [paid()] }],
  span,
  terminals: [],
  tenderedElsewhere: new Set(),
  untendered: new Map(),
  ...over,
});

describe('a shift’s card tenders set against the provider’s list', () => {
  it('balances a terminal whose every tender the provider took for the same amount, net of refunds on both sides', () => {
    const [mp] = reconcileCards(
      input({
        ours: [tender(), tender({ saleId: SALE2, paymentId: 'PAY2', reference: 'ORD2', amount: '50.0000', refunded: '20.0000' })],
        lists: [
          { provider: 'mercadopago', payments: [paid(), paid({ id: 'PAY2', reference: 'ORD2', amount: '50.00', refunded: '20.00' })] },
        ],
      }),
    );
    expect(mp).toMatchObject({ provider: 'mercadopago', reachable: true, failure: null, message: null });
    expect(mp!.terminals).toEqual([
      expect.objectContaining({
        terminalId: MP,
        status: 'BALANCED',
        ours: { count: 2, amount: '130.00' },
        theirs: { count: 2, amount: '130.00' },
        missingAtProvider: [],
        unknownToUs: [],
        differing: [],
      }),
    ]);
    expect(mp!.terminals[0]!.matched.map((m) => [m.paymentId, m.saleId, m.ours, m.theirs])).toEqual([
      ['PAY1', SALE, '100.00', '100.00'],
      ['PAY2', SALE2, '30.00', '30.00'],
    ]);
  });

  it('names what only we have as missing at the provider, and what only the provider took on our terminal as unknown to us', () => {
    const [mp] = reconcileCards(
      input({
        ours: [tender(), tender({ saleId: SALE2, paymentId: 'PAY2', reference: 'ORD2', amount: '25.0000' })],
        lists: [{ provider: 'mercadopago', payments: [paid(), paid({ id: 'PAY9', reference: 'ORD9', amount: '77.70' })] }],
      }),
    );
    const terminal = mp!.terminals[0]!;
    expect(terminal.status).toBe('DIFFERENT');
    expect(terminal.missingAtProvider).toEqual([
      { paymentId: 'PAY2', reference: 'ORD2', saleId: SALE2, chargeId: null, ours: '25.00', theirs: null, at: null },
    ]);
    expect(terminal.unknownToUs).toEqual([
      { paymentId: 'PAY9', reference: 'ORD9', saleId: null, chargeId: null, ours: null, theirs: '77.70', at: '2026-11-25T16:00:00.000Z' },
    ]);
    expect(terminal.ours).toEqual({ count: 2, amount: '125.00' });
    expect(terminal.theirs).toEqual({ count: 2, amount: '177.70' });
  });

  it('sets apart a payment both sides have for different amounts, as when a refund reached only one side', () => {
    const [mp] = reconcileCards(input({ lists: [{ provider: 'mercadopago', payments: [paid({ refunded: '40.00' })] }] }));
    expect(mp!.terminals[0]).toMatchObject({
      status: 'DIFFERENT',
      matched: [],
      differing: [{ paymentId: 'PAY1', ours: '100.00', theirs: '60.00' }],
    });
  });

  it('finds a tender that kept no payment id by the provider’s charge reference', () => {
    const [mp] = reconcileCards(input({ ours: [tender({ paymentId: null })] }));
    expect(mp!.terminals[0]).toMatchObject({ status: 'BALANCED', matched: [{ paymentId: 'PAY1', reference: 'ORD1' }] });
  });

  it('leaves out other registers’ terminals, other shifts’ tenders and payments outside the shift, and says which approved charge never became a tender', () => {
    const [mp] = reconcileCards(
      input({
        lists: [
          {
            provider: 'mercadopago',
            payments: [
              paid(),
              paid({ id: 'PAY-OTHER-REGISTER', terminalId: OTHER_REGISTER }),
              paid({ id: 'PAY-EARLIER-SHIFT', createdAt: '2026-11-25T14:55:00.000Z' }),
              paid({ id: 'PAY-TENDERED-ELSEWHERE' }),
              paid({ id: 'PAY-NEVER-TENDERED', amount: '12.00' }),
            ],
          },
        ],
        tenderedElsewhere: new Set(['PAY-TENDERED-ELSEWHERE']),
        untendered: new Map([['PAY-NEVER-TENDERED', CHARGE]]),
      }),
    );
    expect(mp!.terminals.map((t) => t.terminalId)).toEqual([MP]);
    expect(mp!.terminals[0]!.unknownToUs).toEqual([
      expect.objectContaining({ paymentId: 'PAY-NEVER-TENDERED', chargeId: CHARGE, theirs: '12.00' }),
    ]);
  });

  it('counts apart the account’s payments whose terminal the provider did not name', () => {
    const [clip] = reconcileCards(
      input({
        ours: [tender({ provider: 'clip', terminalId: 'P8220724000042', paymentId: 'T1', reference: null })],
        lists: [
          {
            provider: 'clip',
            payments: [
              paid({ id: 'T1', reference: null, terminalId: null }),
              paid({ id: 'T2', reference: null, terminalId: null, amount: '9.50' }),
            ],
          },
        ],
      }),
    );
    expect(clip!.terminals[0]).toMatchObject({ terminalId: 'P8220724000042', status: 'BALANCED' });
    expect(clip!.unattributed).toEqual({ count: 1, amount: '9.50' });
  });

  it('checks the register’s own terminal for payments it took even in a shift with no card tender', () => {
    const [mp] = reconcileCards(input({ ours: [], terminals: [{ provider: 'mercadopago', terminalId: MP }] }));
    expect(mp!.terminals[0]).toMatchObject({
      status: 'DIFFERENT',
      ours: { count: 0, amount: '0.00' },
      unknownToUs: [{ paymentId: 'PAY1' }],
    });
  });

  it('answers a provider that could not be asked in its words, its terminals UNCHECKED with our side only, never as balanced', () => {
    const message = 'Mercado Pago no pudo listar los cobros por ahora (HTTP 503); se puede volver a consultar.';
    const [clip, mp] = reconcileCards(
      input({
        ours: [tender(), tender({ provider: 'clip', terminalId: 'P8220724000042', paymentId: 'T1', reference: null, amount: '40.0000' })],
        lists: [
          { provider: 'mercadopago', failure: 'UNAVAILABLE', message },
          { provider: 'clip', payments: [paid({ id: 'T1', reference: null, terminalId: 'P8220724000042', amount: '40.00' })] },
        ],
      }),
    );
    expect(mp).toEqual({
      provider: 'mercadopago',
      reachable: false,
      failure: 'UNAVAILABLE',
      message,
      terminals: [
        {
          terminalId: MP,
          status: 'UNCHECKED',
          ours: { count: 1, amount: '100.00' },
          theirs: null,
          matched: [],
          differing: [],
          missingAtProvider: [],
          unknownToUs: [],
        },
      ],
      unattributed: { count: 0, amount: '0.00' },
    });
    expect(clip).toMatchObject({ reachable: true, terminals: [{ status: 'BALANCED' }] });
  });
});
