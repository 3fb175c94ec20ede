// What comes down from central, in an order that satisfies the foreign keys between them.
// Central's row-level security limits every table to this terminal's business; a column
// listed in `keepGreater` is never moved backwards by a pull (a register's receipt counter
// runs ahead on the terminal until its sales are pushed).
export type PullTable = { table: string; keepGreater?: readonly string[] };

export const PULL_TABLES: readonly PullTable[] = [
  { table: 'business.permissions' },
  { table: 'auth.users' },
  { table: 'business.businesses' },
  { table: 'business.branches' },
  { table: 'sales.cash_registers', keepGreater: ['last_receipt_number', 'version'] },
  { table: 'business.roles' },
  { table: 'business.role_permissions' },
  { table: 'auth.user_identities' },
  { table: 'business.employees' },
  { table: 'business.employee_branches' },
  { table: 'business.settings' },
  { table: 'payments.payment_methods' },
  { table: 'inventory.categories' },
  { table: 'inventory.products' },
  { table: 'inventory.product_variants' },
];
