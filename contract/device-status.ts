// A device of this register as the status bar sees it: what it is, where, how far along its
// UnifiedPOS life (open, claim, enable), whether it answers, and what it last reported.
import { z } from 'zod';
import { DEVICE_ERROR_CODES } from './device-error.ts';

export const DEVICE_KINDS = ['printer', 'scanner', 'display', 'scale'] as const;
export const DEVICE_STATES = ['closed', 'opened', 'claimed', 'enabled'] as const;
/** online: answering; offline: not answering now (unplugged, switched off); error: it says something is wrong. */
export const DEVICE_HEALTHS = ['unknown', 'online', 'offline', 'error'] as const;

export type DeviceKind = (typeof DEVICE_KINDS)[number];
export type DeviceState = (typeof DEVICE_STATES)[number];
export type DeviceHealth = (typeof DEVICE_HEALTHS)[number];

export const deviceStatus = z
  .object({
    deviceId: z.string(),
    kind: z.enum(DEVICE_KINDS),
    /** Where it is plugged in, as configured (serial:/dev/ttyUSB0, hid:0c2e:0b61…). */
    address: z.string(),
    state: z.enum(DEVICE_STATES),
    health: z.enum(DEVICE_HEALTHS),
    /** Codes the hardware reported (PAPER_END, COVER_OPEN, DRAWER_OPEN, MOTION…), empty when all is well. */
    conditions: z.array(z.string()),
    error: z
      .object({ code: z.enum(DEVICE_ERROR_CODES), message: z.string() })
      .strict()
      .nullable(),
  })
  .strict();

export type DeviceStatus = z.output<typeof deviceStatus>;
