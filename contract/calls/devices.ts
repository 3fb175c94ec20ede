// This register's devices: their state, discovery, settings, test pages and the scale.
import { z } from 'zod';
import { call, text } from '../fields.ts';
import { registerDevicesSchema } from '../device-settings.ts';

export const devicesCalls = {
  /** This register's devices and printers: state, conditions, pending jobs (the status bar). */
  'devices.status': call('session', z.object({}).strict()),
  /** Ports and devices this machine has, to choose from when setting a register up. */
  'devices.discover': call('devices.manage', z.object({}).strict()),
  'devices.configure': call('devices.manage', z.object({ registerCode: text(40, { min: 1 }), devices: registerDevicesSchema }).strict()),
  /** A test page on the given printer, or on this register's when none is given. */
  'devices.printTest': call('devices.manage', z.object({ printerUri: text(200, { trim: false }).optional() }).strict()),
  /** Try a printer that failed now rather than at its next backoff. */
  'devices.retryPrinter': call('session', z.object({ printerUri: text(200, { trim: false }) }).strict()),
  /** A stable weight from this register's scale, for a weighed item. */
  'scale.read': call('sales.sell', z.object({}).strict()),
};
