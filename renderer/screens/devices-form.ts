// The devices screen's form: a register's printer, scanners, customer display and scale as the
// manager types them, and back into the shape devices.configure takes. Each address is checked
// here with the engine's own parsers, so a mistake is pointed at beside its field; the engine
// checks again when it is saved. An empty address means no such device. Pure.
import { type Codepage, codepageFits, CODEPAGES } from '#contract/printer-models.ts';
import { parsePrinterUri } from '#contract/printer-uri.ts';
import { parseSerialAddress } from '#contract/serial-address.ts';
import type { DevicesConfig } from '../stores/register.ts';

export type Suffix = 'CR' | 'LF' | 'CRLF' | 'TAB';
export type DevicesForm = {
  printerUri: string;
  /** '' leaves the model unset: the engine's default (DEFAULT_PRINTER_MODEL). */
  printerModel: string;
  /** 'auto' (also what unset means) lets the encoder pick per character. */
  printerCodepage: Codepage;
  paperWidth: 58 | 80;
  scanners: { address: string; suffix: Suffix }[];
  displayAddress: string;
  displayCommands: 'cd5220' | 'epson';
  /** '' leaves the command set's usual code page. */
  displayCodepage: NonNullable<NonNullable<DevicesConfig['display']>['codepage']> | '';
  scaleAddress: string;
  scaleUnit: 'kg' | 'lb';
  /** The card terminal paired in the back office: not edited here, kept as it is when the rest is saved. */
  cardTerminal: DevicesConfig['cardTerminal'];
};

/** A field of the form: printer, scanner.0 … scanner.3, display, scale. */
export type FieldId = 'printer' | `scanner.${number}` | 'display' | 'scale';

// As devices/device-settings.ts's HID_ADDRESS (not imported: that module brings the receipt encoder).
const HID = /^hid:(?:[0-9a-fA-F]{4}:[0-9a-fA-F]{4}|\/dev\/hidraw\d{1,3})$/;

export function formOf(config: DevicesConfig): DevicesForm {
  return {
    printerUri: config.printer?.uri ?? '',
    printerModel: config.printer?.model ?? '',
    printerCodepage: config.printer?.codepage ?? 'auto',
    paperWidth: config.printer?.paperWidth ?? 80,
    scanners: config.scanners.map((s) => ({ address: s.address, suffix: s.suffix ?? 'CR' })),
    displayAddress: config.display?.address ?? '',
    displayCommands: config.display?.commandSet ?? 'cd5220',
    displayCodepage: config.display?.codepage ?? '',
    scaleAddress: config.scale?.address ?? '',
    scaleUnit: config.scale?.unit ?? 'kg',
    cardTerminal: config.cardTerminal,
  };
}

/** The code pages the printer's model ('' for the default) can be set to: automatic, and those it has. */
export const codepagesOf = (model: string): Codepage[] => CODEPAGES.filter((c) => codepageFits(model || undefined, c));

/** Another model chosen: a code page it lacks goes back to automatic (pinned, no receipt would print). */
export function withModel(form: DevicesForm, model: string): DevicesForm {
  return {
    ...form,
    printerModel: model,
    printerCodepage: codepageFits(model || undefined, form.printerCodepage) ? form.printerCodepage : 'auto',
  };
}

const parses = (parse: (value: string) => unknown, value: string) => {
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
};

/**
 * The configuration to save, or the fields whose address cannot be used. Scanners left empty are
 * dropped; a printer model or code page left at the default is left out, as unset means the same.
 */
export function configOf(form: DevicesForm): { config: DevicesConfig; problems: FieldId[] } {
  const problems: FieldId[] = [];
  const printerUri = form.printerUri.trim();
  if (printerUri && !parses(parsePrinterUri, printerUri)) problems.push('printer');
  const scanners = form.scanners.flatMap((s, i) => {
    const address = s.address.trim();
    if (!address) return [];
    if (!HID.test(address) && !parses(parseSerialAddress, address)) problems.push(`scanner.${i}`);
    return [{ address, suffix: s.suffix }];
  });
  const displayAddress = form.displayAddress.trim();
  if (displayAddress && !parses(parseSerialAddress, displayAddress)) problems.push('display');
  const scaleAddress = form.scaleAddress.trim();
  if (scaleAddress && !parses(parseSerialAddress, scaleAddress)) problems.push('scale');
  const config: DevicesConfig = {
    scanners,
    ...(printerUri ? { printer: printerOf(form, printerUri) } : {}),
    ...(displayAddress
      ? {
          display: {
            address: displayAddress,
            commandSet: form.displayCommands,
            ...(form.displayCodepage ? { codepage: form.displayCodepage } : {}),
          },
        }
      : {}),
    ...(scaleAddress ? { scale: { address: scaleAddress, unit: form.scaleUnit } } : {}),
    // devices.configure replaces the register's devices whole: the terminal goes back as it came.
    ...(form.cardTerminal ? { cardTerminal: form.cardTerminal } : {}),
  };
  return { config, problems };
}

function printerOf(form: DevicesForm, uri: string): NonNullable<DevicesConfig['printer']> {
  return {
    uri,
    ...(form.printerModel ? { model: form.printerModel } : {}),
    ...(form.printerCodepage !== 'auto' ? { codepage: form.printerCodepage } : {}),
    paperWidth: form.paperWidth,
  };
}
