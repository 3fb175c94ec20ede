// Everything the engine tells the renderer without being asked: one typed map, the only
// events that cross the boundary (the IPC relay and the WebSocket forward these and nothing else).
import type { CustomerView } from './customer-view.ts';
import type { DeviceStatus } from '#engine/devices/device.ts';
import type { PrinterState } from '#engine/devices/printer/print-spool.ts';
import type { ScanEvent } from './scan-event.ts';
import type { SyncStatus } from '#engine/sync/sync-status.ts';

export type ServerEvents = {
  /** A device changed state, or its hardware reported something (paper end, cover open, offline). */
  'device.status': DeviceStatus;
  /** One code read by a scanner (serial or HID; the wedge is detected in the renderer itself). */
  scan: ScanEvent;
  /** A stable weight from the scale, or why there is none. */
  'scale.reading': { deviceId: string; weightKg: string | null; status: 'stable' | 'motion' | 'underload' | 'overload' | 'error'; message?: string };
  /** A printer's queue or condition changed: pending jobs, last error, paper and cover, for the always-visible badge. */
  'printer.queue': PrinterState;
  /** What the customer should see now (the pole display and a customer-facing window). */
  'customer.view': CustomerView;
  /** Sync with central changed: online, pending facts, last error (the always-visible badge). */
  'sync.status': SyncStatus;
  /** New in-app notifications were written: the bell should refresh its count. */
  notification: { severity: 'INFO' | 'WARNING' | 'CRITICAL'; code: string };
};

export type ServerEventName = keyof ServerEvents;

/** Every event, named once: the WebSocket and the IPC relay forward a signed-in screen exactly these. */
export const SERVER_EVENT_NAMES = Object.keys({
  'device.status': true, scan: true, 'scale.reading': true, 'printer.queue': true, 'customer.view': true, 'sync.status': true, notification: true,
} satisfies Record<ServerEventName, true>) as ServerEventName[];
