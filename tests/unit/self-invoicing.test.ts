import { describe, expect, it } from 'vitest';
import {
  branchFromLink,
  branchInLink,
  parseSelfInvoicingBase,
  SELF_INVOICE_PATH,
  selfInvoicingLink,
  selfInvoicingPage,
} from '#contract/self-invoicing.ts';

const BRANCH = '0190a0b0-0000-7000-8000-000000000001';

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

  it('makes the page the receipt prints and the link its QR opens, the receipt code and the branch in the query', () => {
    expect(SELF_INVOICE_PATH).toBe('/factura');
    expect(selfInvoicingPage('https://factura.laesperanza.mx')).toBe('https://factura.laesperanza.mx/factura');
    expect(selfInvoicingLink('https://factura.laesperanza.mx', 'RCAJA-1-000123', BRANCH)).toBe(
      'https://factura.laesperanza.mx/factura?r=RCAJA-1-000123&b=AZCgsAAAcACAAAAAAAAAAQ',
    );
    const link = new URL(selfInvoicingLink('https://pos.example.mx/tienda', 'R CAJA&1', BRANCH));
    expect(link.searchParams.get('r')).toBe('R CAJA&1');
    expect(branchFromLink(link.searchParams.get('b')!)).toBe(BRANCH);
  });
});

describe('the branch in the link', () => {
  it.each([BRANCH, '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0198f3c2-7d41-7a3e-9c1b-5e2f8a6d4b70'])(
    'writes %s as its 16 bytes in base64url, and reads it back',
    (id) => {
      const written = branchInLink(id);
      expect(written).toBe(Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url'));
      expect(written).toHaveLength(22);
      expect(branchFromLink(written)).toBe(id);
    },
  );

  it('reads an id written in capitals as the same branch', () => {
    expect(branchInLink(BRANCH.toUpperCase())).toBe(branchInLink(BRANCH));
  });

  it.each([
    ['an id as written in the database', BRANCH],
    ['one character short', 'AZCgsAAAcACAAAAAAAAAA'],
    ['one character more', 'AZCgsAAAcACAAAAAAAAAAQA'],
    ['a last character with bits past the 128th', 'AZCgsAAAcACAAAAAAAAAAR'],
    ['characters outside base64url', 'AZCgsAAAcACAAAAAAAAA+Q'],
    ['nothing', ''],
  ])('reads nothing from %s', (_what, text) => {
    expect(branchFromLink(text)).toBeNull();
  });

  it('refuses to write what is not a branch id', () => {
    expect(() => branchInLink('SUC-01')).toThrow(/not a branch id/);
  });
});
