// Self-invoicing's rules as the customer meets them: the receipt code and the total as people
// type them, until when a sale may be invoiced, the fiscal form's problems by field and the
// service's settings.
import { describe, expect, it } from 'vitest';
import { CentralConfigError, readCentralConfig } from '#engine/server/central/config.ts';
import { formProblems } from '#engine/server/central/self-invoice/self-invoice-request.ts';
import {
  dayAsRead,
  lastDayToSelfInvoice,
  readReceiptCode,
  readTypedTotal,
  totalMatches,
} from '#engine/server/central/self-invoice/self-invoice-rules.ts';

const FORM = {
  taxId: 'GODE561231GR8',
  legalName: 'EMILIANO GOMEZ DIAZ',
  taxRegime: '612',
  postalCode: '06000',
  fiscalUse: 'G03',
  email: 'emiliano@ejemplo.mx',
};

describe('a receipt code as typed', () => {
  it('reads the code as printed, in any case, with spaces, and with or without its zeros, as one receipt', () => {
    expect(readReceiptCode('RCAJA-1-000042')).toEqual({ registerCode: 'CAJA-1', number: 42, key: 'RCAJA-1-42' });
    expect(readReceiptCode(' rcaja-1-000042 ')?.key).toBe('RCAJA-1-42');
    expect(readReceiptCode('R CAJA-1-42')?.key).toBe('RCAJA-1-42');
  });

  it('reads nothing else as a receipt code', () => {
    for (const typed of ['', '42', 'CAJA-1-42', '7501234567890', 'RCAJA-1-0', `R${'X'.repeat(30)}-1`])
      expect(readReceiptCode(typed)).toBeNull();
  });
});

describe('a total as typed', () => {
  it('reads the amount with or without the peso sign, thousands separators, cents or a decimal comma', () => {
    expect(readTypedTotal('245.50')).toBe('245.50');
    expect(readTypedTotal('$ 1,245.50')).toBe('1245.50');
    expect(readTypedTotal('245')).toBe('245');
    expect(readTypedTotal('245,5')).toBe('245.5');
    expect(readTypedTotal('245.50 MXN')).toBe('245.50');
  });

  it('reads nothing from what is not one amount', () => {
    for (const typed of ['', 'doscientos', '245.505', '1.245,50', '-5', '1e3']) expect(readTypedTotal(typed)).toBeNull();
  });

  it('matches the sale’s total to the centavo', () => {
    expect(totalMatches('245.5', '245.5000')).toBe(true);
    expect(totalMatches('245.50', '245.4900')).toBe(false);
  });
});

describe('until when a sale may be self-invoiced', () => {
  it('is the last day of the sale’s own month by default, in a leap year and in December too', () => {
    expect(lastDayToSelfInvoice('2026-05-12', 0)).toBe('2026-05-31');
    expect(lastDayToSelfInvoice('2028-02-03', 0)).toBe('2028-02-29');
    expect(lastDayToSelfInvoice('2026-12-31', 0)).toBe('2026-12-31');
  });

  it('runs that many days into the next month when the business allows it', () => {
    expect(lastDayToSelfInvoice('2026-05-12', 5)).toBe('2026-06-05');
    expect(lastDayToSelfInvoice('2026-12-20', 3)).toBe('2027-01-03');
  });

  it('is written as a customer in Mexico reads a date', () => {
    expect(dayAsRead('2026-06-05')).toBe('05/06/2026');
  });
});

describe('the fiscal form', () => {
  it('has no problem with a receiver the SAT accepts', () => {
    expect(formProblems(FORM, '2026-05-12')).toEqual([]);
  });

  it('names each field that is wrong, in the counter’s Spanish words', () => {
    const problems = formProblems({ ...FORM, taxId: 'GODE561231GR9', postalCode: '6000', email: 'emiliano' }, '2026-05-12');
    expect(problems.map((p) => p.field)).toEqual(['taxId', 'postalCode', 'email']);
    expect(problems[0]!.message).toMatch(/dígito verificador|RFC/);
    expect(problems[1]!.message).toContain('5 dígitos');
  });

  it('refuses a uso the régimen does not allow, on the uso, saying which are allowed', () => {
    const [problem] = formProblems({ ...FORM, taxRegime: '605', fiscalUse: 'G03' }, '2026-05-12');
    expect(problem).toMatchObject({ field: 'fiscalUse' });
    expect(problem!.message).toContain('Con ese régimen se permiten');
  });

  it('asks for a régimen, a postal code and a uso not given yet as what to do, not as a key the SAT lacks', () => {
    const problems = formProblems({ ...FORM, taxRegime: '', postalCode: '', fiscalUse: '' }, '2026-05-12');
    expect(problems).toEqual([
      { field: 'taxRegime', message: 'Elija su régimen fiscal de la lista.' },
      { field: 'postalCode', message: 'Escriba el código postal de su domicilio fiscal: 5 dígitos.' },
      { field: 'fiscalUse', message: 'Elija el uso del CFDI de la lista.' },
    ]);
  });

  it('refuses the generic RFC, saying the sale goes in the factura global', () => {
    const [problem] = formProblems({ ...FORM, taxId: 'xaxx010101000', taxRegime: '616', fiscalUse: 'S01' }, '2026-05-12');
    expect(problem).toMatchObject({ field: 'taxId' });
    expect(problem!.message).toContain('factura global');
  });
});

describe('the self-invoicing settings', () => {
  it('default to the sale’s own month, 30 requests per address and 5 failed lookups per receipt, and trust no proxy', () => {
    const c = readCentralConfig({}, {});
    expect(c.selfInvoice).toEqual({ daysAfterMonth: 0, addressLimit: 30, receiptFailures: 5 });
    expect(c.trustProxy).toBeNull();
  });

  it('are read from the environment, and a proxy by its addresses or by how many stand in front', () => {
    const env = {
      POS_CENTRAL_SELF_INVOICE_DAYS: '5',
      POS_CENTRAL_SELF_INVOICE_ADDRESS_LIMIT: '100',
      POS_CENTRAL_SELF_INVOICE_RECEIPT_FAILURES: '3',
      POS_CENTRAL_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16',
    };
    const c = readCentralConfig({}, env);
    expect(c.selfInvoice).toEqual({ daysAfterMonth: 5, addressLimit: 100, receiptFailures: 3 });
    expect(c.trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16']);
    expect(readCentralConfig({ 'trust-proxy': '1' }, {}).trustProxy).toBe(1);
  });

  it('refuse a bad value in one line naming its variable', () => {
    expect(() => readCentralConfig({}, { POS_CENTRAL_SELF_INVOICE_DAYS: 'un mes' })).toThrow(CentralConfigError);
    expect(() => readCentralConfig({}, { POS_CENTRAL_SELF_INVOICE_DAYS: 'un mes' })).toThrow(/^POS_CENTRAL_SELF_INVOICE_DAYS must be/);
    expect(() => readCentralConfig({}, { POS_CENTRAL_TRUST_PROXY: 'el proxy' })).toThrow(/^POS_CENTRAL_TRUST_PROXY must be/);
  });
});
