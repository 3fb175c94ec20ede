// The whole operational model, seven PostgreSQL schemas, shared by PGlite and central.
export * from './auth.ts';
export * from './business.ts';
export * from './communication.ts';
export * from './inventory.ts';
export * from './sales.ts';
export * from './payments.ts';
export * from './billing.ts';
