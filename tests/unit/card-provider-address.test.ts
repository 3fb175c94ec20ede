import { describe, expect, it } from 'vitest';
import { tokenMayGoTo } from '#engine/payments/card-terminals/providers.ts';

describe("where a register may send its card provider's token", () => {
  it("sends it to the provider's own hosts and to this machine", () => {
    expect(tokenMayGoTo('mercadopago', 'https://api.mercadopago.com', {})).toBe(true);
    expect(tokenMayGoTo('clip', 'https://api.payclip.io/f2f', {})).toBe(true);
    expect(tokenMayGoTo('clip', 'https://api.payclip.com', {})).toBe(true);
    expect(tokenMayGoTo('mercadopago', 'http://127.0.0.1:40123', {})).toBe(true);
  });

  it('sends it to another server only when that address was installed with the token', () => {
    expect(tokenMayGoTo('mercadopago', 'https://pagos.example.net', {})).toBe(false);
    expect(tokenMayGoTo('mercadopago', 'https://pagos.example.net/v1', { baseUrl: 'https://pagos.example.net' })).toBe(true);
    expect(tokenMayGoTo('mercadopago', 'https://otro.example.net', { baseUrl: 'https://pagos.example.net' })).toBe(false);
  });

  it("never takes one provider's host for another's, nor a look-alike", () => {
    expect(tokenMayGoTo('clip', 'https://api.mercadopago.com', {})).toBe(false);
    expect(tokenMayGoTo('mercadopago', 'https://api.mercadopago.com.example.net', {})).toBe(false);
    expect(tokenMayGoTo('mercadopago', 'not a url', {})).toBe(false);
  });
});
