// Which devices a register has, as stored in business.settings under "devices.registers"
// (register code to its devices). One schema checks the back office's input and what is read
// back, so a printer address that cannot be parsed is refused when it is typed, not at print time.
import { z } from 'zod';
import { text } from './fields.ts';
import { DeviceError } from './device-error.ts';
import { CODEPAGES, isKnownModel } from './printer-models.ts';
import { CARD_PROVIDERS } from './payment-vocabulary.ts';
import { acceptPrinterUri, PrinterUriError } from './printer-uri.ts';
import { parseSerialAddress } from './serial-address.ts';

export { CODEPAGES, isKnownModel, type Codepage } from './printer-models.ts';

const refuses = (parse: (value: string) => unknown) => (value: string, ctx: z.RefinementCtx) => {
  try {
    parse(value);
  } catch (err) {
    if (!(err instanceof PrinterUriError || err instanceof DeviceError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
  }
};

export const HID_ADDRESS = /^hid:(?:([0-9a-fA-F]{4}):([0-9a-fA-F]{4})|(\/dev\/hidraw\d{1,3}))$/;

// Ports are the store's to allow (devices.printerPorts): the calls that configure and test a
// printer check them; here, where the stored value is read back too, the address's form and device.
const printerUri = text(200, { trim: false }).superRefine(refuses((v) => acceptPrinterUri(v, 'any')));
const serialAddress = text(200, { trim: false }).superRefine(refuses((v) => parseSerialAddress(v)));
const scannerAddress = text(200, { trim: false }).superRefine(
  refuses((v) => {
    if (!HID_ADDRESS.test(v)) parseSerialAddress(v);
  }),
);

const printer = z
  .object({
    uri: printerUri,
    /** A model ReceiptPrinterEncoder knows (its code pages); Epson TM-T20III when unset. */
    model: z.string().max(60).refine(isKnownModel, 'not a printer model the encoder knows (epson-tm-t20iii, star-tsp100iv, …)').optional(),
    codepage: z.enum(CODEPAGES).optional(),
    paperWidth: z.union([z.literal(58), z.literal(80)]).optional(),
  })
  .strict();
const scanners = z
  .array(
    z
      .object({
        address: scannerAddress,
        /** What ends a code on a serial scanner: CR (default), LF, CRLF or TAB. */
        suffix: z.enum(['CR', 'LF', 'CRLF', 'TAB']).optional(),
      })
      .strict(),
  )
  .max(4);
/**
 * What a pole display shows above plain ASCII: a DOS code page selected with ESC t n (PC437 or
 * PC850, both holding the Spanish letters), or 'ascii' for a display that shows garbage there
 * (accents dropped: ñ → n). Unset: the command set's usual one (line-display-commands.ts).
 */
export const DISPLAY_CODEPAGES = ['cp437', 'cp850', 'ascii'] as const;
export type DisplayCodepage = (typeof DISPLAY_CODEPAGES)[number];

const display = z
  .object({ address: serialAddress, commandSet: z.enum(['cd5220', 'epson']), codepage: z.enum(DISPLAY_CODEPAGES).optional() })
  .strict();
const scaleUnit = z.enum(['kg', 'lb']);

/**
 * The card terminal this register drives through its provider's cloud API: which provider, the
 * provider's id of the paired terminal, and the API's base URL (the provider's own when unset).
 * The token is no setting: it is kept as a secret file of the register (pos payments set-token).
 */
export const cardTerminal = z
  .object({
    provider: z.enum(CARD_PROVIDERS),
    terminalId: text(100, { min: 1 }),
    baseUrl: text(200, { min: 1 })
      .refine((v) => {
        try {
          const url = new URL(v);
          return url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === '127.0.0.1');
        } catch {
          return false;
        }
      }, 'an https:// address (http:// only on 127.0.0.1)')
      .optional(),
  })
  .strict();
export type CardTerminalSetting = z.output<typeof cardTerminal>;

export const registerDevicesSchema = z
  .object({
    printer: printer.optional(),
    scanners: scanners.default([]),
    display: display.optional(),
    scale: z
      .object({ address: serialAddress, unit: scaleUnit.default('kg') })
      .strict()
      .optional(),
    cardTerminal: cardTerminal.optional(),
  })
  .strict();

/** A register's devices as the engine answers them: what registerDevicesSchema reads, its defaults filled in. */
export const registerDevicesView = z
  .object({
    printer: printer.optional(),
    scanners,
    display: display.optional(),
    scale: z.object({ address: serialAddress, unit: scaleUnit }).strict().optional(),
    cardTerminal: cardTerminal.optional(),
  })
  .strict();

export type RegisterDevices = z.output<typeof registerDevicesSchema>;

export const devicesByRegisterSchema = z.record(z.string().min(1).max(40), registerDevicesSchema);

export const NO_DEVICES: RegisterDevices = Object.freeze({ scanners: [] }) as RegisterDevices;
