// The devices screen's form: a register's printer, scanners, customer display and scale as the
// manager types them, and back into the shape devices.configure takes. Each address is checked
// here with the engine's own parsers, so a mistake is pointed at beside its field; the engine
// checks again when it is saved. An empty address means no such device. Pure.
import { parsePrinterUri } from '#contract/printer-uri.ts';
import { parseSerialAddress } from '#contract/serial-address.ts';
import type { DevicesConfig } from '../stores/register.ts';

export type Suffix = 'CR' | 'LF' | 'CRLF' | 'TAB';
export type DevicesForm = {
  printerUri: string;
  paperWidth: 58 | 80;
  scanners: { address: string; suffix: Suffix }[];
  displayAddress: string;
  displayCommands: 'cd5220' | 'epson';
  /** '' leaves the command set's usual code page. */
  displayCodepage: NonNullable<NonNullable<DevicesConfig['display']>['codepage']> | '';
  scaleAddress: string;
  scaleUnit: 'kg' | 'lb';
};

/** A field of the form: printer, scanner.0 … scanner.3, display, scale. */
export type FieldId = 'printer' | `scanner.${number}` | 'display' | 'scale';

// As devices/device-settings.ts's HID_ADDRESS (not imported: that module brings the receipt encoder).
const HID = /^hid:(?:[0-9a-fA-F]{4}:[0-9a-fA-F]{4}|\/dev\/hidraw\d{1,3})$/;

export function formOf(config: DevicesConfig): DevicesForm {
  return {
    printerUri: config.printer?.uri ?? '',
    paperWidth: config.printer?.paperWidth ?? 80,
    scanners: config.scanners.map((s) => ({ address: s.address, suffix: s.suffix ?? 'CR' })),
    displayAddress: config.display?.address ?? '',
    displayCommands: config.display?.commandSet ?? 'cd5220',
    displayCodepage: config.display?.codepage ?? '',
    scaleAddress: config.scale?.address ?? '',
    scaleUnit: config.scale?.unit ?? 'kg',
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
 * The configuration to save, keeping what the form does not show (the printer's model and code
 * page), or the fields whose address cannot be used. Scanners left empty are dropped.
 */
export function configOf(form: DevicesForm, before: DevicesConfig): { config: DevicesConfig; problems: FieldId[] } {
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
    ...(printerUri ? { printer: { ...before.printer, uri: printerUri, paperWidth: form.paperWidth } } : {}),
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
  };
  return { config, problems };
}
