// The printer models the devices screen offers are the encoder's own: plain data in contract/ so
// the screens need not load the encoder, held here to what the encoder knows.
import { describe, expect, it } from 'vitest';
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { CODEPAGES, codepageFits, DEFAULT_PRINTER_MODEL, isKnownModel, PRINTER_MODELS } from '#contract/printer-models.ts';
import { registerDevicesSchema } from '#contract/device-settings.ts';
import { contract } from '#contract/calls.ts';
import { DEFAULT_MODEL, encodeDocument } from '#engine/devices/printer/escpos.ts';

describe('the printer models a register can be set to', () => {
  it("are every model the encoder knows, by the encoder's id and name", () => {
    expect(PRINTER_MODELS.map((m) => ({ id: m.id, name: m.name }))).toEqual(
      ReceiptPrinterEncoder.printerModels.map((m) => ({ id: m.id, name: m.name.trim() })),
    );
  });

  it('name as the default the model the engine encodes for when none is set', () => {
    expect(DEFAULT_PRINTER_MODEL).toBe(DEFAULT_MODEL);
    expect(isKnownModel(DEFAULT_PRINTER_MODEL)).toBe(true);
  });

  it('are the only models the settings accept', () => {
    const uri = 'tcp://10.0.0.5:9100';
    expect(registerDevicesSchema.safeParse({ printer: { uri, model: 'star-tsp100iv' } }).success).toBe(true);
    expect(registerDevicesSchema.safeParse({ printer: { uri, model: 'epson-tm-t1000' } }).success).toBe(false);
  });

  it('each have exactly the code pages the encoder can pin for it, and automatic for all', () => {
    const encodes = (model: string, codepage: (typeof CODEPAGES)[number]) => {
      try {
        encodeDocument({ kind: 'TEST', paperWidth: 80, blocks: [{ type: 'text', text: '¿Año? ¡Señal! $' }] }, { model, codepage });
        return true;
      } catch {
        return false;
      }
    };
    for (const model of PRINTER_MODELS)
      for (const codepage of CODEPAGES)
        expect(codepageFits(model.id, codepage), `${model.id} ${codepage}`).toBe(encodes(model.id, codepage));
    // Unset model: the default's code pages.
    expect(codepageFits(undefined, 'iso8859-15')).toBe(true);
    expect(codepageFits('mpt-ii', 'cp858')).toBe(false);
  });

  it("refuse a code page the printer's model lacks when a register is set up, as no receipt would print", () => {
    const input = contract['devices.configure'].input;
    const devices = (printer: object) => ({ registerCode: 'CAJA-1', devices: { printer: { uri: 'tcp://10.0.0.5:9100', ...printer } } });
    expect(input.safeParse(devices({ model: 'mpt-ii', codepage: 'cp850' })).success).toBe(true);
    expect(input.safeParse(devices({ model: 'mpt-ii', codepage: 'auto' })).success).toBe(true);
    expect(input.safeParse(devices({ model: 'mpt-ii', codepage: 'windows1252' })).success).toBe(false);
  });
});
