// Every permission the engine knows. Roles pick from these; each contract call names the one
// it needs, so the list here is the whole vocabulary of "who may do what".
import { z } from 'zod';

export const PERMISSIONS = {
  'sales.sell': 'Ring up and complete sales',
  'sales.discount': 'Give discounts up to the role limit',
  'sales.price_override': 'Change the price of a line',
  'sales.void': 'Cancel an open sale',
  'sales.return': 'Accept returns and refund them',
  'sales.reprint': 'Reprint a receipt',
  'drawer.no_sale': 'Open the cash drawer without a sale',
  'shifts.open': 'Open a shift with a float',
  'shifts.close': 'Count the drawer and close a shift',
  'shifts.approve_variance': 'Approve a shift close whose variance is over tolerance',
  'shifts.cash_movement': 'Record pay-ins, pay-outs and safe drops',
  'reports.shift': 'Print X reports',
  'reports.business': 'See sales reports for the business',
  'catalog.manage': 'Edit products, variants, barcodes and prices',
  'inventory.receive': 'Receive stock',
  'inventory.adjust': 'Adjust stock counts',
  'staff.manage': 'Add employees and set their PINs',
  'staff.unlock': 'Unlock an employee locked out by wrong PINs',
  'roles.manage': 'Edit roles and their permissions',
  'settings.manage': 'Change business and branch settings',
  'devices.manage': 'Configure printers, scanners, displays and scales',
  'audit.view': 'Read the audit trail',
  'sync.manage': 'See and retry synchronisation with central',
  'invoices.manage': 'Issue the factura global and cancel invoices',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_CODES = Object.keys(PERMISSIONS) as Permission[];

export const isPermission = (code: string): code is Permission => Object.hasOwn(PERMISSIONS, code);

/** A permission's code in an answer: one this build knows. */
export const permissionCode = z.enum(PERMISSION_CODES as [Permission, ...Permission[]]);

/** What a cashier may do for one action when another employee authorises it with their PIN. */
export const OVERRIDABLE: ReadonlySet<Permission> = new Set<Permission>([
  'sales.discount',
  'sales.price_override',
  'sales.void',
  'sales.return',
  'drawer.no_sale',
  'shifts.approve_variance',
  'staff.unlock',
]);

/** Holders of these run the business: password sign-in requires a second factor. */
export const ADMINISTRATIVE: ReadonlySet<Permission> = new Set<Permission>(['staff.manage', 'roles.manage', 'settings.manage']);

export const requiresMfa = (permissions: Iterable<string>) => [...permissions].some((p) => ADMINISTRATIVE.has(p as Permission));
