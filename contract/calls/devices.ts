// This register's devices: their state, discovery, settings, test pages and the scale.
import { z } from 'zod';
import { call, text } from '../fields.ts';
import { registerDevicesSchema, registerDevicesView } from '../device-settings.ts';
import { deviceStatus } from '../device-status.ts';
import { printerCondition, printerState, uncertainPrint } from '../printer-state.ts';
import { codepageFits } from '../printer-models.ts';
import { stableReading } from '../scale-reading.ts';

export const devicesCalls = {
  /** This register's devices and printers: state, conditions, pending jobs (the status bar). */
  'devices.status': call('session', z.object({}).strict(), {
    output: z
      .object({
        registerCode: z.string(),
        /** The register's own printer, when it has one. */
        printerUri: z.string().nullable(),
        config: registerDevicesView,
        devices: z.array(deviceStatus),
        /** Every printer with receipts on this terminal, the register's own first even before its first job. */
        printers: z.array(printerState),
        /** Receipts whose printing outcome is unknown, for the cashier to say whether they came out. */
        uncertainPrints: z.array(uncertainPrint),
      })
      .strict(),
  }),
  /** Ports and devices this machine has, to choose from when setting a register up. */
  'devices.discover': call('devices.manage', z.object({}).strict(), {
    output: z
      .object({
        serialPorts: z.array(
          z
            .object({
              path: z.string(),
              manufacturer: z.string().nullable(),
              /** USB ids as the system gives them (hex digits), null for a port that is not USB. */
              vendorId: z.string().nullable(),
              productId: z.string().nullable(),
            })
            .strict(),
        ),
        /** HID devices of the bar code scanner usage page (HID POS). */
        hidScanners: z.array(
          z
            .object({
              /** The address to configure the scanner with. */
              address: z.string(),
              path: z.string().nullable(),
              vendorId: z.number().int(),
              productId: z.number().int(),
              manufacturer: z.string().nullable(),
              product: z.string().nullable(),
              serialNumber: z.string().nullable(),
            })
            .strict(),
        ),
        /** USB printer devices, as printer addresses (usb:/dev/usb/lp0). */
        usbPrinters: z.array(z.string()),
      })
      .strict(),
  }),
  'devices.configure': call(
    'devices.manage',
    z
      .object({
        registerCode: text(40, { min: 1 }),
        // Refused when typed only: a stored pair read back is kept (every receipt would say why it fails).
        devices: registerDevicesSchema.refine((d) => codepageFits(d.printer?.model, d.printer?.codepage), {
          message: "the printer's model has no such code page",
          path: ['printer', 'codepage'],
        }),
      })
      .strict(),
    {
      output: z
        .object({
          registerCode: z.string(),
          devices: registerDevicesView,
          /** The register is this one, so its devices were restarted with the new settings now. */
          applied: z.boolean(),
        })
        .strict(),
    },
  ),
  /** A test page on the given printer, or on this register's when none is given. */
  'devices.printTest': call('devices.manage', z.object({ printerUri: text(200, { trim: false }).optional() }).strict(), {
    output: z
      .object({
        printerUri: z.string(),
        /** The printer answered the real-time status requests, so its conditions below are known. */
        statusSupported: z.boolean(),
        conditions: z.array(printerCondition),
      })
      .strict(),
  }),
  /** Try a printer that failed now rather than at its next backoff. */
  'devices.retryPrinter': call('session', z.object({ printerUri: text(200, { trim: false }) }).strict(), {
    output: z.object({ printerUri: z.string() }).strict(),
  }),
  /**
   * The cashier's word on a receipt whose printing outcome was unknown: it came out (PRINTED), or
   * print a copy marked as a reprint (REPRINT). Audited either way.
   */
  'devices.settlePrint': call('sales.sell', z.object({ receiptId: z.uuid(), outcome: z.enum(['PRINTED', 'REPRINT']) }).strict(), {
    output: z.object({ receiptId: z.string(), outcome: z.enum(['PRINTED', 'REPRINT']), copyId: z.string().nullable() }).strict(),
  }),
  /** A stable weight from this register's scale, for a weighed item; no stable weight is a DEVICE_ERROR with the reason. */
  'scale.read': call('sales.sell', z.object({}).strict(), { output: stableReading }),
};
