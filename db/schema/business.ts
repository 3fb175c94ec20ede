// business: the shops, their branches, the people who work there and what each may do.
import { sql } from 'drizzle-orm';
import { boolean, check, jsonb, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { country, currency, id, rate, timestamps, version } from './columns.ts';
import { indexOn, live, oneOf, uniqueOn } from './constraints.ts';
import { users } from './auth.ts';
// The vocabulary the screens share lives in the contract; the schema constrains the column to it.
import { EMPLOYEE_STATUSES } from '../../contract/staff-member.ts';

export const businessSchema = pgSchema('business');

export const BUSINESS_TYPES = ['RETAIL', 'RESTAURANT', 'SERVICE'] as const;
export { EMPLOYEE_STATUSES };

export type BusinessFeatures = {
  kitchenDisplay?: boolean;
  tables?: boolean;
  barcodeScanner?: boolean;
  weighedItems?: boolean;
  invoicing?: boolean;
};

export const businesses = businessSchema.table(
  'businesses',
  {
    id: id(),
    name: text('name').notNull(),
    legalName: text('legal_name').notNull(),
    type: text('type', { enum: BUSINESS_TYPES }).notNull(),
    features: jsonb('features').$type<BusinessFeatures>().notNull().default({}),
    country: country(),
    currency: currency(),
    /** RFC in Mexico, NIT in Colombia, CUIT in Argentina. */
    taxId: text('tax_id').notNull(),
    /** Whether shelf prices already include tax (they do in all three launch countries). */
    pricesIncludeTax: boolean('prices_include_tax').notNull().default(true),
    ownerUserId: uuid('owner_user_id')
      .notNull()
      .references(() => users.id),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('businesses', t.ownerUserId),
    oneOf('businesses', t.type, BUSINESS_TYPES),
    check('businesses_country_check', sql`${t.country} ~ '^[A-Z]{2}$'`),
    check('businesses_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const branches = businessSchema.table(
  'branches',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** IANA zone; decides the branch's business day and end-of-day. */
    timezone: text('timezone').notNull(),
    addressLine1: text('address_line1').notNull(),
    addressLine2: text('address_line2'),
    city: text('city').notNull(),
    state: text('state').notNull(),
    postalCode: text('postal_code').notNull(),
    country: country(),
    phone: text('phone'),
    ...timestamps(),
  },
  (t) => [
    indexOn('branches', t.businessId),
    uniqueOn('branches', [t.businessId, t.code], live(t.deletedAt)),
    check('branches_timezone_check', sql`${t.timezone} ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$'`),
  ],
);

/** Global catalog of permission codes such as `sales.void`; roles pick from it. */
export const permissions = businessSchema.table(
  'permissions',
  {
    id: id(),
    code: text('code').notNull(),
    description: text('description').notNull(),
    ...timestamps(),
  },
  (t) => [uniqueOn('permissions', [t.code]), check('permissions_code_check', sql`${t.code} ~ '^[a-z_]+(\\.[a-z_]+)+$'`)],
);

export const roles = businessSchema.table(
  'roles',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    name: text('name').notNull(),
    description: text('description'),
    /** Largest discount, as a fraction of the line, this role may give without an override. */
    maxDiscountRate: rate('max_discount_rate').notNull().default('0'),
    ...timestamps(),
  },
  (t) => [
    indexOn('roles', t.businessId),
    uniqueOn('roles', [t.businessId, t.name], live(t.deletedAt)),
    check('roles_max_discount_rate_check', sql`${t.maxDiscountRate} between 0 and 1`),
  ],
);

export const rolePermissions = businessSchema.table(
  'role_permissions',
  {
    id: id(),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id),
    permissionId: uuid('permission_id')
      .notNull()
      .references(() => permissions.id),
    ...timestamps(),
  },
  (t) => [
    indexOn('role_permissions', t.roleId),
    indexOn('role_permissions', t.permissionId),
    uniqueOn('role_permissions', [t.roleId, t.permissionId], live(t.deletedAt)),
  ],
);

/** A user's place in one business: the same person can be owner here and cashier elsewhere. */
export const employees = businessSchema.table(
  'employees',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id),
    code: text('code').notNull(),
    displayName: text('display_name').notNull(),
    status: text('status', { enum: EMPLOYEE_STATUSES }).notNull().default('ACTIVE'),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('employees', t.businessId),
    indexOn('employees', t.userId),
    indexOn('employees', t.roleId),
    uniqueOn('employees', [t.businessId, t.userId], live(t.deletedAt)),
    uniqueOn('employees', [t.businessId, t.code], live(t.deletedAt)),
    oneOf('employees', t.status, EMPLOYEE_STATUSES),
  ],
);

export const employeeBranches = businessSchema.table(
  'employee_branches',
  {
    id: id(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    ...timestamps(),
  },
  (t) => [
    indexOn('employee_branches', t.employeeId),
    indexOn('employee_branches', t.branchId),
    uniqueOn('employee_branches', [t.employeeId, t.branchId], live(t.deletedAt)),
  ],
);

/** Business-wide settings (branchId null) and per-branch overrides, one JSON value per key. */
export const settings = businessSchema.table(
  'settings',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id').references(() => branches.id),
    key: text('key').notNull(),
    value: jsonb('value').$type<unknown>().notNull(),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('settings', t.businessId),
    indexOn('settings', t.branchId),
    // A NULL branch means the whole business; NULLs are distinct in a unique index, so the
    // business-wide row and the per-branch rows each get their own partial index.
    uniqueOn('settings', [t.businessId, t.key], sql`${t.branchId} is null and ${live(t.deletedAt)}`),
    uniqueOn('settings', [t.businessId, t.branchId, t.key], sql`${t.branchId} is not null and ${live(t.deletedAt)}`),
    check('settings_key_check', sql`${t.key} ~ '^[a-z][a-zA-Z0-9]*(\\.[a-z][a-zA-Z0-9]*)*$'`),
  ],
);
