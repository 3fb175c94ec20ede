// The back office's card terminal form: a token, webhook secret and API address refused beside
// their fields by the engine's own rules before anything is sent, and the register's devices sent
// back whole with only the terminal changed.
import { describe, expect, it } from 'vitest';
import { baseUrlOf, tokenFormProblems, withCardTerminal } from '../../renderer/screens/back-office/card-terminal-form.ts';

const form = { provider: 'mercadopago' as const, token: 'APP_USR-5520917734416620-072214', webhookSecret: '', baseUrl: '' };

describe("the card terminal tab's form", () => {
  it('takes a pasted token with the spaces and line end around it, and leaves the webhook secret and address optional', () => {
    expect(tokenFormProblems({ ...form, token: `  ${form.token}\n` })).toEqual([]);
    expect(baseUrlOf('  ')).toBeUndefined();
  });

  it('points at a token that is missing, short or has spaces inside, and at a webhook secret likewise', () => {
    expect(tokenFormProblems({ ...form, token: '' })).toEqual(['token']);
    expect(tokenFormProblems({ ...form, token: 'APP_USR' })).toEqual(['token']);
    expect(tokenFormProblems({ ...form, token: 'APP_USR 5520 9177', webhookSecret: 'corta' })).toEqual(['token', 'webhookSecret']);
  });

  it('takes an https address, or http only on 127.0.0.1, and points at any other', () => {
    expect(baseUrlOf('https://api.mercadopago.com')).toBe('https://api.mercadopago.com');
    expect(baseUrlOf('http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010');
    expect(baseUrlOf('http://api.mercadopago.com')).toBeNull();
    expect(baseUrlOf('api.mercadopago.com')).toBeNull();
    expect(tokenFormProblems({ ...form, baseUrl: 'ftp://x' })).toEqual(['baseUrl']);
  });

  it("pairs the terminal keeping the register's printer and scanners, and drops a base URL left to the provider", () => {
    const config = {
      printer: { uri: 'tcp://192.168.1.50:9100', paperWidth: 80 as const },
      scanners: [{ address: 'hid:0c2e:0b61' }],
      cardTerminal: { provider: 'clip' as const, terminalId: 'P8S1234567', baseUrl: 'https://sandbox.example.com' },
    };
    expect(withCardTerminal(config, { provider: 'mercadopago', terminalId: 'PAX_A910__SMARTPOS1423', baseUrl: undefined })).toEqual({
      printer: config.printer,
      scanners: config.scanners,
      cardTerminal: { provider: 'mercadopago', terminalId: 'PAX_A910__SMARTPOS1423' },
    });
  });
});
