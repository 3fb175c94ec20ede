// The devices screen's form (F11) round-trips what it does not edit: the card terminal paired in
// the back office goes back to devices.configure as it came, since that call replaces the
// register's devices whole.
import { describe, expect, it } from 'vitest';
import { configOf, formOf } from '../../renderer/screens/devices-form.ts';

describe("the devices screen's form", () => {
  it('keeps the paired card terminal when the printer is changed and saved', () => {
    const cardTerminal = { provider: 'mercadopago' as const, terminalId: 'PAX_A910__SMARTPOS1423', baseUrl: 'https://api.mercadopago.com' };
    const form = formOf({ scanners: [], cardTerminal });
    expect(configOf({ ...form, printerUri: 'tcp://192.168.1.50:9100' })).toEqual({
      config: { scanners: [], printer: { uri: 'tcp://192.168.1.50:9100', paperWidth: 80 }, cardTerminal },
      problems: [],
    });
  });

  it('adds no card terminal to a register that has none', () => {
    expect(configOf(formOf({ scanners: [] })).config).toEqual({ scanners: [] });
  });
});
