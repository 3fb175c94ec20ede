// Every call the engine answers: its input (validated at the boundary, unknown keys refused)
// and who may make it, one file per domain in calls/. The IPC relay, the HTTP/WebSocket server,
// the CLI and tests all go through the engine's dispatch(), which reads this table.
import { z } from 'zod';
import { auditCalls } from './calls/audit.ts';
import { authCalls } from './calls/auth.ts';
import { catalogCalls } from './calls/catalog.ts';
import { customersCalls } from './calls/customers.ts';
import { devicesCalls } from './calls/devices.ts';
import { inventoryCalls } from './calls/inventory.ts';
import { invoicesCalls } from './calls/invoices.ts';
import { notificationCalls } from './calls/notifications.ts';
import { paymentsCalls } from './calls/payments.ts';
import { rolesCalls } from './calls/roles.ts';
import { salesCalls } from './calls/sales.ts';
import { settingsCalls } from './calls/settings.ts';
import { shiftsCalls } from './calls/shifts.ts';
import { staffCalls } from './calls/staff.ts';
import { syncCalls } from './calls/sync.ts';
import { terminalCalls } from './calls/terminal.ts';
import type { EngineErrorBody } from './errors.ts';
import { pin, text, type CallSpec } from './fields.ts';

export { amount, call, idempotencyKey, name, pin, quantity, rate, reason, shaped, text, type Access } from './fields.ts';

export const contract = {
  ...terminalCalls,
  ...authCalls,
  ...staffCalls,
  ...rolesCalls,
  ...salesCalls,
  ...customersCalls,
  ...shiftsCalls,
  ...devicesCalls,
  ...catalogCalls,
  ...inventoryCalls,
  ...syncCalls,
  ...notificationCalls,
  ...auditCalls,
  ...invoicesCalls,
  ...settingsCalls,
  ...paymentsCalls,
} satisfies Record<string, CallSpec>;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<K extends CallName> = z.output<Contract[K]['input']>;
/** What a call answers, as declared (see `output` in fields.ts): the screens' type and the handler's. */
export type CallOutput<K extends CallName> = z.output<Contract[K]['output']>;
/** What a caller may send: the input before defaults are applied, or after. */
export type CallArgs<K extends CallName> = z.input<Contract[K]['input']> | CallInput<K>;
/** Every answer: the value, or the error the screens word for the cashier. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: EngineErrorBody };

/** Credentials of another employee authorising this one call (a manager override). */
export const overrideSchema = z.object({ employeeId: z.uuid(), pin }).strict();

export const envelopeSchema = z
  .object({
    call: text(100, { trim: false }),
    input: z.unknown().optional(),
    token: text(200, { min: 1, trim: false }).optional(),
    override: overrideSchema.optional(),
  })
  .strict();

export type Envelope = z.input<typeof envelopeSchema>;

export const isCallName = (name: string): name is CallName => Object.hasOwn(contract, name);
