// Every call the engine answers: its input (validated at the boundary, unknown keys refused)
// and who may make it. The IPC relay, the HTTP/WebSocket server, the CLI and tests all go
// through dispatch(), which reads this table; outputs are typed from the handlers.
import { z } from 'zod';
import { registerDevicesSchema } from './device-settings.ts';
import { isPermission } from './permissions.ts';
import { notificationCalls } from './calls/notifications.ts';
import { syncCalls } from './calls/sync.ts';
import { catalogCalls } from './calls/catalog.ts';
import { inventoryCalls } from './calls/inventory.ts';
import { browseCalls } from './calls/sales-browse.ts';
import { counterCalls } from './calls/sales-counter.ts';
import { historyCalls } from './calls/sales-history.ts';
import { registerLanguageCalls } from './calls/terminal-language.ts';
import {
  amount, call, deviceName, idempotencyKey, name, password, pin, quantity, rate, reason, recoveryCode, shaped, text, totpCode, type CallSpec,
} from './fields.ts';

export { amount, call, idempotencyKey, name, pin, quantity, rate, reason, shaped, text, type Access } from './fields.ts';

const discount = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rate'), value: rate }).strict(),
  z.object({ kind: z.literal('amount'), value: amount }).strict(),
]);
const saleRef = { saleId: z.uuid() };
const denominationCount = z.record(shaped(9, /^\d{1,6}(\.\d{1,2})?$/, 'a denomination such as 500 or 0.50'),
  z.number().int().min(0).max(100_000));
const lineRef = { saleId: z.uuid(), lineId: z.uuid() };
const tender = z.object({
  methodId: z.uuid(),
  /** What a non-cash tender pays. */
  amount: amount.optional(),
  /** What the customer handed over in cash. */
  tendered: amount.optional(),
  cardLast4: shaped(4, /^\d{4}$/, 'the last 4 digits of the card').optional(),
  cardBrand: text(30, { min: 1 }).optional(),
  approvalCode: shaped(12, /^[A-Za-z0-9]{1,12}$/, 'the approval code from the card terminal').optional(),
  reference: text(60, { min: 1 }).optional(),
  balanceCode: text(40, { min: 1 }).optional(),
}).strict();

/** A credit slip pays once per sale: the same code twice would spend it twice against one balance check. */
function oneTenderPerSlip(tenders: z.output<typeof tender>[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  tenders.forEach((t, i) => {
    if (t.balanceCode === undefined) return;
    if (seen.has(t.balanceCode)) {
      ctx.addIssue({ code: 'custom', path: [i, 'balanceCode'], message: 'that credit slip is already a tender of this payment; enter its whole amount once' });
    }
    seen.add(t.balanceCode);
  });
}

export const contract = {
  /** Whose register this is and how its money, dates and words look: the screens' first call. */
  'terminal.info': call('public', z.object({}).strict()),
  ...registerLanguageCalls,
  'auth.staffForSignIn': call('public', z.object({}).strict()),
  'auth.signInWithPin': call('public', z.object({
    employeeId: z.uuid(),
    pin,
    /** A session on this terminal to end: the quick switch between employees at one register. */
    switchFrom: text(200, { min: 1, trim: false }).optional(),
  }).strict()),
  'auth.signInWithPassword': call('public', z.object({
    email: z.email().max(254),
    password: text(200, { min: 1, trim: false }),
    totp: totpCode.optional(),
    recoveryCode: recoveryCode.optional(),
    trustedDeviceToken: text(200, { min: 1, trim: false }).optional(),
    trustThisDevice: z.boolean().optional(),
    deviceName,
  }).strict()),
  'auth.whoAmI': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.refresh': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.signOut': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.signOutEverywhereElse': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.changePin': call('session', z.object({ currentPin: pin, newPin: pin }).strict()),
  'auth.changePassword': call('session', z.object({ currentPassword: text(200, { min: 1, trim: false }), newPassword: password }).strict(), { duringMfaEnrollment: true }),
  'auth.mfa.beginTotp': call('session', z.object({ label: name.optional() }).strict(), { duringMfaEnrollment: true }),
  'auth.mfa.confirmTotp': call('session', z.object({ factorId: z.uuid(), code: totpCode }).strict(), { duringMfaEnrollment: true }),
  'auth.mfa.removeFactor': call('session', z.object({ factorId: z.uuid(), code: totpCode }).strict()),
  /** The back office's step-up: this session's own person proves their password and second factor again (services/auth/step-up.ts). */
  'auth.stepUp': call('session', z.object({
    password: text(200, { min: 1, trim: false }),
    totp: totpCode.optional(),
    recoveryCode: recoveryCode.optional(),
  }).strict()),
  /** Ends this session's step-up at once: leaving the back office at a shared register. */
  'auth.endStepUp': call('session', z.object({}).strict()),

  'staff.list': call('staff.manage', z.object({}).strict()),
  'staff.save': call('staff.manage', z.object({
    id: z.uuid().optional(),
    code: text(20, { min: 1 }),
    displayName: name,
    roleId: z.uuid(),
    email: z.email().max(254).optional(),
    phone: shaped(16, /^\+[1-9][0-9]{6,14}$/, 'a phone in international format, such as +525512345678').optional(),
    branchIds: z.array(z.uuid()).min(1).max(100),
    status: z.enum(['ACTIVE', 'SUSPENDED', 'TERMINATED']).optional(),
    kyc: z.object({ level: z.number().int().min(0).max(3), data: z.record(text(60), text(500)) }).strict().optional(),
  }).strict()),
  'staff.setPin': call('staff.manage', z.object({ employeeId: z.uuid(), pin }).strict()),
  'staff.unlock': call('staff.unlock', z.object({ employeeId: z.uuid() }).strict()),

  'roles.list': call('roles.manage', z.object({}).strict()),
  'roles.save': call('roles.manage', z.object({
    id: z.uuid().optional(),
    name,
    description: text(500, { multiline: true }).optional(),
    maxDiscountRate: rate,
    permissions: z.array(text(100).refine(isPermission, 'a known permission')).max(100),
  }).strict()),

  'sales.current': call('sales.sell', z.object({}).strict()),
  'sales.get': call('sales.sell', z.object(saleRef).strict()),
  'sales.open': call('sales.sell', z.object({ idempotencyKey }).strict()),
  'sales.addItem': call('sales.sell', z.object({
    ...saleRef,
    /** As scanned or typed: a barcode, a scale label, a SKU. */
    code: text(200, { min: 1, trim: false, scanned: true }).optional(),
    variantId: z.uuid().optional(),
    quantity: quantity.optional(),
  }).strict().refine((v) => (v.code === undefined) !== (v.variantId === undefined), 'give either a code or a variantId')),
  'sales.search': call('sales.sell', z.object({
    text: text(100, { trim: false }),
    limit: z.number().int().min(1).max(100).optional(),
  }).strict()),
  ...browseCalls,
  ...counterCalls,
  'sales.setQuantity': call('sales.sell', z.object({ ...lineRef, quantity }).strict()),
  'sales.removeLine': call('sales.sell', z.object(lineRef).strict()),
  'sales.setLineDiscount': call('sales.discount', z.object({ ...lineRef, discount: discount.nullable() }).strict()),
  'sales.setSaleDiscount': call('sales.discount', z.object({ ...saleRef, discount: discount.nullable() }).strict()),
  'sales.overridePrice': call('sales.price_override', z.object({ ...lineRef, unitPrice: amount, reason }).strict()),
  'sales.park': call('sales.sell', z.object({ ...saleRef, label: name.optional() }).strict()),
  'sales.parked': call('sales.sell', z.object({}).strict()),
  'sales.recall': call('sales.sell', z.object(saleRef).strict()),
  'sales.void': call('sales.void', z.object({ ...saleRef, reason }).strict()),
  'sales.complete': call('sales.sell', z.object({ ...saleRef, tenders: z.array(tender).min(1).max(10).superRefine(oneTenderPerSlip) }).strict()),
  'sales.paymentMethods': call('sales.sell', z.object({}).strict()),
  /** What was printed for a sale (or laid out, when the register has no printer): the preview. */
  'sales.receipts': call('sales.sell', z.object(saleRef).strict()),
  'sales.reprint': call('sales.reprint', z.object({ ...saleRef, variant: z.enum(['copy', 'gift']).default('copy') }).strict()),
  ...historyCalls,

  'returns.lookup': call('sales.sell', z.object({ code: text(60, { min: 1, trim: false, scanned: true }) }).strict()),
  'returns.create': call('sales.return', z.object({
    saleId: z.uuid(),
    lines: z.array(z.object({ saleItemId: z.uuid(), quantity, restock: z.boolean().optional() }).strict()).min(1).max(500),
    refundMethodId: z.uuid(),
    reason,
    reference: text(60, { min: 1 }).optional(),
    idempotencyKey,
  }).strict()),

  'shifts.current': call('session', z.object({}).strict()),
  'shifts.open': call('shifts.open', z.object({
    idempotencyKey,
    openingFloat: amount.optional(),
    /** The float counted by denomination ("500": 2 means two 500 notes). */
    count: denominationCount.optional(),
  }).strict().refine((v) => v.openingFloat === undefined || v.count === undefined, 'give the float as an amount or as a count, not both')),
  'shifts.cashMovement': call('shifts.cash_movement', z.object({
    kind: z.enum(['PAY_IN', 'PAY_OUT', 'DROP']),
    amount: amount.refine((v) => /[1-9]/.test(v), 'the amount must be more than zero'),
    reason,
    idempotencyKey,
  }).strict()),
  'drawer.noSale': call('drawer.no_sale', z.object({ reason, idempotencyKey }).strict()),
  'shifts.xReport': call('reports.shift', z.object({}).strict()),
  'shifts.printXReport': call('reports.shift', z.object({}).strict()),
  'shifts.close': call('shifts.close', z.object({
    idempotencyKey,
    count: denominationCount.optional(),
    countedCash: amount.optional(),
  }).strict().refine((v) => (v.count === undefined) !== (v.countedCash === undefined), 'count the drawer by denomination or enter the amount')),

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

  ...catalogCalls,
  ...inventoryCalls,

  ...syncCalls,
  ...notificationCalls,

  'audit.tail': call('audit.view', z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict()),
} satisfies Record<string, CallSpec>;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<K extends CallName> = z.output<Contract[K]['input']>;

/** Credentials of another employee authorising this one call (a manager override). */
export const overrideSchema = z.object({ employeeId: z.uuid(), pin }).strict();

export const envelopeSchema = z.object({
  call: text(100, { trim: false }),
  input: z.unknown().optional(),
  token: text(200, { min: 1, trim: false }).optional(),
  override: overrideSchema.optional(),
}).strict();

export type Envelope = z.input<typeof envelopeSchema>;

export const isCallName = (name: string): name is CallName => Object.hasOwn(contract, name);
