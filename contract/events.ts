// Everything the engine tells the renderer without being asked: one typed map, the only
// events that cross the boundary (the IPC relay and the WebSocket forward these and nothing else).
import type { CustomerView } from './customer-view.ts';
import type { z } from 'zod';
import type { deviceStatus } from './device-status.ts';
import type { drawerFailed } from './drawer-kick.ts';
import type { notificationEvent } from './notification.ts';
import type { printerState } from './printer-state.ts';
import type { scaleReading } from './scale-reading.ts';
import type { scanEvent } from './scan-event.ts';
import type { syncStatus } from './sync-status.ts';

export type ServerEvents = {
  /** A device changed state, or its hardware reported something (paper end, cover open, offline). */
  'device.status': z.output<typeof deviceStatus>;
  /** One code read by a scanner (serial or HID; the wedge is detected in the renderer itself). */
  scan: z.output<typeof scanEvent>;
  /** A stable weight from the scale, or why there is none. */
  'scale.reading': z.output<typeof scaleReading>;
  /** A printer's queue or condition changed: pending jobs, last error, paper and cover, for the always-visible badge. */
  'printer.queue': z.output<typeof printerState>;
  /** What the customer should see now (the pole display and a customer-facing window). */
  'customer.view': CustomerView;
  /** Sync with central changed: online, pending facts, last error (the always-visible badge). */
  'sync.status': z.output<typeof syncStatus>;
  /** New in-app notifications were written: the bell should refresh its count. */
  notification: z.output<typeof notificationEvent>;
  /** The drawer did not open for a sale or a return paid in cash: the cashier opens it with the key. */
  'drawer.failed': z.output<typeof drawerFailed>;
};

export type ServerEventName = keyof ServerEvents;

/** Every event, named once: the WebSocket and the IPC relay forward a signed-in screen exactly these. */
export const SERVER_EVENT_NAMES = Object.keys({
  'device.status': true,
  scan: true,
  'scale.reading': true,
  'printer.queue': true,
  'customer.view': true,
  'sync.status': true,
  notification: true,
  'drawer.failed': true,
} satisfies Record<ServerEventName, true>) as ServerEventName[];
