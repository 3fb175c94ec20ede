// A minimal but complete chain of real rows (owner → business → branch → register → shift →
// sale → payment, invoice, stock movement, audit entry), written through drizzle so the same
// code runs on PGlite and on central PostgreSQL.
import { v7 as uuidv7 } from 'uuid';
import type { AppDb } from '#db/app-db.ts';
import * as s from '#db/schema/index.ts';

export async function insertSampleRows(db: AppDb) {
  const ids = {
    user: uuidv7(),
    business: uuidv7(),
    branch: uuidv7(),
    register: uuidv7(),
    role: uuidv7(),
    employee: uuidv7(),
    method: uuidv7(),
    shift: uuidv7(),
    sale: uuidv7(),
    transaction: uuidv7(),
    audit: uuidv7(),
    profile: uuidv7(),
    invoice: uuidv7(),
    product: uuidv7(),
    variant: uuidv7(),
    movement: uuidv7(),
  };
  const now = new Date();
  await db.insert(s.users).values({ id: ids.user, email: `owner-${ids.user}@example.com`, displayName: 'Dueña de prueba' });
  await db.insert(s.businesses).values({
    id: ids.business,
    name: 'Tienda de prueba',
    legalName: 'Tienda de prueba S.A. de C.V.',
    type: 'RETAIL',
    country: 'MX',
    currency: 'MXN',
    taxId: 'TPR010101AAA',
    ownerUserId: ids.user,
  });
  await db.insert(s.branches).values({
    id: ids.branch,
    businessId: ids.business,
    code: 'B1',
    name: 'Centro',
    timezone: 'America/Mexico_City',
    addressLine1: 'Calle 1',
    city: 'Puebla',
    state: 'Puebla',
    postalCode: '72000',
    country: 'MX',
  });
  await db.insert(s.cashRegisters).values({ id: ids.register, businessId: ids.business, branchId: ids.branch, code: 'C1', name: 'Caja 1' });
  await db.insert(s.roles).values({ id: ids.role, businessId: ids.business, name: 'Cajero' });
  await db
    .insert(s.employees)
    .values({ id: ids.employee, businessId: ids.business, userId: ids.user, roleId: ids.role, code: '1', displayName: 'Ana' });
  await db
    .insert(s.paymentMethods)
    .values({ id: ids.method, businessId: ids.business, code: 'CASH', name: 'Efectivo', kind: 'CASH', opensDrawer: true });
  await db.insert(s.shifts).values({
    id: ids.shift,
    businessId: ids.business,
    branchId: ids.branch,
    registerId: ids.register,
    openedBy: ids.employee,
    businessDate: '2026-11-25',
    openedAt: now,
    openingFloat: '500.0000',
  });
  await db.insert(s.sales).values({
    id: ids.sale,
    businessId: ids.business,
    branchId: ids.branch,
    registerId: ids.register,
    shiftId: ids.shift,
    employeeId: ids.employee,
    currency: 'MXN',
    pricesIncludeTax: true,
    idempotencyKey: `sale-${ids.sale}`,
    openedAt: now,
    status: 'COMPLETED',
    receiptNumber: 1,
    businessDate: '2026-11-25',
    completedAt: now,
    subtotal: '100.0000',
    taxTotal: '16.0000',
    total: '116.0000',
    paidTotal: '116.0000',
  });
  await db.insert(s.transactions).values({
    id: ids.transaction,
    businessId: ids.business,
    branchId: ids.branch,
    saleId: ids.sale,
    paymentMethodId: ids.method,
    status: 'CONFIRMED',
    amount: '116.0000',
    currency: 'MXN',
    tenderedAmount: '200.0000',
    changeAmount: '84.0000',
    idempotencyKey: `pay-${ids.transaction}`,
    occurredAt: now,
  });
  await db
    .insert(s.auditLogs)
    .values({ id: ids.audit, businessId: ids.business, actorUserId: ids.user, action: 'auth.sign_in', outcome: 'SUCCESS' });
  await db.insert(s.fiscalProfiles).values({
    id: ids.profile,
    businessId: ids.business,
    country: 'MX',
    taxId: 'TPR010101AAA',
    legalName: 'Tienda de prueba',
    taxRegime: '601',
    postalCode: '72000',
    provider: 'test-pac',
    series: 'A',
  });
  const totals = { currency: 'MXN', subtotal: '100.0000', discountTotal: '0.0000', taxTotal: '16.0000', total: '116.0000', taxes: [] };
  await db.insert(s.invoices).values({
    id: ids.invoice,
    businessId: ids.business,
    branchId: ids.branch,
    fiscalProfileId: ids.profile,
    saleId: ids.sale,
    country: 'MX',
    series: 'A',
    folio: 1,
    currency: 'MXN',
    issuer: { taxId: 'TPR010101AAA', legalName: 'Tienda de prueba' },
    receiver: { taxId: 'XAXX010101000', legalName: 'PUBLICO EN GENERAL' },
    totals,
    subtotal: '100.0000',
    discountTotal: '0.0000',
    taxTotal: '16.0000',
    total: '116.0000',
    idempotencyKey: `inv-${ids.invoice}`,
  });
  await db
    .insert(s.products)
    .values({ id: ids.product, businessId: ids.business, name: 'Café de olla', taxCode: 'IVA16', taxRate: '0.160000' });
  await db.insert(s.productVariants).values({
    id: ids.variant,
    businessId: ids.business,
    productId: ids.product,
    sku: 'CAF-1',
    barcode: '7501055363057',
    price: '58.5000',
  });
  await db.insert(s.stockMovements).values({
    id: ids.movement,
    variantId: ids.variant,
    branchId: ids.branch,
    kind: 'RECEIVE',
    quantity: '12',
    idempotencyKey: `mov-${ids.movement}`,
    occurredAt: now,
  });
  return ids;
}
