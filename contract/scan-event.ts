// What a scanner reports: the code as read, and the symbology when the scanner says which
// (the AIM identifier prefix, or the HID POS report's symbology field).
import { z } from 'zod';

export const SYMBOLOGIES = [
  'EAN-13',
  'EAN-8',
  'UPC-A',
  'UPC-E',
  'Code 128',
  'GS1-128',
  'Code 39',
  'Code 93',
  'Interleaved 2 of 5',
  'Codabar',
  'QR Code',
  'Data Matrix',
  'PDF417',
  'GS1 DataBar',
  'unknown',
] as const;

export type Symbology = (typeof SYMBOLOGIES)[number];

export const scanEvent = z
  .object({
    deviceId: z.string(),
    code: z.string(),
    symbology: z.enum(SYMBOLOGIES),
    /** Where it came from, so the UI can say which scanner to check. */
    source: z.enum(['serial', 'hid', 'wedge']),
  })
  .strict();

export type ScanEvent = z.output<typeof scanEvent>;
