// All domains' handlers in one map, checked against the contract: a call without a handler,
// or a handler without a call, does not compile.
import type { Handler } from './call-context.ts';
import type { CallName } from '#contract/calls.ts';
import { auditHandlers } from './services/audit/handlers.ts';
import { authHandlers } from './services/auth/handlers.ts';
import { rolesHandlers } from './services/roles/handlers.ts';
import { staffHandlers } from './services/staff/handlers.ts';
import { salesHandlers } from './services/sales/handlers.ts';
import { shiftHandlers } from './services/shifts/handlers.ts';
import { deviceHandlers } from './services/devices/handlers.ts';
import { terminalHandlers } from './services/terminal/handlers.ts';
import { notificationHandlers } from './services/notifications/handlers.ts';
import { syncHandlers } from './services/sync/handlers.ts';
import { catalogHandlers } from './services/catalog/handlers.ts';
import { customersHandlers } from './services/customers/handlers.ts';
import { inventoryHandlers } from './services/inventory/handlers.ts';
import { invoicingHandlers } from './services/invoicing/handlers.ts';
import { settingsHandlers } from './services/settings/handlers.ts';
import { paymentsHandlers } from './services/payments/handlers.ts';

export const handlers = {
  ...authHandlers,
  ...staffHandlers,
  ...rolesHandlers,
  ...auditHandlers,
  ...salesHandlers,
  ...customersHandlers,
  ...shiftHandlers,
  ...deviceHandlers,
  ...terminalHandlers,
  ...syncHandlers,
  ...notificationHandlers,
  ...catalogHandlers,
  ...inventoryHandlers,
  ...invoicingHandlers,
  ...settingsHandlers,
  ...paymentsHandlers,
} satisfies { [K in CallName]: Handler<K> };
