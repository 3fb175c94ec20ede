import { describe, expect, it } from 'vitest';
import { moneyFormat } from '#contract/receipt-document.ts';
import type { PrintableReport } from '#contract/report-document.ts';
import { terminalSerial } from '#contract/payment-vocabulary.ts';
import { cardTerminalTotals } from '#engine/services/shifts/card-totals.ts';
import { shiftReportDocument } from '#engine/services/shifts/shift-report-document.ts';

const MP = 'PAX_A910__SMARTPOS1423';
const MP2 = 'NEWLAND_N950__N950NCB801293324';

describe('card terminal totals of a shift', () => {
  it('counts and sums each terminal’s charges apart, per provider, to four places and without a float', () => {
    const totals = cardTerminalTotals(
      [
        { provider: 'mercadopago', terminalId: MP, amount: '0.1000' },
        { provider: 'mercadopago', terminalId: MP, amount: '0.2000' },
        { provider: 'clip', terminalId: 'P8A1234567', amount: '40.0000' },
        { provider: 'mercadopago', terminalId: MP2, amount: '125.5' },
      ],
      [],
    );
    expect(totals).toEqual([
      { provider: 'clip', terminalId: 'P8A1234567', count: 1, amount: '40.0000', refunded: '0.0000' },
      { provider: 'mercadopago', terminalId: MP2, count: 1, amount: '125.5000', refunded: '0.0000' },
      { provider: 'mercadopago', terminalId: MP, count: 2, amount: '0.3000', refunded: '0.0000' },
    ]);
  });

  it('puts refunds against the terminal that took the charge, and lists one that only gave money back', () => {
    const totals = cardTerminalTotals(
      [{ provider: 'mercadopago', terminalId: MP, amount: '100.0000' }],
      [
        { provider: 'mercadopago', terminalId: MP, amount: '30.0000' },
        { provider: 'mercadopago', terminalId: MP, amount: '20.0000' },
        { provider: 'clip', terminalId: 'P8A1234567', amount: '15.5000' },
      ],
    );
    expect(totals).toEqual([
      { provider: 'clip', terminalId: 'P8A1234567', count: 0, amount: '0.0000', refunded: '15.5000' },
      { provider: 'mercadopago', terminalId: MP, count: 1, amount: '100.0000', refunded: '50.0000' },
    ]);
  });

  it('is empty for a shift without terminal charges', () => {
    expect(cardTerminalTotals([], [])).toEqual([]);
  });

  it('names a terminal by the serial printed on it', () => {
    expect(terminalSerial(MP)).toBe('SMARTPOS1423');
    expect(terminalSerial('P8A1234567')).toBe('P8A1234567');
    expect(terminalSerial('ODD__')).toBe('ODD__');
  });
});

describe('the card terminals on the X report’s paper', () => {
  const report: PrintableReport = {
    shiftId: '0190f0a0-0000-7000-8000-000000000001',
    registerId: '0190f0a0-0000-7000-8000-000000000002',
    businessDate: '2026-11-25',
    openedAt: '2026-11-25T15:00:00Z',
    openingFloat: '500.0000',
    sales: { count: 2, subtotal: '120.0000', discounts: '0.0000', tax: '0.0000', total: '140.0000', rounding: '0.0000' },
    tenders: [{ method: 'Tarjeta (terminal)', kind: 'CARD', count: 2, amount: '140.0000', refunded: '30.0000' }],
    cards: [
      { provider: 'clip', terminalId: 'P8A1234567', count: 1, amount: '40.0000', refunded: '0.0000' },
      { provider: 'mercadopago', terminalId: MP, count: 1, amount: '100.0000', refunded: '30.0000' },
    ],
    taxes: [],
    voids: { count: 0, total: '0.0000' },
    returns: { count: 0, total: '0.0000' },
    cash: {
      sales: '0.0000',
      refunds: '0.0000',
      payIns: '0.0000',
      payOuts: '0.0000',
      drops: '0.0000',
      noSaleOpens: 0,
      expected: '500.0000',
      payInCount: 0,
      payOutCount: 0,
      dropCount: 0,
    },
    receipts: { first: 1, last: 2 },
    parked: { count: 0, total: '0.0000', oldestAt: null },
  };
  const lines = (r: PrintableReport) =>
    shiftReportDocument(
      r,
      { business: 'Abarrotes', branch: 'Coyoacán', registerCode: 'CAJA-1', printedBy: 'Ángela', printedAt: '2026-11-25T23:00:00Z' },
      { paperWidth: 58, money: moneyFormat('es-MX', 'MXN'), when: (iso) => iso.slice(0, 16) },
    ).blocks.flatMap((b) => (b.type === 'row' ? [`${b.left} | ${b.right}`] : b.type === 'text' ? [b.text] : []));

  it('prints each terminal by provider and serial, with its count, amount and refunds, after the methods', () => {
    const printed = lines(report);
    const at = printed.indexOf('TERMINALES DE TARJETA');
    expect(at).toBeGreaterThan(printed.indexOf('FORMAS DE PAGO'));
    expect(printed.slice(at + 1, at + 4)).toEqual([
      'Clip P8A1234567 (1) | $40.00',
      'Mercado Pago SMARTPOS1423 (1) | $100.00',
      '  Devuelto | -$30.00',
    ]);
  });

  it('prints no terminal section for a shift without terminal charges, nor for a Z report kept before there was one', () => {
    expect(lines({ ...report, cards: [] })).not.toContain('TERMINALES DE TARJETA');
    const { cards: _cards, ...older } = report;
    expect(lines(older)).not.toContain('TERMINALES DE TARJETA');
  });

  it('hides a terminal’s amounts from a blind count, as it hides the methods’', () => {
    const blind = { ...report, cards: report.cards!.map((c) => ({ ...c, amount: null, refunded: null })) };
    expect(lines(blind)).toContain('Mercado Pago SMARTPOS1423 (1) | —');
  });
});
