import { describe, expect, it } from 'vitest';
import { parseSelfInvoicingBase, selfInvoicingLink, selfInvoicingPage } from '#contract/self-invoicing.ts';

describe('the address of central’s self-invoicing page', () => {
  it.each([
    ['https://factura.laesperanza.mx', 'https://factura.laesperanza.mx'],
    ['  https://factura.laesperanza.mx/  ', 'https://factura.laesperanza.mx'],
    ['https://pos.example.mx/tiendas/coyoacan/', 'https://pos.example.mx/tiendas/coyoacan'],
    ['HTTPS://Factura.LaEsperanza.MX:443', 'https://factura.laesperanza.mx'],
    ['https://pos.example.mx:8443', 'https://pos.example.mx:8443'],
    ['http://127.0.0.1:8400', 'http://127.0.0.1:8400'],
  ])('takes %s as %s', (typed, base) => {
    expect(parseSelfInvoicingBase(typed)).toEqual({ base });
  });

  it.each([
    ['factura.laesperanza.mx', 'SELF_INVOICING_NOT_A_URL'],
    ['', 'SELF_INVOICING_NOT_A_URL'],
    ['mailto:factura@laesperanza.mx', 'SELF_INVOICING_NOT_A_URL'],
    ['http://factura.laesperanza.mx', 'SELF_INVOICING_NOT_HTTPS'],
    ['http://localhost:8400', 'SELF_INVOICING_NOT_HTTPS'],
    ['ftp://factura.laesperanza.mx', 'SELF_INVOICING_NOT_HTTPS'],
    ['https://factura.laesperanza.mx/?tienda=1', 'SELF_INVOICING_HAS_QUERY'],
    ['https://factura.laesperanza.mx?', 'SELF_INVOICING_HAS_QUERY'],
    ['https://factura.laesperanza.mx/#inicio', 'SELF_INVOICING_HAS_QUERY'],
    ['https://admin:secreto@factura.laesperanza.mx', 'SELF_INVOICING_HAS_CREDENTIALS'],
    [`https://factura.laesperanza.mx/${'a'.repeat(200)}`, 'SELF_INVOICING_TOO_LONG'],
  ])('refuses %s: %s', (typed, problem) => {
    expect(parseSelfInvoicingBase(typed)).toEqual({ problem });
  });

  it('makes the page the receipt prints and the link its QR opens, the receipt code in the query', () => {
    expect(selfInvoicingPage('https://factura.laesperanza.mx')).toBe('https://factura.laesperanza.mx/factura');
    expect(selfInvoicingLink('https://factura.laesperanza.mx', 'RCAJA-1-000123')).toBe(
      'https://factura.laesperanza.mx/factura?r=RCAJA-1-000123',
    );
    expect(new URL(selfInvoicingLink('https://pos.example.mx/tienda', 'R CAJA&1')).searchParams.get('r')).toBe('R CAJA&1');
  });
});
