// What central sends for a business (e-mailed receipts, alerts by e-mail, SMS, WhatsApp, push) as
// a register's back office sees it: only the ones that ran into trouble come down from central,
// with the address masked and the reason a person reads.
import { z } from 'zod';
import { utcTime } from './fields.ts';

export const OUTGOING_CHANNELS = ['EMAIL', 'SMS', 'WHATSAPP', 'PUSH'] as const;
export const OUTGOING_STATUSES = ['PENDING', 'PROCESSING', 'SENT', 'FAILED', 'CANCELLED'] as const;

export const outgoingNotification = z
  .object({
    id: z.uuid(),
    channel: z.enum(OUTGOING_CHANNELS),
    /** The template's code: sale.receipt, shift.variance, register.silent… */
    template: z.string(),
    /** Masked at central (a***@ejemplo.mx, +52******5678): enough to tell them apart. */
    recipient: z.string(),
    status: z.enum(OUTGOING_STATUSES),
    attempts: z.number().int().min(0),
    /** Why it failed or is waiting, as central recorded it (addresses masked). */
    lastError: z.string().nullable(),
    createdAt: utcTime,
    updatedAt: utcTime,
    /** A retry was asked for here and has not come back from central yet. */
    retryRequested: z.boolean(),
  })
  .strict();

export type OutgoingNotification = z.output<typeof outgoingNotification>;
