// Which test proves which calls answer what the contract declares: every call of the contract
// belongs to exactly one of these (tests/integration/contract-outputs.test.ts checks it), so a
// new call, or a new domain, has no answer that goes unchecked.

/** tests/integration/contract-outputs-selling.test.ts: the counter, its card terminal, its customers and invoices, returns, shifts and the register's language. */
export const SELLING_CALLS = /^(sales|payments|customers|invoices|returns|shifts|drawer)\.|^terminal\.setLocale$/;

/** tests/integration/contract-outputs-admin.test.ts: signing in, staff, roles, audit, devices, catalog, stock, sync, notifications, settings and the register's identity. */
export const ADMIN_CALLS = /^(auth|staff|roles|audit|devices|scale|catalog|inventory|sync|notifications|settings)\.|^terminal\.info$/;
