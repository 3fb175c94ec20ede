// What comes down from central, in an order that satisfies the foreign keys between them.
// Central's row-level security limits every table to this terminal's business; a column
// listed in `keepGreater` is never moved backwards by a pull (a register's receipt counter
// runs ahead on the terminal until its sales are pushed). A table with a `source` is read from
// that view on central, which serves only the `columns` named (the others are never written
// locally by a pull: a terminal's own copy keeps them). A table whose rows never change once
// written (`insertOnly`: its update trigger refuses any) only takes the rows it lacks. A table
// with a unique index on its live rows (`liveKey`: one live link per sale, one live setting per
// key) lets a row central says is live take the place of a local live row with the same key
// (its columns, NULL the same as NULL): central's own index guarantees there is one, and the row
// that frees the local one may come later in the pull, or never come (a setting the register's
// back office made, which central does not have, gives way to the one central's operator sets).
export type PullTable = {
  table: string;
  keepGreater?: readonly string[];
  source?: string;
  columns?: readonly string[];
  insertOnly?: boolean;
  liveKey?: readonly string[];
};

export const PULL_TABLES: readonly PullTable[] = [
  { table: 'business.permissions' },
  // Names for the staff of this branch, nothing personal (no email, phone or KYC data).
  {
    table: 'auth.users',
    source: 'sync.terminal_users',
    columns: ['id', 'display_name', 'locale', 'kyc_level', 'preferences', 'created_at', 'updated_at', 'deleted_at'],
  },
  { table: 'business.businesses' },
  { table: 'business.branches' },
  { table: 'billing.fiscal_profiles' },
  { table: 'sales.cash_registers', keepGreater: ['last_receipt_number', 'version'] },
  { table: 'business.roles' },
  { table: 'business.role_permissions' },
  { table: 'auth.user_identities' },
  { table: 'business.employees' },
  { table: 'business.employee_branches' },
  { table: 'business.settings', liveKey: ['business_id', 'branch_id', 'key'] },
  { table: 'payments.payment_methods' },
  { table: 'inventory.categories' },
  { table: 'inventory.products' },
  { table: 'inventory.product_variants' },
  // What central addresses to this branch's staff, for the bell; read_at stays the register's own.
  {
    table: 'communication.in_app_notifications',
    source: 'sync.terminal_notifications',
    columns: [
      'id',
      'user_id',
      'business_id',
      'branch_id',
      'employee_id',
      'severity',
      'title',
      'body',
      'data',
      'created_at',
      'updated_at',
      'deleted_at',
    ],
  },
  // What central could not send for this business (masked), for the back office; and the
  // templates those rows point at.
  { table: 'communication.notification_templates', source: 'sync.terminal_notification_templates' },
  { table: 'communication.notification_jobs', source: 'sync.terminal_notification_jobs' },
  // What central's fiscal worker answered for this register's invoices (stamped, rejected,
  // cancelled), and the facturas globales it issued covering this register's sales. The
  // register's own invoices come back too, the same but for central's answer.
  { table: 'billing.invoices', source: 'sync.terminal_invoices' },
  { table: 'billing.invoice_items', source: 'sync.terminal_invoice_items', insertOnly: true },
  { table: 'billing.invoice_sales', source: 'sync.terminal_invoice_sales', liveKey: ['sale_id'] },
  { table: 'billing.invoice_returns', source: 'sync.terminal_invoice_returns', liveKey: ['return_id'] },
  { table: 'billing.invoice_cancellations', source: 'sync.terminal_invoice_cancellations', insertOnly: true },
  { table: 'billing.cancellation_answers', source: 'sync.terminal_cancellation_answers', insertOnly: true },
];
